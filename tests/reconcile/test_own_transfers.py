"""Money moved between two of our own accounts inside one file is no customer paying.

The file is SNS Bank's camt.053.001.02 for two accounts of one owner (newinnovations/camt053,
``doc/example-camt053-a.xml``, MIT; see ``test_bankfiles_public_samples``): 500.00 leaves
NL78SNSB0022446688 ("Opname") and arrives on NL14SNSB0012345678 from "GreatExample BV", each
leg naming the other account. The owner's company is not configured in these tests: the
accounts the file itself reports on are ours.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.matching import CustomerRecord, match_transactions
from reconcile.model import ParseSettings, Transaction
from tests.reconcile.test_matching_cases import inv

DATA = Path(__file__).parent / "data" / "bankfiles"
SNS = "camt053_sns_interest_own_transfer.xml"
# the owner's company name, as a customer might also be called in the ERP
GREAT = CustomerRecord("C9", "GreatExample BV", (), (), "EUR")


def _parse(data: bytes) -> list[Transaction]:
    (result,) = parse_bytes(data, SNS, ParseSettings())
    assert result.error is None, result.error
    return result.transactions


def _legs(transactions: list[Transaction]) -> list[tuple[str, str, Decimal, str]]:
    return [
        (t.direction, t.our_account, t.amount, t.raw.get("own_transfer_leg", ""))
        for t in transactions
        if t.category == "own_transfer"
    ]


def test_both_legs_of_a_transfer_between_the_files_accounts_are_own_transfers() -> None:
    legs = _legs(_parse((DATA / SNS).read_bytes()))
    assert legs == [
        ("credit", "NL14SNSB0012345678", Decimal("500.00"), f"{SNS}#entry=2.1"),
        ("debit", "NL78SNSB0022446688", Decimal("500.00"), f"{SNS}#entry=1.3"),
    ]


def test_a_leg_whose_other_party_the_bank_left_blank_is_paired_with_the_leg_naming_it() -> None:
    # the debit leg without its creditor account (banks often print only a name on a book
    # transfer): the credit leg names the debited account, same amount and day
    data = (DATA / SNS).read_bytes()
    blank = re.sub(
        rb"<CdtrAcct>\s*<Id>\s*<IBAN>NL14SNSB0012345678</IBAN>\s*</Id>\s*</CdtrAcct>", b"", data
    )
    assert blank != data
    transactions = _parse(blank)
    assert [(d, a) for d, a, _, _ in _legs(transactions)] == [
        ("credit", "NL14SNSB0012345678"),
        ("debit", "NL78SNSB0022446688"),
    ]
    # a debit of another amount or another day on that account is left alone
    fees = [t for t in transactions if t.direction == "debit" and t.amount != Decimal("500.00")]
    assert fees and not any(t.category for t in fees)


def test_the_matcher_ignores_the_transfer_even_when_an_invoice_fits_it() -> None:
    # the owner's name is also a customer's, with an open invoice of exactly 500.00
    invoices = [inv("INV-500", "C9", "500.00", issued=dt.date(2026, 1, 2), currency="EUR")]
    credit = next(t for t in _parse((DATA / SNS).read_bytes()) if t.amount == Decimal("500.00"))
    assert credit.direction == "credit"
    (decision,) = match_transactions([credit], [GREAT], invoices)
    assert decision.status == "ignored"
    assert [(r.criterion, r.parts[0].code) for r in decision.reasons] == [
        ("own_account", "own_account")
    ]


def test_a_transfer_to_an_account_outside_the_file_is_no_own_transfer() -> None:
    # only the credit leg's statement: NL78... is then just the payer's account
    data = (DATA / SNS).read_bytes()
    first = (
        data[: data.index(b"<Stmt>", data.index(b"<Stmt>") + 1)]
        + data[data.rindex(b"</Stmt>") + len(b"</Stmt>") :]
    )
    transactions = _parse(first)
    assert {t.our_account for t in transactions} == {"NL14SNSB0012345678"}
    assert _legs(transactions) == []
    settings = ParseSettings(own_accounts=("NL78 SNSB 0022 4466 88",))
    (result,) = parse_bytes(first, SNS, settings)
    assert [t.amount for t in result.transactions if t.category == "own_transfer"] == [
        Decimal("500.00")
    ]


def test_a_bai2_book_transfer_credit_is_a_customer_payment_a_zba_credit_ours() -> None:
    """BAI2 206 "Book Transfer Credit" is any payment between two accounts of one bank (a
    customer banking there too); 275 "ZBA Credit" is the bank sweeping our own accounts.
    Records as in moov-io/bai2's ``sample1.txt`` (see the corpus)."""
    data = (
        b"01,0004,12345,060321,0829,001,80,1,2/\n"
        b"02,12345,0004,1,060317,,CAD,/\n"
        b"03,10200123456,CAD,040,+000000000000,,,045,+000000000000,,/\n"
        b"16,206,500000,Z,BT0417,,INV-2026-0417/\n"
        b"16,275,120000,Z,ZBA0001,,/\n"
        b"49,+000000620000,4/\n"
        b"98,+000000620000,1,6/\n"
        b"99,+000000620000,1,8/\n"
    )
    (result,) = parse_bytes(data, "cad.bai", ParseSettings())
    assert result.error is None, result.error
    assert [(t.raw.get("type_code"), t.category) for t in result.transactions] == [
        ("206", ""),
        ("275", "own_transfer"),
    ]
