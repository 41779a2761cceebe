"""PDF bank receipts (电子回单, 业务回单, credit and debit advices) and account statements
(交易明细, 对账单, Statement of account) read with pdfplumber.

Receipts: fields are found by their printed labels (see ``pdf_labels``), receipts by the layout
of the words on each page (see ``pdf_layout``); one ``Transaction`` per receipt, with ``source``
= ``file#page=N/k`` for the k-th receipt on page N. Statements: a table under a header naming a
date and an amount column (see ``pdf_statement``), ``source`` = ``file#page=N/row=K``. A PDF is a
statement when such a table has two dated rows on one page, or one when no receipt is found.
Each page's words are extracted exactly once: tables are read from word positions, not with
pdfplumber's (much slower) table finder.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import extract_words

from ..errors import LimitExceeded, ParseError
from ..model import ParseSettings, StatementInfo, Transaction
from ..problems import page as page_at
from ..problems import problem
from ._common import LeftOut
from .pdf_fields import file_dayfirst, has_party, is_receipt, to_transaction
from .pdf_layout import Region, drop_overprints, page_regions
from .pdf_statement import find_statement, looks_like_statement, read_statement
from .pdf_table import PageText, document_mark, page_text

# pdfminer warns about every font that lacks metrics ("Could not get FontBBox from font
# descriptor"), common in PDFs that browsers and bank systems print; the text is read all the
# same, and what cannot be read becomes a warning of our own naming the page
logging.getLogger("pdfminer").setLevel(logging.ERROR)

FORMAT = "pdf"

__all__ = ["FORMAT", "parse", "parse_with_statements", "sniff"]


def sniff(data: bytes, filename: str) -> bool:
    """True when ``data`` is a PDF (the ``%PDF-`` header, possibly after a little junk)."""
    return b"%PDF-" in data[:1024]


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return one transaction per bank receipt in the PDF.

    A page that cannot be read (a scanned image, a broken content stream, a font without
    Unicode) or a receipt without an amount or a date is left out with a warning (see
    :func:`parse_with_statements`); the file fails only when nothing in it can be read.

    :raises ParseError: for an encrypted or unreadable PDF, one of which no receipt can be read
        (the first reason: "no text layer (scanned image)", a receipt without an amount...), or
        a PDF in which no bank receipt is found.
    :raises LimitExceeded: when the file has more bytes or pages than ``settings`` allow.
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` for the file.

    Receipts state no balances; the file's facts are its page and receipt counts and, as
    warnings, the pages and receipts left out. A statement's are those of its table (see
    :func:`.tabular.parse_rows`): balances from a balance column, our account and currency.
    """
    if len(data) > settings.max_bytes:
        raise LimitExceeded(problem("file_is_larger_than", limit=settings.max_bytes), file=filename)
    found: list[tuple[str, Region]] = []
    texts: list[PageText] = []
    left_out = LeftOut()
    pages_left_out = LeftOut()
    with _open(data, filename) as pdf:
        pages = _pages(pdf, data, filename, settings)
        page_count = len(pages)
        for number, page in enumerate(pages, start=1):
            try:
                words = _page_words(page, number, filename)
                if words:
                    texts.append(page_text(number, words, _edges(page)))
                found += _page_receipts(words, number, filename, left_out)
            except ParseError as exc:
                left_out.entry(exc)
                pages_left_out.entry(exc)
            page.close()  # frees the page's cached layout objects on long files
    statement = find_statement(texts)
    # an invoice or a statement a seller sends its customer: its table is no bank's
    document = next((mark for text in texts[:1] if (mark := document_mark(text))), None)
    if document is not None and statement is not None and not found:
        raise ParseError(problem("pdf_not_bank_document", mark=document), file=filename)
    if document is None and statement is not None and (statement.most_on_a_page >= 2 or not found):
        return read_statement(
            statement, filename, settings, pages=page_count, warnings=pages_left_out.warnings
        )
    dayfirst = file_dayfirst((region for _, region in found), settings)
    transactions: list[Transaction] = []
    for source, region in found:
        try:
            transactions.append(
                to_transaction(
                    region, filename=filename, source=source, settings=settings, dayfirst=dayfirst
                )
            )
        except ParseError as exc:
            left_out.entry(exc)
    if not transactions and (columns := looks_like_statement(texts)) is not None:
        # titled like a statement, nothing read as a receipt: its table is what failed
        raise ParseError(problem("pdf_statement_no_table", columns=columns), file=filename)
    left_out.check(transactions)
    if not found:
        raise ParseError(problem("pdf_no_receipt"), file=filename)
    info = StatementInfo(
        transaction_count=len(transactions),
        raw={"pages": page_count, "receipts": len(found), "warnings": left_out.warnings},
    )
    return transactions, [info]


