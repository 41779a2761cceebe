"""The records of a BAI2 file: physical records read into logical ones, 88 continuations merged.

Real files bend the format, and all of these are read: records ended by a newline instead of
``/``; several records on one physical line (``.../   02,...``); a detail text wrapped onto the
next physical line; fixed-length records without line breaks; ``88`` continuing any record
(its next fields, from the one after the field a ``/`` closed; or, once a ``16`` has reached
its text, that text: after a comma when the 88 opens a tagged item such as ``EREF: 1111``, as
written where the writer cut a word at its record length, else after a space).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ParseError
from ..problems import problem

_CODES = ("01", "02", "03", "16", "49", "88", "98", "99")
_RECORD_START = re.compile(r"^\s*(\d\d),")
# a record packed after another on the same line: "...PPD/ 16,142,500,Z,..."
_PACKED = re.compile(r"/\s+(?=(?:01|02|03|16|49|88|98|99),)")


@dataclass
class Record:
    """One logical record: a physical record and the 88 continuations merged into it."""

    code: str
    line: int
    text: str
    breaks: list[int] = field(default_factory=list)
    """Field counts of the text before each 88 continuation merged into it."""
    records: int = 1
    """The physical records it was read from: itself and its 88 continuations."""
    cut: bool = False
    """Its last physical record fills the file's record length and ends inside a word: the
    writer cut its text at that width, and an 88 continues the text as is."""


def read_records(data: bytes, filename: str) -> list[Record]:
    """Split the file into logical records, merging 88 continuations into their record."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = _physical_lines(text)
    width = _text_width(lines)
    pieces: list[Record] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _RECORD_START.match(line)
        if match and match.group(1) in _CODES:
            for part in _PACKED.split(line.strip()):
                text = part.strip()
                pieces.append(Record(text[:2], number, text))
        elif pieces:
            # a physical line that starts no record continues the previous one (wrapped text)
            prev = pieces[-1]
            prev.text = f"{strip_end(prev.text)} {line.strip()}"
        else:
            code = match.group(1) if match else line.strip()[:2]
            raise ParseError(
                problem("bai2_no_header", found=repr(code)),
                file=filename,
                location=problem("at_line", line=number),
            )
        pieces[-1].cut = _cut_at(line, width)
    merged: list[Record] = []
    for piece in pieces:
        if piece.code == "88":
            if not merged:
                raise ParseError(
                    problem("bai2_88_alone"),
                    file=filename,
                    location=problem("at_line", line=piece.line),
                )
            _continue(merged[-1], piece)
        else:
            merged.append(piece)
    return merged


#: an 88 that opens an item of its own: a short upper-case tag and a colon (``EREF: 1111``)
_TAGGED = re.compile(r"[A-Z][A-Z0-9]{1,7}(?: [A-Z0-9]{1,7})?:")


def _continue(record: Record, piece: Record) -> None:
    """Append the 88 continuation ``piece`` to ``record``.

    A record ended by ``/`` is complete up to its last field, the one before the ``/``, even an
    empty one after a final comma: the 88 starts the field after it, as the specification has
    it. So NatWest's ``16,399,89,,,/`` (type, amount, then an empty funds type, bank and
    customer reference) and Silicon Valley Bank's ``16,142,490196,,172629,/`` (an empty
    customer reference) take their text from the 88. A record that stops without ``/`` on a
    comma left the field that comma opened for the 88 to fill.

    Once a ``16`` record has reached its text, its last field, the 88 continues that free text
    (the specification's example: ``...,AMALGAMATED CORP. LOCKBOX`` + ``88,DEPOSIT-MISC.
    RECEIVABLES`` is one text), after a space, and adds no field, also when the 16 ended with
    ``/`` (SVB's ``...,50848,/`` closes an empty text that its 88 fills; moov-io's sample3
    closes one inside a column: ``...900 METRO CENTER BLVD /`` + ``88,        FOSTER CITY``).
    An 88 that opens a tagged item of its own (``EREF: 1111``, ``FR:FP SIP INCOMING``: Goldman
    Sachs and UK banks write one per 88) follows after a comma, as moov-io/bai2 joins them, so
    that the items do not run together; text the writer cut at its record length
    (NatWest's ``...INTERNATIONAL-5373 CLIE`` + ``88,NT SECCY AC TFR``) follows as is.
    """
    closed = record.text.rstrip().endswith("/")
    head = strip_end(record.text)
    # the 88's own "/" is kept: the next 88 needs to know whether the record was closed
    tail = piece.text[3:].rstrip()
    record.records += 1
    cut, record.cut = record.cut, piece.cut
    if record.code == "16" and _in_text(head):
        record.text = f"{head}{_text_joint(head, tail, cut=cut)}{tail}"
        return
    record.breaks.append(head.count(",") + 1)
    comma = "" if record.code == "16" and head.endswith(",") and not closed else ","
    record.text = f"{head}{comma}{tail}"


