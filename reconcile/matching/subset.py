"""Bounded subset-sum over one customer's open items, exact in whole units (see ``book.units``)."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SubsetResult:
    """The combinations found (indices into the items) and whether the search was cut short."""

    solutions: list[tuple[int, ...]]
    exhausted: bool
    """True when the node budget ran out before the search space was covered."""


def find_subsets(
    amounts: Sequence[int],
    low: int,
    high: int,
    *,
    required: Sequence[int] = (),
    min_size: int = 2,
    max_size: int = 6,
    node_budget: int = 20_000,
    max_solutions: int = 16,
    meet_in_the_middle: bool = False,
) -> SubsetResult:
    """Return combinations of ``amounts`` (whole units) whose total lies in ``[low, high]``.

    :param required: indices every combination must contain (invoices the reference names).
    :param min_size: fewest items in a combination (required ones included).
    :param max_size: most items in a combination.
    :param node_budget: most search steps; the result says when it ran out.
    :param max_solutions: stop after this many combinations.
    :param meet_in_the_middle: when the budget runs out on an exact total (``low == high``),
        finish with a complete meet-in-the-middle search if its halves stay under
        ``MITM_LIMIT`` (then the result is not ``exhausted``).
    """
    req = sorted(set(required))
    base = sum(amounts[i] for i in req)
    if len(req) > max_size or base > high:
        return SubsetResult([], False)
    free = sorted((i for i in range(len(amounts)) if i not in set(req)), key=lambda i: -amounts[i])
    values = [amounts[i] for i in free]
    n = len(values)
    solutions: list[tuple[int, ...]] = []
    nodes = 0
    exhausted = False
    chosen: list[int] = []

    def dfs(start: int, total: int) -> bool:
        # returns False to stop the whole search
        nonlocal nodes, exhausted
        size = len(req) + len(chosen)
        if low <= total <= high and size >= min_size:
            solutions.append(tuple(sorted(req + [free[j] for j in chosen])))
            if len(solutions) >= max_solutions:
                return False
        slots = max_size - size
        if slots <= 0:
            return True
        for j in range(start, n):
            nodes += 1
            if nodes > node_budget:
                exhausted = True
                return False
            value = values[j]
            if total + value > high:
                continue  # values are sorted descending: a smaller one may still fit
            # the largest `slots` values from j on are the most this branch can add
            if total + sum(values[j : j + slots]) < low:
                return True
            chosen.append(j)
            keep_going = dfs(j + 1, total + value)
            chosen.pop()
            if not keep_going:
                return False
        return True

    if low <= high:
        dfs(0, base)
    if exhausted and meet_in_the_middle and low == high:
        # the depth-first search ran out of steps (a customer with dozens of open items): an
        # exact total can still be found, completely, by meeting in the middle
        complete = _complete_exactly(
            values, free, req, low - base, min_size, max_size, max_solutions, solutions
        )
        if complete is not None:
            return SubsetResult(complete, False)
    return SubsetResult(solutions, exhausted)


def _complete_exactly(
    values: Sequence[int],
    free: Sequence[int],
    req: list[int],
    target: int,
    min_size: int,
    max_size: int,
    max_solutions: int,
    solutions: list[tuple[int, ...]],
) -> list[tuple[int, ...]] | None:
    """Add the meet-in-the-middle solutions to ``solutions``; None when it is too big to run."""
    found = _meet_in_the_middle(values, target, max_size - len(req), max_solutions)
    if found is None:
        return None
    out = list(solutions)
    for combo in found:
        if len(req) + len(combo) >= min_size:
            solution = tuple(sorted(req + [free[j] for j in combo]))
            if solution not in out:
                out.append(solution)
    return out[:max_solutions]


MITM_LIMIT = 300_000
"""Most half-combinations the meet-in-the-middle search may list (keeps it bounded): enough
for 6 invoices among 120 open items of one customer, about a second of search."""


def _meet_in_the_middle(
    values: Sequence[int], target: int, max_size: int, max_solutions: int
) -> list[tuple[int, ...]] | None:
    """Return up to ``max_solutions`` index combinations of 1..``max_size`` ``values`` adding up
    to ``target`` exactly, or None when listing the halves would exceed ``MITM_LIMIT``.

    Every combination (sorted indices) is split once: its first ``size // 2`` indices form the
    left half, the rest the right half; right halves are looked up by their total.
    """
    n = len(values)
    if max_size <= 0 or target <= 0:
        return []
    right_size = (max_size + 1) // 2
    if sum(math.comb(n, k) for k in range(1, right_size + 1)) > MITM_LIMIT:
        return None
    right: dict[int, list[tuple[int, ...]]] = defaultdict(list)
    for k in range(1, right_size + 1):
        for combo in itertools.combinations(range(n), k):
            total = sum(values[j] for j in combo)
            if total <= target:
                right[total].append(combo)
    out: list[tuple[int, ...]] = []
    for k in range(0, max_size // 2 + 1):
        for left in itertools.combinations(range(n), k):
            total = sum(values[j] for j in left)
            if total > target:
                continue
            last = left[-1] if left else -1
            for rest in right.get(target - total, ()):
                # the split is unique: right half after the left one, one item longer at most
                if rest[0] > last and len(rest) in (k, k + 1) and k + len(rest) <= max_size:
                    out.append(left + rest)
                    if len(out) >= max_solutions:
                        return out
    return out
