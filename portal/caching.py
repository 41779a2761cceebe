"""Results that take seconds to compute, kept until the data they depend on changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_LOCK = threading.Lock()


def cached_until_changed(cache: dict[str, Any], mark: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned last time if ``mark`` is the same as then.

    :param cache: where the result is kept (one dict per result, e.g. in ``app.extensions``).
    :param mark: what moves when the data changes (cheap to read: the largest ids, a date).
    """
    with _LOCK:
        if cache.get("mark") == mark:
            kept: T = cache["value"]
            return kept
    # computed outside the lock: two requests may both compute, neither waits for the other
    value = compute()
    with _LOCK:
        cache.update(mark=mark, value=value)
    return value