def _text_joint(head: str, tail: str, *, cut: bool) -> str:
    """What goes between a 16's text so far (``head``) and the 88 that continues it."""
    if cut or not head.split(",")[-1].strip():
        return ""  # a word cut at the record length, or a text not begun yet
    return "," if _TAGGED.match(tail) else " "


def _in_text(record: str) -> bool:
    """True when a ``16`` record's fields so far reach its free text (the field after the
    customer reference), counting the fields its funds type adds."""
    fields = record.split(",")
    if len(fields) < 4:
        return False
    funds = fields[3].strip().upper()
    extra = {"V": 2, "S": 3}.get(funds, 0)
    if funds == "D":
        count = fields[4].strip() if len(fields) > 4 else ""
        extra = 1 + 2 * int(count) if count.isdigit() else 0
    return len(fields) > 4 + extra + 2


def _physical_lines(text: str) -> list[str]:
    """The file's physical records: its lines, or fixed-length blocks where there are none.

    The 01 header's sixth field is the physical record length. A file sent as fixed-length
    records pads each record with blanks to that length and may have no line breaks at all;
    a line made of several such records is cut into them, but only when every piece starts
    with a record code, so a long detail line in an ordinary file is never cut.
    """
    lines = text.splitlines()
    size = _record_length(lines)
    if size < 10:
        return lines
    out: list[str] = []
    for line in lines:
        chunks = [line[i : i + size] for i in range(0, len(line), size)]
        if len(chunks) > 1 and all(_starts_record(c) for c in chunks if c.strip()):
            out.extend(c for c in chunks if c.strip())
        else:
            out.append(line)
    return out


def _record_length(lines: list[str]) -> int:
    """The physical record length the 01 header states (its sixth field), 0 when none."""
    first = lines[0].lstrip() if lines else ""
    fields = first.split(",")
    length_text = fields[6].strip() if first.startswith("01,") and len(fields) > 6 else ""
    return int(length_text) if length_text.isdigit() else 0


#: the width writers that state no record length cut their records at: the 80-column card
#: image (NatWest's records run up to 80 characters and cut a word there)
_CARD_WIDTH = 80


def _text_width(lines: list[str]) -> int | None:
    """The length at which the file's writer cuts its records, None when it does not show.

    The stated physical record length, else 80 where no line is longer (a file with longer
    lines keeps to no such width).
    """
    size = _record_length(lines)
    if size >= 10:
        return size
    if lines and max(len(line) for line in lines) == _CARD_WIDTH:
        return _CARD_WIDTH
    return None


def _cut_at(line: str, width: int | None) -> bool:
    """True when the physical record ``line`` fills ``width`` and ends inside a word."""
    return (
        width is not None and len(line) == width and not line[-1].isspace() and line[-1] not in ",/"
    )


def _starts_record(text: str) -> bool:
    match = _RECORD_START.match(text)
    return match is not None and match.group(1) in _CODES


def strip_end(text: str) -> str:
    """``text`` without its trailing ``/`` record delimiter (and the blanks around it)."""
    text = text.rstrip()
    return text[:-1].rstrip() if text.endswith("/") else text
