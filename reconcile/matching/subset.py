"""Bounded subset-sum over one customer's open items, exact in cents."""

from __future__ import annotations

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
) -> SubsetResult:
    """Return combinations of ``amounts`` (cents, positive) whose total lies in ``[low, high]``.

    :param required: indices every combination must contain (invoices the reference names).
    :param min_size: fewest items in a combination (required ones included).
    :param max_size: most items in a combination.
    :param node_budget: most search steps; the result says when it ran out.
    :param max_solutions: stop after this many combinations.
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
    return SubsetResult(solutions, exhausted)
