"""Change the dunning ladder and the write-off limits (flush only; audited)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..banking.context import WRITE_OFF_LIMITS_KEY
from ..followups.service import ensure_default_ladder
from ..models import AppSetting, DunningStep, User

ACTIONS = ("sms", "email", "call", "letter", "legal")


class SettingsError(Exception):
    """The settings given do not make sense (overlapping ranges, unknown action...)."""


@dataclass(frozen=True)
class StepInput:
    id: int | None
    min_days: int
    max_days: int | None
    action: str
    active: bool
    description: str


def check_ladder(steps: list[StepInput]) -> None:
    """Refuse unknown actions, inverted ranges and active steps whose ranges overlap."""
    for s in steps:
        if s.action not in ACTIONS:
            raise SettingsError(f"unknown action {s.action!r}")
        if s.min_days < 1 or (s.max_days is not None and s.max_days < s.min_days):
            raise SettingsError(f"{s.min_days}–{s.max_days}: the range is not valid")
    active = sorted((s for s in steps if s.active), key=lambda s: s.min_days)
    for before, after in pairwise(active):
        if before.max_days is None or before.max_days >= after.min_days:
            raise SettingsError(
                f"the ranges starting at day {before.min_days} and day {after.min_days} overlap"
            )


def save_ladder(session: Session, steps: list[StepInput], *, user: User) -> list[DunningStep]:
    """Replace the ladder with ``steps`` (existing rows updated in place, missing ones off)."""
    check_ladder(steps)
    existing = {s.id: s for s in ensure_default_ladder(session)}
    kept = set()
    for s in steps:
        row = existing.get(s.id) if s.id else None
        if row is None:
            row = DunningStep(min_days=s.min_days, action=s.action)
            session.add(row)
        row.min_days, row.max_days, row.action = s.min_days, s.max_days, s.action
        row.active, row.description = s.active, s.description
        if s.id:
            kept.add(s.id)
    for step_id, row in existing.items():
        if step_id not in kept:
            row.active = False  # never deleted: old tasks point at their step
    session.flush()
    record(
        session,
        actor=user,
        action="settings.dunning_ladder",
        entity_type="setting",
        entity_id="dunning_ladder",
        data={"steps": [s.__dict__ for s in steps]},
    )
    return list(session.scalars(select(DunningStep).order_by(DunningStep.min_days)))


def save_write_off_limits(session: Session, limits: dict[str, Decimal], *, user: User) -> None:
    """Store the largest write-off allowed per currency."""
    if any(v < 0 for v in limits.values()):
        raise SettingsError("a limit cannot be negative")
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
        actor=user,
        action="settings.write_off_limits",
        entity_type="setting",
        entity_id=WRITE_OFF_LIMITS_KEY,
        data=value,
    )
