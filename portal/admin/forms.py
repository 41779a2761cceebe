"""Forms of the settings pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

ACTION_CHOICES = [
    SelectChoice("sms", _l("SMS reminder")),
    SelectChoice("email", _l("Email reminder")),
    SelectChoice("call", _l("Phone call")),
    SelectChoice("letter", _l("Formal letter (PDF)")),
    SelectChoice("legal", _l("Hand over to legal")),
]


class StepRow(Form):
    id = HiddenField()
    min_days = IntegerField(_l("From day"), validators=[Optional(), NumberRange(min=1)])
    max_days = IntegerField(_l("To day"), validators=[Optional(), NumberRange(min=1)])
    action = SelectField(_l("Action"), choices=ACTION_CHOICES)
    active = BooleanField(_l("Active"))
    description = StringField(_l("Description"), validators=[Optional()])


class LadderForm(FlaskForm):
    steps = FieldList(FormField(StepRow), min_entries=1, max_entries=20)


class LimitsForm(FlaskForm):
    cny = DecimalField("CNY", places=2, validators=[Optional(), NumberRange(min=0)])
    usd = DecimalField("USD", places=2, validators=[Optional(), NumberRange(min=0)])
    eur = DecimalField("EUR", places=2, validators=[Optional(), NumberRange(min=0)])


# --- staff users -------------------------------------------------------------------------------

STAFF_ROLE_CHOICES = [
    SelectChoice("finance", _l("Finance")),
    SelectChoice("sales", _l("Sales")),
    SelectChoice("auditor", _l("Auditor")),
    SelectChoice("admin", _l("Administrator")),
]
# deliberately loose: one @, no spaces, a dot in the domain; delivery proves the rest
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class StaffInviteForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter an email address.")),
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES, default="finance")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES)
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    """A form with only a CSRF token and an optional reason (disable, enable, resend...)."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
