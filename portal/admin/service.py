"""Change the write-off limits (flush only; audited). Ladders live under follow-ups."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..audit.service import record
from ..errors import ConcordError
from ..ledger.service import WRITE_OFF_LIMITS_KEY
from ..models import AppSetting, User


class SettingsError(ConcordError):
    """The settings given do not make sense."""


def save_write_off_limits(session: Session, limits: dict[str, Decimal], *, user: User) -> None:
    """Store the largest write-off allowed per currency."""
    if any(v < 0 for v in limits.values()):
        raise SettingsError(_("a limit cannot be negative"))
    row = session.get(AppSetting, WRITE_OFF_LIMITS_KEY)
    value = {k.upper(): str(v) for k, v in limits.items()}
    if row is None:
        row = AppSetting(key=WRITE_OFF_LIMITS_KEY, value=value)
        session.add(row)
    else:
        row.value = value
    row.updated_by_id = user.id
    session.flush()
    record(
        session,
        user,
        "settings.write_off_limits",
        row,
        data=value,
    )
