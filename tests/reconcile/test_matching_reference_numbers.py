"""A payment applied for its payer and amount whose reference writes another invoice number:
the reasons say what the number is (one typo away from the invoice paid, another open
invoice, or no invoice at all) instead of passing over it.

The files are a Chinese bank export and the ERP's customers and invoices numbered
``QH-INV-2026-1007`` (two letter groups before year and sequence); each credit is matched on
its own against the whole ledger, and the first two through the CLI as a batch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.matching import MatchDecision, Reason, match_transactions
from reconcile.matching.erp_csv import read_customers, read_invoices
from reconcile.model import Transaction
from tests.reconcile.test_matching_cases import CUSTOMERS, INVOICES, tx

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "reference_numbers"
CUSTOMERS_QH = read_customers((DATA / "customers.csv").read_bytes())
INVOICES_QH = read_invoices((DATA / "invoices.csv").read_bytes())


def _credits() -> dict[str, Transaction]:
    (result,) = parse_bytes((DATA / "bank.csv").read_bytes(), "bank.csv")
    assert result.error is None, result.error
    return {(t.reference or "").removeprefix("汇款 "): t for t in result.transactions}


CREDITS = _credits()


def _decide(reference: str) -> MatchDecision:
    (decision,) = match_transactions([CREDITS[reference]], CUSTOMERS_QH, INVOICES_QH)
    return decision


def _notes(reasons: tuple[Reason, ...] | list[Reason]) -> list[tuple[str, dict[str, str]]]:
    return [
        (p.code, dict(p.params))
        for r in reasons
        if r.criterion == "reference_number"
        for p in r.parts
    ]


@pytest.mark.parametrize(
    ("reference", "invoice", "code", "written"),
    [
        ("货款 QH-INV-2026-1017", "QH-INV-2026-1007", "ref_differs_digit", "QH-INV-2026-1017"),
        ("货款 QH-INV-2026-1070", "QH-INV-2026-1007", "ref_differs_swapped", "QH-INV-2026-1070"),
        ("货款 QH-INV-2026-1OO3", "QH-INV-2026-1003", "ref_differs_letter", "QH-INV-2026-1OO3"),
        ("货款 qh-inv-2026-1oo3", "QH-INV-2026-1003", "ref_differs_letter", "QH-INV-2026-1OO3"),
        ("发票号 1009", "QH-INV-2026-1003", "ref_differs_digit", "1009"),
    ],
)
def test_a_number_one_typo_away_from_the_invoice_paid_is_said_and_still_applied(
    reference: str, invoice: str, code: str, written: str
) -> None:
    """Before, the match gave payer and amount only, and the number was passed over."""
    d = _decide(reference)
    assert d.status == "matched", [r.text for r in d.reasons]
    assert [a.invoice for a in d.allocations] == [invoice]
    assert _notes(d.reasons) == [(code, {"written": written, "invoice": invoice})]


def test_the_sentence_names_both_numbers() -> None:
    d = _decide("货款 QH-INV-2026-1017")
    assert d.confidence == pytest.approx(0.955)
    assert "the reference QH-INV-2026-1017 differs from QH-INV-2026-1007 by one digit" in [
        r.text for r in d.reasons
    ]


def test_a_number_no_invoice_has_is_a_warning_on_an_exact_amount_of_a_known_payer() -> None:
    """The payer is known by its exact name and the amount is one invoice's to the cent: it is
    applied, and the number that is no invoice is shown with it."""
    d = _decide("货款 QH-INV-2026-2044")
    assert d.status == "matched"
    assert [a.invoice for a in d.allocations] == ["QH-INV-2026-1007"]
    assert _notes(d.reasons) == [
        ("ref_names_no_invoice", {"written": "QH-INV-2026-2044", "customer": "QH003"})
    ]
    warning = next(r for r in d.reasons if r.criterion == "reference_number")
    assert warning.score == 0.0
    assert warning.text == "the reference names QH-INV-2026-2044, which is no open invoice of QH003"


def test_another_customers_open_invoice_named_is_offered_not_applied_and_said() -> None:
    d = _decide("货款 QH-INV-2026-1008")
    assert d.status == "suggested"
    top = d.suggestions[0]
    assert (top.customer, [a.invoice for a in top.allocations]) == ("QH003", ["QH-INV-2026-1007"])
    assert _notes(top.reasons) == [
        (
            "ref_names_other_customer",
            {"invoice": "QH-INV-2026-1008", "other": "QH004", "customer": "QH003"},
        )
    ]
    assert any(s.customer == "QH004" for s in d.suggestions)


@pytest.mark.parametrize(
    "reference",
    [
        "货款 QH-INV-2026-1007",  # the invoice itself: its own reason says so
        "合同 HT-2026-0456 订单NO 1030",  # a contract's and an order's number, no invoice's
    ],
)
def test_numbers_that_are_the_invoice_or_no_invoice_number_add_nothing(reference: str) -> None:
    d = _decide(reference)
    assert d.status == "matched"
    assert _notes(d.reasons) == []


def test_a_typo_that_spells_a_sibling_open_invoice_says_the_sibling_is_open() -> None:
    """INV-2026-00124 is open (1,200.00) and one digit off INV-2026-00123, whose 5,000.00 the
    payer paid to the cent: applied to 00123 as before, and that the number as written is
    another open invoice of the customer is said, not left to be guessed."""
    (d,) = match_transactions(
        [tx("5000.00", "INV-2026-00124", name="上海华美贸易有限公司")], CUSTOMERS, INVOICES
    )
    assert d.status == "matched"
    assert {a.invoice: a.amount for a in d.allocations} == {"INV-2026-00123": Decimal("5000.00")}
    assert _notes(d.reasons) == [
        ("ref_names_another", {"invoice": "INV-2026-00124", "customer": "C00017"})
    ]


def test_the_cli_says_what_the_reference_numbers_are(tmp_path: Path) -> None:
    """The two credits found by hand, as one batch through ``python -m reconcile match``."""
    bank = tmp_path / "bank.csv"
    lines = (DATA / "bank.csv").read_text(encoding="utf-8").splitlines()
    bank.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "reconcile", "match",
         "--customers", str(DATA / "customers.csv"),
         "--invoices", str(DATA / "invoices.csv"), str(bank)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    first, second = json.loads(out.stdout)["transactions"]
    assert (first["status"], second["status"]) == ("matched", "matched")
    assert first["reasons"][-1]["text"] == (
        "the reference QH-INV-2026-1OO3 is QH-INV-2026-1003 with a letter written for a digit "
        "(O for 0, I or l for 1)"
    )
    assert second["reasons"][-1] == {
        "criterion": "reference_number",
        "score": 0.6,
        "text": "the reference QH-INV-2026-1017 differs from QH-INV-2026-1007 by one digit",
    }


def test_another_open_invoice_of_the_payer_named_waits_for_a_person() -> None:
    """The payer paid 15,200.00, QH-INV-2026-1007's amount to the cent, and wrote
    QH-INV-2026-1021, another open invoice of theirs and no typo of 1007: which they meant is
    theirs to say, so both are offered and nothing is applied."""
    d = _decide("货款 QH-INV-2026-1021")
    assert d.status == "suggested", [r.text for r in d.reasons]
    assert d.suggestions[0].customer == "QH003"
    offered = {tuple(a.invoice for a in s.allocations) for s in d.suggestions}
    assert {("QH-INV-2026-1007",), ("QH-INV-2026-1021",)} <= offered


def test_a_typo_of_an_invoice_paid_already_is_said_on_the_offer_of_the_oldest_items() -> None:
    """The payer pays 15,200.00 again with "QH-INV-2026-1070" after QH-INV-2026-1007 was paid
    by the credit that named it: the payment goes to a person as a part of the oldest open
    invoice, and the offer says the number is 1007 swapped, paid already (a second payment?)."""
    named, swapped = CREDITS["货款 QH-INV-2026-1007"], CREDITS["货款 QH-INV-2026-1070"]
    first, second = match_transactions([named, swapped], CUSTOMERS_QH, INVOICES_QH)
    assert [a.invoice for a in first.allocations] == ["QH-INV-2026-1007"]
    assert second.status == "suggested"
    assert [a.invoice for a in second.suggestions[0].allocations] == ["QH-INV-2026-1006"]
    note = ("ref_near_paid", {"written": "QH-INV-2026-1070", "invoice": "QH-INV-2026-1007"})
    assert note in _notes(second.suggestions[0].reasons)
    assert note in _notes(second.reasons)


def test_a_number_no_invoice_has_is_said_on_the_offer_of_the_oldest_items() -> None:
    named, unknown = CREDITS["货款 QH-INV-2026-1007"], CREDITS["货款 QH-INV-2026-2044"]
    _first, second = match_transactions([named, unknown], CUSTOMERS_QH, INVOICES_QH)
    assert second.status == "suggested"
    assert _notes(second.suggestions[0].reasons) == [
        ("ref_names_no_invoice", {"written": "QH-INV-2026-2044", "customer": "QH003"})
    ]


def test_an_invoice_paid_already_named_again_is_said_on_the_offer_before_a_typo_of_the_oldest() -> (
    None
):
    """QH-INV-2026-1003 (8,350.50) is paid by the first credit. The same payer pays 8,350.50
    again, once naming 1003 (as "qh-inv-2026-1oo3"), once writing "发票号 1009": both are offered
    as a part of the oldest open invoice, 1001, and both say 1003 is paid already. "1009" is
    also one digit from 1001, but that the payer paid 1003 twice is the likelier reading."""
    first, again, typo = match_transactions(
        [
            CREDITS["货款 QH-INV-2026-1OO3"],
            CREDITS["货款 qh-inv-2026-1oo3"],
            CREDITS["发票号 1009"],
        ],
        CUSTOMERS_QH,
        INVOICES_QH,
    )
    assert [a.invoice for a in first.allocations] == ["QH-INV-2026-1003"]
    for d in (again, typo):
        assert d.status == "suggested"
        assert [a.invoice for a in d.suggestions[0].allocations] == ["QH-INV-2026-1001"]
    assert _notes(again.suggestions[0].reasons) == [
        ("ref_names_paid", {"written": "QH-INV-2026-1OO3", "invoice": "QH-INV-2026-1003"})
    ]
    assert _notes(typo.suggestions[0].reasons) == [
        ("ref_near_paid", {"written": "1009", "invoice": "QH-INV-2026-1003"})
    ]
