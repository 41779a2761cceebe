"""What a careful person would look at, found by the matching bench on seeds 11, 23 and 31: a
payer whose name resembles several customers, one of them owing the amount, paying a third's
named invoice; a text that says it pays part of the invoice it names; two invoices a bank
charge away; a round invoice overpaid by a payer whose name is one character off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.classify import says_partial
from reconcile.matching import CustomerRecord, InvoiceRecord, MatchDecision, match_transactions
from reconcile.model import Transaction
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
RUIKAI = CustomerRecord("C01727", "武汉瑞凯五金有限公司", (), ("121011538808380802",), "CNY")
KAICHANG = CustomerRecord("C02875", "武汉凯昌五金股份有限公司", (), (), "CNY")
CHENGLI = CustomerRecord("C01695", "武汉诚力新材料有限公司", (), (), "CNY")
NORTHWIND = CustomerRecord("C00501", "Northwind Trading GmbH", (), (), "EUR")
NORTHWOOD = CustomerRecord("C00502", "Northwood Trading GmbH", (), (), "EUR")
CONTOSO = CustomerRecord("C00503", "Contoso Metals Ltd", (), (), "EUR")
CUSTOMERS = [RUIKAI, KAICHANG, CHENGLI, NORTHWIND, NORTHWOOD, CONTOSO]


def _decide(t: Transaction, invoices: list[InvoiceRecord]) -> MatchDecision:
    (d,) = match_transactions([t], CUSTOMERS, invoices)
    return d


def _offered(d: MatchDecision) -> list[tuple[str | None, dict[str, Decimal]]]:
    return [(s.customer, {a.invoice: a.amount for a in s.allocations}) for s in d.suggestions]


# --------------------------------------------------------------------------- owing it itself

WUHAN = [
    inv("INV-2026-08705", "C01695", "15000.00"),
    inv("INV-2026-08702", "C01695", "50000.00"),
    inv("INV-2026-08836", "C01727", "15000.00"),
    inv("INV-2026-09000", "C02875", "3300.00"),
]
NORTH = [
    inv("INV-2026-07001", "C00503", "8000.00", currency="EUR"),
    inv("INV-2026-07002", "C00501", "8000.00", currency="EUR"),
    inv("INV-2026-07003", "C00502", "120.00", currency="EUR"),
]


@pytest.mark.parametrize(
    ("t", "invoices", "named", "rival"),
    [
        (
            # 锐 for 瑞: one character off 武汉瑞凯五金, and much like 武汉凯昌五金 too
            tx(
                "15000.00",
                "汇入汇款 支付INV-2026-08705货款",
                name="武汉锐凯五金有限公司",
                account="3100023388001480",
            ),
            WUHAN,
            ("C01695", "INV-2026-08705"),
            ("C01727", "INV-2026-08836"),
        ),
        (
            tx("8000.00", "Payment INV-2026-07001", name="NORTHWIND TRADNG GMBH", currency="EUR"),
            NORTH,
            ("C00503", "INV-2026-07001"),
            ("C00501", "INV-2026-07002"),
        ),
    ],
)
def test_a_payer_resembling_several_customers_one_owing_the_amount_is_left_to_a_person(
    t: Transaction,
    invoices: list[InvoiceRecord],
    named: tuple[str, str],
    rival: tuple[str, str],
) -> None:
    """The payer's name resembles two customers, one of which owes exactly the amount paid,
    and the text names a third customer's invoice of that amount. Before, the named invoice
    was applied: owing the amount itself counted only when the name resembled one customer."""
    d = _decide(t, invoices)
    assert d.status == "suggested", [r.text for r in d.reasons]
    assert d.reasons[-1].parts[0].code == "payer_own_fits"
    offered = _offered(d)
    assert offered[0] == (named[0], {named[1]: t.amount})
    assert (rival[0], {rival[1]: t.amount}) in offered


def test_a_payer_resembling_several_customers_none_owing_the_amount_pays_the_named_invoice() -> (
    None
):
    """Neither customer the name resembles owes the amount: a third party paying as named."""
    t = tx("15000.00", "汇入汇款 支付INV-2026-08705货款", name="武汉锐凯五金有限公司")
    d = _decide(t, [i for i in WUHAN if i.number != "INV-2026-08836"])
    assert d.status == "matched" and d.customer == "C01695"
    assert [a.invoice for a in d.allocations] == ["INV-2026-08705"]


# --------------------------------------------------------------------------- says partial

HECHANG = CustomerRecord(
    "C00334", "上海和昌实业股份有限公司", ("Shanghai Hechang Industrial Co., Ltd.",), (), "CNY"
)
HECHANG_OPEN = [
    inv("INV-2026-01770", "C00334", "15000.00"),
    inv("INV-2026-01773", "C00334", "50000.00"),
    inv("INV-2026-01774", "C00334", "1049863.72"),
]


@pytest.mark.parametrize(
    ("reference", "payer"),
    [
        ("INV-2026-01773 payment 部分付款", "SHANGHAI HECHANG INDUSTRIAL CO LTD"),
        ("支付INV-2026-01773部分款", "上海和昌实业股份有限公司"),
        ("汇入汇款 INV-2026-01773 部分货款", "上海和昌实业股份有限公司"),
        ("Partial payment INV-2026-01773", "SHANGHAI HECHANG INDUSTRIAL CO LTD"),
        ("part payment of invoice INV-2026-01773", "SHANGHAI HECHANG INDUSTRIAL CO LTD"),
        ("Teilzahlung Rechnung INV-2026-01773", "SHANGHAI HECHANG INDUSTRIAL CO LTD"),
        ("Acompte sur facture INV-2026-01773", "SHANGHAI HECHANG INDUSTRIAL CO LTD"),
    ],
)
def test_a_text_saying_it_pays_part_of_the_named_invoice_offers_that_part_first(
    reference: str, payer: str
) -> None:
    """INV-2026-01770, one digit off the invoice named, is open for exactly 15,000.00. Before,
    that exact amount on the neighbouring number came first although the text names
    INV-2026-01773 and says it pays part of it; now the part comes first, the neighbour
    still offered, nothing applied."""
    customers = [*CUSTOMERS, HECHANG]
    (d,) = match_transactions([tx("15000.00", reference, name=payer)], customers, HECHANG_OPEN)
    assert d.status == "suggested", [r.text for r in d.reasons]
    offered = _offered(d)
    assert offered[0] == ("C00334", {"INV-2026-01773": D("15000.00")})
    assert ("C00334", {"INV-2026-01770": D("15000.00")}) in offered


def test_without_saying_partial_the_exact_amount_one_digit_off_still_comes_first() -> None:
    """A round amount on the number as written may be a typo of the neighbour's: as before."""
    customers = [*CUSTOMERS, HECHANG]
    t = tx("15000.00", "INV-2026-01773 payment", name="上海和昌实业股份有限公司")
    (d,) = match_transactions([t], customers, HECHANG_OPEN)
    assert d.status == "suggested"
    assert _offered(d)[0] == ("C00334", {"INV-2026-01770": D("15000.00")})


