"""PDFs of collections: reminder letters on the letterhead, and the case file for legal.

Files are kept under ``instance/collections/`` and named in the case's history.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import force_locale, pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import (
    CaseEvent,
    CollectionCase,
    Dispute,
    Invoice,
    InvoiceStatus,
    Statement,
    StatementLine,
    StatementStatus,
    User,
)
from .ladders import money_text

if TYPE_CHECKING:
    from .case_items import Item

FONT = "STSong-Light"  # a CID font every PDF reader has: Chinese without embedding a font
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")

# the words of documents carry the msgctxt "collections document": they may differ from the
# words of the pages (a letter says 未付金额 where a page says 未清金额)


def texts(language: str) -> dict[str, str]:
    """The words of collection documents in ``language`` (English, else Chinese), from the
    catalogue."""
    with force_locale("en" if language == "en" else "zh"):
        return {
            "date": pgettext("collections document", "Date"),
            "invoice": pgettext("collections document", "Invoice"),
            "due": pgettext("collections document", "Due date"),
            "open": pgettext("collections document", "Open amount"),
            "total": pgettext("collections document", "Total"),
            "disputed": pgettext("collections document", "Under dispute, not included"),
            "pay_into": pgettext("collections document", "Please pay into"),
            "bank": pgettext("collections document", "Bank"),
            "account": pgettext("collections document", "Account"),
            "reference": pgettext(
                "collections document", "Please quote the invoice numbers as the payment reference."
            ),
            "case_file": pgettext("collections document", "Case file"),
            "reminder": pgettext("collections document", "Reminder"),
            "customer": pgettext("collections document", "Customer"),
            "approved_by": pgettext("collections document", "Hand-over approved by"),
            "reason": pgettext("collections document", "Reason"),
            "statement_of_account": pgettext("collections document", "Statement of account"),
            "open_invoices": pgettext("collections document", "Open invoices"),
            "issued": pgettext("collections document", "Issued"),
            "amount": pgettext("collections document", "Amount"),
            "history": pgettext("collections document", "Contact history"),
            "when": pgettext("collections document", "When"),
            "channel": pgettext("collections document", "Channel"),
            "what": pgettext("collections document", "What"),
            "confirmations": pgettext("collections document", "Signed statement confirmations"),
            "statement": pgettext("collections document", "Statement"),
            "period": pgettext("collections document", "Period"),
            "confirmed": pgettext("collections document", "Confirmed"),
            "by": pgettext("collections document", "By"),
            "disputes": pgettext("collections document", "Disputes"),
            "status": pgettext("collections document", "Status"),
            "none": pgettext("collections document", "None."),
            "balance": pgettext("collections document", "Balance"),
            "cover": pgettext(
                "collections document",
                "Dear {customer},\n\nplease find our formal payment reminder attached "
                "({amount}).\n\n{link}\n\n{company}",
            ),
            "invoice_amount": pgettext("collections document", "Invoice amount"),
            "settled": pgettext("collections document", "Paid, credited or written off"),
            "disputed_part": pgettext("collections document", "Under dispute"),
            "undisputed": pgettext("collections document", "Undisputed"),
            "no_charges": pgettext(
                "collections document", "No interest or fees are charged on these amounts."
            ),
        }


def collections_dir() -> Path:
    """Where generated PDFs are kept (created on first use)."""
    path = Path(current_app.instance_path) / "collections"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(name: str, data: bytes) -> str:
    """Keep a generated PDF; returns its file name."""
    if not SAFE_NAME.match(name):
        raise ValueError(f"unsafe file name {name!r}")
    (collections_dir() / name).write_bytes(data)
    return name


def stored(name: str) -> bytes | None:
    """A kept PDF's bytes, or ``None`` when there is none."""
    if not SAFE_NAME.match(name):
        return None
    path = collections_dir() / name
    return path.read_bytes() if path.exists() else None


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
        "title": ParagraphStyle("title", parent=base, fontSize=15, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=17, spaceBefore=8),
        "head": ParagraphStyle("head", parent=base, fontSize=13, leading=17),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _letterhead(language: str) -> list[Any]:
    from ..i18n import company_name

    cfg = current_app.config
    st = _styles()
    flow: list[Any] = []
    logo = cfg.get("COMPANY_LOGO")
    if logo and Path(str(logo)).exists():
        flow.append(Image(str(logo), width=30 * mm, height=15 * mm, kind="proportional"))
    flow.append(_p(company_name(language) or str(cfg["COMPANY_NAME"]), st["head"]))
    flow.append(_p(str(cfg.get("COMPANY_ADDRESS") or ""), st["small"]))
    rule = Table([[""]], colWidths=[160 * mm], rowHeights=[2 * mm])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f3a5f"))]))
    flow += [rule, Spacer(1, 5 * mm)]
    return flow


