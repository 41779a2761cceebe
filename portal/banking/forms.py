"""Forms of the banking pages (uploads, queue filters, review actions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


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
            SelectChoice("suggested", _l("Suggested")),
            SelectChoice("unmatched", _l("Unmatched")),
            SelectChoice("matched", _l("Matched")),
            SelectChoice("advance", _l("Advance")),
            SelectChoice("duplicate", _l("Duplicate")),
            SelectChoice("ignored", _l("Ignored")),
        ],
        validators=[Optional()],
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    amount_min = DecimalField(_l("Amount from"), places=2, validators=[Optional()])
    amount_max = DecimalField(_l("Amount to"), places=2, validators=[Optional()])
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
    amount = DecimalField(_l("Amount"), places=2, validators=[Optional(), NumberRange(min=0)])
    write_off = DecimalField(_l("Write-off"), places=2, validators=[Optional(), NumberRange(min=0)])


class SplitForm(VersionForm):
    rows = FieldList(FormField(SplitRow), min_entries=4, max_entries=12)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class AdvanceForm(VersionForm):
    customer = StringField(_l("Customer code"), validators=[DataRequired(), Length(max=40)])


class ReverseForm(VersionForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