@pytest.mark.parametrize(
    ("text", "partial"),
    [
        ("INV-2026-01773 payment 部分付款", True),
        ("支付INV-2026-01773部分款", True),
        ("汇入汇款 部分货款", True),
        ("Partial payment INV-2026-01773", True),
        ("PART-PAYMENT INV 1773", True),
        ("Teilzahlung Rechnung 1773", True),
        ("acompte facture 1773", True),
        ("部分退款", False),  # a refund of part: no payment of an invoice
        ("apartment rent INV-2026-01773", False),
        ("participation fee", False),
        ("INV-2026-01773 payment", False),
    ],
)
def test_says_partial(text: str, partial: bool) -> None:
    assert says_partial(text) is partial


# --------------------------------------------------------------------------- bank charges

RUICHUANG = CustomerRecord("C00797", "厦门瑞创化工有限公司", (), ("3205395287875015",), "CNY")
HAITAI = CustomerRecord("C02561", "杭州海泰化工有限责任公司", (), ("1210324673519140",), "CNY")
FABRIKAM = CustomerRecord("C00900", "Fabrikam Components Inc", (), ("026009593001234",), "USD")


@pytest.mark.parametrize(
    ("t", "invoices", "meant", "charge"),
    [
        (
            # 34.29 short of the older invoice, 50.00 (the bank's charge) of the later one
            tx("57630.78", "TT PAYMENT", name="厦门瑞创化工有限公司", account="3205395287875015"),
            [
                inv("INV-2026-04253", "C00797", "57665.07", issued=dt.date(2026, 1, 19)),
                inv("INV-2026-04259", "C00797", "57680.78", issued=dt.date(2026, 7, 8)),
            ],
            "INV-2026-04259",
            "50.00",
        ),
        (
            # 18.22 short of the later invoice, 50.00 of the older one
            tx("43584.78", "汇入汇款 合同款", name="杭州海泰化工有限责任公司"),
            [
                inv("INV-2026-12731", "C02561", "43603.00", issued=dt.date(2026, 6, 3)),
                inv("INV-2026-12732", "C02561", "43634.78", issued=dt.date(2026, 4, 17)),
            ],
            "INV-2026-12732",
            "50.00",
        ),
        (
            tx("12000.00", "WIRE PAYMENT", account="026009593001234", currency="USD"),
            [
                inv("INV-2026-20011", "C00900", "12012.37", currency="USD"),
                inv("INV-2026-20012", "C00900", "12025.00", currency="USD"),
            ],
            "INV-2026-20012",
            "25.00",
        ),
    ],
)
def test_of_two_invoices_a_bank_charge_away_the_round_charge_is_offered_first(
    t: Transaction, invoices: list[InvoiceRecord], meant: str, charge: str
) -> None:
    """Banks charge by a tariff (50.00, 25.00, 35.50), never 34.29: before, the smaller
    charge came first however odd; now the invoice a tariff's charge away does, and a person
    still chooses."""
    customers = [*CUSTOMERS, RUICHUANG, HAITAI, FABRIKAM]
    (d,) = match_transactions([t], customers, invoices)
    assert d.status == "suggested", [r.text for r in d.reasons]
    top = d.suggestions[0]
    assert {a.invoice: a.amount for a in top.allocations} == {meant: t.amount}
    assert top.write_off == D(charge)
    assert len(d.suggestions) == 2


