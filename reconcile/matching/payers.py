"""Who paid: the payer's account, name, aliases, learned payers and other spellings.

A mixin of :class:`~reconcile.matching.engine.Matcher`, kept apart because identifying the payer
is its own question, asked before any invoice is looked at.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from ..classify import says_advance
from ..model import Transaction
from ..own import OwnParty, account_key
from .behalf import paid_for_text, parties
from .book import Book, account_keys, fmt, mask, units
from .identifiers import accounts_in_text, codes_in_text
from .messages import Message
from .names import name_key, one_character_off, raw_key, reference_windows
from .records import InvoiceRecord, MatchDecision, ProposedAllocation, Reason, Suggestion
from .settings import MatchSettings
from .short_names import ShortNames, names_somebody
from .spellings import SpellingIndex
from .strategies import BehalfDoubt, PayerEvidence, PayerKind
from .subset import find_subsets

ZERO = Decimal("0")
_SPLIT_ITEMS = 40
"""Most open invoices, of all the customers a text pays for together, searched for a split."""
_SPLIT_CONFIDENCE = 0.8
"""A part of a split the text and the amount agree on: offered first, never applied unseen."""


class PayerMixin:
    """Payer identification for the matcher (needs ``book``, ``settings``, ``_spellings``)."""

    book: Book
    settings: MatchSettings
    own: OwnParty
    _spellings: SpellingIndex | None
    _short_names: ShortNames | None

    def payers(
        self, tx: Transaction
    ) -> tuple[dict[str, PayerEvidence], str | None, BehalfDoubt | None]:
        """Return the customers the payer may be, the one it certainly is (if any), and the
        doubt about whom the text pays on behalf of (if any).

        A text that says the payment is made on behalf of one customer (代…付款, "on behalf
        of") names the customer whose invoices it pays: that customer stands for the payer,
        and the payer itself, known or not, is a third party. A short name several customers
        share, or a name no customer has, is a doubt for a person to settle.
        """
        evidence = self._bank_payers(tx)
        paid_for, doubt = self._paid_for(tx)
        if doubt is not None and doubt.several:
            # the names the text gives are those it pays on behalf of, not the payer's
            evidence = {k: e for k, e in evidence.items() if e.kind != "in_reference"}
        if paid_for and not any(e.strong and e.customer in paid_for for e in evidence.values()):
            # the one customer paid for stands for the payer; the customers a shared short
            # name may mean (or the text names together) join the payer as possible ones
            evidence = paid_for if doubt is None else {**paid_for, **evidence}
        if doubt is not None and any(
            e.strong and e.customer in doubt.among for e in evidence.values()
        ):
            doubt = None  # the payer itself is one of the customers of that short name
        strong = [e.customer for e in evidence.values() if e.strong]
        return evidence, strong[0] if len(strong) == 1 else None, doubt

    def _paid_for(self, tx: Transaction) -> tuple[dict[str, PayerEvidence], BehalfDoubt | None]:
        """The one customer the text (or the payer's name) says the payment is made for, or
        the doubt about whom it is made for."""
        for text in (tx.reference or "", tx.payer_name or ""):
            whom = paid_for_text(text)
            if not whom:
                continue
            several = self._several_named(whom)
            if len(several) > 1:
                return self._paid_for_several(several)
            # its full name, code or account among the words, or the words exactly its name
            named = set(self._named_in_reference(whom)) or set(self.book.names.exact(whom))
            if len(named) > 1:
                return {}, None  # several customers named in full: names nobody
            if not named:
                return self._by_short_name(whom)
            (code,) = named
            message = Message.of(
                "payer_on_behalf", matched=self.book.customers[code].name, customer=code
            )
            return {code: PayerEvidence(code, "on_behalf", 1.0, message)}, None
        return {}, None

    def _several_named(self, whom: str) -> dict[str, str]:
        """The customers ``whom`` names in full, one by each name it joins with "and"
        (华联贸易有限公司及美达商行): ``{code: name}``, ``{}`` when it joins no names."""
        names = parties(whom)
        found: dict[str, str] = {}
        if len(names) < 2:
            return found
        for name in names:
            codes = set(self.book.names.exact(name)) or set(self._named_in_reference(name))
            if len(codes) == 1:
                (code,) = codes
                found.setdefault(code, self.book.customers[code].name)
        return found

    def _paid_for_several(
        self, several: dict[str, str]
    ) -> tuple[dict[str, PayerEvidence], BehalfDoubt]:
        """Each customer a text pays on behalf of, naming them all in full, as a possible payer;
        whose invoices it pays is a person's to say."""
        evidence = {
            code: PayerEvidence(
                code,
                "on_behalf_unsure",
                0.9,
                Message.of("payer_on_behalf_among", matched=name, customer=code),
            )
            for code, name in sorted(several.items())
        }
        shown = ", ".join(f"{name} ({code})" for code, name in sorted(several.items()))
        doubt = Message.of("payer_on_behalf_several", count=len(several), customers=shown)
        return evidence, BehalfDoubt(doubt, frozenset(several), several=True)

    def behalf_offers(
        self, tx: Transaction, doubt: BehalfDoubt, offered: Collection[str] = ()
    ) -> list[Suggestion]:
        """What a credit paying on behalf of several customers named in full may pay of each
        (but those ``offered`` already) when no invoice of theirs fits the amount: the oldest
        open invoices the money covers."""
        if not doubt.several or says_advance(tx.reference):
            return []
        offers: list[Suggestion] = []
        for code in sorted(doubt.among - set(offered)):
            offer = self._oldest_first(tx, code) or self._all_open(tx, code)
            if offer is not None:
                offers.extend(offer.suggestions)
        return offers[: self.settings.max_suggestions]

    def behalf_split(self, tx: Transaction, doubt: BehalfDoubt | None) -> list[Suggestion]:
        """The parts of a credit paying on behalf of several customers named in full whose
        open invoices, some of each, add up to the amount exactly: one suggestion per customer,
        the largest part first (one payment is applied to one customer's invoices, so a person
        applies one part and the rest of the money to the other)."""
        if doubt is None or not doubt.several or says_advance(tx.reference):
            return []
        items = [
            inv for code in sorted(doubt.among) for inv in self.book.open_items(code, tx.currency)
        ]
        if len(items) > _SPLIT_ITEMS:
            return []  # so many open invoices fit some total by chance: a person looks
        target = units(tx.amount)
        found = find_subsets(
            [units(self.book.open_amount(i)) for i in items],
            target,
            target,
            min_size=len(doubt.among),
            max_size=self.settings.max_subset_size,
            node_budget=self.settings.subset_node_budget,
        )
        every = [s for s in found.solutions if {items[j].customer for j in s} == doubt.among]
        if not every:
            return []
        # the fewest invoices, then the oldest
        best = min(every, key=lambda s: (len(s), sorted(items[j].issue_date for j in s)))
        chosen = [items[j] for j in sorted(best)]
        parts = {
            code: [
                ProposedAllocation(i.number, self.book.open_amount(i))
                for i in chosen
                if i.customer == code
            ]
            for code in doubt.among
        }
        order = sorted(parts, key=lambda code: (-sum(a.amount for a in parts[code]), code))
        return [self._split_part(tx, code, parts[code], chosen) for code in order]

    def _split_part(
        self,
        tx: Transaction,
        customer: str,
        allocations: list[ProposedAllocation],
        chosen: list[InvoiceRecord],
    ) -> Suggestion:
        """The suggestion of ``customer``'s part of a split: the invoices of every customer
        that make up the amount, and, when the part is all the customer owes, the rest of the
        money it leaves unapplied."""
        listed = ", ".join(f"{i.number} ({i.customer})" for i in chosen)
        found = [Message.of("amount_total", count=len(chosen), invoices=listed)]
        part = sum((a.amount for a in allocations), ZERO)
        if len(allocations) == len(self.book.open_items(customer, tx.currency)):
            found.append(
                Message.of(
                    "all_open",
                    amount=fmt(tx.amount),
                    customer=customer,
                    invoices=", ".join(a.invoice for a in allocations),
                    open=fmt(part),
                    rest=fmt(tx.amount - part),
                )
            )
        reason = Reason.of("amount", 1.0, *found)
        return Suggestion(customer, tuple(allocations), _SPLIT_CONFIDENCE, (reason,))

    def _all_open(self, tx: Transaction, customer: str) -> MatchDecision | None:
        """Offer every open invoice of ``customer`` in full, the rest of the money unapplied."""
        items = self.book.open_items(customer, tx.currency)
        if not items:
            return None
        total = sum((self.book.open_amount(i) for i in items), ZERO)
        return self._offer(
            tx,
            customer,
            [ProposedAllocation(i.number, self.book.open_amount(i)) for i in items],
            "all_open",
            invoices=", ".join(i.number for i in items),
            open=fmt(total),
            rest=fmt(tx.amount - total),
        )

    def _by_short_name(self, whom: str) -> tuple[dict[str, PayerEvidence], BehalfDoubt | None]:
        """The customer paid for by the short name ``whom`` (华联, ``ACME``), when it is the
        short name of one customer; else the doubt (several customers, or none)."""
        codes = self._short_name_index().lookup(whom)
        written = whom if len(whom) <= 40 else whom[:39] + "…"
        customers = self.book.customers
        if len(codes) == 1:
            (code,) = codes
            message = Message.of(
                "payer_on_behalf_short",
                written=written,
                matched=customers[code].name,
                customer=code,
            )
            return {code: PayerEvidence(code, "on_behalf", 1.0, message)}, None
        if codes:
            evidence = {
                code: PayerEvidence(
                    code,
                    "on_behalf_unsure",
                    0.9,
                    Message.of(
                        "payer_on_behalf_maybe",
                        matched=customers[code].name,
                        customer=code,
                        written=written,
                    ),
                )
                for code in sorted(codes)
            }
            listed = sorted(codes)
            shown = ", ".join(listed[:5]) + (f" (+{len(listed) - 5})" if len(listed) > 5 else "")
            doubt = Message.of("payer_on_behalf_unsure", written=written, customers=shown)
            return evidence, BehalfDoubt(doubt, frozenset(codes))
        if names_somebody(whom):
            return {}, BehalfDoubt(Message.of("payer_on_behalf_unknown", written=written))
        return {}, None

    def _short_name_index(self) -> ShortNames:
        """The customers' short names, indexed on first use."""
        if self._short_names is None:
            self._short_names = ShortNames(self.book.customer_names())
        return self._short_names

    def _bank_payers(self, tx: Transaction) -> dict[str, PayerEvidence]:
        """The customers the bank's payer account and name (or failing them, the remittance
        text) point at."""
        book = self.book
        evidence: dict[str, PayerEvidence] = {}
        acct = account_key(tx.payer_account)
        if acct:
            keys = account_keys(tx.payer_account)
            for code in sorted({code for key in keys for code in book.accounts.get(key, ())}):
                evidence[code] = PayerEvidence(
                    code,
                    "account",
                    1.0,
                    Message.of("payer_account", account=mask(acct), customer=code),
                )
            for code in book.learned_accounts.get(acct, ()):
                evidence.setdefault(
                    code,
                    PayerEvidence(
                        code,
                        "learned_account",
                        1.0,
                        Message.of("payer_account_learned", account=mask(acct), customer=code),
                    ),
                )
        name = (tx.payer_name or "").strip()
        if name and not evidence:
            key = name_key(name)
            for code in book.learned_names.get(key, ()):
                evidence[code] = PayerEvidence(
                    code,
                    "learned_name",
                    1.0,
                    Message.of("payer_name_learned", name=name, customer=code),
                )
            exact = book.names.exact(name)
            if exact:
                # an exact name needs no fuzzy search; its near-namesakes have other keys
                found = {code: (1.0, book.names.name_of(code, key)) for code in exact}
                if len(exact) > 1:
                    found.update(self._branch_rivals(name, exact))
            else:
                found = book.names.lookup(name, min_similarity=self.settings.name_min_similarity)
            for code, (score, matched) in found.items():
                if code in evidence:
                    continue
                kind_name = book.name_kinds.get((code, name_key(matched)))
                if score >= 0.999 and kind_name is not None and name_key(matched) == key:
                    kind: PayerKind = "alias" if kind_name[0] == "alias" else "name"
                    message = Message.of(
                        "payer_alias" if kind == "alias" else "payer_name",
                        name=name,
                        customer=code,
                        matched=matched,
                    )
                    evidence[code] = PayerEvidence(code, kind, 1.0, message)
                else:
                    # one character off the customer's name, whatever others it resembles
                    mistyped = one_character_off(name, matched)
                    evidence[code] = PayerEvidence(
                        code,
                        "mistyped" if mistyped else "fuzzy",
                        score,
                        Message.of(
                            "payer_one_off" if mistyped else "payer_similar",
                            percent=round(score * 100),
                            matched=matched,
                            customer=code,
                        ),
                    )
        if name and not any(e.strong for e in evidence.values()):
            # a spelling (pinyin, another name order) beats a merely similar name
            evidence.update(self._other_spellings(name))
        if not evidence and tx.reference:
            # nobody by account or name: the remittance text may name the customer
            evidence.update(self._named_in_reference(tx.reference))
        return evidence

    def _oldest_first(self, tx: Transaction, customer: str) -> MatchDecision | None:
        """Offer a payment that fits no invoice or combination to the customer's oldest open
        invoices: in full while it lasts, the next one in part; a payment smaller than the
        oldest invoice as a part of it.

        Only when it pays less than everything open and the payer does not call it an advance
        or a deposit; offered, not applied, since an advance payment looks the same.
        """
        items = self.book.open_items(customer, tx.currency)
        if not items or says_advance(tx.reference):
            return None
        total = sum((self.book.open_amount(i) for i in items), ZERO)
        if tx.amount >= total:
            return None
        oldest = items[0]
        if tx.amount < self.book.open_amount(oldest):
            return self._offer(
                tx,
                customer,
                [ProposedAllocation(oldest.number, tx.amount)],
                "part_of_oldest",
                invoice=oldest.number,
                open=fmt(self.book.open_amount(oldest)),
            )
        left = tx.amount
        allocations: list[ProposedAllocation] = []
        for item in items:
            if left <= 0:
                break
            take = min(left, self.book.open_amount(item))
            allocations.append(ProposedAllocation(item.number, take))
            left -= take
        return self._offer(
            tx,
            customer,
            allocations,
            "oldest_first",
            count=len(allocations) - 1,
            invoice=allocations[-1].invoice,
        )

    def _offer(
        self,
        tx: Transaction,
        customer: str,
        allocations: list[ProposedAllocation],
        code: str,
        **params: object,
    ) -> MatchDecision:
        """Suggest ``allocations`` to a person, at the suggestion threshold, for reason ``code``."""
        confidence = self.settings.suggest_threshold
        reason = Reason.coded(
            "oldest_first", confidence, code, amount=fmt(tx.amount), customer=customer, **params
        )
        suggestion = Suggestion(customer, tuple(allocations), confidence, (reason,))
        return MatchDecision(
            tx,
            "suggested",
            customer=customer,
            confidence=confidence,
            reasons=[reason],
            suggestions=[suggestion],
        )

    def _other_spellings(self, name: str) -> dict[str, PayerEvidence]:
        """The one customer ``name`` spells another way (pinyin, name order, initials)."""
        codes = self._spelling_index().lookup(name)
        if len(codes) != 1:
            return {}  # nobody, or several customers spelt alike: a namesake is never assumed
        (code,) = codes
        message = Message.of(
            "payer_spelling", name=name, matched=self.book.customers[code].name, customer=code
        )
        return {code: PayerEvidence(code, "spelling", 1.0, message)}

    def _spelling_index(self) -> SpellingIndex:
        """The customers' other spellings, indexed on first use (most files never need them)."""
        if self._spellings is None:
            self._spellings = SpellingIndex(self.book.customer_names())
        return self._spellings

    def _named_in_reference(self, reference: str) -> dict[str, PayerEvidence]:
        """The one customer whose full name (or alias, or a person's name in either order) the
        remittance text holds: ``1234//HADDOCK-Archibald``, ``INV 17 ACME TRADING LTD``,
        ``上海华美贸易有限公司货款``. A name of one word counts only with its legal form; several
        customers named in one text name nobody."""
        by_identifier = self._identified_in_text(reference)
        if by_identifier is not None:
            return by_identifier
        found: dict[str, str] = {}
        for window in reference_windows(reference):
            for code in self.book.names.exact(window):
                found.setdefault(code, self.book.names.name_of(code, name_key(window)))
            if len(found) > 1:
                return {}
        if not found:
            spellings = self._spelling_index()
            for window in reference_windows(reference, latin_only=True):
                for code in spellings.lookup(window):
                    found.setdefault(code, self.book.customers[code].name)
                if len(found) > 1:
                    return {}
        if len(found) != 1:
            return {}
        ((code, matched),) = found.items()
        message = Message.of("payer_in_reference", matched=matched, customer=code)
        return {code: PayerEvidence(code, "in_reference", 1.0, message)}

    def _identified_in_text(self, reference: str) -> dict[str, PayerEvidence] | None:
        """The one customer whose code (``Party: CUST-001``, ``RF92CUST001``) or bank account
        the remittance text holds; ``{}`` when it holds several customers' (which names
        nobody), ``None`` when none."""
        book = self.book
        found: dict[str, Message] = {}
        for code, written in codes_in_text(reference, book.codes).items():
            found[code] = Message.of("payer_code_in_reference", written=written, customer=code)
        for key in accounts_in_text(reference):
            for acct in account_keys(key):
                for code in book.accounts.get(acct, set()) | book.learned_accounts.get(acct, set()):
                    found.setdefault(
                        code,
                        Message.of("payer_account_in_reference", account=mask(key), customer=code),
                    )
        if not found:
            return None
        if len(found) > 1:
            return {}
        ((code, message),) = found.items()
        return {code: PayerEvidence(code, "in_reference", 1.0, message)}

    def _branch_rivals(self, name: str, codes: set[str]) -> dict[str, tuple[float, str]]:
        """Among customers whose names share ``name``'s key (a company and its branches, which
        the key leaves out), find those the payer is less likely to be.

        The customer whose full name is exactly the payer's (branch included) wins; failing
        that, one whose full name begins the payer's (the parent of an unknown branch). The
        others are kept as weak, not certain, payers.
        """
        payer = raw_key(name)
        names = {
            code: [
                raw_key(n)
                for n in (self.book.customers[code].name, *self.book.customers[code].aliases)
            ]
            for code in codes
            if code in self.book.customers
        }
        for tier in (
            lambda full: full == payer,
            lambda full: len(full) < len(payer) and payer.startswith(full),
        ):
            winners = {code for code, fulls in names.items() if any(tier(f) for f in fulls)}
            if len(winners) == 1:
                (winner,) = winners
                return {
                    code: (0.9, self.book.customers[code].name)
                    for code in codes
                    if code != winner and code in self.book.customers
                }
        return {}

    # ------------------------------------------------------------------ candidates
