"""What one camt entry or transaction detail says beyond its amount: parties, charges, codes.

:class:`DetailReader` answers these from the element index of :mod:`.camt_xml`; :mod:`.camt`
builds the transactions from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from ..own import OwnParty
from .camt_values import charge_amount, currency_or_none
from .camt_xml import ElementIndex

# where a part (or, from 001.03, an entry) states an amount other than the booked one
_FOREIGN_AMOUNTS = ("AmtDtls/InstdAmt/Amt", "Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/CntrValAmt/Amt")
_EXCHANGES = tuple(f"AmtDtls/{kind}/CcyXchg" for kind in ("InstdAmt", "TxAmt", "CntrValAmt"))
# the rate as written and the currencies it converts from and to (SrcCcy, TrgtCcy)
_EXCHANGE_KEYS = ("exchange_rate", "exchange_source_currency", "exchange_target_currency")


@dataclass
class Party:
    """One side of a payment as one part names it: name, account, bank, country."""

    name: str | None = None
    """``Nm``: a person's or company's name, or a bank's where the party is one."""
    account: str | None = None
    """The IBAN, or another identifier of the account (``Othr/Id``)."""
    agent: str | None = None
    """The party's bank (``RltdAgts``): its BIC, else its name."""
    country: str | None = None
    """The country of the party's postal address."""
    ultimate: str | None = None
    """The party it paid or was paid for (``UltmtDbtr``/``UltmtCdtr``)."""
    creditor_id: str | None = None
    """A creditor's SEPA creditor identifier: only the collector of a direct debit has one."""

    @property
    def named(self) -> bool:
        """True when the part names the party at all (by name or account)."""
        return bool(self.name or self.account)

    @property
    def display_name(self) -> str | None:
        """The party's name, else the one it paid or was paid for."""
        return self.name or self.ultimate


def return_sides(
    debtor: Party, creditor: Party, *, debit: bool, ours: OwnParty
) -> tuple[Party, Party]:
    """The customer of a returned or reversed payment and the other party (``(customer, us)``).

    Banks name the parties of a return in two ways. Some keep the roles of the payment it
    undoes: PostFinance's refunded CH-DD names the customer our collection debited as ``Dbtr``
    (and ING NL's unpaid collection names us, its ``Cdtr``, with our creditor identifier).
    Others name them as the money now flows: ABN AMRO's unpaid collection (OCA's sample) names
    the customer it goes back to as ``Cdtr``, PostFinance's returned transfer names the payee
    that sent it back as ``Dbtr``. So the customer is the named party that is not us: not our
    account or name and, on a debit, not the party with a creditor identifier (a debit takes
    back money we received; the only collector then is us). When both parties are someone
    else, or nobody is named, the money's way decides as for any entry (a debit's creditor, a
    credit's debtor).
    """
    flow = (creditor, debtor) if debit else (debtor, creditor)
    named = [p for p in flow if p.named]
    theirs = [
        p
        for p in named
        if not (ours.is_own(p.account, p.name) or (debit and p.creditor_id is not None))
    ]
    if len(theirs) == 2 or not named:
        return flow
    if not theirs:  # only we are named: the bank does not say whose payment came back
        return Party(), named[0]
    customer = theirs[0]
    return customer, flow[1] if customer is flow[0] else flow[0]


@dataclass
class Part:
    """What one transaction of an entry is made of: its TxDtls and the amount they tell."""

    details: list[etree._Element]
    amount: Decimal
    amt_el: etree._Element | None
    partial: bool = False
    """The details are some of a batch of more payments and do not add up to ``amount``."""