def test_of_two_round_charges_the_smaller_is_offered_first() -> None:
    customers = [*CUSTOMERS, RUICHUANG]
    invoices = [
        inv("INV-2026-04253", "C00797", "57680.78"),
        inv("INV-2026-04259", "C00797", "57640.78"),
    ]
    (d,) = match_transactions(
        [tx("57630.78", "货款", name="厦门瑞创化工有限公司")], customers, invoices
    )
    assert d.status == "suggested"
    assert d.suggestions[0].write_off == D("10.00")


# --------------------------------------------------------------------------- round overpaid

YUANFENG = CustomerRecord("C00195", "北京源峰机械有限公司", (), ("310075214267764016",), "CNY")
ACME = CustomerRecord("C00020", "Acme Industrial Supply LLC", (), (), "USD")
ROUND_OPEN = [
    inv("INV-2026-01120", "C00195", "31594.97"),
    inv("INV-2026-01121", "C00195", "500.00", po="PO-387005"),
    inv("INV-2026-01125", "C00195", "30000.00"),
    inv("INV-2026-01129", "C00195", "3000.00"),
    inv("INV-2026-01130", "C00195", "20000.00"),
    inv("INV-2026-00150", "C00020", "1000.00", currency="USD"),
    inv("INV-2026-00151", "C00020", "7310.45", currency="USD"),
]


@pytest.mark.parametrize(
    ("t", "customer", "invoice", "open_amount"),
    [
        # 元 for 源: one character off the customer's trade name
        (tx("525.00", "付款", name="北京元峰机械有限公司"), "C00195", "INV-2026-01121", "500.00"),
        (
            tx("30750.00", "汇入汇款 货款", name="北京元峰机械有限公司"),
            "C00195",
            "INV-2026-01125",
            "30000.00",
        ),
        (
            tx("1030.00", "PAYMENT", name="ACME INDUSTRIAL SUPLY LLC", currency="USD"),
            "C00020",
            "INV-2026-00150",
            "1000.00",
        ),
    ],
)
def test_a_round_invoice_overpaid_by_a_name_one_character_off_is_offered(
    t: Transaction, customer: str, invoice: str, open_amount: str
) -> None:
    """Before, a round invoice did not count as singled out by the amount, so a Chinese name
    one character off (83% alike) counted as barely similar and nothing was offered: the
    credit stayed unmatched. (A Latin name one letter off is alike enough already.)"""
    (d,) = match_transactions([t], [*CUSTOMERS, YUANFENG, ACME], ROUND_OPEN)
    assert d.status == "suggested", [r.text for r in d.reasons]
    top = d.suggestions[0]
    assert top.customer == customer
    assert {a.invoice: a.amount for a in top.allocations} == {invoice: D(open_amount)}


