"""The BAI2 type-code table: what a code means and which way the money moves.

The BAI Cash Management Balance Reporting Specification (version 2) splits its three-digit
type codes into ranges: ``001``-``099`` account status (balances, float), ``100``-``399``
credit activity, ``400``-``699`` debit activity, ``700``-``799`` loan detail, ``890``
non-monetary information, ``900``-``999`` codes each bank defines for itself. Within the credit
and debit ranges a code is either a summary ("Total ...", reported on ``03`` records) or a
detail (reported on ``16`` records); some banks also send summary codes on ``16``. The names
below are the specification's for the codes seen most in practice; every code of the credit and
debit ranges is read by its range whether it is named here or not.
"""

from __future__ import annotations

from typing import Literal

CodeKind = Literal["status", "credit", "debit", "loan", "non_monetary", "custom", "invalid"]

NAMES: dict[str, str] = {
    "010": "Opening Ledger", "011": "Average Opening Ledger MTD",
    "012": "Average Opening Ledger YTD",
    "015": "Closing Ledger", "020": "Average Closing Ledger MTD",
    "025": "Average Closing Ledger YTD",
    "030": "Current Ledger", "040": "Opening Available", "045": "Closing Available",
    "050": "Average Closing Available MTD", "055": "Average Closing Available YTD",
    "057": "Investment Sweep Balance", "060": "Current Available", "072": "One-Day Float",
    "073": "Two-Day Float", "074": "Three or More Days Float", "100": "Total Credits",
    "101": "Total Credit Amount MTD",
    "105": "Credits Not Detailed",
    "106": "Deposits Subject to Float", "108": "Credit (Any Type)", "110": "Total Lockbox Deposits",
    "115": "Lockbox Deposit", "116": "Item in Lockbox Deposit",
    "130": "Total Concentration Credits",
    "140": "Total ACH Credits", "142": "ACH Credit Received", "143": "Item in ACH Deposit",
    "145": "ACH Concentration Credit", "165": "Preauthorized ACH Credit", "166": "ACH Settlement",
    "169": "Miscellaneous ACH Credit", "170": "Total Other Check Deposits",
    "172": "Deposit Correction", "174": "Other Deposit", "175": "Check Deposit Package",
    "190": "Total Incoming Money Transfers", "191": "Individual Incoming Internal Money Transfer",
    "195": "Incoming Money Transfer", "196": "Money Transfer Adjustment",
    "201": "Individual Automatic Transfer Credit", "206": "Book Transfer Credit",
    "208": "Individual International Money Transfer Credit", "252": "Debit Reversal",
    "254": "Posting Error Correction Credit", "257": "Individual ACH Return Item",
    "258": "ACH Reversal Credit", "275": "ZBA Credit", "277": "ZBA Credit Transfer",
    "295": "ATM Credit", "301": "Commercial Deposit", "306": "Fed Funds Sold",
    "346": "Sweep Interest Income", "354": "Interest Credit", "355": "Investment Interest",
    "356": "Credit Adjustment", "357": "Credit Adjustment", "359": "Interest Adjustment Credit",
    "395": "Check Reversal", "398": "Miscellaneous Fee Refund", "399": "Miscellaneous Credit",
    "400": "Total Debits", "401": "Total Debit Amount MTD", "406": "Debits not Detailed",
    "409": "Debit (Any Type)", "450": "Total ACH Debits", "451": "ACH Debit Received",
    "455": "Preauthorized ACH Debit", "466": "ACH Settlement", "469": "Miscellaneous ACH Debit",
    "470": "Total Check Paid", "475": "Check Paid", "481": "Individual Loan Payment",
    "490": "Total Outgoing Money Transfers", "491": "Individual Outgoing Internal Money Transfer",
    "495": "Outgoing Money Transfer", "496": "Money Transfer Adjustment",
    "501": "Individual Automatic Transfer Debit", "506": "Book Transfer Debit",
    "508": "Individual International Money Transfer Debit", "552": "Credit Reversal",
    "554": "Posting Error Correction Debit", "555": "Deposited Item Returned",
    "557": "Individual ACH Return Item", "558": "ACH Reversal Debit", "563": "Overdraft Fee",
    "575": "ZBA Debit", "577": "ZBA Debit Transfer", "595": "ATM Debit",
    "654": "Interest Debit", "661": "Account Analysis Fee", "694": "Deposit Reversal",
    "695": "Deposit Correction Debit", "698": "Miscellaneous Fees", "699": "Miscellaneous Debit",
    "701": "Principal Loan Balance", "720": "Total Loan Payment", "760": "Loan Disbursement",
    "890": "Contains Non-monetary Information",
}  # fmt: skip

# interest, refunds and reversals: credits that are not a customer paying an invoice
INTEREST_CODES = frozenset({"346", "354", "355", "359"})
REVERSAL_CODES = frozenset({"252", "254", "258", "395", "552", "554", "558", "694"})
REFUND_CODES = frozenset({"398"})
OWN_TRANSFER_CODES = frozenset({"201", "206", "275", "277", "501", "506", "575", "577"})


def kind(code: str) -> CodeKind:
    """Return the range ``code`` falls in (``invalid`` for anything but three digits)."""
    if len(code) != 3 or not code.isdigit():
        return "invalid"
    value = int(code)
    if value < 100:
        return "status"
    if value < 400:
        return "credit"
    if value < 700:
        return "debit"
    if value < 800:
        return "loan"
    if value == 890:
        return "non_monetary"
    if value >= 900:
        return "custom"
    return "invalid"


def name(code: str) -> str | None:
    """Return the specification's name of ``code`` when this table has it."""
    return NAMES.get(code)


def category(code: str) -> str:
    """Return what a credit or debit of ``code`` is when it is no customer payment, else ``""``.

    ``interest``, ``reversal``, ``refund`` or ``own_transfer`` (see :data:`CATEGORIES` in
    :mod:`reconcile.model`).
    """
    if code in INTEREST_CODES:
        return "interest"
    if code in REVERSAL_CODES:
        return "reversal"
    if code in REFUND_CODES:
        return "refund"
    if code in OWN_TRANSFER_CODES:
        return "own_transfer"
    return ""
