"""Collection ladders: the defaults, choosing one for a customer, checking and saving them.

What the messages say (templates, placeholders, preview) is in :mod:`.ladder_messages` and
re-exported here; saving refuses a template with a placeholder that is not in
:data:`PLACEHOLDERS`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit.service import record
from ..errors import ConcordError
from ..models import CHANNELS, AppSetting, Ladder, LadderStep, User
from .ladder_messages import DEFAULT_TEMPLATES as DEFAULT_TEMPLATES
from .ladder_messages import LANGUAGES as LANGUAGES
from .ladder_messages import PLACEHOLDERS as PLACEHOLDERS
from .ladder_messages import money_text as money_text
from .ladder_messages import preview as preview
from .ladder_messages import render as render
from .ladder_messages import template_for as template_for


@dataclass(frozen=True)
class StepSpec:
    """A step's settings: of a built-in ladder, or (as :class:`StepInput`) from the ladder form."""

    name: str
    channel: str
    offset_days: int
    min_gap_days: int
    notify_manager: bool = False
    skippable: bool = False
    auto_approve: bool = False


#: the default ladder: a reminder 3 days before the due date (customer and account manager),
#: then SMS, email, call, letter and legal, each after a minimum gap since the previous step
STANDARD_LADDER = (
    StepSpec("Reminder before the due date", "email", -3, 0, notify_manager=True),
    StepSpec("Polite SMS reminder", "sms", 1, 0),
    StepSpec("Email reminder", "email", 8, 5),
    StepSpec("Call by the account manager", "call", 15, 5),
    StepSpec("Formal letter", "letter", 30, 10),
    StepSpec("Hand over to legal", "legal", 60, 14),
)

#: customers graded C or D: fewer words, sooner calls and letters
WATCH_LADDER = (
    StepSpec("SMS reminder", "sms", 1, 0),
    StepSpec("Call by the account manager", "call", 5, 3),
    StepSpec("Formal letter", "letter", 15, 7),
    StepSpec("Hand over to legal", "legal", 45, 14),
)

#: the built-in ladders' and steps' names in the reader's language (a name finance typed or
#: changed is shown as written; see :func:`shown_name`)
BUILT_IN_NAMES: dict[str, Any] = {
    "Standard": _l("Standard"),
    "Watch list (grades C and D)": _l("Watch list (grades C and D)"),
    "Reminder before the due date": _l("Reminder before the due date"),
    "Polite SMS reminder": _l("Polite SMS reminder"),
    "Email reminder": _l("Email reminder"),
    "Call by the account manager": _l("Call by the account manager"),
    "Formal letter": _l("Formal letter"),
    "Hand over to legal": _l("Hand over to legal"),
    "SMS reminder": _l("SMS reminder"),
}


def shown_name(name: str) -> str:
    """A ladder's or step's name as the reader sees it: a built-in one in their language."""
    known = BUILT_IN_NAMES.get(name)
    return str(known) if known is not None else name


SETTINGS_KEY = "followups.settings"


