"""Forms of the statement confirmation (consent and name, then the one-time code)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Regexp

from ..auth.fields import full_name_field


class ConfirmStartForm(FlaskForm):
    consent = BooleanField(
        _l("I have reviewed this statement and confirm that it is correct."),
        validators=[DataRequired(_l("Tick the box to give your consent."))],
    )
    full_name = full_name_field(_l("Your full name"), required=_l("Type your full name."))
    submit = SubmitField(_l("Send me a confirmation code"))


class ConfirmCodeForm(FlaskForm):
    code = StringField(
        _l("Confirmation code"),
        validators=[
            DataRequired(_l("Enter the 6-digit code.")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("The code has 6 digits.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6"},
    )
    submit = SubmitField(_l("Confirm and sign"))


class ResendForm(FlaskForm):
    submit = SubmitField(_l("Send a new code"))
