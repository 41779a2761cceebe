"""Find invoice and PO numbers in remittance text, however the payer spelt them.

Invoice numbers are indexed as (prefix, year, sequence) with the sequence as an integer, so
``INV-2026-00123``, ``INV2026-00123``, ``inv 2026 123`` and ``发票号INV-2026-00123`` all land on
the same key; a bare sequence (``发票123``) is looked up by sequence alone. Typo variants (two
adjacent digits swapped, one digit wrong) are generated on demand and looked up in O(1).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from .identifiers import rf_bodies
from .messages import Message
from .records import InvoiceRecord

MentionKind = Literal["full", "sequence", "bare"]
HitKind = Literal["exact", "sequence", "bare", "typo"]

SWAPPED = "two digits swapped"
DIGIT_WRONG = "one digit wrong"

_NUMBER_RE = re.compile(r"^([A-Z]*)[^A-Z0-9]*(?:((?:19|20)\d{2})[^A-Z0-9]*)?(\d+)$")
_SEP = r"[\s\-_/.#:：]"
_YEAR_SEQ = rf"(\d{{1,12}})(?:{_SEP}{{1,3}}(\d{{1,7}}))?"
_KEYWORD_RE = re.compile(
    r"(?:发票号码|发票号|发票|票号|INVOICES?\s*(?:NO|NUMBER|NR|#)?|INV\s*NO|NO\b|#"
    r"|(?<![A-Z])RECHNUNG(?:EN)?(?:\s*(?:NR|NUMMER)\b)?|(?<![A-Z])RE(?=\s*:))"
    r"\s*[.:：#]?\s*(\d{1,7})(?![\d])"
)
_REPLY_RE = re.compile(r"RE\s*:")
"""The keyword "Re:" of a reply (``Re: 1234``), which says nothing of an invoice."""
_SYMBOL_LABEL = r"(?:VS|V\.\s?S\.|VAR\.?\s*SYMB(?:OL)?\.?|VARIABILN[IÍ]\s+SYMBOL)\s*[.:：#]?\s*"
_YEAR_GLUED_RE = re.compile(
    # "VS 2026117" (a Czech or Slovak variable symbol), "FV2026117" (a prefix the ERP does not
    # print): a year and a sequence written together, after a label or letters
    rf"(?<![A-Z0-9])(?:{_SYMBOL_LABEL}|([A-Z]{{1,4}}))((?:19|20)\d{{2}})(\d{{1,6}})(?!\d)"
)
_NUMBER_BEFORE_RE = re.compile(rf"(?:[A-Z]|(?<![A-Z]){_SYMBOL_LABEL})$")
"""What makes digits that look like a date a number: letters glued to them (FV20260117), or
a variable-symbol label (VS 20260117)."""
_YEAR_ONLY_RE = re.compile(r"(?<![\dA-Z])((?:19|20)\d{2})[-/](\d{3,7})(?![\d-])")
_OTHER_DOCUMENT_RE = re.compile(r"(?<![A-Z])([A-Z]{1,6})[-_/.# ]?$")
_NUMBER_LABELS = frozenset({"NO", "NR", "NUM", "INV", "INVOICE", "REF", "RE", "FOR", "PAY"})
_BARE_RE = re.compile(r"(?<![\dA-Z.,])(\d{3,7})(?![\d.,])")
_RANGE_RE = re.compile(r"\s*(?:至|到|~|～|-)\s*(\d{1,7})(?![\d])")
_CONTINUATION_RE = re.compile(
    r"\s*(?:[、,，/&;；+]|和|及|AND|UND)\s*(\d{1,7})"
    # an amount after the numbers is no number of the list: "1234, 5000元", "1234, 5000.00"
    r"(?![\d])(?![.,]\d|\s*(?:元|RMB|CNY|YUAN|EUR|USD))"
)
_DATE_RE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?:[-/.年]\d{1,2}[-/.月]\d{1,2}日?|(?:0[1-9]|1[0-2])[0-3]\d)(?!\d)"
)
_PO_WINDOW = 4
"""The most tokens of a remittance text read together as one PO or payment reference."""
_TOKEN_RE = re.compile(r"[A-Z0-9]+(?:[-_/.][A-Z0-9]+)*")


def canonical_text(text: str) -> str:
    """Return remittance text in NFKC form (full-width characters made plain), upper-case."""
    if text.isascii():
        return text.upper()
    return unicodedata.normalize("NFKC", text).upper()


_NOT_ALNUM_RE = re.compile(r"[^A-Z0-9]+")
_NOT_DIGIT_RE = re.compile(r"[^0-9]+")


def alnum(text: str) -> str:
    """Return ``text`` reduced to its upper-case ASCII letters and digits."""
    return _NOT_ALNUM_RE.sub("", canonical_text(text))


@dataclass(frozen=True, slots=True)
class NumberKey:
    """An invoice number as (letters prefix, year or None, sequence without leading zeros)."""

    prefix: str
    year: int | None
    seq: int


def parse_invoice_number(number: str) -> NumberKey | None:
    """Split an invoice number such as ``INV-2026-00123`` into its prefix, year and sequence."""
    m = _NUMBER_RE.match(canonical_text(number).strip())
    if not m:
        return None
    prefix, year, seq = m.groups()
    return NumberKey(prefix, int(year) if year else None, int(seq))


@dataclass(frozen=True, slots=True)
class Mention:
    """A number found in remittance text, as written (``text``) and as a key."""

    text: str
    prefix: str | None
    year: int | None
    seq: int
    digits: str
    kind: MentionKind
    listed: bool = False
    """A later number of a list (``5678`` of ``发票1234、5678``), written without prefix."""
    reply: bool = False
    """Written after "Re:" alone (``Re: 1234``), a reply's word rather than an invoice's: the
    number may be the payer's order, ticket or letter as well as an invoice."""