def test_the_exact_round_amount_from_a_name_one_character_off_is_not_applied() -> None:
    """500.00 to the cent is paid by many: the mistyped name stays a hint, as before."""
    t = tx("500.00", "付款", name="北京元峰机械有限公司")
    (d,) = match_transactions([t], [*CUSTOMERS, YUANFENG, ACME], ROUND_OPEN)
    assert d.status != "matched"


def test_a_round_invoice_overpaid_by_a_merely_similar_name_offers_nothing() -> None:
    """北京源丰机电 is two characters off 北京源峰机械: another company, not a typo."""
    t = tx("525.00", "付款", name="北京源丰机电有限公司")
    (d,) = match_transactions([t], [*CUSTOMERS, YUANFENG, ACME], ROUND_OPEN)
    assert all(s.customer != "C00195" for s in d.suggestions)


# --------------------------------------------------------------------------- one off among several

XINFENG = CustomerRecord("C02366", "苏州鑫丰纺织有限公司", (), ("622231001485345498",), "CNY")
FENGYONG = CustomerRecord("C01482", "苏州丰永纺织有限公司", (), (), "CNY")
KANGFENG = CustomerRecord("C01103", "苏州康丰纺织股份有限公司", (), (), "CNY")
SUZHOU = [XINFENG, FENGYONG, KANGFENG]


def test_of_customers_a_name_resembles_the_one_it_is_one_character_off_is_offered_first() -> None:
    """苏州新丰纺织 is one character off 苏州鑫丰纺织 (and 苏州康丰纺织), two off 苏州丰永纺织:
    all 83% alike. Both 鑫丰 and 丰永 owe 1,200.00; before, the older invoice (丰永's) came
    first, now the customer the name is one character off does; neither is applied."""
    invoices = [
        inv("INV-2026-07740", "C01482", "1200.00", issued=dt.date(2026, 3, 2)),
        inv("INV-2026-12149", "C02366", "1200.00", issued=dt.date(2026, 7, 9)),
        inv("INV-2026-12148", "C02366", "491165.94"),
        inv("INV-2026-05502", "C01103", "8800.00"),
    ]
    t = tx("1200.00", "汇入汇款 payment", name="苏州新丰纺织有限公司", account="10012910247399")
    (d,) = match_transactions([t], [*CUSTOMERS, *SUZHOU], invoices)
    assert d.status == "suggested", [r.text for r in d.reasons]
    assert _offered(d)[:2] == [
        ("C02366", {"INV-2026-12149": D("1200.00")}),
        ("C01482", {"INV-2026-07740": D("1200.00")}),
    ]
    assert "payer_one_off" in {r.parts[0].code for r in d.suggestions[0].reasons}


def test_a_name_one_character_off_one_customer_and_like_another_is_not_applied_on_the_cents() -> (
    None
):
    """One character off 苏州鑫丰纺织 and like 苏州丰永纺织 besides: the exact amount with
    cents on 鑫丰's invoice is offered, not applied (applied when the name resembles one
    customer only, as before)."""
    invoices = [
        inv("INV-2026-12150", "C02366", "23418.66"),
        inv("INV-2026-07741", "C01482", "5600.00"),
    ]
    t = tx("23418.66", "货款", name="苏州新丰纺织有限公司")
    (d,) = match_transactions([t], [*CUSTOMERS, XINFENG, FENGYONG], invoices)
    assert d.status == "suggested"
    assert _offered(d)[0] == ("C02366", {"INV-2026-12150": D("23418.66")})
    (d,) = match_transactions([t], [*CUSTOMERS, XINFENG], invoices[:1])
    assert d.status == "matched" and d.customer == "C02366"
