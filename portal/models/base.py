"""Declarative base, shared column types and the state-machine helpers."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    MetaData,
    Numeric,
    Table,
    TypeDecorator,
    column,
    inspect,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, Session, mapped_column

from reconcile.currency import minor_digits

from ..errors import ConcordError

if TYPE_CHECKING:
    from .invoices import Invoice

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENT = Decimal("0.01")
#: the finest amount stored: ten-thousandths (the units of account CLF and UYW)
MONEY_PLACES = 4
FINEST = Decimal(1).scaleb(-MONEY_PLACES)


def exact_amount(value: Decimal | float | int | str) -> Decimal:
    """An amount as the database gives it back, with the decimals it was written with.

    At least two decimals (``100`` is ``100.00``, as amounts always read), three or four when the
    amount has them (a Kuwaiti dinar's ``1.234``). SQLite keeps numerics and their sums as
    floats: the float's noise beyond the fourth decimal is dropped.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    cents = number.quantize(CENT)
    if cents == number:  # nearly every amount: one step
        return cents
    fine = number.quantize(FINEST)
    return cents if cents == fine else fine.normalize()


def money_places(currency: str | None) -> int:
    """The decimals an amount in ``currency`` may have: its minor unit (ISO 4217).

    ``JPY`` 0, ``KWD`` 3; ``CNY``, ``EUR`` and unknown codes 2. Trailing zeros are not
    decimals: an ERP that writes ``1000.00`` yen is not refused, ``1000.50`` yen is.
    """
    return minor_digits(currency)


def too_fine(amount: Decimal, currency: str | None) -> bool:
    """Whether ``amount`` has more decimals than ``currency``'s amounts may have."""
    places = money_places(currency)
    try:
        return amount != amount.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than the decimal context holds
        return True


def typed_places(currency: str | None) -> int:
    """The decimals an amount a person types in ``currency`` may have: its minor unit exactly.

    ``JPY`` 0, ``EUR`` 2, ``KWD`` 3; when the currency is not known, the finest amount stored
    (:func:`money_places` takes two then).
    """
    return MONEY_PLACES if not currency else minor_digits(currency)


def typed_amount_problem(amount: Decimal, currency: str | None) -> str | None:
    """Why ``amount``, typed for ``currency``, is refused (translated), or ``None`` if it is not.

    More decimals than the currency has (``12.345`` EUR, ``1000.5`` JPY) is refused rather
    than rounded: trailing zeros are not decimals (``1000.00`` JPY is a thousand yen).
    """
    places = typed_places(currency)
    try:
        fine = amount != amount.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than the decimal context holds
        fine = True
    if not fine:
        return None
    code = (currency or "").upper()
    if not code:
        return _("An amount has at most %(places)d decimals.", places=places)
    if places == 0:
        return _("%(currency)s amounts have no decimals.", currency=code)
    return _("%(currency)s amounts have at most %(places)d decimals.", currency=code, places=places)


class MoneyType(TypeDecorator[Decimal]):
    """Money: 16 digits before the point and up to 4 after, read back as :func:`exact_amount`.

    Always Decimal, never float. Most currencies count cents, the dinars thousandths; an amount
    keeps its currency's decimals (see :func:`reconcile.currency.minor_digits`).
    """

    impl = Numeric(20, MONEY_PLACES, asdecimal=True)
    cache_ok = True

    def process_result_value(self, value: Decimal | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else exact_amount(value)


Money = MoneyType()
#: Scores and ratios between 0 and 1, four decimals.
Money4 = Numeric(6, 4, asdecimal=True)


def utcnow() -> dt.datetime:
    """Return the current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Base class of every Concord table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # every Concord model is declared with columns, so its ``__table__`` is a Table
    # (DeclarativeBase types it as the wider FromClause, which ``insert()`` does not accept)
    __table__: ClassVar[Table]
    #: the ``entity_type`` of this model's rows in the audit trail; ``None``: the class name
    #: in snake case (see :func:`portal.audit.entity_ref`)
    __audit_type__: ClassVar[str | None] = None
    #: the attribute recorded as ``entity_id`` in the audit trail
    __audit_key__: ClassVar[str] = "id"
    type_annotation_map = {
        Decimal: Money,
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
        list[str]: JSON,
    }


class Model(Base):
    """Base class of the tables whose key is a surrogate integer ``id`` (all but settings)."""

    __abstract__ = True

    # first in the table, as it was declared when every model spelled it out
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)


M = TypeVar("M")


def locked(session: Session, row: M) -> M:
    """``row`` read again from the database and locked until the transaction ends.

    Call it before checking a row's status and changing it: of two requests changing the same
    row at the same moment, the second waits for the first to commit, then sees what it did
    (PostgreSQL; SQLite's write requests take the database lock at their start anyway).
    """
    session.flush()
    key = inspect(row).identity  # (not refresh(): it would lock the joined relationships too)
    return session.get_one(type(row), key, with_for_update=True, populate_existing=True)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InvalidTransition(ConcordError):
    """A status change that the model's transition table does not allow."""

    status = 409

    def __init__(self, entity: str, current: str, new: str) -> None:
        super().__init__(f"{entity} cannot go from {current!r} to {new!r}")
        self.entity = entity
        self.current = current
        self.new = new

    def user_message(self) -> str:
        """The refusal in the reader's language (``str(self)`` stays English for the logs)."""
        from ..ui.routes import label  # the status labels; ui imports the models

        entity = ENTITY_NAMES.get(self.entity)
        return _(
            "%(entity)s cannot go from “%(current)s” to “%(new)s”: it was changed meanwhile, "
            "or this step is not allowed.",
            entity=str(entity) if entity is not None else self.entity,
            current=str(label(self.current)),
            new=str(label(self.new)),
        )


#: what each :class:`StatusEnum` names as its ``entity``, for :meth:`InvalidTransition.user_message`
ENTITY_NAMES: dict[str, Any] = {
    "collection action": _l("The collection action"),
    "collection case": _l("The collection case"),
    "credit limit request": _l("The credit limit request"),
    "dispute": _l("The dispute"),
    "follow-up": _l("The follow-up task"),
    "import_conflict": _l("The import conflict"),
    "invoice": _l("The invoice"),
    "invoice_contract_check": _l("The contract check"),
    "job": _l("The job"),
    "outbox message": _l("The message"),
    "promise": _l("The promise to pay"),
    "statement": _l("The statement"),
}


class StatusEnum(enum.StrEnum):
    """A status enum that carries its transition table and names what it is the status of.

    Declared ``class JobStatus(StatusEnum, entity="job")``, each member as
    ``NAME = "value", "next", ...``: its value, then the values of the statuses it may change
    to (none: a final status). ``entity`` names the row in :class:`InvalidTransition`.
    """

    __entity__: ClassVar[str]
    _goes_to: tuple[str, ...]

    def __init_subclass__(cls, *, entity: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__entity__ = entity

    def __new__(cls, value: str, *goes_to: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._goes_to = goes_to
        return member

    @property
    def goes_to(self) -> frozenset[Self]:
        """The statuses this one may change to.

        :raises ValueError: the member names a status the enum does not have.
        """
        return frozenset(map(type(self), self._goes_to))

    @classmethod
    def transitions(cls) -> dict[Self, frozenset[Self]]:
        """The transition table: each status and the statuses it may change to."""
        return {member: member.goes_to for member in cls}

    def check_move(self, new: Self) -> None:
        """Raise :class:`InvalidTransition` unless this status may change to ``new``."""
        if new not in self.goes_to:
            raise InvalidTransition(self.__entity__, self.value, new.value)


E = TypeVar("E", bound=enum.Enum)
S = TypeVar("S", bound=StatusEnum)


class StatusMachine(Generic[S]):
    """A model whose ``status`` changes only along its status enum's transition table.

    The model maps ``status`` to a :class:`StatusEnum`; the enum names the model in the error.
    """

    if TYPE_CHECKING:
        status: Mapped[S]

    def move_to(self, new: S) -> None:
        """Change status along the allowed transitions (does not commit).

        :raises InvalidTransition: when the transition table does not allow it.
        """
        self.status.check_move(new)
        self.status = new


class Finding(StatusMachine[S]):
    """Something an import found that finance closes with a reason (a held invoice, a conflict).

    An import that finds it again may move it to the status it has: that changes nothing. The
    model maps ``reason`` and records who closed it and when in :meth:`_closed`.
    """

    if TYPE_CHECKING:
        reason: Mapped[str | None]
        invoice: Mapped[Invoice]

    def move_to(self, new: S) -> None:
        """Change the status along the transition table; the same status again changes nothing."""
        if new != self.status:
            super().move_to(new)

    def close(self, new: S, *, by_id: int, reason: str) -> None:
        """Move to ``new`` with ``reason``, recording who and when (does not commit)."""
        self.move_to(new)
        self.reason = reason
        self._closed(by_id, utcnow())

    def _closed(self, by_id: int, at: dt.datetime) -> None:
        raise NotImplementedError


def enum_values(e: type[enum.Enum]) -> list[str]:
    """Store enums by value (readable in SQL), not by name."""
    return [m.value for m in e]


def enum_type(e: type[enum.Enum], name: str) -> SAEnum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the values."""
    return SAEnum(
        e,
        name=name,
        values_callable=enum_values,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
    )


def one_of(name: str, values: Iterable[str]) -> CheckConstraint:
    """A CHECK that the column ``name`` holds one of ``values``, named ``<name>_known``."""
    return CheckConstraint(column(name).in_(tuple(values)), name=f"{name}_known")


def status_column(name: str, initial: E, *, index: bool | None = None) -> MappedColumn[E]:
    """A column of ``initial``'s enum (see :func:`enum_type`), ``initial`` for a new row."""
    return mapped_column(enum_type(type(initial), name), default=initial, index=index)