@functools.lru_cache(maxsize=64)
def _prefix_pattern(prefixes: frozenset[str]) -> re.Pattern[str] | None:
    alternatives = "|".join(sorted({re.escape(p) for p in prefixes if p}, key=len, reverse=True))
    if not alternatives:
        return None
    return re.compile(rf"(?<![A-Z])({alternatives}){_SEP}{{0,3}}(?:NO\.?\s*)?{_YEAR_SEQ}(?!\d)")


def _mentions_with_prefix(
    text: str, prefixes: frozenset[str]
) -> Iterator[tuple[int, int, Mention]]:
    pattern = _prefix_pattern(prefixes)
    if pattern is None:
        return
    for m in pattern.finditer(text):
        prefix, first, second = m.group(1), m.group(2), m.group(3)
        year: int | None = None
        if second is not None and len(first) == 4 and first[:2] in ("19", "20"):
            year, digits = int(first), second
        elif second is None and len(first) >= 7 and first[:2] in ("19", "20"):
            year, digits = int(first[:4]), first[4:]
        else:
            digits = first
        kind: MentionKind = "full" if year is not None else "sequence"
        yield m.start(), m.end(), Mention(m.group(0), prefix, year, int(digits), digits, kind)
        # "INV-2026-00123至00125": a short range names every number in it
        pos = m.end()
        r = _RANGE_RE.match(text, pos)
        if r and int(digits) < int(r.group(1)) <= int(digits) + 5:
            last = int(r.group(1))
            for seq in range(int(digits) + 1, last):
                # numbers inside the range are not written: give them empty, distinct spans
                yield (
                    -seq,
                    -seq,
                    Mention(f"{m.group(0)}…{r.group(1)}", prefix, year, seq, str(seq), kind),
                )
            yield r.start(1), r.end(1), Mention(r.group(1), prefix, year, last, r.group(1), kind)
            pos = r.end()
        # "INV-2026-00123、00124、00125": the following numbers share prefix and year
        for start, end, d in _continued(text, pos):
            yield start, end, Mention(d, prefix, year, int(d), d, kind, listed=True)