class DetailReader(ElementIndex):
    """The parties, charges and bank transaction codes of entries and their details."""

    def party(self, detail: etree._Element | None, role: str, acct: str, agent: str) -> Party:
        """The party ``role`` (``Dbtr``/``Cdtr``) of a detail, with its account and bank."""
        if detail is None:
            return Party()
        p, a = "RltdPties", "RltdAgts"
        # from 001.08 a party is a choice: a person or company (Pty) or a bank (Agt)
        bank = f"{p}/{role}/Agt/FinInstnId"
        return Party(
            ultimate=self.text(detail, f"{p}/Ultmt{role}/Nm", f"{p}/Ultmt{role}/Pty/Nm"),
            creditor_id=self.creditor_id(detail) if role == "Cdtr" else None,
            name=self.text(detail, f"{p}/{role}/Nm", f"{p}/{role}/Pty/Nm", f"{bank}/Nm"),
            account=self.text(detail, f"{p}/{acct}/Id/IBAN", f"{p}/{acct}/Id/Othr/Id"),
            agent=self.text(
                detail,
                f"{a}/{agent}/FinInstnId/BIC",
                f"{a}/{agent}/FinInstnId/BICFI",
                f"{a}/{agent}/FinInstnId/Nm",
            ),
            country=self.text(
                detail,
                f"{p}/{role}/PstlAdr/Ctry",
                f"{p}/{role}/Pty/PstlAdr/Ctry",
                f"{bank}/PstlAdr/Ctry",
            ),
        )

    def creditor_id(self, detail: etree._Element | None) -> str | None:
        """A SEPA direct debit's creditor identifier (``DE98ZZZ09999999999``), else ``None``.

        The SEPA rulebook puts it under the creditor's ``PrvtId``; ING NL writes it under
        ``OrgId`` with the scheme named ``SEPA`` (another ``OrgId`` is a company number).
        """
        found = self.text(
            detail, "RltdPties/Cdtr/Id/PrvtId/Othr/Id", "RltdPties/Cdtr/Pty/Id/PrvtId/Othr/Id"
        )
        for path in ("RltdPties/Cdtr/Id/OrgId/Othr", "RltdPties/Cdtr/Pty/Id/OrgId/Othr"):
            for other in self.findall(detail, path):
                if not found and self.text(other, "SchmeNm/Cd", "SchmeNm/Prtry") == "SEPA":
                    found = self.text(other, "Id")
        return found

    def has_charges(self, el: etree._Element) -> bool:
        """True when ``el`` states charges of its own."""
        return self.find(el, "Chrgs") is not None

    def charges(self, el: etree._Element | None) -> dict[str, str | None]:
        """The total of an element's ``Chrgs``: ``TtlChrgsAndTaxAmt`` (001.03+) or its records.

        Charges only inform, so a figure that is not a number leaves them out rather than
        refusing the file.
        """
        total_el = self.find(el, "Chrgs/TtlChrgsAndTaxAmt")
        amounts = (
            [total_el]
            if total_el is not None
            else (self.findall(el, "Chrgs/Rcrd/Amt") or self.findall(el, "Chrgs/Amt"))
        )
        values = [charge_amount(a.text) for a in amounts]
        if not values or any(v is None for v in values):
            return {"charges": None, "charges_currency": None}
        total = sum((v for v in values if v is not None), Decimal(0))
        return {"charges": str(total), "charges_currency": currency_or_none(amounts[0].get("Ccy"))}

    def tx_code(self, el: etree._Element | None) -> str | None:
        """The ISO bank transaction code as ``PMNT-RCDT-ESCT``, or ``None``."""
        domain = self.text(el, "BkTxCd/Domn/Cd")
        family = self.text(el, "BkTxCd/Domn/Fmly/Cd")
        sub = self.text(el, "BkTxCd/Domn/Fmly/SubFmlyCd")
        parts = [p for p in (domain, family, sub) if p]
        return "-".join(parts) if parts else None

    def foreign_amount(
        self,
        detail: etree._Element | None,
        entry: etree._Element | None,
        booked: str,
        *,
        whole: bool,
    ) -> dict[str, str | None]:
        """The first amount a part, else (for the ``whole`` entry) its entry, states in a
        currency other than ``booked``, with the rate that converted it.

        Only informs (an invoice in EUR paid into a SEK account), so an unreadable figure is
        passed over rather than refusing the entry.
        """
        for el in (detail, entry if whole else None):
            for path in _FOREIGN_AMOUNTS:
                amt = self.find(el, path)
                currency = currency_or_none(amt.get("Ccy")) if amt is not None else None
                value = charge_amount(amt.text) if amt is not None else None
                if currency and currency != booked and value is not None:
                    return {
                        "foreign_amount": str(value),
                        "foreign_currency": currency,
                        **self.exchange(currency, detail, entry),
                    }
        return {
            "foreign_amount": None,
            "foreign_currency": None,
            **dict.fromkeys(_EXCHANGE_KEYS),
        }

    def exchange(self, currency: str, *els: etree._Element | None) -> dict[str, str | None]:
        """The rate (``CcyXchg``) that converted ``currency``: the part's, else the entry's.

        Banks give it beside the part's amounts or, for the whole entry, in the entry's own
        ``AmtDtls`` (Zürcher Kantonalbank's camt.052). A rate between two other currencies is
        not this amount's; one that names neither is taken as it is.
        """
        for el in els:
            for path in _EXCHANGES:
                for xchg in self.findall(el, path):
                    rate = self.text(xchg, "XchgRate")
                    source = currency_or_none(self.text(xchg, "SrcCcy"))
                    target = currency_or_none(self.text(xchg, "TrgtCcy"))
                    unnamed = source is None and target is None
                    if rate and (unnamed or currency in (source, target)):
                        return dict(zip(_EXCHANGE_KEYS, (rate, source, target), strict=True))
        return dict.fromkeys(_EXCHANGE_KEYS)
