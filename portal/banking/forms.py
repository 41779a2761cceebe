"""Forms of the banking pages (uploads, queue filters, review actions)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Form,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..fields import amount_field, number_range, row_forms
from ..models import MatchStatus
from .labels import flabel

#: the statuses the queue and the archive filter by, in the order finance works them
FILTER_STATUSES = (
    MatchStatus.SUGGESTED,
    MatchStatus.UNMATCHED,
    MatchStatus.MATCHED,
    MatchStatus.ADVANCE,
    MatchStatus.DUPLICATE,
    MatchStatus.IGNORED,
)


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Bank files"), validators=[DataRequired()])


class SearchForm(FlaskForm):
    """Filters of the queue and the archive (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("All")),
            *(SelectChoice(status.value, flabel(status)) for status in FILTER_STATUSES),
        ],
        validators=[Optional()],
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    amount_min = amount_field(_l("Amount from"))
    amount_max = amount_field(_l("Amount to"))
    customer = StringField(_l("Customer"), validators=[Optional(), Length(max=200)])
    file = IntegerField(_l("File"), validators=[Optional()])
    bank_ref = StringField(_l("Bank reference"), validators=[Optional(), Length(max=128)])
    q = StringField(_l("Text"), validators=[Optional(), Length(max=200)])


class VersionForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])


class AcceptForm(VersionForm):
    index = HiddenField(validators=[InputRequired()])


class SplitRow(Form):
    invoice = StringField(_l("Invoice"), validators=[Optional(), Length(max=64)])
    amount = amount_field(_l("Amount"), minimum=0)
    write_off = amount_field(_l("Write-off"), minimum=0)


class SplitForm(VersionForm):
    rows = row_forms(SplitRow, min_entries=4, max_entries=12)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class AdvanceForm(VersionForm):
    customer = StringField(_l("Customer code"), validators=[DataRequired(), Length(max=40)])


class ReverseForm(VersionForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


#: the mapping page's role names, in the user's language
LAYOUT_ROLE_LABELS = {
    "booking_date": _l("Booking date"),
    "value_date": _l("Value date"),
    "amount": _l("Amount (signed, or with a direction column)"),
    "debit": _l("Debit / money out"),
    "credit": _l("Credit / money in"),
    "direction": _l("Debit/credit indicator"),
    "balance": _l("Balance"),
    "counterparty_name": _l("Payer / other party"),
    "counterparty_account": _l("Other party's account"),
    "description": _l("Reference / remittance text"),
    "bank_ref": _l("Bank reference"),
    "currency": _l("Currency column"),
}

#: how the mapping page reads the file's dates: the option and what the user reads
DATE_ORDER_LABELS = {
    "auto": _l("Year first, or decide from the file"),
    "dmy": _l("Day first (31/12/2026)"),
    "mdy": _l("Month first (12/31/2026)"),
}

#: how the mapping page reads the amounts' signs: the option and what the user reads
SIGN_LABELS = {
    "auto": _l("Decide from the running balance"),
    "normal": _l("Positive = money in"),
    "inverted": _l("Positive = money out"),
}


def _options(labels: dict[str, Any]) -> list[SelectChoice]:
    """A select's choices, in the table's order."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class LayoutForm(FlaskForm):
    """The mapping page: which column holds what, for a file the parser cannot read alone."""

    name = StringField(_l("Layout name"), validators=[DataRequired(), Length(max=120)])
    our_account = StringField(_l("Our bank account"), validators=[Optional(), Length(max=64)])
    first_row = IntegerField(
        _l("First row with a transaction"),
        default=1,
        validators=[InputRequired(), number_range(1, 60)],
    )
    date_order = SelectField(_l("Date order"), choices=_options(DATE_ORDER_LABELS))
    sign = SelectField(_l("Amount sign"), choices=_options(SIGN_LABELS))
    currency = StringField(_l("Currency of every row"), validators=[Optional(), Length(3, 3)])
    booking_date = SelectField(LAYOUT_ROLE_LABELS["booking_date"], choices=[], default="")
    value_date = SelectField(LAYOUT_ROLE_LABELS["value_date"], choices=[], default="")
    amount = SelectField(LAYOUT_ROLE_LABELS["amount"], choices=[], default="")
    debit = SelectField(LAYOUT_ROLE_LABELS["debit"], choices=[], default="")
    credit = SelectField(LAYOUT_ROLE_LABELS["credit"], choices=[], default="")
    direction = SelectField(LAYOUT_ROLE_LABELS["direction"], choices=[], default="")
    balance = SelectField(LAYOUT_ROLE_LABELS["balance"], choices=[], default="")
    counterparty_name = SelectField(LAYOUT_ROLE_LABELS["counterparty_name"], choices=[], default="")
    counterparty_account = SelectField(
        LAYOUT_ROLE_LABELS["counterparty_account"], choices=[], default=""
    )
    description = SelectField(LAYOUT_ROLE_LABELS["description"], choices=[], default="")
    bank_ref = SelectField(LAYOUT_ROLE_LABELS["bank_ref"], choices=[], default="")
    currency_column = SelectField(LAYOUT_ROLE_LABELS["currency"], choices=[], default="")

    check = SubmitField(_l("Check the mapping"))

    def set_columns(self, width: int, sample: list[str], names: list[str] | None = None) -> None:
        """Offer "not in the file" and each column: by its header name when the file has one,
        else by its number, with an example value from the first entry."""
        choices = [SelectChoice("", _l("— not in the file —"))]
        for i in range(width):
            example = sample[i].strip()[:30] if i < len(sample) else ""
            name = names[i].strip() if names and i < len(names) else ""
            if name:
                label = f"{name} ({example})" if example else name
            else:
                label = f"{i + 1}: {example}"
            choices.append(SelectChoice(str(i), label))
        for role in LAYOUT_ROLE_LABELS:
            self._role_field(role).choices = choices

    def suggest(self, columns: dict[str, int]) -> None:
        """Preselect the columns the header names in words Concord knows (a first visit)."""
        for role, index in columns.items():
            if role in LAYOUT_ROLE_LABELS:
                self._role_field(role).data = str(index)

    def _role_field(self, role: str) -> SelectField:
        field: SelectField = getattr(self, "currency_column" if role == "currency" else role)
        return field

    def picked(self) -> dict[str, int]:
        """Role to 0-based column index, for the roles given a column."""
        out: dict[str, int] = {}
        for role in LAYOUT_ROLE_LABELS:
            value = self._role_field(role).data
            if value not in (None, ""):
                out[role] = int(value)
        return out
