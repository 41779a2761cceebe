"""What the reference says when a payment is applied for its payer and amount alone.

A payer whose amount fits an open invoice may still write an invoice number that is not it:
the number mistyped (one digit wrong, two digits swapped, a letter O for a 0 or an l for a
1), or another invoice meant, or a number no invoice has. The decision then rests on payer
and amount, and whoever reads it must see what the text said: a number one typo away from
the invoice paid supports the match; any other number written in the company's numbering is
a warning. Numbers the engine already reads (an invoice named exactly, a closed one, one in
another currency) are left to the reasons that read them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .book import Book
from .records import InvoiceRecord, Reason
from .references import SWAPPED, Mention, canonical_text, typo_variants
from .strategies import Candidate

_PARTS_RE = re.compile(r"^(.*?)(?:((?:19|20)\d{2})[^A-Z0-9]*)?(\d+)$")
_LETTERS_RE = re.compile(r"[A-Z]+")
_LOOKALIKE_RE = re.compile(
    r"(?<![A-Z0-9])(?=[0-9OIL]*\d)(?=[0-9OIL]*[OIL])[0-9OIL]{3,}(?![A-Z0-9])"
)
"""A run of digits with the letters a typist takes for digits (O for 0, I or l for 1), standing
alone between separators: ``1OO3`` of ``QH-INV-2026-1OO3``, never the ``O`` of ``NO1003``."""
_AS_DIGITS = str.maketrans("OIL", "011")
_INVOICE_WORD_RE = re.compile(r"发票|票号|INV|RECHNUNG")
"""A word before a number written alone that says the number is an invoice's."""
_WORD_REACH = 12
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/.")
_MOST_NOTES = 3
CRITERION = "reference_number"
"""The criterion of these notes: no score of the match, what its numbers say."""
_OTHER_INVOICE = frozenset({"ref_names_another", "ref_names_other_customer"})
_TYPO_SCORE = 0.6
"""The score shown with a number one typo away (what the reference criterion gives a typo)."""


@dataclass(frozen=True, slots=True)
class NumberParts:
    """An invoice number as the letter groups before its year and sequence, the year (or
    None) and the sequence (``QH-INV-2026-1007``: ``{QH, INV}``, 2026, 1007)."""

    letters: frozenset[str]
    year: int | None
    seq: int
    width: int
    """How many digits the sequence is written with."""


def number_parts(number: str) -> NumberParts | None:
    """Split ``number`` into its letters, year and sequence; None when it ends in no digits."""
    m = _PARTS_RE.match(canonical_text(number).strip())
    if m is None:
        return None
    head, year, digits = m.groups()
    letters = frozenset(_LETTERS_RE.findall(head))
    return NumberParts(letters, int(year) if year else None, int(digits), len(digits))


class Numbering:
    """The company's invoice numbers by sequence, and the shapes they are written in."""

    def __init__(self, invoices: Sequence[InvoiceRecord]) -> None:
        self.parts: dict[str, NumberParts] = {}
        self.by_seq: dict[int, list[InvoiceRecord]] = defaultdict(list)
        self.shapes: set[tuple[frozenset[str], bool, int]] = set()
        for inv in invoices:
            parts = number_parts(inv.number)
            if parts is None:
                continue
            self.parts[inv.number] = parts
            self.by_seq[parts.seq].append(inv)
            self.shapes.add((parts.letters, parts.year is not None, parts.width))

    def fits(self, mention: Mention) -> bool:
        """True when ``mention`` is written like the company's invoice numbers: a prefix they
        carry (or none), a year where they have one, no more digits than their sequences."""
        for letters, has_year, width in self.shapes:
            if mention.prefix and mention.prefix not in letters:
                continue
            if mention.year is not None and not has_year:
                continue
            if 3 <= len(mention.digits) <= width:
                return True
        return False

    def named(self, mention: Mention) -> list[InvoiceRecord]:
        """The invoices (open or not) whose number ``mention`` is."""
        return [
            inv
            for inv in self.by_seq.get(mention.seq, ())
            if _near(mention, self.parts[inv.number]) == "same"
        ]


