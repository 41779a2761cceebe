"""A customer's payment taken back (returned direct debit, chargeback, returned transfer or
cheque) shows as a debit: it is flagged as a reversal with a warning for finance.

Real files, each from another project's tests:

- ``oca-bsi__test-camt053.xml`` (the shared corpus; OCA bank-statement-import, AGPL): a
  collection of ours returned unpaid, ``PMNT-IDDT-UPDD`` with ``RtrInf`` AC06, beside a direct
  debit the company paid (``PMNT-RDDT-ESDD``), which is no return.
- ``mt940_jejik_commerzbank.sta`` (jejik/mt940, MIT): Commerzbank's ``NRTI`` entry, GVC 109
  "SEPA-LASTSCHR. RETOURE CORE", the original 11.85 plus 0.50 charges.
- ``moov-bai2__sample4-continuations-newline-delimited.txt`` (the shared corpus; moov-io/bai2,
  Apache-2.0): Goldman Sachs' type 557 "ACH Credit Receipt Return", reason R02; and
  ``moov-bai2__sample1.txt``: a Canadian bank's "RETURNED CHEQUE" beside its service charge.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.matching import match_transactions
from reconcile.model import ParseResult

DATA = Path(__file__).parent / "data" / "bankfiles"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "MANIFEST.json").is_file(), reason=f"bank-file corpus not found at {CORPUS}"
)


def _parse(path: Path, data: bytes | None = None) -> ParseResult:
    (result,) = parse_bytes(path.read_bytes() if data is None else data, path.name)
    assert result.error is None, result.error
    return result


def _returned(result: ParseResult) -> list[tuple[Decimal, str | None, str]]:
    return [
        (t.amount, t.counterparty_name, t.raw["returned_payment"])
        for t in result.transactions
        if t.direction == "debit" and t.reversal and t.category == "reversal"
    ]


def _codes(warnings: list[str]) -> list[str]:
    return [getattr(w, "code", "") for w in warnings]


@needs_corpus
def test_a_camt_collection_returned_unpaid_is_flagged_a_paid_direct_debit_is_not() -> None:
    result = _parse(CORPUS / "camt053" / "oca-bsi__test-camt053.xml")
    assert _returned(result) == [
        (Decimal("564.05"), "Test Customer", "PMNT-IDDT-UPDD AC06"),
        (Decimal("100.00"), "Test Customer", "PMNT-IDDT-UPDD AC06"),
    ]
    paid = next(t for t in result.transactions if t.raw["bank_tx_code"] == "PMNT-RDDT-ESDD")
    assert (paid.direction, paid.reversal, paid.category) == ("debit", False, "")
    # OCA's fixture lists three of the statement's entries: its balances do not add up
    assert _codes(result.warnings) == ["balance_mismatch", "payment_returned", "payment_returned"]
    first = result.warnings[1]
    # the warning names its entry; the file is named once, by whoever prints it
    assert str(first).startswith("entry 1.2.1: 564.05 EUR")
    assert str(first).endswith(
        "564.05 EUR returned to Test Customer (PMNT-IDDT-UPDD AC06): a customer's payment taken "
        "back (returned direct debit, chargeback, returned transfer or cheque); the invoice it "
        "paid may be owed again"
    )
    returned = result.transactions[1]
    assert _codes(returned.warnings) == ["payment_returned"]


def test_a_german_returned_direct_debit_is_flagged_by_its_business_code() -> None:
    result = _parse(DATA / "mt940_jejik_commerzbank.sta")
    assert _returned(result) == [(Decimal("12.35"), "TESTER EL", "GVC 109")]


def test_the_posting_text_flags_a_return_the_bank_gave_no_code_but_not_its_fee() -> None:
    """Sparkasse layout (``mt940_gvc_sparkasse.sta``) with the business code of an ordinary
    SEPA debit and the posting text of a returned one; its fee is booked on its own line."""
    data = (
        b":20:STARTUMSE\n:25:37050198/1234567890\n:28C:00013/001\n:60F:C261104EUR13595,67\n"
        b":61:2611051105DR250,00NMSCNONREF\n"
        b":86:105?00RUECKLASTSCHRIFT?20EREF+RE-2026-0417?21SVWZ+Rechnung RE-2026-0417"
        b"?32Muster Bau GmbH?31DE02700202700123456789\n"
        b":61:2611051105DR3,00NCHGNONREF\n"
        b":86:805?00ENTGELT RUECKLASTSCHRIFT?20RE-2026-0417\n"
        b":62F:C261105EUR13342,67\n-\n"
    )
    result = _parse(DATA / "sparkasse.sta", data)
    assert _returned(result) == [(Decimal("250.00"), "Muster Bau GmbH", "RUECKLASTSCHRIFT")]
    # the place is coded like the readers' own (the portal says "第 … 条" in Chinese)
    (notice,) = result.warnings
    assert notice.to_json()["location"]["code"] == "at_statement_entry"
    fee = result.transactions[1]
    assert (fee.amount, fee.reversal, fee.category) == (Decimal("3.00"), False, "")


@needs_corpus
def test_bai2_ach_return_items_and_returned_cheques_are_flagged() -> None:
    sample4 = _parse(CORPUS / "bai2" / "moov-bai2__sample4-continuations-newline-delimited.txt")
    assert [(a, m) for a, _, m in _returned(sample4)] == [(Decimal("2000.00"), "BAI2 557")]
    sample1 = _parse(CORPUS / "bai2" / "moov-bai2__sample1.txt")
    assert [(a, m) for a, _, m in _returned(sample1)] == [(Decimal("25.00"), "RETURNED CHEQUE")]
    charge = next(t for t in sample1.transactions if "SERVICE CHRG" in t.reference)
    assert not charge.reversal


def test_a_chinese_remittance_returned_is_flagged_on_the_debit_side() -> None:
    """ICBC's 明细查询 download (``cn_deg_icbc_debit.csv``'s layout): a remittance received
    and sent back two days later, its 摘要 退汇; the credit itself is a customer's payment."""
    text = (
        "明细查询文件下载\n\n卡号: 1234****9876\n\n"
        "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),"
        "交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名\n"
        "2026-11-05,退汇,,CHN,钞,-,-,-,,8800.00,人民币,1200.00,宁波泰丰纺织有限公司\n"
        "2026-11-03,汇入汇款,,CHN,钞,-,-,-,8800.00,,人民币,10000.00,宁波泰丰纺织有限公司\n"
    )
    result = _parse(DATA / "icbc.csv", text.encode("gb18030"))
    assert _returned(result) == [(Decimal("8800.00"), "宁波泰丰纺织有限公司", "退汇")]
    credit = result.transactions[1]
    assert (credit.direction, credit.category) == ("credit", "")


def test_the_matcher_says_the_debit_takes_a_customers_payment_back() -> None:
    (tx,) = _parse(DATA / "mt940_jejik_commerzbank.sta").transactions
    (decision,) = match_transactions([tx], [], [])
    assert decision.status == "ignored"
    assert [(p.code, p.params) for r in decision.reasons for p in r.parts] == [
        ("returned_payment", (("mark", "GVC 109"),))
    ]
    assert decision.reasons[0].text == (
        "a customer's payment taken back (GVC 109): the invoice it paid may be owed again"
    )
