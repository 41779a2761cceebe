"""Any stored text, safely out: download names, spreadsheet cells, PDF text, email headers.

Imports validate identifiers (:func:`identifier_problem`), but what is already stored may hold
anything a database accepts: CR, LF, NUL, quotes, control characters. Every download and
export passes text through here so that one odd record never breaks a header, a file or a
batch.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

#: C0 controls, DEL and C1 controls (what no header, file name or cell should carry)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: characters XML 1.0 (XLSX, PDF markup) cannot hold; tab and line breaks are fine there
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udfff]")
_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|;]')


def printable(text: object) -> str:
    """``text`` on one line: control characters (CR, LF, NUL...) become spaces, runs collapse."""
    flat = _CONTROL.sub(" ", str(text))
    flat = re.sub(r"[\ud800-\udfff]", "\ufffd", flat)
    return re.sub(r" {2,}", " ", flat).strip()


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (for XLSX cells and PDF paragraphs)."""
    return _XML_ILLEGAL.sub("", text)


def safe_filename(name: object, default: str = "download") -> str:
    """A file name from any text: no controls, separators or quotes; at most 150 characters."""
    clean = _NAME_UNSAFE.sub("_", printable(name)).strip(" .")
    return clean[:150].strip(" .") or default


def content_disposition(name: object, *, inline: bool = False, default: str = "download") -> str:
    """A ``Content-Disposition`` value for any file name (ASCII fallback and RFC 5987 name)."""
    clean = safe_filename(name, default)
    fallback = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip(" ._") or default
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"


def identifier_problem(value: str, *, max_length: int = 64) -> str | None:
    """Return why ``value`` cannot be an identifier (invoice number, code...), else ``None``.

    Refused: empty, longer than ``max_length``, spaces around it, or any control character
    (CR, LF, tab, NUL...) or unpaired surrogate. For importers to report with the row.
    """
    if not value:
        return "is empty"
    if len(value) > max_length:
        return f"is longer than {max_length} characters"
    if value != value.strip():
        return "has spaces before or after it"
    match = _CONTROL.search(value) or re.search(r"[\ud800-\udfff]", value)
    if match:
        return f"contains a control character (U+{ord(match.group()):04X})"
    return None
