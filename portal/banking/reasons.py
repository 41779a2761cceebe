"""The matching engine's reasons in the reader's language.

``reconcile`` stores each reason as ``{"criterion", "score", "text", "parts"}``: ``parts`` are
the findings as a code of ``reconcile.matching.messages.MESSAGES`` and the values they name.
This table renders each code through the catalogue. A reason stored before the engine coded its
findings (no ``parts``) or with a code this table does not know is shown as the engine wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

#: one entry per code of ``reconcile.matching.messages.MESSAGES``, same parameters
REASONS: dict[str, str] = {
    "debit": _l("a debit: money paid out"),
    "reversal": _l("a reversal entry"),
    "returned_payment": _l(
        "a customer's payment taken back (%(mark)s): the invoice it paid may be owed again"
    ),
    "own_account": _l("a transfer from one of our own accounts"),
    "own_company": _l("a transfer from our own company"),
    "not_customer_payment": _l("not a customer payment: %(category)s (%(source)s)"),
    "duplicate": _l("bank reference %(bank_ref)s on account %(account)s was already recorded"),
    "duplicate_ref": _l("bank reference %(bank_ref)s was already recorded"),
    "same_payment": _l(
        "the same payment as %(voucher)s of %(date)s (another file: the same amount and payer, "
        "a few days apart at most)"
    ),
    "ref_contains": _l("reference contains %(invoice)s"),
    "ref_contains_as": _l("reference contains %(written)s, i.e. invoice %(invoice)s"),
    "ref_contains_sequence": _l(
        "reference contains %(written)s, the number of invoice %(invoice)s"
    ),
    "ref_typo_swapped": _l(
        "reference contains %(written)s (typo of %(invoice)s: two digits swapped)"
    ),
    "ref_typo_digit": _l("reference contains %(written)s (typo of %(invoice)s: one digit wrong)"),
    "ref_po": _l("reference contains %(written)s, the purchase order of invoice %(invoice)s"),
    "ref_differs_digit": _l("the reference %(written)s differs from %(invoice)s by one digit"),
    "ref_differs_swapped": _l("the reference %(written)s is %(invoice)s with two digits swapped"),
    "ref_differs_letter": _l(
        "the reference %(written)s is %(invoice)s with a letter written for a digit (O for 0, I "
        "or l for 1)"
    ),
    "ref_names_no_invoice": _l(
        "the reference names %(written)s, which is no open invoice of %(customer)s"
    ),
    "ref_names_another": _l(
        "the reference names %(invoice)s, another open invoice of %(customer)s"
    ),
    "ref_names_paid": _l(
        "the reference %(written)s names %(invoice)s, which is paid already: is this a second "
        "payment of it?"
    ),
    "ref_near_paid": _l(
        "the reference %(written)s is one typo away from %(invoice)s, which is paid already: is "
        "this a second payment of it?"
    ),
    "ref_names_other_customer": _l(
        "the reference names %(invoice)s, an open invoice of %(other)s, not of %(customer)s"
    ),
    "and_more": _l("and %(count)s more"),
    "currency_mismatch": _l(
        "reference names %(invoice)s, but it is in %(invoice_currency)s and the payment in "
        "%(currency)s"
    ),
    "already_paid": _l("%(invoice)s is already paid in full"),
    "not_open": _l("%(invoice)s is not open (already paid)"),
    "payer_account": _l("payer account %(account)s belongs to %(customer)s"),
    "payer_account_learned": _l("payer account %(account)s was confirmed for %(customer)s before"),
    "payer_name_learned": _l("payer name %(name)s was confirmed for %(customer)s before"),
    "payer_name": _l("payer name %(name)s is the name of %(customer)s (%(matched)s)"),
    "payer_alias": _l("payer name %(name)s is an alias of %(customer)s (%(matched)s)"),
    "payer_similar": _l("payer name %(percent)s%% similar to %(matched)s (%(customer)s)"),
    "payer_one_off": _l(
        "payer name %(percent)s%% similar to %(matched)s (%(customer)s): one character off"
    ),
    "payer_spelling": _l("payer name %(name)s is another spelling of %(matched)s (%(customer)s)"),
    "payer_in_reference": _l("the remittance text names %(matched)s (%(customer)s)"),
    "payer_code_in_reference": _l(
        "the remittance text holds %(written)s, the customer code of %(customer)s"
    ),
    "payer_account_in_reference": _l(
        "the remittance text holds account %(account)s, which belongs to %(customer)s"
    ),
    "payer_on_behalf": _l(
        "the remittance text says it pays on behalf of %(matched)s (%(customer)s)"
    ),
    "payer_on_behalf_short": _l(
        "the remittance text says it pays on behalf of %(written)s, the short name of "
        "%(matched)s (%(customer)s)"
    ),
    "payer_on_behalf_maybe": _l(
        "the remittance text may pay on behalf of %(matched)s (%(customer)s): %(written)s is "
        "the short name of several customers"
    ),
    "payer_on_behalf_unsure": _l(
        "the remittance text pays on behalf of %(written)s, which may be any of "
        "%(customers)s: a person decides whose invoices it pays"
    ),
    "payer_on_behalf_unknown": _l(
        "the remittance text pays on behalf of %(written)s, which is no customer's name: a "
        "person decides whose invoices it pays"
    ),
    "payer_on_behalf_among": _l(
        "the remittance text pays on behalf of %(matched)s (%(customer)s) and of another "
        "customer it names"
    ),
    "payer_on_behalf_several": _l(
        "the remittance text pays on behalf of %(count)s customers it names in full "
        "(%(customers)s): a person decides whose invoices it pays"
    ),
    "third_party": _l("paying for another customer (third party)"),
    "payer_not_known": _l("payer not known for this customer"),
    "payer_unknown": _l("payer unknown and no invoice or PO named"),
    "amount_exact": _l("amount equals the open amount of %(invoices)s"),
    "amount_total": _l("amount equals the total of %(count)s open invoices (%(invoices)s)"),
    "amount_whole_balance": _l(
        "amount equals the customer's whole open balance, %(count)s invoices (%(invoices)s)"
    ),
    "amount_total_less_charge": _l(
        "amount equals the total of %(count)s open invoices (%(invoices)s) less a bank charge "
        "of %(charge)s, written off"
    ),
    "amount_fee": _l(
        "amount is %(charge)s short of the open %(open)s of %(invoices)s: a bank charge within "
        "the %(currency)s %(tolerance)s tolerance, written off"
    ),
    "overpayment": _l(
        "overpayment: %(invoices)s paid in full (%(open)s), %(rest)s left unapplied on %(customer)s"
    ),
    "face_value": _l(
        "%(amount)s is the full amount invoiced: an earlier part payment overlooked by the payer"
    ),
    "partial": _l("partial payment: %(amount)s of the %(open)s open on %(invoices)s"),
    "over_one": _l(
        "amount exceeds the open %(open)s of %(invoice)s by %(rest)s: an overpayment? (the rest "
        "would stay unapplied on %(customer)s)"
    ),
    "ties": _l("%(count)s other combination(s) fit as well, the oldest invoices preferred"),
    "by_chance": _l(
        "with %(count)s open invoices such a total is found by chance too easily to post it unseen"
    ),
    "same_amount_oldest": _l(
        "%(count)s open invoices of %(customer)s have this amount (%(invoices)s) and the "
        "reference names none; policy oldest_first: applied to the oldest, %(invoice)s of "
        "%(date)s"
    ),
    "same_amount_oldest_unclaimed": _l(
        "%(count)s open invoices of %(customer)s have this amount (%(invoices)s) and the "
        "reference names none; policy oldest_first: applied to the oldest not named by another "
        "payment, %(invoice)s of %(date)s"
    ),
    "same_amount_choose": _l(
        "%(count)s open invoices of %(customer)s have this amount (%(invoices)s) and the "
        "reference names none; policy suggest: a person chooses"
    ),
    "no_fit": _l(
        "no open %(currency)s invoice or combination of %(customer)s fits %(amount)s "
        "(an advance payment?)"
    ),
    "oldest_first": _l(
        "%(amount)s pays the %(count)s oldest open invoices of %(customer)s in full and "
        "%(invoice)s in part"
    ),
    "part_of_oldest": _l(
        "%(amount)s pays part of %(invoice)s, the oldest open invoice of %(customer)s "
        "(%(open)s open)"
    ),
    "all_open": _l(
        "%(amount)s pays every open invoice of %(customer)s (%(invoices)s, %(open)s open) and "
        "leaves %(rest)s unapplied"
    ),
    "runner_up": _l("next candidate (%(customer)s: %(invoices)s) scored %(score)s"),
    "named_cannot_take": _l(
        "the reference names %(invoices)s, which cannot take this payment: a person decides"
    ),
    "issued_after_payment": _l(
        "%(invoices)s issued after the payment was booked on %(date)s, and nothing names it"
    ),
    "payer_own_fits": _l(
        "the payer %(customer)s owes this amount itself (%(invoices)s): a person decides whose "
        "invoice it pays"
    ),
    "paid_for_another": _l(
        "the remittance text pays on behalf of %(customer)s, but %(invoices)s is another "
        "customer's: a person decides whose invoice it pays"
    ),
    "ref_ambiguous": _l(
        "reference %(written)s fits %(count)s open invoices of %(customer)s (%(invoices)s): a "
        "person decides which it pays"
    ),
    "ref_ambiguous_customers": _l(
        "reference %(written)s fits open invoices of %(count)s customers (%(invoices)s) and the "
        "payer is known as none of them: a person decides whose invoice it pays"
    ),
    "too_close": _l("%(count)s candidates within %(margin)s of each other: a person decides"),
    "below_threshold": _l(
        "best confidence %(confidence)s is below the automatic threshold %(threshold)s"
    ),
    "paid_by_another_entry": _l("its invoices were paid by another entry in this run"),
    # written by the portal, not the engine (the demo's hand-applied receipts)
    "manual_check": _l("applied by finance after checking the payer %(payer)s"),
}


#: parameters whose values are codes themselves, in the reader's words
CODED_VALUES: dict[str, dict[str, str]] = {
    "category": {
        "interest": _l("interest"),
        "refund": _l("a refund"),
        "own_transfer": _l("a transfer between our own accounts"),
        "reversal": _l("a reversal"),
    },
    "source": {
        "bank_code": _l("by the bank's transaction code"),
        "text": _l("by the bank's text"),
    },
}


def _value(name: str, value: Any) -> Any:
    words = CODED_VALUES.get(name, {}).get(str(value))
    return str(words) if words is not None else value


def _part(part: Any) -> str | None:
    if not isinstance(part, Mapping):
        return None
    message = REASONS.get(str(part.get("code") or ""))
    params = part.get("params") or {}
    if message is None or not isinstance(params, Mapping):
        return None
    try:
        return str(message) % {str(k): _value(str(k), v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):  # parameters from another engine version
        return None


def match_reason(reason: Mapping[str, Any] | Any) -> str:
    """Return the sentence of one stored reason in the current locale (its English ``text``
    when it has no parts this table can render)."""
    if not isinstance(reason, Mapping):
        return str(reason or "")
    text = str(reason.get("text") or "")
    parts = reason.get("parts")
    if not parts or not isinstance(parts, list):
        return text
    rendered = [_part(p) for p in parts]
    if any(r is None for r in rendered):
        return text
    # TRANSLATORS: the separator between the findings of one match reason
    return _("; ").join(r for r in rendered if r is not None)


def criterion_label(criterion: str) -> str:
    """Return the name of a matching criterion in the current locale."""
    label = CRITERIA.get(criterion)
    return str(label) if label is not None else criterion


#: the criteria a reason names (``Reason.criterion``)
CRITERIA: dict[str, str] = {
    "invoice_reference": _l("invoice number"),
    "invoice_number": _l("invoice number"),
    "po_number": _l("purchase order"),
    "reference_number": _l("number in the reference"),
    "payer": _l("payer"),
    "amount": _l("amount"),
    "margin": _l("margin"),
    "decision": _l("decision"),
    "date": _l("date"),
    "direction": _l("direction"),
    "own_account": _l("own account"),
    "category": _l("category"),
    "currency": _l("currency"),
    "duplicate": _l("duplicate"),
    "oldest_first": _l("oldest first"),
    "manual": _l("by hand"),
}
