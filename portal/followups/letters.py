"""Formal reminder letters: a PDF per dunning task, kept under ``instance/letters/``."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from flask import current_app
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from sqlalchemy.orm import Session

from ..models import FollowUp, FollowUpComment, Invoice
from ..notifications import send_email

FONT = "STSong-Light"  # a CID font every PDF reader has: Chinese without embedding a font


def letters_dir() -> Path:
    """Where generated letters are stored (created on first use)."""
    path = Path(current_app.instance_path) / "letters"
    path.mkdir(parents=True, exist_ok=True)
    return path


def letter_path(task_id: int) -> Path:
    """Return where the reminder letter of task ``task_id`` is (or will be) stored."""
    return letters_dir() / f"followup-{task_id}.pdf"


def render_letter(invoice: Invoice, *, today: dt.date) -> bytes:
    """Render the reminder letter for an overdue invoice, in the customer's language."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    customer = invoice.customer
    cfg = current_app.config
    days = invoice.days_overdue(today)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle(f"Reminder {invoice.number}")
    height = A4[1]
    y = height - 25 * mm

    def line(text: str, size: float = 11, gap: float = 7) -> None:
        nonlocal y
        pdf.setFont(FONT, size)
        pdf.drawString(25 * mm, y, text)
        y -= gap * mm

    line(str(cfg["COMPANY_NAME"]), 13)
    line(str(cfg["COMPANY_ADDRESS"]), 9, 14)
    line(f"{customer.name} ({customer.code})")
    line(today.isoformat(), 11, 14)
    if customer.language == "en":
        line("Formal payment reminder", 15, 12)
        body = [
            f"Invoice {invoice.number} dated {invoice.issue_date.isoformat()} was due on "
            f"{invoice.due_date.isoformat()}.",
            f"{invoice.open_amount} {invoice.currency} is still unpaid, "
            f"{days} days after the due date.",
            "Please pay within 7 days. If you have paid already, please send us the bank receipt.",
            "Should the amount remain unpaid, we will pass the matter to our legal department.",
        ]
    else:
        line("催款函", 15, 12)
        body = [
            f"贵司发票 {invoice.number}（开票日期 {invoice.issue_date.isoformat()}）"
            f"已于 {invoice.due_date.isoformat()} 到期。",
            f"截至今日仍有 {invoice.open_amount} {invoice.currency} 未付，已逾期 {days} 天。",
            "请于七日内付款；如已付款，请将银行回单发送给我们。",
            "逾期仍未付款的，我司将移交法务部门处理。",
        ]
    for text in body:
        line(text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def create_letter(session: Session, task: FollowUp, invoice: Invoice, *, today: dt.date) -> Path:
    """Render, store and email the letter of ``task``; note it on the task."""
    data = render_letter(invoice, today=today)
    path = letter_path(task.id)
    path.write_bytes(data)
    note = f"Letter generated ({path.name})."
    customer = invoice.customer
    if customer.email:
        send_email(
            customer.email,
            f"Payment reminder {invoice.number}",
            f"Please find our reminder for invoice {invoice.number} attached.",
            language=customer.language,
            attachments=[(f"reminder-{invoice.number}.pdf", data, "application/pdf")],
        )
        note += f" Emailed to {customer.email}; post the signed copy."
    session.add(FollowUpComment(followup_id=task.id, body=note))
    session.flush()
    return path
