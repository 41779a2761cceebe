"""The statement confirmation loop: tell, remind, track, reissue, and show how far it got.

- :func:`announce` emails each billing contact of the customer (in the contact's language,
  with a link into the portal) and texts those with a mobile, through the outbox in the
  caller's transaction; :func:`send_reminders` does the same for statements still waiting
  after the configured days. Each message is a :class:`~portal.models.StatementNotice`,
  unique per statement and sequence number, so nothing is sent twice however often the
  scheduler runs.
- :func:`mark_viewed` records the first time a user of the customer opens the statement.
- :func:`reissue` replaces a disputed statement by a corrected version (re-certified by the
  company) once its disputes are decided; the customer is told and confirms the new one.
- :func:`period_summary` and :func:`period_rows` feed the staff page of a period.

Every function flushes and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select, update
from sqlalchemy.orm import Session, aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from statements.build import is_whole_month

from ..audit.service import record
from ..followups.ladders import CollectionSettings, load_settings
from ..i18n import company_name
from ..localtime import local_day
from ..models import (
    Customer,
    Dispute,
    Statement,
    StatementNotice,
    StatementStatus,
    User,
    utcnow,
)
from ..notifications import Addressee, notify, send_sms
from ..phones import sms_number
from .service import OPEN_DISPUTES, StatementServiceError, issue_statement


class NotReissuable(StatementServiceError):
    """The statement cannot be replaced by a corrected version now.

    ``code`` (``no_reason``, ``answered``, ``open_disputes``) and ``params`` let the page say
    it in the reader's language.
    """

    def __init__(self, message: str, code: str, **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Recipient(Addressee):
    """Someone told about a statement: an email address, a mobile, or both."""


def billing_recipients(customer: Customer) -> list[Recipient]:
    """The customer's billing contacts; the customer's own address when it has none."""
    # a text goes to a mobile only: a contact with a landline alone is no recipient
    contacts = [c for c in customer.contacts if c.is_billing and (c.email or sms_number(c.mobile))]
    if contacts:
        return [
            Recipient(
                name=c.name or customer.name,
                email=c.email or None,
                mobile=sms_number(c.mobile),
                language=c.language if c.language in ("zh", "en") else "zh",
            )
            for c in contacts
        ]
    if customer.email:
        return [Recipient(customer.name, customer.email, None, customer.language or "zh")]
    return []


def statement_link(statement: Statement) -> str:
    """The statement's page in the customer portal, as an absolute URL (``BASE_URL``)."""
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}/statements/{statement.id}"


def period_label(start: dt.date, end: dt.date) -> str:
    """``2026-10`` for a calendar month, ``2026-10-01 – 2026-10-15`` otherwise."""
    if is_whole_month(start, end):
        return f"{start.year}-{start.month:02d}"
    return f"{start.isoformat()} – {end.isoformat()}"


def _sms_text(kind: str, statement: Statement, link: str, old: Statement | None) -> str:
    """The text in the current locale, signed with our name as the reminders are (a Chinese
    text message starts with the sender's 【signature】)."""
    locale = get_locale()
    language = locale.language if locale is not None else "zh"
    name = company_name(language)
    text = _sms_body(kind, statement, link, old)
    if not name:
        return text
    return f"【{name}】{text}" if language == "zh" else f"{name}: {text}"


def _sms_body(kind: str, statement: Statement, link: str, old: Statement | None) -> str:
    respond_by = statement.respond_by.isoformat() if statement.respond_by else ""
    period = period_label(statement.period_start, statement.period_end)
    if kind == "reminder":
        return _(
            "Reminder: please confirm statement %(number)s (%(period)s) by %(date)s: %(link)s",
            number=statement.number,
            period=period,
            date=respond_by,
            link=link,
        )
    if kind == "reissued" and old is not None:
        return _(
            "Corrected statement %(number)s replaces %(old)s. Please confirm it by %(date)s: "
            "%(link)s",
            number=statement.number,
            old=old.number,
            date=respond_by,
            link=link,
        )
    return _(
        "Statement %(number)s (%(period)s) is ready. Please confirm it by %(date)s: %(link)s",
        number=statement.number,
        period=period,
        date=respond_by,
        link=link,
    )