#: how far from its end a whole PDF's %%EOF marker may stand (writers pad with blanks or NULs)
_EOF_WINDOW = 4096


def _open(data: bytes, filename: str) -> Any:
    """Open the PDF.

    :raises ParseError: for an encrypted or unreadable file.
    """
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(exc, data, filename) from exc
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        raise _open_error(exc, data, filename) from exc


def _pages(pdf: Any, data: bytes, filename: str, settings: ParseSettings) -> list[Any]:
    """The PDF's pages, at most ``settings.max_pages`` of them.

    :raises LimitExceeded: for more pages.
    """
    try:
        pages: list[Any] = pdf.pages
    except PdfminerException as exc:
        raise _open_error(exc, data, filename) from exc
    if len(pages) > settings.max_pages:
        raise LimitExceeded(
            problem("too_many_pages", pages=len(pages), limit=settings.max_pages),
            file=filename,
        )
    return pages


def _page_words(page: Any, number: int, filename: str) -> list[dict[str, Any]]:
    """The words of one page (none on a blank page), seal text set at an angle left out.

    :raises ParseError: when the page cannot be read at all.
    """
    try:
        chars = page.chars
        if any(_askew(c["matrix"]) for c in chars):
            # text set at an angle is the rim of a seal (the bank's name around 电子回单专用章)
            # drawn over the fields, never a field; text turned a right angle is kept (the
            # vertical 付款人/收款人 of the grid)
            chars = [c for c in chars if not _askew(c["matrix"])]
        words: list[dict[str, Any]] = extract_words(drop_overprints(chars))
    except Exception as exc:  # a broken content stream on one page
        raise ParseError(
            problem("pdf_bad_page", detail=exc), file=filename, location=page_at(number)
        ) from exc
    if not words:
        if page.images:
            raise ParseError(problem("pdf_scanned"), file=filename, location=page_at(number))
        return []  # a blank page between receipts
    undecodable = sum("(cid:" in w["text"] for w in words)
    if undecodable * 2 > len(words):
        raise ParseError(problem("pdf_no_unicode"), file=filename, location=page_at(number))
    return words


def _edges(page: Any) -> list[dict[str, Any]]:
    """The page's ruling lines and rectangle sides; none when they cannot be read (a statement's
    table is then read without its rules)."""
    try:
        return list(page.edges)
    except Exception:  # pdfminer raises many unrelated types on broken drawing operators
        return []


def _page_receipts(
    words: list[dict[str, Any]], number: int, filename: str, left_out: LeftOut
) -> list[tuple[str, Region]]:
    """The receipts of one page; one with a party but no amount is left out (``left_out``)."""
    receipts: list[tuple[str, Region]] = []
    for region in page_regions(words):
        if is_receipt(region):
            receipts.append((f"{filename}#page={number}/{len(receipts) + 1}", region))
        elif has_party(region):
            left_out.entry(
                ParseError(problem("pdf_no_amount"), file=filename, location=page_at(number))
            )
    return receipts


def _askew(matrix: tuple[float, ...]) -> bool:
    a, b = abs(matrix[0]), abs(matrix[1])
    return min(a, b) > 0.05 * max(a, b)


def _open_error(exc: Exception, data: bytes, filename: str) -> ParseError:
    """What keeps the PDF from opening, in the user's terms where it can be told: a password,
    a file cut short (its end marker missing: an interrupted download or upload), else the
    PDF library's own words."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return ParseError(problem("pdf_encrypted"), file=filename)
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        return ParseError(problem("pdf_truncated", size=len(data)), file=filename)
    return ParseError(problem("pdf_unreadable", detail=cause), file=filename)
