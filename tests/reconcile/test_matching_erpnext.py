"""Scenarios of ERPNext's bank reconciliation tests (erpnext/accounts/doctype/bank_transaction/
test_auto_match_party.py, test_bank_transaction.py, bank_reconciliation_tool/
test_bank_reconciliation_tool.py and the ranking of get_linked_payments), turned round to a
customer's credit on our own ledger."""

from __future__ import annotations

from decimal import Decimal

from reconcile.matching import CustomerRecord, match_transactions
from reconcile.matching.spellings import SpellingIndex
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
IBAN_1 = "DE02000000003716541159"
OTHER = CustomerRecord("E9", "Poore Simon's Ltd", (), ("DE02500105170137075030",), "CNY")


def _decide(t, customers, invoices, **kw):  # type: ignore[no-untyped-def]
    (d,) = match_transactions([t], customers, invoices, **kw)
    return d


def _best(d):  # type: ignore[no-untyped-def]
    return {a.invoice: a.amount for a in (d.allocations or d.suggestions[0].allocations)}


# -- test_auto_match_party.py: the party by account number, IBAN, name, description ----------
def test_match_by_account_number() -> None:
    """The customer's account is known by its domestic number (the BBAN); the bank writes the
    number itself or the IBAN that holds it (DE02 + the 18 digits)."""
    doe = CustomerRecord("E1", "John Doe & Co.", (), (IBAN_1[4:],), "CNY")
    invoices = [inv("SINV-0001", "E1", "1200.00"), inv("SINV-0002", "E9", "1200.00")]
    for account in (IBAN_1[4:], IBAN_1):
        t = tx("1200.00", "TRANSFER 562213b0ca1bf838", account=account)
        d = _decide(t, [doe, OTHER], invoices)
        assert d.status == "matched" and d.customer == "E1", account
        assert _best(d) == {"SINV-0001": D("1200.00")}


def test_match_by_iban() -> None:
    doe = CustomerRecord("E1", "John Doe & Co.", (), (IBAN_1,), "CNY")
    invoices = [inv("SINV-0001", "E1", "1200.00"), inv("SINV-0002", "E9", "1200.00")]
    for account in (IBAN_1, "DE02 0000 0000 3716 5411 59", "de02000000003716541159", IBAN_1[4:]):
        t = tx("1200.00", "TRANSFER c5455a224602", account=account)
        d = _decide(t, [doe, OTHER], invoices)
        assert d.status == "matched" and d.customer == "E1", account


def test_an_account_number_ending_another_iban_is_not_that_account() -> None:
    """An IBAN holds its BBAN whole: a number that is only a tail of it is another account."""
    doe = CustomerRecord("E1", "John Doe & Co.", (), ("3716541159",), "CNY")
    invoices = [inv("SINV-0001", "E1", "1200.00"), inv("SINV-0002", "E9", "1200.00")]
    d = _decide(
        tx("1200.00", "TRANSFER", account="DE02500105170003716541159"), [doe, OTHER], invoices
    )
    assert d.status != "matched" or d.customer != "E1"


def test_match_by_party_name() -> None:
    """The ERP keeps the person surname first with an initial ("Jackson Ella W."), the bank
    writes "Ella Jackson"."""
    ella = CustomerRecord("E2", "Jackson Ella W.", (), (), "CNY")
    invoices = [inv("SINV-0003", "E2", "1200.00"), inv("SINV-0004", "E9", "1200.00")]
    t = tx("1200.00", "", name="Ella Jackson", account="DE02500105170137075099")
    d = _decide(t, [ella, OTHER], invoices)
    assert d.status == "matched" and d.customer == "E2"
    assert SpellingIndex([("E2", ella.name)]).lookup("JACKSON ELLA") == {"E2"}
    assert SpellingIndex([("E2", ella.name)]).lookup("Emma Jackson") == set()


