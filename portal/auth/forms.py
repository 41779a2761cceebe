"""Forms of the sign-in flows (labels and messages translated lazily)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .fields import email_field, full_name_field
from .passwords import MAX_LENGTH, password_problems


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ForgotForm(FlaskForm):
    email = email_field(
        _l("Email"), required=_l("Enter your email address."), autocomplete="username"
    )
    submit = SubmitField(_l("Send reset link"))


def _password_validators() -> list[object]:
    # the policy itself (length, breached and common passwords) is validate_password's
    return [DataRequired(_l("Choose a password.")), Length(max=MAX_LENGTH)]


class ResetForm(FlaskForm):
    #: the account's address, set by the view: a password containing it is refused
    account_email: str | None = None

    password = PasswordField(
        _l("New password"),
        validators=_password_validators(),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set password"))

    def validate_password(self, field: PasswordField) -> None:
        """Apply the password policy (:func:`portal.auth.passwords.password_problems`)."""
        problems = password_problems(field.data or "", email=self.account_email)
        if problems:
            raise ValidationError(" ".join(problems))


class AcceptInvitationForm(ResetForm):
    name = full_name_field(_l("Full name"), required=_l("Enter your full name."))
    submit = SubmitField(_l("Create my account"))


class InviteForm(FlaskForm):
    name = full_name_field(
        _l("Colleague's name"), required=_l("Enter your colleague's name."), autocomplete=False
    )
    email = email_field(_l("Colleague's email"), required=_l("Enter your email address."))
    submit = SubmitField(_l("Send invitation"))
