"""English advices of banks the parser was not written against (see ``receipts_banks``).

``en_remittance``   Standard Chartered/DBS/Citi inward (outward) remittance advices: Remitter
                    Name, Beneficiary's Name, Beneficiary's A/C No., Amount Credited (Debited),
                    Advice Date, Details of Payment
``en_account``      HSBC-style credit and debit advices for one account: Account Name and
                    Account Number are ours, the other side is the Ordering Party (Beneficiary)
``en_hsbc_advice``  HSBC's e-Payment Advice: label and value columns without colons, Advice
                    sending date beside the Value date, Remitter's name (no remitter account),
                    Beneficiary's account, Debit amount and Remittance amount, Customer
                    reference beside the Remitter to beneficiary information
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .receipts_alt import EN_FONT, OWN_ACCOUNT, OWN_NAME_EN, Case, _parties, _Sheet

# --------------------------------------------------------------------------------------------
# English remittance advices


def _draw_en_remittance(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    f = EN_FONT
    sheet.text(60, 40, ("Standard Chartered Bank", "DBS Bank Ltd")[style % 2], 14, f)
    title = "INWARD REMITTANCE - CREDIT ADVICE" if case.incoming else "OUTWARD REMITTANCE - DEBIT"
    sheet.text(60, 62, title + ("" if case.incoming else " ADVICE"), 12, f)
    payer, payee = _parties(case, english=True)
    moved = "Amount Credited" if case.incoming else "Amount Debited"
    rows = (
        ("Advice Date", f"{case.date:%d %b %Y}"),
        ("Our Ref", case.bank_ref),
        ("Remitter Name", payer[0]),
        ("Remitter A/C No.", payer[1]),
        ("Remitting Bank", payer[2]),
        ("Beneficiary's Name", payee[0]),
        ("Beneficiary's A/C No.", payee[1]),
        (moved, f"USD {case.amount:,.2f}"),
        ("Details of Payment", case.reference),
    )
    for i, (label, value) in enumerate(rows):
        y = 100 + i * 20
        sheet.text(60, y, label, 10, f)
        sheet.text(210, y, ":", 10, f)
        sheet.text(220, y, value, 10, f)
    sheet.text(60, 300, "This is a computer generated advice. No signature is required.", 8, f)
    return sheet.done()


# --------------------------------------------------------------------------------------------
# HSBC-style advices for one account


def _draw_en_account(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    f = EN_FONT
    sheet.text(60, 40, "HSBC Bank (China) Company Limited", 13, f)
    sheet.text(60, 62, "Credit Advice" if case.incoming else "Debit Advice", 14, f)
    other = (case.other_name, case.other_account, case.other_bank)
    if case.incoming:
        theirs = (("Ordering Party", other[0]), ("Ordering Party Account", other[1]))
        theirs += (("Ordering Bank", other[2]),)
    else:
        theirs = (("Beneficiary Name", other[0]), ("Beneficiary Account", other[1]))
    rows = (
        ("Account Name", OWN_NAME_EN),
        ("Account Number", OWN_ACCOUNT),
        ("Value Date", f"{case.date:%d%b%Y}".upper()),
        ("Currency", "USD"),
        ("Amount", f"{case.amount:,.2f}"),
        ("Bank Reference", case.bank_ref),
        *theirs,
        ("Payment Details", case.reference),
    )
    for i, (label, value) in enumerate(rows):
        sheet.box(50, 96 + i * 22, 210, 118 + i * 22)
        sheet.box(210, 96 + i * 22, 545, 118 + i * 22)
        sheet.text(56, 102 + i * 22, label, 9.5, f)
        sheet.text(216, 102 + i * 22, value, 9.5, f)
    return sheet.done()


# --------------------------------------------------------------------------------------------
# HSBC e-Payment Advice


def _draw_en_hsbc_advice(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    f = EN_FONT
    sheet.text(60, 36, "HSBC", 16, f)
    sheet.text(60, 60, "Payment Advice", 13, f)
    payer, payee = _parties(case, english=True)
    sent = case.date + dt.timedelta(days=style % 2)  # sent on the value date or the day after
    amount = f"USD{case.amount:,.2f}"
    rows = (
        ("Advice sending date", f"{sent:%d %b %Y}"),
        ("Advice reference no", f"A{case.bank_ref[::-1]}"),
        ("Recipient's name and contact information", f"{payee[0]} ar@example.com"),
        ("Transaction type", "Priority Payment"),
        ("Sub payment type", "Telegraphic Transfer"),
        ("Beneficiary's name", payee[0]),
        ("Beneficiary's bank", payee[2]),
        ("Beneficiary's account", payee[1]),
        ("Customer reference", f"PO{case.date:%m%d}"),
        ("Debit amount", amount),
        ("Remittance amount", amount),
        ("Handling fee", "Collect from Remitter"),
        ("Value date", f"{case.date:%d %b %Y}"),
        ("Remitter's name", payer[0]),
        ("Remitting bank", payer[2]),
        ("Instruction reference", case.bank_ref),
        ("Other reference", "NONREF"),
        ("Remitter to beneficiary information", case.reference),
    )
    for i, (label, value) in enumerate(rows):
        y = 92 + i * 19
        sheet.text(60, y, label, 8.5, f)
        sheet.text(270, y, value, 8.5, f)
    sheet.text(60, 92 + len(rows) * 19 + 12, "Important notes: this is an electronic advice.", 7, f)
    return sheet.done()


DRAW_EN: dict[str, Callable[[Case, int], bytes]] = {
    "en_remittance": _draw_en_remittance,
    "en_account": _draw_en_account,
    "en_hsbc_advice": _draw_en_hsbc_advice,
}