def test_match_by_description() -> None:
    """No payer field: the description's "Auftraggeber:" label names the payer (read as the
    parser step does), "microsoft payments" for the customer "Microsoft". A one-word name with
    a word more is offered first, never applied (it could be another company)."""
    from reconcile.remittance import payer_from_text

    msft = CustomerRecord("E3", "Microsoft", (), (), "CNY")
    invoices = [inv("SINV-0005", "E3", "1200.00"), inv("SINV-0006", "E9", "1200.00")]
    text = (
        "Auftraggeber: microsoft payments Buchungstext: msft ..e3006b5hdy. "
        "ref. j375979555927627/5536"
    )
    assert payer_from_text(text) == "microsoft payments"
    d = _decide(tx("1200.00", text, name=payer_from_text(text)), [msft, OTHER], invoices)
    assert d.status == "suggested" and _best(d) == {"SINV-0005": D("1200.00")}
    # another company whose name merely begins with a customer's one word is no payer for sure
    glob = CustomerRecord("E8", "Global Ltd", (), (), "CNY")
    t = tx("1200.00", "", name="Global Sourcing Limited")
    d = _decide(t, [glob, OTHER], [inv("SINV-0007", "E8", "1200.00")])
    assert d.status != "matched"


def test_skip_match_if_multiple_close_results() -> None:
    """Two customers whose names differ by "&" against "And": the payer "Adithya Medical &
    General" could be either, so the equal open amounts decide nothing."""
    amp = CustomerRecord("E4", "Adithya Medical & General Stores", (), (), "CNY")
    und = CustomerRecord("E5", "Adithya Medical And General Stores", (), (), "CNY")
    invoices = [inv("SINV-0008", "E4", "24.85"), inv("SINV-0010", "E5", "24.85")]
    t = tx("24.85", "Paracetamol Consignment", name="Adithya Medical & General")
    assert _decide(t, [amp, und], invoices).status != "matched"
    # the invoice number in ERPNext's description (SINV-0009) says whose it is
    invoices.append(inv("SINV-0009", "E5", "24.85"))
    t = tx("24.85", "Paracetamol Consignment, SINV-0009", name="Adithya Medical & General")
    d = _decide(t, [amp, und], invoices)
    assert d.status == "matched" and d.customer == "E5"
    assert _best(d) == {"SINV-0009": D("24.85")}


# -- test_bank_transaction.py: German statement lines, the payer's IBAN inside the text ------
HERR_G = CustomerRecord("E6", "Mr G", (), ("AT776000000098709837", "AT776000000098709849"), "CNY")
G_INVOICES = [inv("SINV-0011", "E6", "1200.00"), inv("SINV-0012", "E6", "1700.00")]


def test_reconcile_by_the_amount_of_a_known_payer() -> None:
    """Herr G pays 1700.00 then 1200.00 from his two known accounts: each to its invoice."""
    for amount, account, invoice in [
        ("1700.00", "AT776000000098709849", "SINV-0012"),
        ("1200.00", "AT776000000098709837", "SINV-0011"),
    ]:
        t = tx(amount, "1512567 BG/000003025 OPSKATTUZWXXX", name="Herr G", account=account)
        d = _decide(t, [HERR_G, OTHER], G_INVOICES)
        assert d.status == "matched" and d.customer == "E6", amount
        assert _best(d) == {invoice: D(amount)}


def test_payer_iban_only_inside_the_description() -> None:
    """The statement gives no payer field: the description holds his IBAN and "Herr G"."""
    text = "1512567 BG/000003025 OPSKATTUZWXXX AT776000000098709849 Herr G"
    d = _decide(tx("1700.00", text), [HERR_G, OTHER], G_INVOICES)
    assert d.customer == "E6" and _best(d) == {"SINV-0012": D("1700.00")}


def test_an_amount_alone_is_never_applied() -> None:
    """test_debit_credit_output: a card payout text naming nobody; one customer happens to owe
    exactly the amount. Offered, never applied."""
    invoices = [inv("SINV-0013", "E9", "3900.00"), inv("SINV-0014", "E6", "1700.00")]
    text = "Auszahlung Karte MC/000002916 AUTOMAT 698769 K002 27.10. 14:07"
    d = _decide(tx("3900.00", text), [HERR_G, OTHER], invoices)
    assert d.status != "matched"


# -- test_bank_reconciliation_tool.py and get_linked_payments' ranking ------------------------
def test_auto_reconcile_by_reference_number() -> None:
    """test_auto_reconcile: the bank's reference "123" is the one the customer gave; of two
    invoices of 100.00 the referenced one is paid, not the older."""
    cust = CustomerRecord("E7", "_Test Customer", (), (), "CNY")
    invoices = [
        inv("SINV-0015", "E7", "100.00", po="456"),
        inv("SINV-0016", "E7", "100.00", po="123"),
    ]
    d = _decide(tx("100.00", "123", name="_Test Customer"), [cust, OTHER], invoices)
    assert d.status == "matched" and _best(d) == {"SINV-0016": D("100.00")}


