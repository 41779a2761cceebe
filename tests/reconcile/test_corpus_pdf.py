"""The corpus's three real PDFs (invoice2data invoices) against the receipt parser.

Why this check: the corpus has no real bank receipt PDFs; its only PDFs are supplier invoices
(AWS, QualityHosting, Free) with invoice2data's golden values. They are not bank receipts, so
the honest expectation is that the receipt parser *refuses* them with a clear "no bank receipt
found" error instead of inventing transactions from an invoice's "Amount"/"Date" lines. So
that the refusal cannot come from a text layer we failed to read, the same test also checks
that pdfplumber's text of each file holds the amount and date the manifest records (amount
read with our own ``parse_amount``, the date as day, month name in the document's language via
babel, and year on one line), and that the file is byte-identical to the manifest's copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from babel.dates import format_date

from reconcile.errors import ParseError, UnsupportedFormat
from reconcile.model import ParseSettings
from reconcile.normalize import AmountError, parse_amount
from reconcile.parsers import pdf as pdf_parser

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
_LANGUAGES = {"English": "en", "German": "de", "French": "fr"}


def _entries() -> list[dict[str, Any]]:
    manifest = CORPUS / "MANIFEST.json"
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    return [e for e in entries if e.get("kind") == "invoice_pdf"]


ENTRIES = _entries()
pytestmark = pytest.mark.skipif(
    not ENTRIES, reason=f"bank-file corpus not found at {CORPUS} (../shared/corpus of the repo)"
)


def _language(entry: dict[str, Any]) -> str:
    return next(code for word, code in _LANGUAGES.items() if word in entry["notes"])


def _amounts(text: str) -> set[Decimal]:
    found = set()
    for token in re.findall(r"[$€£]?\d[\d.,]*\d", text):
        try:
            found.add(parse_amount(token))
        except AmountError:
            continue
    return found


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_invoice_pdf_is_refused_as_no_bank_receipt(entry: dict[str, Any]) -> None:
    data = (CORPUS / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert pdf_parser.sniff(data, entry["file"])
    with pytest.raises(ParseError, match="no bank receipt found") as info:
        pdf_parser.parse(data, Path(entry["file"]).name, ParseSettings())
    assert not isinstance(info.value, UnsupportedFormat)
    assert Path(entry["file"]).name in str(info.value)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_invoice_text_layer_holds_the_manifest_facts(entry: dict[str, Any]) -> None:
    expected = entry["expected"]
    with pdfplumber.open(CORPUS / entry["file"]) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert Decimal(str(expected["amount"])) in _amounts(text)
    date = dt.date.fromisoformat(expected["date"])
    month = format_date(date, "MMMM", locale=_language(entry))
    lines = [re.sub(r"\s+", " ", line) for line in text.splitlines()]
    assert any(
        month.casefold() in line.casefold()
        and str(date.year) in line
        and re.search(rf"(?<!\d)0?{date.day}(?!\d)", line)
        for line in lines
    ), f"{date} ({month}) not found"