@dataclass(frozen=True)
class CollectionSettings:
    """Settings of the follow-up run (stored in the ``followups.settings`` AppSetting)."""

    unmatched_after_days: int = 5
    dispute_sla_days: int = 3
    statement_unconfirmed_days: int = 14
    #: days after a statement was issued when its billing contacts are reminded (0: never)
    statement_first_reminder_days: int = 5
    statement_second_reminder_days: int = 10
    task_due_days: int = 2
    #: no SMS or email is sent between these local hours (``quiet_start`` to ``quiet_end``)
    quiet_start: int = 20
    quiet_end: int = 8
    #: at most this many messages (SMS, email, letter) per customer in 7 days
    weekly_cap: int = 3
    #: days after the promised date before a promise counts as broken
    promise_grace_days: int = 3
    #: an excluded proposal is proposed again after this many days
    repropose_after_days: int = 7

    def __post_init__(self) -> None:
        for name in ("quiet_start", "quiet_end"):
            if not 0 <= getattr(self, name) <= 23:
                raise SettingsError(_("%(name)s must be an hour between 0 and 23", name=name))
        for name in (
            "unmatched_after_days",
            "dispute_sla_days",
            "statement_unconfirmed_days",
            "statement_first_reminder_days",
            "statement_second_reminder_days",
            "task_due_days",
            "weekly_cap",
            "promise_grace_days",
            "repropose_after_days",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(_("%(name)s cannot be negative", name=name))
        first, second = self.statement_first_reminder_days, self.statement_second_reminder_days
        if first and second and second <= first:
            raise SettingsError(
                _(
                    "the second statement reminder must come later than the first (or be 0 to "
                    "send only one)"
                )
            )

    @property
    def statement_reminder_days(self) -> tuple[int, ...]:
        """The days after issue when unconfirmed statements are reminded, in order."""
        days = (self.statement_first_reminder_days, self.statement_second_reminder_days)
        return tuple(sorted(d for d in days if d > 0))

    def is_quiet(self, local_hour: int) -> bool:
        """Whether ``local_hour`` falls in the quiet hours (which may span midnight)."""
        if self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= local_hour < self.quiet_end
        return local_hour >= self.quiet_start or local_hour < self.quiet_end


class SettingsError(ConcordError, ValueError):
    """A ladder or setting that does not make sense; the message names what is wrong."""


def load_settings(session: Session) -> CollectionSettings:
    """The run's settings: defaults overridden by the stored ones."""
    row = session.get(AppSetting, SETTINGS_KEY)
    fields = CollectionSettings.__dataclass_fields__
    stored = {k: int(v) for k, v in (row.value if row else {}).items() if k in fields}
    return CollectionSettings(**stored)


def save_settings(session: Session, values: Mapping[str, int], *, user: User) -> CollectionSettings:
    """Validate and store the settings (audited)."""
    current = load_settings(session).__dict__
    merged = {**current, **{k: int(v) for k, v in values.items() if k in current}}
    new = CollectionSettings(**merged)
    row = session.get(AppSetting, SETTINGS_KEY)
    if row is None:
        row = AppSetting(key=SETTINGS_KEY, value={})
        session.add(row)
    row.value = dict(new.__dict__)
    row.updated_by_id = user.id
    session.flush()
    record(
        session,
        user,
        "settings.followups",
        row,
        data={"from": current, "to": new.__dict__},
    )
    return new


# --- ladders ---------------------------------------------------------------------------------


def _add_ladder(session: Session, name: str, specs: Iterable[StepSpec], **kw: Any) -> Ladder:
    ladder = Ladder(name=name, **kw)
    for position, spec in enumerate(specs, start=1):
        step = LadderStep(position=position, templates={})
        _set_step(step, spec)
        ladder.steps.append(step)
    session.add(ladder)
    return ladder


def _set_step(row: LadderStep, spec: StepSpec) -> None:
    """Give a ladder's step the settings of ``spec`` (named after its channel if unnamed)."""
    row.name = spec.name.strip() or spec.channel
    row.channel = spec.channel
    row.offset_days, row.min_gap_days = spec.offset_days, spec.min_gap_days
    row.auto_approve, row.skippable = spec.auto_approve, spec.skippable
    row.notify_manager = spec.notify_manager


def ensure_default_ladders(session: Session) -> list[Ladder]:
    """Create the built-in ladders when there are none; return every ladder, by priority."""
    if session.scalar(select(Ladder.id).limit(1)) is None:
        _add_ladder(session, "Standard", STANDARD_LADDER, priority=100, is_default=True)
        _add_ladder(
            session, "Watch list (grades C and D)", WATCH_LADDER, priority=10, credit_grades="C,D"
        )
        session.flush()
    return all_ladders(session)


def all_ladders(session: Session) -> list[Ladder]:
    """Every ladder with its steps, by priority then name."""
    return list(
        session.scalars(
            select(Ladder)
            .options(selectinload(Ladder.steps))
            .order_by(Ladder.priority, Ladder.name)
        )
    )


def choose_ladder(
    ladders: Iterable[Ladder], *, segment: str | None, grade: str | None
) -> Ladder | None:
    """The first active ladder whose segment and grades fit; else the default ladder."""
    ordered = [lad for lad in ladders if lad.active]
    for ladder in ordered:
        if ladder.is_default:
            continue  # the default ladder is for customers no other ladder fits
        if ladder.segment and (segment or "").strip().lower() != ladder.segment.strip().lower():
            continue
        grades = ladder.grades()
        if grades and (grade or "").upper() not in grades:
            continue
        return ladder
    for ladder in ordered:
        if ladder.is_default:
            return ladder
    return ordered[0] if ordered else None


def active_steps(ladder: Ladder) -> list[LadderStep]:
    """The ladder's active steps in order."""
    return [s for s in ladder.steps if s.active]


def upcoming_step(
    steps: list[LadderStep], *, current_position: int | None, days: int
) -> LadderStep | None:
    """The step a case will take next, now or later: the first after its last one that is not
    passed over. Steps before the due date are passed over once the oldest item is due, and a
    skippable step when the step after it is due already.

    :param days: days since the oldest item's due date (negative: before it).
    """
    later = [s for s in steps if current_position is None or s.position > current_position]
    for index, step in enumerate(later):
        if step.offset_days < 0 and days >= 0:
            continue  # a reminder before the due date makes no sense once it is due
        following = later[index + 1] if index + 1 < len(later) else None
        if step.skippable and following is not None and days >= following.offset_days:
            continue
        return step
    return None


def next_step(
    steps: list[LadderStep],
    *,
    current_position: int | None,
    days: int,
    days_since_step: int | None,
    escalate: bool = False,
) -> LadderStep | None:
    """The step a case takes next, or ``None`` when it must wait.

    :param current_position: position of the case's last step (``None``: no contact yet).
    :param days: days since the oldest item's due date (negative: before it).
    :param days_since_step: days since the last step (``None``: no step yet).
    :param escalate: a broken promise: the minimum gap does not apply to the next step.

    One step per run: old debt starts at the first contact step and climbs step by step,
    each after its minimum gap (:func:`upcoming_step` says which).
    """
    step = upcoming_step(steps, current_position=current_position, days=days)
    if step is None or days < step.offset_days:
        return None
    if days_since_step is not None and not escalate and days_since_step < step.min_gap_days:
        return None
    return step


def lead_days(ladders: Iterable[Ladder]) -> int:
    """How many days before the due date the earliest active step starts (0: none before)."""
    offsets = [s.offset_days for lad in ladders if lad.active for s in lad.steps if s.active]
    return max([0, *(-o for o in offsets)])


# --- messages --------------------------------------------------------------------------------


def placeholders_in(text: str) -> set[str]:
    """The ``{names}`` a template uses; raises :class:`SettingsError` on broken braces."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise SettingsError(_("the template has unbalanced braces: %(exc)s", exc=exc)) from exc


def check_template(text: str) -> None:
    """Refuse placeholders a message cannot fill."""
    unknown = sorted(placeholders_in(text) - set(PLACEHOLDERS))
    if unknown:
        known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        raise SettingsError(
            _("unknown placeholder {%(unknown)s}; use %(known)s", unknown=unknown[0], known=known)
        )


# --- editing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepInput(StepSpec):
    """One row of the ladder form: a step's settings, which step it is (if any), its messages."""

    id: int | None = None
    active: bool = True
    templates: Mapping[str, Mapping[str, str]] | None = None


def check_steps(steps: list[StepInput]) -> None:
    """Refuse unknown channels, steps out of order, auto-approved legal and bad templates."""
    previous: StepInput | None = None
    for number, s in enumerate(steps, start=1):
        where = _("step %(number)s (%(name)s)", number=number, name=s.name or s.channel)
        if s.channel not in CHANNELS:
            raise SettingsError(
                _("%(where)s: unknown channel %(channel)s", where=where, channel=repr(s.channel))
            )
        if s.min_gap_days < 0:
            raise SettingsError(_("%(where)s: the minimum gap cannot be negative", where=where))
        if s.channel == "legal" and s.auto_approve:
            raise SettingsError(
                _("%(where)s: a hand-over to legal always needs a named approver", where=where)
            )
        if previous is not None and s.active and s.offset_days < previous.offset_days:
            raise SettingsError(_("%(where)s: starts before the step above it", where=where))
        for language, tpl in (s.templates or {}).items():
            if language not in LANGUAGES:
                raise SettingsError(
                    _(
                        "%(where)s: unknown language %(language)s",
                        where=where,
                        language=repr(language),
                    )
                )
            for part in ("subject", "body"):
                try:
                    check_template(tpl.get(part) or "")
                except SettingsError as exc:
                    raise SettingsError(
                        _(
                            "%(where)s, %(language)s %(part)s: %(exc)s",
                            where=where,
                            language=language,
                            part=_("subject") if part == "subject" else _("body"),
                            exc=exc,
                        )
                    ) from exc
        if s.active:
            previous = s


def save_ladder(
    session: Session,
    ladder: Ladder | None,
    *,
    name: str,
    segment: str | None,
    credit_grades: str | None,
    priority: int,
    active: bool,
    is_default: bool,
    steps: list[StepInput],
    user: User,
) -> Ladder:
    """Create or change a ladder and its steps (audited).

    Steps are never deleted (cases and proposals point at them): a step left out is made
    inactive and moved after the others.
    """
    name = name.strip()
    if not name:
        raise SettingsError(_("a ladder needs a name"))
    if not any(s.active for s in steps):
        raise SettingsError(_("a ladder needs at least one active step"))
    grades = ",".join(
        sorted({g.strip().upper() for g in (credit_grades or "").split(",") if g.strip()})
    )
    if any(g not in {"A", "B", "C", "D"} for g in grades.split(",") if g):
        raise SettingsError(
            _(
                "credit grades are A, B, C or D (got %(credit_grades)s)",
                credit_grades=repr(credit_grades),
            )
        )
    check_steps(steps)
    clash = session.scalar(select(Ladder).where(Ladder.name == name))
    if clash is not None and clash is not ladder:
        raise SettingsError(_("a ladder named %(name)s exists already", name=repr(name)))
    before = _snapshot(ladder) if ladder is not None else None
    if ladder is None:
        ladder = Ladder(name=name)
        session.add(ladder)
    ladder.name, ladder.segment = name, (segment or "").strip() or None
    ladder.credit_grades = grades or None
    ladder.priority, ladder.active = priority, active
    if is_default:
        for other in session.scalars(select(Ladder).where(Ladder.is_default.is_(True))):
            other.is_default = other is ladder
    ladder.is_default = is_default
    existing = {s.id: s for s in ladder.steps}
    # positions are unique per ladder: park the old ones out of the way first
    for old in existing.values():
        old.position = old.position + 1000
    session.flush()
    kept: list[LadderStep] = []
    for s in steps:
        row = existing.pop(s.id, None) if s.id else None
        if row is None:
            row = LadderStep(position=0)
            ladder.steps.append(row)
        _set_step(row, s)
        row.active = s.active
        row.templates = {
            lang: {k: v for k, v in tpl.items() if v} for lang, tpl in (s.templates or {}).items()
        }
        kept.append(row)
    for row in existing.values():
        row.active = False
        kept.append(row)
    for position, row in enumerate(kept, start=1):
        row.position = position
    session.flush()
    record(
        session,
        user,
        "collections.ladder_saved",
        ladder,
        data={"before": before, "after": _snapshot(ladder)},
    )
    return ladder


#: what the ladder page and the audit trail show of a step (not its messages) and of a ladder
STEP_SETTINGS = (
    "id",
    "name",
    "channel",
    "offset_days",
    "min_gap_days",
    "auto_approve",
    "skippable",
    "notify_manager",
    "active",
)
LADDER_SETTINGS = ("name", "segment", "credit_grades", "priority", "active", "is_default")


def step_settings(step: LadderStep) -> dict[str, Any]:
    """A step's settings as the ladder page and the audit trail show them (no messages)."""
    return {name: getattr(step, name) for name in STEP_SETTINGS}


def ladder_settings(ladder: Ladder) -> dict[str, Any]:
    """Who a ladder is for and whether it runs, as its page and the audit trail show them."""
    return {name: getattr(ladder, name) for name in LADDER_SETTINGS}


def _snapshot(ladder: Ladder) -> dict[str, Any]:
    return {
        **ladder_settings(ladder),
        "steps": [
            {**step_settings(s), "position": s.position, "templates": s.templates}
            for s in ladder.steps
        ],
    }