def bank_details() -> tuple[str | None, str | None]:
    """The bank and account customers pay into (``COMPANY_BANK_*``, else ``OWN_ACCOUNTS``)."""
    cfg = current_app.config
    account = cfg.get("COMPANY_BANK_ACCOUNT") or next(iter(cfg.get("OWN_ACCOUNTS") or []), None)
    return cfg.get("COMPANY_BANK_NAME"), account


def _table(rows: list[list[str]], widths: Sequence[float], *, right: Sequence[int] = ()) -> Table:
    st = _styles()["small"]
    cells = [[Paragraph(escape(c), st) for c in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
    ]
    table.setStyle(TableStyle(style))
    for col in right:
        for row in cells[1:]:
            row[col].style = ParagraphStyle("r", parent=st, alignment=2)
    return table


def _a4(out: io.BytesIO, *, side: int, top: int, title: str) -> SimpleDocTemplate:
    """An A4 document with ``side`` and ``top`` margins in mm, the same bytes for the same input."""
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=side * mm,
        rightMargin=side * mm,
        topMargin=top * mm,
        bottomMargin=top * mm,
        title=title,
        invariant=True,
    )


def render_letter(
    case: CollectionCase,
    items: Sequence[Item],
    *,
    language: str,
    today: dt.date,
    body: str,
    title: str = "",
) -> bytes:
    """A formal reminder on the letterhead: the text, the items, and where to pay."""
    lang = "en" if language == "en" else "zh"
    t = texts(lang)
    st = _styles()
    out = io.BytesIO()
    doc = _a4(out, side=25, top=18, title=f"{t['reminder']} {case.customer.code}")
    flow = _letterhead(lang)
    customer = case.customer
    flow.append(_p(f"{customer.name} ({customer.code})", st["base"]))
    flow.append(_p(f"{t['date']}: {today.isoformat()}", st["base"]))
    flow.append(Spacer(1, 4 * mm))
    flow.append(_p(title or ("Formal payment reminder" if lang == "en" else "催款函"), st["title"]))
    flow.append(_p(body, st["base"]))
    flow.append(Spacer(1, 4 * mm))
    rows = [[t["invoice"], t["due"], t["open"]]]
    rows += [
        [i.number, i.due_date.isoformat(), money_text(i.open_amount, i.currency)] for i in items
    ]
    total = sum((i.open_amount for i in items), Decimal("0"))
    rows.append([t["total"], "", money_text(total, case.currency)])
    disputed = sum((i.disputed for i in items), Decimal("0"))
    if disputed:
        rows.append([t["disputed"], "", money_text(disputed, case.currency)])
    flow.append(_table(rows, (60, 40, 60), right=(2,)))
    flow.append(Spacer(1, 5 * mm))
    bank, account = bank_details()
    flow.append(_p(t["pay_into"], st["h2"]))
    flow.append(_p(f"{t['bank']}: {bank or '—'}", st["base"]))
    flow.append(_p(f"{t['account']}: {account or '—'}", st["base"]))
    flow.append(_p(t["reference"], st["small"]))
    doc.build(flow)
    return out.getvalue()