def test_amount_received_after_a_bank_charge() -> None:
    """test_deposit_matches_amount_received_in_bank_account: 3537.64 sent, 3460.52 arrives (a
    charge of 77.12, more than the 50.00 tolerated): the right invoice is offered first, never
    applied in full."""
    cust = CustomerRecord("E7", "_Test Customer", (), (), "CNY")
    invoices = [inv("SINV-0017", "E7", "3537.64"), inv("SINV-0018", "E7", "9000.00")]
    d = _decide(tx("3460.52", "TRF-001", name="_Test Customer"), [cust, OTHER], invoices)
    assert d.status != "matched"
    assert list(_best(d)) == ["SINV-0017"]


def test_ranking_reference_party_and_amount() -> None:
    """get_linked_payments ranks reference, party and exact amount: the invoice the text names,
    of the payer, of the amount, comes first over one of only the amount (another customer's)
    and one of only the reference's customer."""
    cust = CustomerRecord("E7", "_Test Customer", (), (), "CNY")
    invoices = [
        inv("SINV-0019", "E7", "450.00"),
        inv("SINV-0020", "E7", "450.00"),
        inv("SINV-0021", "E9", "450.00"),
    ]
    d = _decide(tx("450.00", "SINV-0020", name="_Test Customer"), [cust, OTHER], invoices)
    assert d.status == "matched" and _best(d) == {"SINV-0020": D("450.00")}
    # no payer, no reference: three equal amounts of two customers, nothing for sure
    d = _decide(tx("450.00", "PAYMENT"), [cust, OTHER], invoices)
    assert d.status != "matched"


# -- test_bank_transaction.py: test_already_reconciled ----------------------------------------
def test_a_second_credit_for_an_invoice_already_paid_in_the_run_is_not_applied() -> None:
    """ERPNext refuses to reconcile a payment entry twice. Herr G's statement holds two credits
    of 1200.00 (different bank references) and he owes one invoice of 1200.00: the first pays
    it, the second finds nothing open that fits and stays for a person (an advance? a double
    payment?), never applied to the same invoice again."""
    text = "1512567 BG/0000029{} OPSKATTUZWXXX AT776000000098709837 Herr G"
    first = tx("1200.00", text.format(18), bank_ref="BT-18")
    second = tx("1200.00", text.format(19), bank_ref="BT-19")
    d1, d2 = match_transactions([first, second], [HERR_G, OTHER], G_INVOICES[:1])
    assert d1.status == "matched" and _best(d1) == {"SINV-0011": D("1200.00")}
    assert d2.status == "unmatched" and d2.customer == "E6"
    assert not d2.allocations and not d2.suggestions


# -- test_bank_reconciliation_tool.py: test_withdrawal_matches_amount_paid_from_bank_account --
def test_a_withdrawal_is_never_matched_to_a_customers_invoice() -> None:
    """ERPNext matches a withdrawal of 1250 to the payment entry paying a supplier 1250. We
    match customers' credits only: a debit of exactly a customer's open amount, from that
    customer's own account, is money paid out and ignored."""
    t = tx("1250.00", "Pay 1250", name="Mr G", account=HERR_G.bank_accounts[0], direction="debit")
    d = _decide(t, [HERR_G, OTHER], [inv("SINV-0012", "E6", "1250.00")])
    assert d.status == "ignored"
    assert not d.allocations and not d.suggestions


# -- test_bank_reconciliation_tool.py: test_auto_reconcile, the reference given to a stranger -
def test_a_reference_number_alone_from_nobody_known_pays_its_invoice() -> None:
    """test_auto_reconcile reconciles a deposit by its reference number "123" alone, no party.
    Ours: "123" is the PO the customer gave on its invoice and the amount is that invoice's:
    two signs agree, so it is applied even from a payer we do not know."""
    cust = CustomerRecord("E7", "_Test Customer", (), (), "CNY")
    invoices = [
        inv("SINV-0015", "E7", "100.00", po="456"),
        inv("SINV-0016", "E7", "100.00", po="123"),
    ]
    d = _decide(tx("100.00", "123"), [cust, OTHER], invoices)
    assert d.status == "matched" and _best(d) == {"SINV-0016": D("100.00")}
