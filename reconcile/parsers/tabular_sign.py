"""Which way round a bank export's amounts go: our own account's side and the running balance.

Exports disagree on signs (one signed column, unsigned debit and credit columns, or signs the
other way round); the rows' payer/payee columns and the running balance settle it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..layouts import TabularLayout
from ..model import ParseSettings
from ..problems import problem
from .tabular_io import Row
from .tabular_values import our_side, unless_placeholder


@dataclass(slots=True)
class Line:
    """One data row, read: dates, the signed amount, the balance and the raw cell texts."""

    number: int
    cells: Row
    booking_date: dt.date
    value_date: dt.date | None
    amount: Decimal
    """Signed the normal way: positive = money in."""
    balance: Decimal | None
    fields: dict[str, str]
    warnings: list[str]


def settle_our_side(
    lines: Sequence[Line], settings: ParseSettings, statement: str | None = None
) -> int:
    """Turn rows whose payer or payee column names our account the right way; return how many
    rows the columns settled. ``statement``: the account the statement states as its own."""
    settled = 0
    for line in lines:
        side = our_side(line.fields, settings, statement)
        if side is None:
            continue
        settled += 1
        if (side == "credit") != (line.amount >= 0):
            # the payer and payee columns name our account: that settles the direction even
            # when the amount column is unsigned or signed the other way
            line.amount = -line.amount
            f = line.fields
            if (
                f.get("credit")
                or f.get("debit")
                or f.get("direction")
                or (f.get("amount", "").lstrip().startswith(("-", "+")))
            ):
                line.warnings.append(
                    problem("our_account_payee" if side == "credit" else "our_account_payer")
                )
    return settled


def apply_sign(
    lines: Sequence[Line], layout: TabularLayout | None, settled: int, *, card: bool = False
) -> tuple[int, str]:
    """Apply the layout's sign convention (or the one the balance or the texts prove); return
    the order. ``card``: the file says it is a card statement (信用卡, credit card)."""
    sign = layout.sign if layout is not None else "auto"
    if sign == "auto":
        turn_negative_split_entries(lines)
    if sign == "auto" and not settled and balance_before(lines):
        for line in lines:
            if line.balance is not None:
                line.balance += line.amount  # the balance after the entry, as elsewhere
        return balance_order(lines, 1)
    order = balance_order(lines, 1)
    because = None
    if sign == "auto" and not settled and not flagged(lines):
        if inverted_fits_better(lines):
            because = "sign_inverted"
        elif charges_positive(lines, card=card):
            because = "sign_inverted_charges"
    if sign == "inverted" or because:
        for line in lines:
            line.amount = -line.amount
            if because:
                line.warnings.append(problem(because))
        order = balance_order(lines, 1)
    elif sign == "auto" and not settled and unsigned_charges(lines, card=card):
        for line in lines:
            if not _money_in(line.fields):
                line.amount = -line.amount
                line.warnings.append(problem("sign_unsigned_charges"))
    return order


def turn_negative_split_entries(lines: Sequence[Line]) -> None:
    """Read a minus in a debit or credit column as the other side where the balance proves it.

    Separate 支出/收入 columns hold unsigned amounts, and a minus in them is usually the bank's
    habit of signing a whole column (read as the column says). CIB's export books a
    reversal (当日冲账, 冲正) as a negative amount in the column of the entry it takes back:
    -20.00 under 支出 is 20.00 coming in. Such rows are turned when the running balance moves
    by the turned amount to or from a neighbouring row (and not by the amount as read), and
    the balance then chains through the whole file: a balance column that does not add up
    (OCA's fixtures) proves nothing.
    """
    turned = [line for index, line in enumerate(lines) if _balance_turns(lines, index)]
    if not turned:
        return
    before = _chained(lines)
    for line in turned:
        line.amount = -line.amount
    pairs = sum(
        1 for a, b in itertools.pairwise(lines) if a.balance is not None and b.balance is not None
    )
    after = _chained(lines)
    if after > before and after >= 0.8 * pairs:
        for line in turned:
            line.warnings.append(problem("split_amount_negative"))
        return
    for line in turned:
        line.amount = -line.amount


def _chained(lines: Sequence[Line]) -> int:
    return max(balance_order(lines, 1)[0], balance_order(lines, -1)[0])


def _balance_turns(lines: Sequence[Line], index: int) -> bool:
    """True when row ``index`` is a negative split amount the balance reads the other way."""
    line = lines[index]
    if line.balance is None or not _negative_split(line.fields):
        return False
    neighbours = [lines[i] for i in (index - 1, index + 1) if 0 <= i < len(lines)]
    moves = [line.balance - o.balance for o in neighbours if o.balance is not None]
    return -line.amount in moves and line.amount not in moves


def _negative_split(fields: dict[str, str]) -> bool:
    """True when the row's one amount stands in a debit or credit column, written negative."""
    written = [fields.get(role, "").strip() for role in ("debit", "credit")]
    filled = [text for text in written if unless_placeholder(text)]
    return len(filled) == 1 and filled[0].startswith(("-", "−"))


def flagged(lines: Sequence[Line]) -> bool:
    """True when every row's debit/credit flag (借/贷, 收/支, D/C) says its direction.

    A bank's own flag is not second-guessed by the running balance: a balance column that
    chains better the other way round (a balance before the entry, rows out of order within a
    day) says more about the balance than about the flags.
    """
    return bool(lines) and all(line.fields.get("direction") for line in lines)


# 返还: money given back (BOCOM's 刷卡金返还, a card bonus returned)
_REFUND = re.compile(r"退款|退货|返还|\brefunds?\b|\breturns?\b", re.IGNORECASE)
_PURCHASE = re.compile(r"消费|\bpurchases?\b", re.IGNORECASE)
# on a card statement a repayment is money in: "掌上生活还款", "PAYMENT - THANK YOU", Taiwan's
# 繳款 (Cathay's "CUBEApp轉帳繳款")
_REPAYMENT = re.compile(
    r"还款|還款|[缴繳]款|\bpayment\W+thank\s*you\b|\bpayment\s+received\b", re.IGNORECASE
)


def charges_positive(lines: Sequence[Line], *, card: bool) -> bool:
    """True when a signed amount column counts charges positive and refunds negative.

    Card statements (CGB's, CMB's, most issuers') print what the holder spent as a positive
    amount and a refund or a repayment as a negative one. Without a running balance the
    texts tell: refunds (退款, 退货, refund) must be money in and purchases (消费) money
    out; on a card statement, repayments (还款, "payment - thank you") are money in too. Only
    a column holding both signs, with at least two rows against the normal way round (one on
    a card statement) and hardly any with it, is turned.
    """
    if any(line.balance is not None for line in lines):
        return False  # the balance decides (inverted_fits_better)
    against = along = 0
    signs: set[bool] = set()
    for line in lines:
        f = line.fields
        if f.get("credit") or f.get("debit") or f.get("direction"):
            return False  # the columns say the direction
        if not line.amount:
            continue
        signs.add(line.amount > 0)
        text = f"{f.get('description', '')} {f.get('type', '')}"
        if _REFUND.search(text) or (card and _REPAYMENT.search(text)):
            money_in = True
        elif _PURCHASE.search(text):
            money_in = False
        else:
            continue
        if money_in == (line.amount > 0):
            along += 1
        else:
            against += 1
    # on a card statement one repayment or refund signed negative, none positive, is enough
    least = 1 if card else 2
    return len(signs) == 2 and against >= least and against >= 4 * along


def _text(fields: dict[str, str]) -> str:
    return f"{fields.get('description', '')} {fields.get('type', '')}"


def _money_in(fields: dict[str, str]) -> bool:
    text = _text(fields)
    return bool(_REFUND.search(text) or _REPAYMENT.search(text))


_SIGNED = re.compile(r"[-+−(]|\b(?:CR|DR)\b", re.IGNORECASE)


def unsigned_charges(lines: Sequence[Line], *, card: bool) -> bool:
    """True when a card export writes every amount unsigned and its words give the direction.

    BOCOM's card export (交易说明 ``消费 美团``, ``退货 美团``, ``信用卡还款 ...`` beside
    ``CNY 2.99`` in 交易币种/金额) has no sign, no debit or credit column and no balance: the
    entry's first word says which way it went. On a card, refunds and repayments (退货, 退款,
    返还, 还款, "payment - thank you") are money in and every other entry is a charge. The
    file must show it is a card's: its title or name says so, or it holds a repayment beside
    a purchase (消费) (a merchant's own export of its card takings has purchases coming in but
    no repayments). On a card's statement every unsigned amount is a charge but for refunds
    and repayments, whatever words the entries use.
    """
    if not lines or any(line.balance is not None for line in lines):
        return False
    for line in lines:
        f = line.fields
        if f.get("credit") or f.get("debit") or f.get("direction"):
            return False
        if _SIGNED.search(f.get("amount", "")) or line.amount < 0:
            return False
    if card:
        # the file says it is a card's (Rakuten's, CTBC's statements name no purchase as such)
        return True
    texts = [_text(line.fields) for line in lines]
    if not any(_PURCHASE.search(text) for text in texts):
        return False
    return any(_REPAYMENT.search(text) for text in texts)


def balance_order(lines: Sequence[Line], sign: int) -> tuple[int, str]:
    """Count how many consecutive rows chain through the balance, oldest first or newest first."""
    asc = desc = 0
    for before, after in itertools.pairwise(lines):
        if before.balance is None or after.balance is None:
            continue
        if after.balance - before.balance == sign * after.amount:
            asc += 1
        if before.balance - after.balance == sign * before.amount:
            desc += 1
    if desc > asc:
        return desc, "newest_first"
    if asc == 0 and len(lines) > 1 and lines[0].booking_date > lines[-1].booking_date:
        return 0, "newest_first"
    return asc, "oldest_first"


def balance_before(lines: Sequence[Line]) -> bool:
    """True when the balance column holds each row's balance *before* its entry.

    ASN Bank's export prints the balance before the entry ("saldo voor mutatie"): in the
    order the dates run, the older row's amount leads to the newer row's balance. Read as a
    balance after the entry it chains too, but only backwards in time and with the signs
    turned; the dates settle which it is. (The other ambiguity, a balance after the entry
    that runs against the dates with the amounts signed as read, is left a balance after.)
    """
    if len(lines) < 3 or lines[0].booking_date == lines[-1].booking_date:
        return False
    ordered = lines if lines[0].booking_date < lines[-1].booking_date else lines[::-1]
    # (older amount, newer amount, the balance's move from the older row to the newer one)
    steps = [
        (o.amount, n.amount, n.balance - o.balance)
        for o, n in itertools.pairwise(ordered)
        if o.balance is not None and n.balance is not None
    ]
    if len(steps) < 2:
        return False
    after = max(sum(move == s * new for _, new, move in steps) for s in (1, -1))
    hits = sum(move == old for old, _, move in steps)
    return hits >= 0.8 * len(steps) and hits > after


def inverted_fits_better(lines: Sequence[Line]) -> bool:
    normal, _ = balance_order(lines, 1)
    inverted, _ = balance_order(lines, -1)
    return inverted > normal