def _notify(
    session: Session,
    statement: Statement,
    *,
    kind: str,
    seq: int = 0,
    today: dt.date | None = None,
    actor: User | None = None,
    extra: Iterable[Recipient] = (),
    reason: str = "",
) -> StatementNotice | None:
    """Email and text the statement's recipients once for ``seq``; ``None`` if done before.

    ``today`` (the day the notice is sent on) is the local day now unless given.
    """
    done = session.scalar(
        select(StatementNotice.id).where(
            StatementNotice.statement_id == statement.id, StatementNotice.seq == seq
        )
    )
    if done is not None:
        return None
    link = statement_link(statement)
    old = statement.supersedes
    seen_emails: set[str] = set()
    seen_mobiles: set[str] = set()
    sent: list[str] = []
    emails = texts = 0
    for person in [*billing_recipients(statement.customer), *extra]:
        if person.email and person.email.lower() not in seen_emails:
            seen_emails.add(person.email.lower())
            notify(
                person.email,
                f"statement_{kind}",
                person.language,
                statement=statement,
                old=old,
                name=person.name,
                link=link,
                seq=seq,
                reason=reason,
                period=period_label(statement.period_start, statement.period_end),
            )
            sent.append(person.email)
            emails += 1
        if person.mobile and person.mobile not in seen_mobiles:
            seen_mobiles.add(person.mobile)
            with force_locale(person.language):
                text = _sms_text(kind, statement, link, old)
            send_sms(person.mobile, text)
            sent.append(person.mobile)
            texts += 1
    notice = StatementNotice(
        statement_id=statement.id,
        kind=kind,
        seq=seq,
        sent_on=today or local_day(utcnow()),
        emails=emails,
        sms=texts,
        recipients=sent,
        actor_id=actor.id if actor is not None else None,
    )
    session.add(notice)
    session.flush()
    record(
        session,
        actor,
        f"statement.{'reminded' if kind == 'reminder' else 'notified'}",
        statement,
        actor_label=None if actor is not None else "statement loop",
        data={
            "number": statement.number,
            "kind": kind,
            "seq": seq,
            "emails": emails,
            "sms": texts,
            "recipients": sent,
        },
    )
    return notice


def _count(totals: dict[str, int], told: str, notice: StatementNotice | None) -> None:
    """Add a notice (``None``: nothing was sent) to the run's ``totals``."""
    if notice is not None:
        totals[told] += 1
        totals["emails"] += notice.emails
        totals["sms"] += notice.sms


def announce(
    session: Session,
    statement: Statement,
    *,
    today: dt.date | None = None,
    actor: User | None = None,
) -> StatementNotice | None:
    """Tell the billing contacts that ``statement`` is waiting for them (once)."""
    return _notify(session, statement, kind="issued", today=today, actor=actor)


class Announcer:
    """Announce statements one by one as a run issues them (``after_issue`` of
    :func:`~.service.issue_period`); :attr:`totals` counts who was told and what was written."""

    def __init__(self, session: Session, *, today: dt.date | None = None) -> None:
        self.session = session
        self.today = today
        self.totals = {"announced": 0, "emails": 0, "sms": 0}

    def __call__(self, statement: Statement) -> None:
        """Announce ``statement`` and count it."""
        _count(self.totals, "announced", announce(self.session, statement, today=self.today))


def announce_all(
    session: Session, statements: Sequence[Statement], *, today: dt.date | None = None
) -> dict[str, int]:
    """Announce each statement; return how many were told and the emails and SMS written."""
    announcer = Announcer(session, today=today)
    for statement in statements:
        announcer(statement)
    return announcer.totals


def send_reminders(
    session: Session, today: dt.date, *, settings: CollectionSettings | None = None
) -> dict[str, int]:
    """Remind the billing contacts of every announced statement still waiting for an answer.

    Days count from the day the customer was told (the announcement); a statement told N days
    ago gets reminder k when N reaches the k-th configured day. A run that missed a day sends
    only the latest reminder due, never two at once.
    """
    days = (settings or load_settings(session)).statement_reminder_days
    totals = {"reminders": 0, "emails": 0, "sms": 0}
    if not days:
        return totals
    told = aliased(StatementNotice)
    last_seq = (
        select(StatementNotice.statement_id, func.max(StatementNotice.seq).label("seq"))
        .group_by(StatementNotice.statement_id)
        .subquery()
    )
    rows = session.execute(
        select(Statement, told.sent_on, last_seq.c.seq)
        .join(told, (told.statement_id == Statement.id) & (told.seq == 0))
        .join(last_seq, last_seq.c.statement_id == Statement.id)
        .where(
            Statement.status == StatementStatus.ISSUED,
            told.sent_on <= today - dt.timedelta(days=days[0]),
        )
        .options(joinedload(Statement.customer).selectinload(Customer.contacts))
        .order_by(Statement.id)
    ).all()
    for statement, told_on, sent_seq in rows:
        age = (today - told_on).days
        due = [k for k, d in enumerate(days, start=1) if age >= d]
        if not due or sent_seq >= due[-1]:
            continue
        notice = _notify(session, statement, kind="reminder", seq=due[-1], today=today)
        _count(totals, "reminders", notice)
    return totals


