"""Forms of the settings pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice
from wtforms.validators import Length, Optional

from ..auth.fields import email_field
from ..fields import amount_field


class LimitsForm(FlaskForm):
    cny = amount_field("CNY", minimum=0, currency="CNY")
    usd = amount_field("USD", minimum=0, currency="USD")
    eur = amount_field("EUR", minimum=0, currency="EUR")


# --- staff users -------------------------------------------------------------------------------

STAFF_ROLE_CHOICES = [
    SelectChoice("finance", _l("Finance")),
    SelectChoice("sales", _l("Sales")),
    SelectChoice("auditor", _l("Auditor")),
    SelectChoice("admin", _l("Administrator")),
]


class StaffInviteForm(FlaskForm):
    email = email_field(_l("Email"), required=_l("Enter an email address."))
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES, default="finance")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES)
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    """A form with only a CSRF token and an optional reason (disable, enable, resend...)."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