def _continued(text: str, pos: int) -> Iterator[tuple[int, int, str]]:
    """The numbers that continue a list from ``pos`` (``、00124、00125``, `` & 5678``, `` und
    5678``), with their spans."""
    while True:
        c = _CONTINUATION_RE.match(text, pos)
        if not c:
            return
        yield c.start(1), c.end(1), c.group(1)
        pos = c.end()


def extract_mentions(text: str, prefixes: Iterable[str] = ("INV",)) -> list[Mention]:
    """Return the invoice numbers mentioned in ``text``, best-spelt first.

    ``full`` mentions carry a year (``INV-2026-00123``, ``2026-00123``); ``sequence`` mentions
    a prefix or a keyword with only the sequence (``INV-123``, ``发票号123``); ``bare`` ones are
    any other 2-7 digit run, which counts only when amount and payer agree.
    """
    return list(_extract_mentions(text, frozenset(prefixes)))


@functools.lru_cache(maxsize=4096)
def _extract_mentions(text: str, prefixes: frozenset[str]) -> tuple[Mention, ...]:
    text = canonical_text(text)
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    seen: set[tuple[int | None, int]] = set()

    def add(start: int, end: int, mention: Mention) -> bool:
        if any(s < end and start < e for s, e in taken):
            return False
        taken.append((start, end))
        key = (mention.year, mention.seq)
        if key not in seen:
            seen.add(key)
            found.append(mention)
        return True

    # dates are not invoice numbers
    taken.extend(
        (m.start(), m.end())
        for m in _DATE_RE.finditer(text)
        if not _NUMBER_BEFORE_RE.search(text, max(0, m.start() - 24), m.start())
    )
    for start, end, mention in _mentions_with_prefix(text, prefixes):
        add(start, end, mention)
    for m in _YEAR_ONLY_RE.finditer(text):
        other = _OTHER_DOCUMENT_RE.search(text, max(0, m.start() - 8), m.start())
        if other and other.group(1) not in prefixes and other.group(1) not in _NUMBER_LABELS:
            # "HT-2026-0456", "SO-2026-00123": another document's number (a contract, an
            # order, a credit note), not an invoice of ours
            continue
        add(
            m.start(),
            m.end(),
            Mention(m.group(0), None, int(m.group(1)), int(m.group(2)), m.group(2), "full"),
        )
    for m in _YEAR_GLUED_RE.finditer(text):
        # letters glued to the number are its prefix: "SO2026117" is no FV/2026/117
        letters, year, d = m.group(1), m.group(2), m.group(3)
        add(m.start(2), m.end(3), Mention(m.group(0), letters, int(year), int(d), d, "sequence"))
    for m in _KEYWORD_RE.finditer(text):
        d = m.group(1)
        reply = _REPLY_RE.match(m.group(0)) is not None
        if add(m.start(1), m.end(1), Mention(d, None, None, int(d), d, "sequence", reply=reply)):
            # "发票1234、5678", "invoices 1234 & 5678", "Rechnungen 1234 und 5678": the later
            # numbers of the list are invoice numbers as much as the first
            for start, end, d in _continued(text, m.end()):
                add(start, end, Mention(d, None, None, int(d), d, "sequence", True, reply))
    for m in _BARE_RE.finditer(text):
        d = m.group(1)
        if len(d) == 7 and d[:2] in ("19", "20"):
            # "2026117": read as the ERP's numbers are, year and sequence (FV2026117)
            add(m.start(1), m.end(1), Mention(d, None, int(d[:4]), int(d[4:]), d[4:], "bare"))
        else:
            add(m.start(1), m.end(1), Mention(d, None, None, int(d), d, "bare"))
    order = {"full": 0, "sequence": 1, "bare": 2}
    found.sort(key=lambda mt: order[mt.kind])
    return tuple(found)


