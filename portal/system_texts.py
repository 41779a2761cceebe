"""Reasons Concord itself writes into stored rows, shown in the reader's language.

Jobs and services store a short English reason where a person would type one (a ledger
record's reason, an audit event's reason). The rows keep the English, which is what the
audit trail recorded; pages pass the text through :func:`system_text`, which names the
known ones in the reader's language and leaves anything a person typed as it is.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

#: the exact reasons Concord stores
FIXED: dict[str, Any] = {
    "bank charge": _l("bank charge"),
    "advance payment": _l("advance payment"),
    "settled in the ERP": _l("settled in the ERP"),
    "every item left out": _l("every item left out"),
    "the invoice is settled or the case closed": _l("the invoice is settled or the case closed"),
    "an invoice it suggested was settled meanwhile": _l(
        "an invoice it suggested was settled meanwhile"
    ),
}
#: reasons with a value in them: pattern, message (its parameters are the pattern's groups)
PATTERNS: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"^suggestion (?P<n>\d+) accepted$"), _l("suggestion %(n)s accepted")),
    # a background job's error (portal.jobs.queue): the exception itself stays as raised
    (
        re.compile(r"^attempt (?P<n>\d+) failed: (?P<error>.+)$", re.S),
        _l("attempt %(n)s failed: %(error)s"),
    ),
    (
        re.compile(
            r"^worker (?P<worker>.+?) stopped during attempt (?P<n>\d+) "
            r"\(no heartbeat for (?P<seconds>\S+) s\)$"
        ),
        _l("worker %(worker)s stopped during attempt %(n)s (no heartbeat for %(seconds)s s)"),
    ),
    (
        re.compile(
            r"^worker (?P<worker>.+?) stopped during attempt (?P<n>\d+) "
            r"\(no heartbeat for (?P<seconds>\S+) s\); taken over$"
        ),
        _l(
            "worker %(worker)s stopped during attempt %(n)s (no heartbeat for %(seconds)s s); "
            "taken over"
        ),
    ),
)


def system_text(value: object) -> str:
    """Return ``value`` in the reader's language when Concord wrote it, else unchanged."""
    text = "" if value is None else str(value)
    fixed = FIXED.get(text)
    if fixed is not None:
        return str(fixed)
    for pattern, message in PATTERNS:
        found = pattern.match(text)
        if found:
            return str(message) % found.groupdict()
    return text
