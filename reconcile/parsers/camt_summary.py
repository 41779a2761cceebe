"""A camt statement's own summary of its entries (``TxsSummry``) against the entries it holds.

``TxsSummry`` states the number and the sum (unsigned) of all entries (``TtlNtries``), of the
credits (``TtlCdtNtries``) and of the debits (``TtlDbtNtries``), as MT942's ``:90C:`` and
``:90D:`` do: an entry lost in transmission or sent twice shows there, even when no closing
balance is given to check. The entries are counted as the file writes them (``Ntry`` elements,
by their ``CdtDbtInd``), not as the transactions read from them (a batch entry may give several).
A summary that counts only the booked entries matches those: a file may hold pending ones too.
Where the entries are in several currencies, only their number is checked: amounts in different
currencies are never added up.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lxml import etree

from ..currency import amount_text
from ..problems import Problem, problem
from .camt_xml import ElementIndex

# each part of the summary and the entries it counts (None: all of them)
_PARTS = (("TtlNtries", None), ("TtlCdtNtries", "CRDT"), ("TtlDbtNtries", "DBIT"))


def summary_problems(
    xml: ElementIndex,
    rec: etree._Element,
    entries: list[etree._Element],
    currency: str | None,
    where: str,
) -> list[Problem]:
    """Warnings for each part of ``rec``'s ``TxsSummry`` that the ``entries`` do not match.

    :param currency: the statement's currency, to write the sums in.
    """
    summary = xml.find(rec, "TxsSummry")
    if summary is None:
        return []
    found = []
    for part, side in _PARTS:
        stated = _stated(xml, xml.find(summary, part))
        if stated is None:
            continue
        chosen = [e for e in entries if side is None or xml.text(e, "CdtDbtInd") == side]
        booked = [e for e in chosen if (xml.text(e, "Sts/Cd", "Sts") or "BOOK") == "BOOK"]
        if len(_currencies(xml, chosen)) > 1:
            # amounts in several currencies are never added up: the number of entries is checked
            if stated[0] not in (len(chosen), len(booked)):
                found.append(_count_mismatch(part, stated[0], len(chosen), where))
            continue
        counted = _counted(xml, chosen)
        if counted is None or stated in (counted, _counted(xml, booked)):
            continue
        found.append(_mismatch(part, stated, counted, currency or "", where))
    return found


def _currencies(xml: ElementIndex, entries: list[etree._Element]) -> set[str]:
    """The currencies the ``entries``' amounts are written in (``Amt/@Ccy``)."""
    amounts = (xml.find(entry, "Amt") for entry in entries)
    return {
        str(amount.get("Ccy")) for amount in amounts if amount is not None and amount.get("Ccy")
    }


def _count_mismatch(part: str, stated: int, count: int, where: str) -> Problem:
    return problem("camt_summary_count_mismatch", part=part, stated_count=stated, count=count).at(
        location=where
    )


def _mismatch(
    part: str, stated: tuple[int, Decimal], counted: tuple[int, Decimal], currency: str, where: str
) -> Problem:
    difference = amount_text(counted[1] - stated[1], currency)
    return problem(
        "camt_summary_mismatch",
        part=part,
        stated_count=stated[0],
        stated_total=amount_text(stated[1], currency),
        currency=currency,
        count=counted[0],
        total=amount_text(counted[1], currency),
        difference=difference if difference.startswith("-") else f"+{difference}",
    ).at(location=where)


def _stated(xml: ElementIndex, el: etree._Element | None) -> tuple[int, Decimal] | None:
    """A summary part's number of entries and sum, or None when it states not both."""
    count, total = xml.text(el, "NbOfNtries"), xml.text(el, "Sum")
    if not count or not total or not count.strip().isdigit():
        return None
    try:
        return int(count), Decimal(total.strip())
    except InvalidOperation:
        return None


def _counted(xml: ElementIndex, entries: list[etree._Element]) -> tuple[int, Decimal] | None:
    """How many ``entries`` there are and their unsigned sum, or None when one has no amount."""
    total = Decimal(0)
    for entry in entries:
        try:
            total += abs(Decimal((xml.text(entry, "Amt") or "").strip()))
        except InvalidOperation:
            return None
    return len(entries), total