def mark_viewed(session: Session, statement: Statement, user: User) -> bool:
    """Record that a user of the customer opened the statement, the first time only.

    Staff looking at it do not count. Returns whether this was the first view.
    """
    if user.customer_id is None or user.customer_id != statement.customer_id:
        return False
    if statement.viewed_at is not None:
        return False
    now = utcnow()
    first = session.execute(
        update(Statement)
        .where(Statement.id == statement.id, Statement.viewed_at.is_(None))
        .values(viewed_at=now, viewed_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if first.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # already stored by the UPDATE: the loaded row learns it without a second UPDATE
    set_committed_value(statement, "viewed_at", now)
    set_committed_value(statement, "viewed_by_id", user.id)
    record(session, user, "statement.viewed", statement, data={"number": statement.number})
    return True


# -- corrected versions -------------------------------------------------------------------------


def reissue_blocker(session: Session, statement: Statement) -> NotReissuable | None:
    """Why ``statement`` cannot be reissued now (``None``: it can)."""
    if statement.status not in (StatementStatus.ISSUED, StatementStatus.DISPUTED):
        return NotReissuable(
            f"statement {statement.number} is {statement.status.value}: only a statement "
            "waiting for an answer or disputed can be reissued",
            "answered",
            number=statement.number,
            status=statement.status.value,
        )
    open_disputes = session.scalars(
        select(Dispute.number)
        .where(Dispute.statement_id == statement.id, Dispute.status.in_(OPEN_DISPUTES))
        .order_by(Dispute.number)
    ).all()
    if open_disputes:
        numbers = ", ".join(open_disputes)
        return NotReissuable(
            f"decide the open disputes first: {numbers}", "open_disputes", numbers=numbers
        )
    return None


def reissue(
    session: Session,
    statement: Statement,
    actor: User,
    reason: str,
    *,
    today: dt.date | None = None,
) -> Statement:
    """Issue a corrected version of ``statement`` that supersedes it, and tell the customer.

    The old version keeps its certified PDF and evidence (marked superseded, no longer
    confirmable); the new one is built from the ledger as it is now (credit notes of accepted
    disputes included), certified by the company, and announced to the billing contacts and
    to whoever raised the disputes. Once a later period's statement is issued, what was booked
    since the first version counts on the first statement not yet issued instead (see
    :mod:`.late`), so the correction keeps the figures the later statement opened with.

    :raises NotReissuable: no reason, a confirmed or superseded statement, or open disputes.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise NotReissuable("say why the statement is reissued", "no_reason")
    blocker = reissue_blocker(session, statement)
    if blocker is not None:
        raise blocker
    disputes = session.scalars(
        select(Dispute).where(Dispute.statement_id == statement.id).order_by(Dispute.number)
    ).all()
    new = issue_statement(
        session,
        statement.customer,
        statement.period_start,
        statement.period_end,
        issued_by=actor,
        supersedes=statement,
    )
    record(
        session,
        actor,
        "statement.reissued",
        new,
        reason=reason,
        data={
            "number": new.number,
            "supersedes": statement.number,
            "disputes": {d.number: d.status.value for d in disputes},
            "closing_balances": {b.currency: str(b.closing_balance) for b in new.balances},
        },
    )
    raisers = {d.created_by_id: d.created_by for d in disputes}
    extra = [
        Recipient(
            name=user.name or user.email,
            email=user.email,
            mobile=None,
            language=user.language or statement.customer.language or "zh",
        )
        for user in raisers.values()
        if user.is_active
    ]
    _notify(session, new, kind="reissued", today=today, actor=actor, extra=extra, reason=reason)
    return new


def versions(session: Session, statement: Statement) -> list[Statement]:
    """Every version of the statement's customer and period, the newest first."""
    return list(
        session.scalars(
            select(Statement)
            .where(
                Statement.customer_id == statement.customer_id,
                Statement.period_start == statement.period_start,
                Statement.period_end == statement.period_end,
            )
            .order_by(Statement.version.desc())
        )
    )


# -- the staff page of a period -----------------------------------------------------------------

#: the filters of the period page
STATES = ("all", "awaiting", "not_viewed", "viewed", "confirmed", "disputed", "overdue")


@dataclass(frozen=True)
class PeriodSummary:
    """How far the statements of one period got (current versions only)."""

    issued: int
    viewed: int
    confirmed: int
    disputed: int
    awaiting: int
    overdue: int
    reissued: int
    reminded: int

    @property
    def confirmation_rate(self) -> Decimal | None:
        """Confirmed out of issued, in percent with one decimal (``None`` with none issued)."""
        if not self.issued:
            return None
        return (Decimal(self.confirmed) * 100 / Decimal(self.issued)).quantize(Decimal("0.1"))


def periods(session: Session) -> list[tuple[dt.date, dt.date]]:
    """The periods that have statements, the latest first."""
    return [
        (start, end)
        for start, end in session.execute(
            select(Statement.period_start, Statement.period_end)
            .group_by(Statement.period_start, Statement.period_end)
            .order_by(Statement.period_end.desc(), Statement.period_start.desc())
        )
    ]


def _current(start: dt.date, end: dt.date) -> tuple[Any, ...]:
    return (
        Statement.period_start == start,
        Statement.period_end == end,
        Statement.status != StatementStatus.SUPERSEDED,
    )


def _overdue(today: dt.date) -> Any:
    return (Statement.status == StatementStatus.ISSUED) & (Statement.respond_by < today)


def period_summary(
    session: Session,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    *,
    manager_id: int | None = None,
) -> PeriodSummary:
    """Count the period's current statements by how far they got.

    :param manager_id: only customers of this account manager.
    """

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    reminded = select(StatementNotice.statement_id).where(StatementNotice.kind == "reminder")
    query = select(
        func.count(Statement.id),
        count(Statement.viewed_at.is_not(None)),
        count(Statement.status == StatementStatus.CONFIRMED),
        count(Statement.status == StatementStatus.DISPUTED),
        count(Statement.status == StatementStatus.ISSUED),
        count(_overdue(today)),
        count(Statement.version > 1),
        count(Statement.id.in_(reminded)),
    ).where(*_current(start, end))
    if manager_id is not None:
        query = query.join(Customer, Customer.id == Statement.customer_id).where(
            Customer.account_manager_id == manager_id
        )
    row = session.execute(query).one()
    return PeriodSummary(*(int(value) for value in row))


def period_rows(start: dt.date, end: dt.date, state: str, today: dt.date) -> Select[Any]:
    """The period's current statements in ``state`` (one of :data:`STATES`), by customer."""
    query = (
        select(Statement)
        .join(Customer, Customer.id == Statement.customer_id)
        .where(*_current(start, end))
        .options(joinedload(Statement.customer))
        .order_by(Customer.code, Statement.id)
    )
    conditions = {
        "awaiting": Statement.status == StatementStatus.ISSUED,
        "not_viewed": Statement.viewed_at.is_(None),
        "viewed": Statement.viewed_at.is_not(None),
        "confirmed": Statement.status == StatementStatus.CONFIRMED,
        "disputed": Statement.status == StatementStatus.DISPUTED,
        "overdue": _overdue(today),
    }
    if state in conditions:
        query = query.where(conditions[state])
    return query


def notices_of(session: Session, statement_ids: Sequence[int]) -> dict[int, list[StatementNotice]]:
    """The notices of these statements, oldest first, by statement id (one query)."""
    found: dict[int, list[StatementNotice]] = {i: [] for i in statement_ids}
    if statement_ids:
        for notice in session.scalars(
            select(StatementNotice)
            .where(StatementNotice.statement_id.in_(statement_ids))
            .order_by(StatementNotice.seq)
        ):
            found[notice.statement_id].append(notice)
    return found


def decided_disputes(session: Session, statement: Statement) -> list[Dispute]:
    """The disputes raised on ``statement`` (any state), by number."""
    return list(
        session.scalars(
            select(Dispute)
            .where(Dispute.statement_id == statement.id)
            .options(joinedload(Dispute.credit_note))
            .order_by(Dispute.number)
        )
    )


__all__ = [
    "STATES",
    "Announcer",
    "NotReissuable",
    "PeriodSummary",
    "Recipient",
    "announce",
    "announce_all",
    "billing_recipients",
    "decided_disputes",
    "mark_viewed",
    "notices_of",
    "period_label",
    "period_rows",
    "period_summary",
    "periods",
    "reissue",
    "reissue_blocker",
    "send_reminders",
    "statement_link",
    "versions",
]