def letter_cover(language: str, values: dict[str, str]) -> str:
    """The email that carries a letter."""
    lang = "en" if language == "en" else "zh"
    return texts(lang)["cover"].format(**values)


def _label(lang: str, code: str, *, channel: bool = False) -> str:
    """The name of a history code (event kind, outcome, channel) or status in ``lang``."""
    from flask_babel import force_locale

    from ..ui.routes import LABELS
    from .forms import CHANNEL_LABELS, COLLECTION_LABELS, OUTCOME_CHOICES

    outcomes = {c.value: c.label for c in OUTCOME_CHOICES}
    table: Mapping[str, object] = (
        CHANNEL_LABELS if channel else {**LABELS, **COLLECTION_LABELS, **outcomes}
    )
    with force_locale(lang):
        return str(table.get(code, code))


def render_case_file(
    session: Session, case: CollectionCase, *, today: dt.date, approver: User, reason: str
) -> bytes:
    """The file legal gets: account statement, open invoices, history, confirmations, disputes."""
    customer = case.customer
    lang = "en" if customer.language == "en" else "zh"
    t = texts(lang)
    st = _styles()
    out = io.BytesIO()
    doc = _a4(out, side=18, top=15, title=f"{t['case_file']} {customer.code} {case.currency}")
    flow = _letterhead(lang)
    flow.append(
        _p(
            f"{t['case_file']} #{case.id}: {customer.name} ({customer.code}), {case.currency}",
            st["title"],
        )
    )
    flow.append(_p(f"{t['date']}: {today.isoformat()}", st["base"]))
    flow.append(
        _p(f"{t['approved_by']}: {approver.name or approver.email} <{approver.email}>", st["base"])
    )
    flow.append(_p(f"{t['reason']}: {reason}", st["base"]))

    invoices = list(
        session.scalars(
            select(Invoice)
            .where(
                Invoice.customer_id == customer.id,
                Invoice.currency == case.currency,
                Invoice.status != InvoiceStatus.CANCELLED,
            )
            .order_by(Invoice.issue_date, Invoice.id)
        )
    )
    flow.append(_p(t["statement_of_account"], st["h2"]))
    rows = [[t["invoice"], t["issued"], t["due"], t["amount"], t["open"], t["balance"]]]
    balance = Decimal("0")
    for inv in invoices:
        balance += inv.open_amount
        rows.append(
            [
                inv.number,
                inv.issue_date.isoformat(),
                inv.due_date.isoformat(),
                money_text(inv.amount, inv.currency),
                money_text(inv.open_amount, inv.currency),
                money_text(balance, inv.currency),
            ]
        )
    flow.append(_table(rows, (34, 24, 24, 30, 30, 32), right=(3, 4, 5)))
    flow += _open_invoices(session, [i for i in invoices if i.open_amount > 0], lang, today)
    flow.append(_p(t["history"], st["h2"]))
    events = list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    )
    hist = [[t["when"], t["channel"], t["what"]]]
    for e in events:
        what = " · ".join(
            x
            for x in (
                _label(lang, e.kind),
                _label(lang, e.outcome) if e.outcome else "",
                e.recipient or "",
                (e.body or "")[:300],
            )
            if x
        )
        hist.append([e.at.strftime("%Y-%m-%d %H:%M"), _label(lang, e.channel, channel=True), what])
    flow.append(_table(hist, (32, 18, 124)) if len(hist) > 1 else _p(t["none"], st["base"]))

    flow.append(_p(t["confirmations"], st["h2"]))
    statements = list(
        session.scalars(
            select(Statement)
            .where(
                Statement.customer_id == customer.id, Statement.status == StatementStatus.CONFIRMED
            )
            .order_by(Statement.id)
        )
    )
    conf = [[t["statement"], t["period"], t["confirmed"], t["by"]]]
    for s in statements:
        by = s.confirmed_by
        conf.append(
            [
                f"{s.number} v{s.version} (SHA-256 {(s.signed_sha256 or '')[:16]}…)",
                f"{s.period_start.isoformat()} – {s.period_end.isoformat()}",
                s.confirmed_at.strftime("%Y-%m-%d %H:%M") if s.confirmed_at else "",
                (by.name or by.email) if by else "",
            ]
        )
    flow.append(_table(conf, (40, 50, 40, 44)) if len(conf) > 1 else _p(t["none"], st["base"]))

    flow += _disputes(session, case, lang)
    doc.build(flow)
    return out.getvalue()


