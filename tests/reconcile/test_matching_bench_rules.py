"""One test per matcher bug found by the cases of the matcher's later rules in
``bench/match_bench.py`` (``bench/generators/rule_cases.py``)."""

from __future__ import annotations

from decimal import Decimal

from reconcile.matching import CustomerRecord, InvoiceRecord, MatchDecision, match_transactions
from reconcile.model import Transaction
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
YUANFENG = CustomerRecord("C00101", "无锡远丰物流有限公司", (), ("6222000011112222",), "CNY")
YIGUANG = CustomerRecord("C00102", "东莞益光化工股份有限公司", (), ("3205449015152448",), "CNY")
KANGDA = CustomerRecord("C00103", "上海康达贸易有限公司", (), (), "CNY")
CUSTOMERS = [YUANFENG, YIGUANG, KANGDA]


def _decide(t: Transaction, invoices: list[InvoiceRecord]) -> MatchDecision:
    (d,) = match_transactions([t], CUSTOMERS, invoices)
    return d


def _offered(d: MatchDecision) -> list[dict[str, Decimal]]:
    return [{a.invoice: a.amount for a in s.allocations} for s in d.suggestions]


def test_creditor_reference_in_groups_of_four_names_the_invoice() -> None:
    """ISO 11649 prints a creditor reference in groups of four (``RF87 INV2 0260 5623``): its
    check digits verify, so it names the invoice as the reference written whole does, and an
    overpayment of it is applied like one (the bench's grouped references were offered only)."""
    invoices = [inv("INV-2026-05623", "C00101", "60230.40")]
    for ref in ("RF87INV202605623", "RF87 INV2 0260 5623", "付款参考 RF87 INV2 0260 5623"):
        d = _decide(tx("115642.37", ref, name=YUANFENG.name), invoices)
        assert d.status == "matched", ref
        assert {a.invoice: a.amount for a in d.allocations} == {"INV-2026-05623": D("60230.40")}
        assert d.unapplied == D("55411.97")


def test_verified_creditor_reference_is_no_typo_of_a_neighbouring_invoice() -> None:
    """A verified creditor reference names INV-2026-03076 (10,124.98) and the customer pays
    45,514.67, exactly its INV-2026-03077: the bench saw the reference read as a typo of 03077
    and that invoice applied. Check digits that verify rule the typo out; the payer may have
    quoted the wrong reference or overpaid: both are offered, the named invoice first."""
    invoices = [
        inv("INV-2026-03076", "C00101", "10124.98"),
        inv("INV-2026-03077", "C00101", "45514.67"),
    ]
    for ref in ("RF83INV202603076", "RF83 INV2 0260 3076"):
        d = _decide(tx("45514.67", ref, name=YUANFENG.name), invoices)
        assert d.status == "suggested", ref
        assert _offered(d)[:2] == [
            {"INV-2026-03076": D("10124.98")},
            {"INV-2026-03077": D("45514.67")},
        ]
    # a plain number one digit off is still the typo it looks like
    d = _decide(tx("45514.67", "INV-2026-03076", name=YUANFENG.name), invoices)
    assert d.status == "matched"
    assert [a.invoice for a in d.allocations] == ["INV-2026-03077"]


def test_small_overpayment_while_owing_the_amount_on_another_invoice() -> None:
    """The customer pays 41,562.97 quoting INV-2026-05931 (37,548.96, a tenth less) and owes
    exactly 41,562.97 on INV-2026-06412: the bench saw the named invoice applied because the
    rest was under a fifth. Owing the amount paid to the cent elsewhere makes the quoted
    reference doubtful however small the rest: left to a person."""
    invoices = [
        inv("INV-2026-05931", "C00101", "37548.96"),
        inv("INV-2026-06412", "C00101", "41562.97"),
    ]
    for ref in ("RF16INV202605931", "INV-2026-05931"):
        d = _decide(tx("41562.97", ref, account="6222000011112222"), invoices)
        assert d.status == "suggested", ref
        assert {"INV-2026-05931": D("37548.96")} in _offered(d)
    # owing nothing else of the amount, a tenth more on the named invoice is applied as before
    d = _decide(tx("41562.97", "INV-2026-05931", account="6222000011112222"), invoices[:1])
    assert d.status == "matched" and d.unapplied == D("4014.01")


def test_payer_one_character_off_owing_the_amount_pays_another_customers_invoice() -> None:
    """The payer's name is one character off a customer's (东莞益光华工 for 东莞益光化工), its
    account unknown; it pays KANGDA's named invoice of 10,000.00 while that customer owes
    10,000.00 itself. The bench saw it applied as a third-party payment: only an account or
    an exact name had counted as a known payer. A name this close is that customer as much."""
    invoices = [
        inv("INV-2026-09409", "C00103", "10000.00"),
        inv("INV-2026-09427", "C00102", "10000.00"),
    ]
    t = tx("10000.00", "INV-2026-09409 payment", name="东莞益光华工股份有限公司",
           account="6228770314648452074")  # fmt: skip
    d = _decide(t, invoices)
    assert d.status == "suggested"
    assert _offered(d)[0] == {"INV-2026-09409": D("10000.00")}
    # owing no such amount itself, it is a third party paying as named
    d = _decide(t, invoices[:1])
    assert d.status == "matched" and d.customer == "C00103"
