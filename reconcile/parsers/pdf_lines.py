"""What the PDF readers share about a printed line: where it stands on the page.

The receipt reader (:mod:`.pdf_layout`) cuts a line into labels and values, the table reader
(:mod:`.pdf_table`) into cells; both judge whether two lines belong together by the space between
them measured in the upper line's height.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class PrintedLine:
    """The vertical extent of one printed line of a page."""

    top: float
    """The top of its highest word, in points from the top of the page."""
    bottom: float
    """The bottom of its lowest word, in points from the top of the page."""

    def gap_to(self, below: PrintedLine) -> float:
        """Return the space between this line and the top of ``below`` (negative: they overlap)."""
        return below.top - self.bottom

    @property
    def height(self) -> float:
        """The line's height, at least one point."""
        return max(self.bottom - self.top, 1.0)
