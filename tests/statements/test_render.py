"""Rendering: a real multi-page document whose text (Chinese too) extracts back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from PIL import Image as PILImage

from statements.fonts import CJK_TRUETYPE_CANDIDATES, statement_font
from statements.model import InvoiceEntry, LedgerEntry, PaymentEntry
from statements.render import money, render_statement

from .helpers import invoices, october_ledger, statement

HAS_CJK_TRUETYPE = any(path.is_file() for path, _ in CJK_TRUETYPE_CANDIDATES)


def extract(pdf: bytes) -> list[str]:
    """Each page's text, read by PDFium (pdfplumber's layout pass took seconds per statement)."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in doc]
    finally:
        doc.close()


def font_names(pdf: bytes) -> set[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return {char["fontname"] for page in doc.pages for char in page.chars}


def invoice_numbers(entries: list[LedgerEntry]) -> list[str]:
    return [e.number for e in entries if isinstance(e, InvoiceEntry)]


@pytest.mark.skipif(not HAS_CJK_TRUETYPE, reason="no CJK TrueType font installed")
def test_chinese_statement_embeds_truetype_font_and_text_extracts() -> None:
    data = statement(october_ledger())
    rendered = render_statement(data, font=statement_font())

    assert rendered.font.embedded
    assert b"/FontFile2" in rendered.pdf
    text = "\n".join(extract(rendered.pdf))
    assert money(data.closing_balance) == "13,845.67"
    assert "13,845.67" in text
    for number in ("INV-2026-01001", "CN-2026-0001", "BT-1012-07", "INV-2026-00801"):
        assert number in text
    assert "INV-2026-01101" not in text  # after the period
    assert "对账单" in text
    assert "期末余额" in text
    assert "请于2026年11月15日前登录https://portal.concord.test/statements确认或提出异议" in text
    assert "上海宏达电子有限公司" in text
    assert "ST-2026-10-C00017-v1" in text
    assert "345.67" in text  # the disputed amount, shown apart


def test_cid_fallback_still_renders_extractable_chinese() -> None:
    data = statement(october_ledger())
    rendered = render_statement(data, font=statement_font(force_cid=True))

    assert not rendered.font.embedded
    assert rendered.font.name == "STSong-Light"
    assert b"/FontFile2" not in rendered.pdf
    assert all("STSong" in name for name in font_names(rendered.pdf))
    text = "\n".join(extract(rendered.pdf))
    assert "13,845.67" in text
    for number in invoice_numbers(october_ledger())[:3]:
        assert number in text
    assert "请于2026年11月15日前登录" in text
    assert "康科德示范贸易有限公司" in text


@pytest.mark.parametrize("force_cid", [False, True])
def test_english_statement(force_cid: bool) -> None:
    data = statement(october_ledger(), language="en")
    text = "\n".join(extract(render_statement(data, font=statement_font(force_cid=force_cid)).pdf))

    assert "STATEMENT OF ACCOUNT" in text
    assert "Please confirm or dispute this statement by 15 November 2026 at" in text
    assert "https://portal.concord.test/statements" in text
    assert "Closing balance 13,845.67" in text
    assert "Applied 4,990.00 to INV-2026-00901" in text
    assert "Hongda Electronics (Shanghai) Ltd." in text
    assert "对账单" not in text


@pytest.mark.parametrize("force_cid", [False, True])
def test_hundreds_of_lines_make_pages_with_repeated_headers(force_cid: bool) -> None:
    entries: list[LedgerEntry] = list(invoices(300))
    entries += [
        PaymentEntry(
            date=dt.date(2026, 10, 1) + dt.timedelta(days=i % 30),
            reference=f"BT-PAY-{i:04d}",
            amount=Decimal("700.00"),
        )
        for i in range(60)
    ]
    data = statement(entries)
    rendered = render_statement(data, font=statement_font(force_cid=force_cid))
    pages = extract(rendered.pdf)

    assert rendered.page_count == len(pages) >= 6
    text = "\n".join(pages)
    for number in invoice_numbers(entries):
        assert number in text
    assert money(data.closing_balance) in text
    # the activity table's header row comes back on every page it continues onto
    # (payments are in the activity table only; invoices in it and in the open items)
    assert all("借方" in p and "余额" in p for p in pages if "BT-PAY-" in p)
    assert all("单据号" in p for p in pages if "INV-2026-" in p)
    assert all(f"共 {len(pages)} 页" in p for p in pages)
    # the signature field sits on the last page, inside it
    box = rendered.signature_box
    assert box.page == len(pages) - 1
    assert 0 < box.x1 < box.x2 < 595.3 and 0 < box.y1 < box.y2 < 841.9


def test_superseding_statement_says_so() -> None:
    data = statement(
        october_ledger(), number="ST-2026-10-C00017-v2", supersedes="ST-2026-10-C00017-v1"
    )
    text = "\n".join(extract(render_statement(data).pdf))
    assert "本对账单取代对账单ST-2026-10-C00017-v1" in text
    english = statement(
        october_ledger(),
        language="en",
        number="ST-2026-10-C00017-v2",
        supersedes="ST-2026-10-C00017-v1",
    )
    assert "replaces statement ST-2026-10-C00017-v1" in "\n".join(
        extract(render_statement(english).pdf)
    )


def test_logo_from_settings_is_drawn(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (240, 80), (31, 58, 95)).save(logo)
    rendered = render_statement(statement(october_ledger(), logo=logo))
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as doc:
        assert len(doc.pages[0].images) == 1
        assert not doc.pages[1:] or not doc.pages[-1].images


def test_missing_logo_file_is_skipped(tmp_path: Path) -> None:
    rendered = render_statement(statement(october_ledger(), logo=tmp_path / "missing.png"))
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as doc:
        assert doc.pages[0].images == []