def _near(mention: Mention, parts: NumberParts) -> str | None:
    """``"same"`` when ``mention`` is the number of ``parts``, how it is mistyped when it is
    one typo away (``typo_variants``), else None."""
    if mention.prefix and mention.prefix not in parts.letters:
        return None
    if mention.year is not None and mention.year != parts.year:
        return None
    if mention.seq == parts.seq:
        return "same"
    return next((how for v, how in typo_variants(mention.digits) if int(v) == parts.seq), None)


@dataclass(frozen=True, slots=True)
class Written:
    """A number of the reference: as read (digits for look-alike letters) and as written."""

    mention: Mention
    text: str
    """The whole token as the payer wrote it (``QH-INV-2026-1OO3``)."""
    lookalike: bool
    """The payer wrote a letter for a digit in it."""


def respell(text: str) -> str:
    """Return ``text`` in canonical form with the letters that stand for digits inside a
    number (``1OO3``, ``1O17``, ``2O26``) read as the digits; as long as ``canonical_text``."""
    return _LOOKALIKE_RE.sub(lambda m: m.group(0).translate(_AS_DIGITS), canonical_text(text))


def written_numbers(book: Book, numbering: Numbering, reference: str) -> list[Written]:
    """The invoice-like numbers of ``reference`` written in the company's numbering."""
    original = canonical_text(reference)
    read = respell(reference)
    out: list[Written] = []
    seen: set[str] = set()
    # the text as the engine read it when nothing was respelt (its mentions are cached)
    for mention in book.numbers.mentions(reference if read == original else read):
        if mention.kind == "bare" or mention.reply or "…" in mention.text:
            continue
        span = _span(read, mention.text)
        if span is None or not numbering.fits(mention):
            continue
        start, end = span
        if mention.prefix is None and mention.year is None:
            # a number written alone ("No. 1017", "#1017") is an invoice's only after a word
            # that says so ("发票号 1017", "Invoice 1017")
            if not _INVOICE_WORD_RE.search(read, max(0, start - _WORD_REACH), start):
                continue
        token = _token(original, start, end)
        if token in seen:
            continue
        seen.add(token)
        out.append(Written(mention, token, original[start:end] != read[start:end]))
    return out


def _span(text: str, written: str) -> tuple[int, int] | None:
    m = re.search(rf"(?<![0-9]){re.escape(written)}(?![0-9])", text)
    return (m.start(), m.end()) if m else None


def _token(text: str, start: int, end: int) -> str:
    """The whole token around ``text[start:end]`` (``QH-`` before ``INV-2026-1017``)."""
    while start > 0 and text[start - 1] in _TOKEN_CHARS:
        start -= 1
    while end < len(text) and text[end] in _TOKEN_CHARS and text[end] not in "-_/.":
        end += 1
    return text[start:end].strip("-_/.")


def reference_notes(
    book: Book, numbering: Numbering, numbers: Sequence[Written], candidate: Candidate
) -> list[Reason]:
    """What the numbers of the reference say of ``candidate``, when the reference does not name
    its invoices: a number one typo away from one of them, or a number that names none of them
    (another open invoice, or none at all). Empty for a candidate the reference names; for one
    read through a typo, only that the number as written is another open invoice.

    :param numbers: the reference's numbers (``written_numbers``).
    """
    if candidate.referenced:
        return []
    paid = [inv for inv, _ in candidate.allocations]
    notes = offer_notes(book, numbering, numbers, candidate.customer, paid, offer=False)
    if candidate.ref_hits:
        # read as a typo (or a bare number) of its invoice, which its reason says already: only
        # that the number as written is another open invoice is news
        notes = [n for n in notes if n.parts[0].code in _OTHER_INVOICE]
    return notes[:_MOST_NOTES]


