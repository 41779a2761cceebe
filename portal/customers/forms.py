"""Forms of the customer page: invite a portal user, edit contacts, row actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..auth.fields import email_field

LANGUAGE_CHOICES = [SelectChoice("zh", "中文"), SelectChoice("en", "English")]


class CustomerInviteForm(FlaskForm):
    email = email_field(_l("Email"), required=_l("Enter an email address."))
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    admin = BooleanField(_l("Customer admin (may invite colleagues)"))


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    email = email_field(_l("Email"))
    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=40)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="zh")
    is_billing = BooleanField(_l("Billing contact (statements, reminders, invitations)"))


class ActionForm(FlaskForm):
    """A row action: only the CSRF token and an optional reason."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Note"),
        validators=[DataRequired(_l("Write a note.")), Length(max=5000)],
        description=_l("Mention a colleague as @their.email to notify them."),
    )
