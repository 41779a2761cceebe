"""Form fields and validators that forms of several blueprints share.

:class:`AmountField` is the one field a user types money into: besides what every
``DecimalField`` refuses (see :func:`portal.hardening._bound_form_decimals`: infinities, NaN,
17 digits and more), it refuses more decimals than the amount's currency has (``12.345`` EUR,
``1000.5`` JPY, ``1.2345`` KWD) instead of rounding them away.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, FieldList, Form, FormField
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, NumberRange, Optional, StopValidation

from .models.base import typed_amount_problem

RowForm = TypeVar("RowForm", bound=Form)

# WTForms' own Chinese reads "at least 0" as "greater than 0" (大于) and "at most" as "less than"
_AT_LEAST = _l("Number must be at least %(min)s.")
_AT_MOST = _l("Number must be at most %(max)s.")
_BETWEEN = _l("Number must be between %(min)s and %(max)s.")


def number_range(
    min: float | Decimal | None = None, max: float | Decimal | None = None
) -> NumberRange:
    """WTForms' ``NumberRange`` with messages from our catalogue (bounds included)."""
    if min is not None and max is not None:
        message = _BETWEEN
    elif min is not None:
        message = _AT_LEAST
    else:
        message = _AT_MOST
    return NumberRange(min=min, max=max, message=message)


#: where an amount field finds its currency: a code, the name of another field of the form
#: holding one, or a function of the form; ``None``: the currency is not known (no decimals
#: rule beyond the finest amount stored)
CurrencySource = str | Callable[[Any], str | None] | None


class AmountField(DecimalField):
    """A money amount read as a ``Decimal`` with at most its currency's decimals.

    The currency is ``currency`` (a code such as ``"EUR"``), or the value of the form's field
    named by ``currency_field``, or what the view sets as ``field.currency`` before validating.
    Shown back as typed (``places=None``): nothing is rounded.
    """

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        currency: CurrencySource = None,
        currency_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("places", None)
        super().__init__(label, validators, **kwargs)
        self.currency: CurrencySource = currency
        self.currency_field = currency_field

    def currency_of(self, form: BaseForm) -> str | None:
        """The currency code this amount is in, or ``None`` when not known."""
        if self.currency_field is not None:
            other = form[self.currency_field] if self.currency_field in form else None
            value = other.data if other is not None else None
            return str(value).strip().upper() if value else None
        source = self.currency
        if callable(source):
            return source(form)
        return source

    def pre_validate(self, form: BaseForm) -> None:
        if self.data is None:
            return
        problem = typed_amount_problem(self.data, self.currency_of(form))
        if problem is not None:
            raise StopValidation(problem)


def amount_field(
    label: Any,
    *,
    required: bool | Any = False,
    minimum: float | Decimal | None = None,
    currency: CurrencySource = None,
    currency_field: str | None = None,
    default: Any = None,
) -> Any:
    """An :class:`AmountField` with the usual validators.

    :param required: refuse an empty field (a message to show, or ``True`` for WTForms'
        own); otherwise empty is ``None``.
    :param minimum: the smallest amount accepted (``None``: no bound).
    :param currency: the currency code, or a function of the form giving it.
    :param currency_field: the name of the form's field that holds the currency.
    """
    if required:
        validators: list[Any] = [
            DataRequired() if required is True else DataRequired(message=required)
        ]
    else:
        validators = [Optional()]
    if minimum is not None:
        validators.append(number_range(min=minimum))
    return AmountField(
        label,
        validators,
        currency=currency,
        currency_field=currency_field,
        default=default,
    )


def row_forms(
    row: type[RowForm], *, min_entries: int, max_entries: int
) -> FieldList[FormField[RowForm]]:
    """A list of ``row`` sub-forms, one a table row on the page (a split's rows, a payment
    plan's instalments, a ladder's steps): ``min_entries`` rows on a new form, at most
    ``max_entries`` read from a post; :func:`set_currency` reaches their amounts."""
    return FieldList(FormField(row), min_entries=min_entries, max_entries=max_entries)


def set_currency(form: Any, currency: str | None) -> Any:
    """Give every :class:`AmountField` of ``form`` without a currency of its own ``currency``.

    Walks into sub-forms and lists of them (a split's rows); returns ``form``.
    """
    for field in form:
        if isinstance(field, AmountField):
            if field.currency is None and field.currency_field is None:
                field.currency = currency
        elif isinstance(field, FieldList):
            for entry in field:
                _set_entry_currency(entry, currency)
        elif isinstance(field, FormField):
            set_currency(field.form, currency)
    return form


def _set_entry_currency(entry: Any, currency: str | None) -> None:
    if isinstance(entry, FormField):
        set_currency(entry.form, currency)
    elif isinstance(entry, AmountField) and entry.currency is None:
        entry.currency = currency
