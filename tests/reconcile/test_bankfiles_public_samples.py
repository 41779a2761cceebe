"""Bank files from other open-source projects' test suites, with the values those projects assert.

Each file is the source project's test file byte for byte (its licence allows it), named after
the project:

- ``ofx_actual_html_vals.qfx``: actualbudget/actual,
  ``packages/loot-core/src/mocks/files/html-vals.qfx`` (MIT). A Canadian bank's QFX whose texts
  are escaped twice (``TPAY &amp;lt;DEFTPYMT&amp;gt;``) and whose pre-authorised debits carry a
  NAME of zeros; Actual's test "handles html escaped plaintext" reads them as the bank's words.
- ``camt053_actual_v04_batch_returns.xml``: actualbudget/actual,
  ``packages/loot-core/src/mocks/files/camt/camt.053.xml`` (MIT), a German cooperative bank's
  camt.053.001.04 (VR-Bank Rottal-Inn test accounts): a returned direct debit whose text the bank
  cut at Ustrd's 140 characters in the middle of its EREF, a batch of two direct debits with
  their amounts only in AmtDtls/TxAmt, a Swiss QR reference, a card payment named only in
  AddtlNtryInf. Actual asserts a snapshot only; the values here are the file's.
- ``camt053_sns_interest_own_transfer.xml``: newinnovations/camt053, ``doc/example-camt053-a.xml``
  (MIT), SNS Bank's camt.053.001.02 for two accounts of one owner: monthly credit interest
  booked under ``ACMT-MCOP-INTR`` ("Creditrente"), fees, and 500.00 moved between the two.
- ``bai2_venturehacks_daily.bai2``, ``bai2_venturehacks_svb_eod.bai2`` and
  ``bai2_venturehacks_svb_eod_slash.bai2``: venturehacks/bai2 (AngelList's gem, MIT),
  ``test/data/daily.bai2``, ``eod.bai2`` and ``eod_with_slash_in_text.bai2``, Silicon Valley
  Bank's files: a detail closed by ``,/`` whose text is the next 88, and an incoming Fedwire
  whose fields come one per 88 as ``ORG:=...``, ``BNF NAME:=...``, ``OBI:=...``. The gem asserts
  the type codes (174 Other Deposit, 195 Incoming Money Transfer, both credits).

``bai2_us_ach_company_text.bai`` is ours: no public test suite holds a US bank's BAI2 with ACH
texts, so it is written after the layouts Chase (``ORIG CO NAME:... IND NAME:...``) and Bank of
America (``SEATTLE CITY LIGHT DES:... ID:... INDN:...``, ``WIRE TYPE:WIRE IN ... ORIG:...``)
print, which other projects' importers parse from those banks' exports.
``ofx_us_ach_orig_co_name.qfx`` is ours too, in the shape of a Chase QFX quoted in a public
project (BANKID 322271627, ``<NAME>ORIG CO NAME:QUILL CORPORATIO`` cut at NAME's 32 characters,
``<MEMO>ORIG ID:3629529041 DESC DATE:112``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.model import ParseResult, ParseSettings

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(name: str) -> ParseResult:
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    assert result.error is None, result.error
    return result


def test_texts_escaped_twice_by_the_bank_are_read_as_written() -> None:
    result = _parse("ofx_actual_html_vals.qfx")
    hydro, rent = result.transactions
    assert (rent.booking_date, rent.amount, rent.direction, rent.currency) == (
        dt.date(2023, 3, 1),
        Decimal("1.00"),
        "debit",
        "CAD",
    )
    assert rent.payee_name == "TPAY <DEFTPYMT>"
    assert rent.reference == (
        "PREAUTHORIZED DEBIT;LUXMORE REALTY PPTY MGMT;Electronic Funds Transfer"
    )
    # a single escape is read once: "&amp;" is "&", not a second entity
    assert hydro.reference == (
        "PREAUTHORIZED DEBIT;B.C. HYDRO & POWER AUTHORITY;Electronic Funds Transfer"
    )
    assert hydro.bank_ref == "23129130032333396279270000"


def test_a_name_of_zeros_is_no_name() -> None:
    hydro, _ = _parse("ofx_actual_html_vals.qfx").transactions
    assert hydro.payee_name is None
    assert hydro.raw["name"] == "000000000000000"
    (info,) = _parse("ofx_actual_html_vals.qfx").statements
    assert (info.account, info.closing_balance) == ("00000 00-00000", Decimal("1111.11"))


def _actual_camt() -> ParseResult:
    result = _parse("camt053_actual_v04_batch_returns.xml")
    assert result.format == "camt"
    return result


def test_a_remittance_text_cut_at_140_characters_is_joined_again() -> None:
    returned = _actual_camt().transactions[3]
    assert (returned.booking_date, returned.value_date, returned.amount) == (
        dt.date(2014, 1, 7),
        dt.date(2014, 1, 5),
        Decimal("1.20"),
    )
    # the first Ustrd holds exactly 140 characters and ends in the middle of the EREF
    assert "EREF: STZV-EtE27122013-11:05-2 CRED: DE79ZZZ00000000584" in returned.reference
    assert returned.reference.startswith("Retoure SEPA Lastschrift vom 03.01.2014")
    assert returned.raw["end_to_end_id"] == "STZV-EtE27122013-11:05-2"


def test_a_credit_with_return_information_is_no_customer_payment() -> None:
    txs = _actual_camt().transactions
    returned = txs[3]
    assert returned.direction == "credit" and returned.raw["return_reason"] == "MD06"
    assert returned.category == "refund"
    # the ordinary credits and debits of the same file stay customer payments
    assert [t.category for t in txs] == ["", "", "", "refund", "", "", ""]


def test_a_batch_with_amounts_only_in_amount_details_is_split() -> None:
    txs = _actual_camt().transactions
    first, second = txs[5], txs[6]
    assert [(t.amount, t.direction, t.bank_ref) for t in (first, second)] == [
        (Decimal("2.25"), "credit", "2014010303263400000/1"),
        (Decimal("1.20"), "credit", "2014010303263400000/2"),
    ]
    assert (first.payer_name, first.payer_account) == (
        "Testkonto Nummer 2",
        "DE58740618130100033626",
    )
    assert first.reference == "Lastschrift 2. Zahlung TAN:747216"
    assert second.reference == "Lastschrift 1. Zahlung TAN:747216"
    assert second.raw["mandate_id"] == "Mandat20131227"


def test_the_rest_of_the_actual_camt_file() -> None:
    result = _actual_camt()
    txs = result.transactions
    assert [(t.amount, t.direction) for t in txs] == [
        (Decimal("0.60"), "credit"),
        (Decimal("0.50"), "credit"),
        (Decimal("89.85"), "debit"),
        (Decimal("1.20"), "credit"),
        (Decimal("80"), "debit"),
        (Decimal("2.25"), "credit"),
        (Decimal("1.20"), "credit"),
    ]
    card, rega = txs[2], txs[4]
    assert (card.booking_date, card.value_date, card.reference) == (
        dt.date(2024, 3, 12),
        dt.date(2024, 3, 11),
        "Supermarkt A",
    )
    assert (rega.payee_name, rega.payee_account, rega.reference) == (
        "Rega",
        "CH803000000",
        "002462",
    )
    assert txs[0].reference.startswith("Sammler aus Testknto 2 Zweite Ueberweisung EREF:")
    (info,) = result.statements
    assert (info.account, info.opening_balance, info.closing_balance) == (
        "DE14740618130000033626",
        Decimal("24.16"),
        Decimal("27.61"),
    )


def test_an_ach_entrys_company_in_a_bai2_text_is_the_other_party() -> None:
    result = _parse("bai2_us_ach_company_text.bai")
    assert result.format == "bai2"
    paid, utility, wire, fedwire = result.transactions
    # Chase's labelled fields, continued on 88 records: the originating company paid us
    assert (paid.direction, paid.amount, paid.payer_name) == (
        "credit",
        Decimal("11050.00"),
        "VERTEX MANUFACTURING",
    )
    assert paid.payee_name is None  # IND NAME is the receiver: us
    assert "RMR*IV*INV-10530**11050.00" in paid.reference
    # Bank of America's name before DES: the biller that debited us
    assert (utility.direction, utility.payee_name, utility.payer_name) == (
        "debit",
        "SEATTLE CITY LIGHT",
        None,
    )
    # a text without the labelled fields names no one
    assert (wire.payer_name, wire.payee_name) == (None, None)
    # Bank of America's Fedwire fields: the originator of an incoming wire paid us
    assert (fedwire.amount, fedwire.payer_name) == (Decimal("3670.50"), "FARO FACTORING LLC")
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("12500.00"),
        Decimal("35120.50"),
    )


def test_interest_the_bank_paid_is_known_by_its_transaction_code() -> None:
    result = _parse("camt053_sns_interest_own_transfer.xml")
    interest = [t for t in result.transactions if t.raw["bank_tx_code"] == "ACMT-MCOP-INTR"]
    assert [(t.booking_date, t.value_date, t.amount, t.category) for t in interest] == [
        (dt.date(2026, 2, 5), dt.date(2026, 2, 1), Decimal("103.98"), "interest"),
        (dt.date(2026, 3, 5), dt.date(2026, 3, 1), Decimal("93.84"), "interest"),
        (dt.date(2026, 4, 5), dt.date(2026, 4, 1), Decimal("103.92"), "interest"),
    ]
    transfer = next(t for t in result.transactions if t.category == "own_transfer")
    assert (transfer.direction, transfer.amount, transfer.payer_name, transfer.payer_account) == (
        "credit",
        Decimal("500.00"),
        "GreatExample BV",
        "NL78SNSB0022446688",
    )
    assert [(i.account, i.opening_balance, i.closing_balance) for i in result.statements] == [
        ("NL14SNSB0012345678", Decimal("203.69"), Decimal("661.69")),
        ("NL78SNSB0022446688", Decimal("1859.13"), Decimal("1660.87")),
    ]
    assert len(result.transactions) == 11


def test_an_ach_entrys_company_in_an_ofx_name_is_the_other_party() -> None:
    paid, utility, cheque, deposit = _parse("ofx_us_ach_orig_co_name.qfx").transactions
    assert (paid.direction, paid.amount, paid.payer_name) == (
        "credit",
        Decimal("11050.00"),
        "VERTEX MANUFACTUR",
    )
    assert paid.reference == "ORIG ID:1234567890 DESC DATE:261"
    assert (utility.direction, utility.payee_name) == ("debit", "NIPSCO ACCOUNTS")
    # names without the ACH fields are left as the bank wrote them; a cheque names no payee
    assert (cheque.payee_name, deposit.payer_name) == (None, "DEPOSIT")
    assert (cheque.raw["checknum"], cheque.reference) == ("4196", "CHECK 4196")


def test_svb_detail_closed_by_a_comma_takes_its_text_from_the_next_record() -> None:
    (tx,) = _parse("bai2_venturehacks_daily.bai2").transactions
    assert (tx.booking_date, tx.amount, tx.direction, tx.currency) == (
        dt.date(2005, 6, 7),
        Decimal("250.01"),
        "credit",
        "USD",
    )
    assert (tx.raw["type_code"], tx.raw["funds_type"], tx.raw["customer_reference"]) == (
        "174",
        "Z",
        "50848",
    )
    # "16,...,50848,/" then "88,SAMPLE CONTINUATION TEXT,/": no stray commas around the text
    assert tx.raw["text"] == "SAMPLE CONTINUATION TEXT"
    assert tx.reference == "50848 SAMPLE CONTINUATION TEXT"


def test_svb_fedwire_fields_name_the_originator() -> None:
    for name in ("bai2_venturehacks_svb_eod.bai2", "bai2_venturehacks_svb_eod_slash.bai2"):
        (wire,) = _parse(name).transactions
        assert (wire.booking_date, wire.amount, wire.direction, wire.raw["type_code"]) == (
            dt.date(2010, 8, 31),
            Decimal("83259.82"),
            "credit",
            "195",
        )
        assert wire.payer_name == "OPTIONS LINK WIRE CLEARING"
        assert wire.payee_name is None  # BNF NAME is us
        assert "OBI:=INVOICE 123456" in wire.reference