def typo_variants(digits: str) -> Iterator[tuple[str, str]]:
    """Yield ``(variant, how)`` for ``digits`` with two adjacent digits swapped or one changed."""
    seen = {digits}
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            v = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            if v not in seen:
                seen.add(v)
                yield v, SWAPPED
    for i, ch in enumerate(digits):
        for d in "0123456789":
            if d != ch:
                v = digits[:i] + d + digits[i + 1 :]
                if v not in seen:
                    seen.add(v)
                    yield v, DIGIT_WRONG


@dataclass(frozen=True, slots=True)
class ReferenceHit:
    """An invoice the reference points at, and how (exactly, by sequence, or through a typo)."""

    invoice: InvoiceRecord
    mention: Mention
    kind: HitKind
    via: str = ""
    """For typos: what was wrong (``two digits swapped``)."""

    def describe(self) -> Message:
        """Return what this hit says, as a coded message."""
        written = self.mention.text.strip()
        number = self.invoice.number
        if self.kind == "typo":
            code = "ref_typo_swapped" if self.via == SWAPPED else "ref_typo_digit"
            return Message.of(code, written=written, invoice=number)
        if self.kind == "exact":
            if alnum(written) == alnum(number):
                return Message.of("ref_contains", invoice=number)
            return Message.of("ref_contains_as", written=written, invoice=number)
        return Message.of("ref_contains_sequence", written=written, invoice=number)