def offer_notes(
    book: Book,
    numbering: Numbering,
    numbers: Sequence[Written],
    customer: str,
    paid: Sequence[InvoiceRecord],
    *,
    offer: bool = True,
) -> list[Reason]:
    """What the numbers of the reference say of paying ``paid``, invoices of ``customer`` the
    reference does not name: an ``offer`` of the oldest open items, or (``offer=False``) a
    candidate of the engine."""
    notes = [
        note
        for w in numbers
        if (note := _note(book, numbering, w, customer, paid, offer=offer)) is not None
    ]
    return notes[:_MOST_NOTES]


def _note(
    book: Book,
    numbering: Numbering,
    written: Written,
    customer: str,
    paid: Sequence[InvoiceRecord],
    *,
    offer: bool = False,
) -> Reason | None:
    """What ``written`` says of paying ``paid``. For an ``offer`` of the oldest open items
    (which the payer did not choose) an invoice of the customer paid already, named or one
    typo away, comes first: the payer may have paid it twice."""
    mention = written.mention
    named = numbering.named(mention)
    if any(inv in paid for inv in named):
        if not written.lookalike:
            return None
        invoice = next(inv for inv in named if inv in paid)
        return _supporting("ref_differs_letter", written, invoice)
    if named:
        other = _other_invoice(book, customer, paid[0].currency, named)
        if other is not None or not offer:
            return other  # a named invoice paid already is the engine's own reason
        settled = [i for i in named if i.customer == customer and book.open_amount(i) <= 0]
        return _paid_already("ref_names_paid", written, settled[0]) if settled else None
    near_paid = _settled_near(book, numbering, mention, customer) if offer else None
    if near_paid is None:
        for inv in paid:
            parts = numbering.parts.get(inv.number)
            how = _near(mention, parts) if parts is not None else None
            if how is not None:
                code = "ref_differs_swapped" if how == SWAPPED else "ref_differs_digit"
                return _supporting(code, written, inv)
        near_paid = _settled_near(book, numbering, mention, customer)
    if near_paid is not None:
        return _paid_already("ref_near_paid", written, near_paid)
    return Reason.coded(
        CRITERION,
        0.0,
        "ref_names_no_invoice",
        written=written.text,
        customer=customer,
    )


def _paid_already(code: str, written: Written, invoice: InvoiceRecord) -> Reason:
    return Reason.coded(CRITERION, 0.0, code, written=written.text, invoice=invoice.number)


def _settled_near(
    book: Book, numbering: Numbering, mention: Mention, customer: str
) -> InvoiceRecord | None:
    """The customer's invoice, paid already, that ``mention`` is one typo away from: the payer
    may have paid it a second time."""
    for variant, _how in typo_variants(mention.digits):
        for inv in numbering.by_seq.get(int(variant), ()):
            parts = numbering.parts[inv.number]
            if (
                inv.customer == customer
                and _near(mention, parts) is not None
                and book.open_amount(inv) <= 0
            ):
                return inv
    return None


def _supporting(code: str, written: Written, invoice: InvoiceRecord) -> Reason:
    return Reason.coded(CRITERION, _TYPO_SCORE, code, written=written.text, invoice=invoice.number)


def _other_invoice(
    book: Book, customer: str, currency: str, named: list[InvoiceRecord]
) -> Reason | None:
    """The warning for a number that is another invoice's, when it is open in the payment's
    currency (a closed one, or one in another currency, has its own reason already)."""
    open_ = [i for i in named if i.currency == currency and book.open_amount(i) > 0]
    if not open_:
        return None
    own = next((i for i in open_ if i.customer == customer), None)
    if own is not None:
        return Reason.coded(
            CRITERION,
            0.0,
            "ref_names_another",
            invoice=own.number,
            customer=customer,
        )
    other = open_[0]
    return Reason.coded(
        CRITERION,
        0.0,
        "ref_names_other_customer",
        invoice=other.number,
        other=other.customer,
        customer=customer,
    )
