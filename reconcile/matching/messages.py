"""The engine's findings as codes with parameters, and their English sentences.

A ``Reason`` is made of ``Message`` parts: a stable code from :data:`MESSAGES` and the values it
names. The English sentence (``Reason.text``) is for the CLI and the logs; the portal renders the
code and parameters through its catalogue in the reader's language, so no sentence for a user is
composed here in any other language. A code missing from this table fails when the message is
made, not when a reader sees it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

#: every code the engine emits, with its English template (``str.format`` fields)
MESSAGES: dict[str, str] = {
    # the transaction is not a customer payment
    "debit": "a debit: money paid out",
    "reversal": "a reversal entry",
    "returned_payment": (
        "a customer's payment taken back ({mark}): the invoice it paid may be owed again"
    ),
    "own_account": "a transfer from one of our own accounts",
    "own_company": "a transfer from our own company",
    "not_customer_payment": "not a customer payment: {category} ({source})",
    "duplicate": "bank reference {bank_ref} on account {account} was already recorded",
    "duplicate_ref": "bank reference {bank_ref} was already recorded",
    # the same payment found in another file (a receipt and the statement), by amount and payer
    "same_payment": "the same payment as {voucher} of {date}",
    # what the reference says
    "ref_contains": "reference contains {invoice}",
    "ref_contains_as": "reference contains {written}, i.e. invoice {invoice}",
    "ref_contains_sequence": "reference contains {written}, the number of invoice {invoice}",
    "ref_typo_swapped": "reference contains {written} (typo of {invoice}: two digits swapped)",
    "ref_typo_digit": "reference contains {written} (typo of {invoice}: one digit wrong)",
    "ref_ambiguous": (
        "reference {written} fits {count} open invoices of {customer} ({invoices}): a person "
        "decides which it pays"
    ),
    "ref_ambiguous_customers": (
        "reference {written} fits open invoices of {count} customers ({invoices}) and the payer "
        "is known as none of them: a person decides whose invoice it pays"
    ),
    "ref_po": "reference contains {written}, the purchase order of invoice {invoice}",
    # a number of the reference that is not the invoice the payer and amount point at
    "ref_differs_digit": "the reference {written} differs from {invoice} by one digit",
    "ref_differs_swapped": "the reference {written} is {invoice} with two digits swapped",
    "ref_differs_letter": (
        "the reference {written} is {invoice} with a letter written for a digit (O for 0, I or "
        "l for 1)"
    ),
    "ref_names_no_invoice": "the reference names {written}, which is no open invoice of {customer}",
    "ref_names_another": "the reference names {invoice}, another open invoice of {customer}",
    "ref_names_paid": (
        "the reference {written} names {invoice}, which is paid already: is this a second "
        "payment of it?"
    ),
    "ref_near_paid": (
        "the reference {written} is one typo away from {invoice}, which is paid already: is "
        "this a second payment of it?"
    ),
    "ref_names_other_customer": (
        "the reference names {invoice}, an open invoice of {other}, not of {customer}"
    ),
    "and_more": "and {count} more",
    "currency_mismatch": (
        "reference names {invoice}, but it is in {invoice_currency} and the payment in {currency}"
    ),
    "already_paid": "{invoice} is already paid in full",
    "not_open": "{invoice} is not open (already paid)",
    # who paid
    "payer_account": "payer account {account} belongs to {customer}",
    "payer_account_learned": "payer account {account} was confirmed for {customer} before",
    "payer_name_learned": "payer name {name} was confirmed for {customer} before",
    "payer_name": "payer name {name} is the name of {customer} ({matched})",
    "payer_alias": "payer name {name} is an alias of {customer} ({matched})",
    "payer_similar": "payer name {percent}% similar to {matched} ({customer})",
    "payer_one_off": "payer name {percent}% similar to {matched} ({customer}): one character off",
    "payer_spelling": "payer name {name} is another spelling of {matched} ({customer})",
    "payer_in_reference": "the remittance text names {matched} ({customer})",
    "payer_code_in_reference": (
        "the remittance text holds {written}, the customer code of {customer}"
    ),
    "payer_account_in_reference": (
        "the remittance text holds account {account}, which belongs to {customer}"
    ),
    "payer_on_behalf": "the remittance text says it pays on behalf of {matched} ({customer})",
    "payer_on_behalf_short": (
        "the remittance text says it pays on behalf of {written}, the short name of {matched} "
        "({customer})"
    ),
    "payer_on_behalf_maybe": (
        "the remittance text may pay on behalf of {matched} ({customer}): {written} is the short "
        "name of several customers"
    ),
    "payer_on_behalf_among": (
        "the remittance text pays on behalf of {matched} ({customer}) and of another customer "
        "it names"
    ),
    "third_party": "paying for another customer (third party)",
    "payer_not_known": "payer not known for this customer",
    "payer_unknown": "payer unknown and no invoice or PO named",
    # the amount
    "amount_exact": "amount equals the open amount of {invoices}",
    "amount_total": "amount equals the total of {count} open invoices ({invoices})",
    "amount_whole_balance": (
        "amount equals the customer's whole open balance, {count} invoices ({invoices})"
    ),
    "amount_total_less_charge": (
        "amount equals the total of {count} open invoices ({invoices}) less a bank charge of "
        "{charge}, written off"
    ),
    "amount_fee": (
        "amount is {charge} short of the open {open} of {invoices}: a bank charge within the "
        "{currency} {tolerance} tolerance, written off"
    ),
    "overpayment": "overpayment: {invoices} paid in full ({open}), {rest} left unapplied on "
    "{customer}",
    "face_value": "{amount} is the full amount invoiced: an earlier part payment overlooked by "
    "the payer",
    "partial": "partial payment: {amount} of the {open} open on {invoices}",
    "over_one": (
        "amount exceeds the open {open} of {invoice} by {rest}: an overpayment? (the rest would "
        "stay unapplied on {customer})"
    ),
    "ties": "{count} other combination(s) fit as well, the oldest invoices preferred",
    "by_chance": (
        "with {count} open invoices such a total is found by chance too easily to post it unseen"
    ),
    "same_amount_oldest": (
        "{count} open invoices of {customer} have this amount ({invoices}) and the reference "
        "names none; policy oldest_first: applied to the oldest, {invoice} of {date}"
    ),
    "same_amount_oldest_unclaimed": (
        "{count} open invoices of {customer} have this amount ({invoices}) and the reference "
        "names none; policy oldest_first: applied to the oldest not named by another payment, "
        "{invoice} of {date}"
    ),
    "same_amount_choose": (
        "{count} open invoices of {customer} have this amount ({invoices}) and the reference "
        "names none; policy suggest: a person chooses"
    ),
    "no_fit": (
        "no open {currency} invoice or combination of {customer} fits {amount} "
        "(an advance payment?)"
    ),
    "oldest_first": (
        "{amount} pays the {count} oldest open invoices of {customer} in full and {invoice} in part"
    ),
    "part_of_oldest": (
        "{amount} pays part of {invoice}, the oldest open invoice of {customer} ({open} open)"
    ),
    "all_open": (
        "{amount} pays every open invoice of {customer} ({invoices}, {open} open) and leaves "
        "{rest} unapplied"
    ),
    "issued_after_payment": (
        "{invoices} issued after the payment was booked on {date}, and nothing names it"
    ),
    # the decision
    "runner_up": "next candidate ({customer}: {invoices}) scored {score}",
    "named_cannot_take": (
        "the reference names {invoices}, which cannot take this payment: a person decides"
    ),
    "payer_own_fits": (
        "the payer {customer} owes this amount itself ({invoices}): a person decides whose "
        "invoice it pays"
    ),
    "paid_for_another": (
        "the remittance text pays on behalf of {customer}, but {invoices} is another "
        "customer's: a person decides whose invoice it pays"
    ),
    "payer_on_behalf_unsure": (
        "the remittance text pays on behalf of {written}, which may be any of {customers}: a "
        "person decides whose invoices it pays"
    ),
    "payer_on_behalf_unknown": (
        "the remittance text pays on behalf of {written}, which is no customer's name: a person "
        "decides whose invoices it pays"
    ),
    "payer_on_behalf_several": (
        "the remittance text pays on behalf of {count} customers it names in full "
        "({customers}): a person decides whose invoices it pays"
    ),
    "too_close": "{count} candidates within {margin} of each other: a person decides",
    "below_threshold": "best confidence {confidence} is below the automatic threshold {threshold}",
    "paid_by_another_entry": "its invoices were paid by another entry in this run",
}


def fields(template: str) -> frozenset[str]:
    """Return the names of the ``{fields}`` of ``template``."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True, slots=True)
class Message:
    """One finding: a code of :data:`MESSAGES` and the values its sentence names (as text)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        template = MESSAGES.get(self.code)
        if template is None:
            raise ValueError(f"unknown reason code {self.code!r}")
        if fields(template) != {name for name, _ in self.params}:
            raise ValueError(f"reason {self.code!r} takes {sorted(fields(template))}")

    @classmethod
    def of(cls, code: str, /, **params: object) -> Message:
        """Return the message ``code`` with ``params`` (each turned into text)."""
        return cls(code, tuple((k, str(v)) for k, v in params.items()))

    @property
    def text(self) -> str:
        """The English sentence."""
        return MESSAGES[self.code].format(**dict(self.params))

    def to_json(self) -> dict[str, Any]:
        """Return ``{"code", "params"}``."""
        return {"code": self.code, "params": dict(self.params)}