class InvoiceIndex:
    """Open invoices indexed by normalised number, by PO number and by alphanumeric form."""

    def __init__(self, invoices: Sequence[InvoiceRecord]) -> None:
        self.by_year_seq: dict[tuple[int, int], list[InvoiceRecord]] = defaultdict(list)
        self.by_seq: dict[int, list[InvoiceRecord]] = defaultdict(list)
        self.by_alnum: dict[str, list[InvoiceRecord]] = defaultdict(list)
        self.by_po: dict[str, list[InvoiceRecord]] = defaultdict(list)
        self.by_po_digits: dict[str, list[InvoiceRecord]] = defaultdict(list)
        self.keys: dict[str, NumberKey | None] = {}
        self.prefixes: set[str] = {"INV"}
        for inv in invoices:
            key = parse_invoice_number(inv.number)
            self.keys[inv.number] = key
            self.by_alnum[alnum(inv.number)].append(inv)
            if key is not None:
                if key.prefix:
                    self.prefixes.add(key.prefix)
                if key.year is not None:
                    self.by_year_seq[(key.year, key.seq)].append(inv)
                self.by_seq[key.seq].append(inv)
            if inv.po_number:
                po = alnum(inv.po_number)
                # a reference without a digit ("Test payment", "Services") is words, which any
                # remittance text may hold, not an identifier
                if po and any(ch.isdigit() for ch in po):
                    self.by_po[po].append(inv)
                digits = _NOT_DIGIT_RE.sub("", po)
                if len(digits) >= 4 and digits != po:
                    self.by_po_digits[digits].append(inv)

    def mentions(self, text: str) -> list[Mention]:
        """Return the invoice-number mentions in ``text`` (see ``extract_mentions``)."""
        return extract_mentions(text, self.prefixes) if text else []

    def _matches_prefix(self, inv: InvoiceRecord, mention: Mention) -> bool:
        key = self.keys.get(inv.number)
        if key is None or mention.prefix is None or not key.prefix:
            return True
        return key.prefix == mention.prefix

    def hits(self, text: str) -> list[ReferenceHit]:
        """Return the invoices ``text`` names exactly or by sequence (typos not included)."""
        hits: list[ReferenceHit] = []
        seen: set[str] = set()
        # a creditor reference is printed in groups of four ("RF18 INV2 0260 0123"): its body,
        # once the check digits verify, is a token as much as a number written whole
        for token in [*_TOKEN_RE.findall(canonical_text(text)), *_verified_bodies(text)]:
            for inv in self.by_alnum.get(
                token.replace("-", "").replace("_", "").replace("/", "").replace(".", ""), ()
            ):
                if inv.number not in seen:
                    seen.add(inv.number)
                    hits.append(
                        ReferenceHit(inv, Mention(token, None, None, 0, "", "full"), "exact")
                    )
        for mention in self.mentions(text):
            if mention.year is not None:
                found = self.by_year_seq.get((mention.year, mention.seq), [])
            else:
                found = self.by_seq.get(mention.seq, [])
            kind: HitKind = "exact" if mention.kind == "full" else mention.kind
            found = [inv for inv in found if self._matches_prefix(inv, mention)]
            if mention.listed and mention.year is None:
                found = _listed(found, {h.invoice.customer for h in hits})
            for inv in found:
                if inv.number not in seen:
                    seen.add(inv.number)
                    hits.append(ReferenceHit(inv, mention, kind))
        return hits

    def typo_hits(self, text: str) -> list[ReferenceHit]:
        """Return invoices whose number differs from a mentioned one by a swap or one digit."""
        hits: list[ReferenceHit] = []
        verified = _verified_bodies(text)
        for mention in self.mentions(text):
            if mention.kind == "bare" or len(mention.digits) < 3:
                continue
            if any(alnum(mention.text) in body for body in verified):
                # check digits that verify rule out a typo: the payer copied the reference
                continue
            for variant, how in typo_variants(mention.digits):
                seq = int(variant)
                if mention.year is not None:
                    found = self.by_year_seq.get((mention.year, seq), [])
                else:
                    found = self.by_seq.get(seq, [])
                for inv in found:
                    if self._matches_prefix(inv, mention):
                        hits.append(ReferenceHit(inv, mention, "typo", how))
        return hits

    def po_hits(self, text: str) -> list[tuple[InvoiceRecord, str]]:
        """Return ``(invoice, PO as written)`` for every PO number found in ``text``."""
        tokens = _TOKEN_RE.findall(canonical_text(text))
        found: list[tuple[InvoiceRecord, str]] = []
        seen: set[str] = set()
        candidates = [(t, alnum(t)) for t in tokens]
        # "PO 88123": the label and the number are separate tokens; a payment reference of
        # several groups ("4444 tsoin 5555 tsoin 6666") is quoted by its groups of digits
        for size in range(2, _PO_WINDOW + 1):
            for start in range(len(tokens) - size + 1):
                window = tokens[start : start + size]
                candidates.append((" ".join(window), alnum("".join(window))))
        for written, key in candidates:
            for inv in self.by_po.get(key, ()):
                if inv.number not in seen:
                    seen.add(inv.number)
                    found.append((inv, written))
            digits = _NOT_DIGIT_RE.sub("", key)
            if len(digits) >= 4:
                by_digits = self.by_po_digits.get(digits, ())
                # of the references with these digits, those holding the token as written
                # ("INV/2025/1273" is in "INV/2025/1273 - Bob", not in "Admin SO2025/1273")
                holding = [i for i in by_digits if key in alnum(i.po_number or "")]
                for inv in holding or by_digits:
                    if inv.number not in seen:
                        seen.add(inv.number)
                        found.append((inv, written))
        return found


def _listed(found: list[InvoiceRecord], named: set[str]) -> list[InvoiceRecord]:
    """Of the invoices a later number of a list names without prefix or year (the 5678 of
    "发票1234、5678"), those of the customers the list's other numbers name (if they name any),
    and only where the customer has no other open invoice of that number: "5678" is
    INV-2026-5678 only when INV-2025-5678 is not open too."""
    if named:
        found = [inv for inv in found if inv.customer in named]
    per_customer: dict[str, int] = defaultdict(int)
    for inv in found:
        per_customer[inv.customer] += 1
    return [inv for inv in found if per_customer[inv.customer] == 1]


def _verified_bodies(text: str) -> tuple[str, ...]:
    """The bodies of the creditor references in ``text`` whose check digits verify."""
    return tuple(rf_bodies(text)) if "RF" in canonical_text(text) else ()