def _open_invoices(
    session: Session, invoices: Sequence[Invoice], lang: str, today: dt.date
) -> list[Any]:
    """The open invoices on ``today``, each with what was paid, what is open, the part open
    disputes hold and the undisputed rest, and a total per currency (never added together)."""
    from .case_items import held_by_disputes

    t = texts(lang)
    st = _styles()
    with force_locale(lang):
        heading = pgettext(
            "collections document", "Open invoices on %(date)s", date=today.isoformat()
        )
    flow: list[Any] = [_p(heading, st["h2"])]
    if not invoices:
        return [*flow, _p(t["none"], st["base"])]
    held = held_by_disputes(session, [i.id for i in invoices])
    head = ("invoice", "due", "invoice_amount", "settled", "open", "disputed_part", "undisputed")
    rows = [[t[key] for key in head]]
    totals: dict[str, list[Decimal]] = {}
    for inv in invoices:
        disputed = min(held.get(inv.id, Decimal("0")), inv.open_amount)
        figures = [
            inv.amount,
            inv.amount - inv.open_amount,
            inv.open_amount,
            disputed,
            inv.open_amount - disputed,
        ]
        rows.append(
            [inv.number, inv.due_date.isoformat()] + [money_text(f, inv.currency) for f in figures]
        )
        summed = totals.setdefault(inv.currency, [Decimal("0")] * len(figures))
        totals[inv.currency] = [a + b for a, b in zip(summed, figures, strict=True)]
    for currency, summed in sorted(totals.items()):
        rows.append([t["total"], "", *(money_text(f, currency) for f in summed)])
    widths = (28, 20, 25, 25, 25, 25, 26)
    flow.append(_table(rows, widths, right=(2, 3, 4, 5, 6)))
    flow.append(_p(t["no_charges"], st["small"]))
    return flow


def _disputes(session: Session, case: CollectionCase, lang: str) -> list[Any]:
    """The customer's disputes in the case's currency: of its invoices, or of its statements'
    lines (another currency's disputes belong to that currency's case)."""
    t = texts(lang)
    st = _styles()
    disputes = session.execute(
        select(Dispute, Invoice.number)
        .outerjoin(Invoice, Invoice.id == Dispute.invoice_id)
        .outerjoin(StatementLine, StatementLine.id == Dispute.statement_line_id)
        .outerjoin(Statement, Statement.id == Dispute.statement_id)
        .where(
            Dispute.customer_id == case.customer_id,
            # the line's own currency section, else the statement's (lines before sections)
            func.coalesce(Invoice.currency, StatementLine.currency, Statement.currency)
            == case.currency,
        )
        .order_by(Dispute.id)
    ).all()
    rows = [[t["what"], t["invoice"], t["amount"], t["status"], t["reason"]]]
    for d, number in disputes:
        rows.append(
            [
                d.number,
                number or "",
                money_text(d.amount, case.currency),
                _label(lang, d.status.value),
                _label(lang, d.reason.value),
            ]
        )
    table = _table(rows, (34, 34, 34, 34, 38)) if len(rows) > 1 else _p(t["none"], st["base"])
    return [_p(t["disputes"], st["h2"]), table]
