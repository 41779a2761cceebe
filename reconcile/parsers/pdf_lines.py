"""What the PDF readers share about a printed line: how far down the page it stands.

The receipt reader (:mod:`.pdf_layout`) cuts a line into labels and values, the table reader
(:mod:`.pdf_table`) into cells; both judge whether two lines belong together by their heights.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class PrintedLine:
    """The vertical extent of one printed line, in points from the top of the page."""

    top: float
    bottom: float

    @property
    def height(self) -> float:
        """The line's height, at least one point."""
        return max(self.bottom - self.top, 1.0)
