"""Form fields the sign-in, settings and customer pages share."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

# deliberately loose: one @, no spaces, a dot in the domain; delivery proves the rest
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def email_field(label: Any, *, required: Any = None, autocomplete: str | None = None) -> Any:
    """An email address field: at most 254 characters, one @ and a dot in the domain.

    :param required: the message when it is left empty; ``None`` makes the field optional.
    :param autocomplete: the browser's autocomplete hint (``"username"`` on sign-in forms).
    """
    presence = DataRequired(required) if required is not None else Optional()
    return EmailField(
        label,
        validators=[
            presence,
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid email address.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": autocomplete} if autocomplete else None,
    )


def full_name_field(label: Any, *, required: Any, autocomplete: bool = True) -> Any:
    """A person's full name: required, at most 200 characters.

    :param required: the message when it is left empty.
    :param autocomplete: whether the browser may offer the user's own name (not when the
        name is someone else's).
    """
    return StringField(
        label,
        validators=[DataRequired(required), Length(max=200)],
        render_kw={"autocomplete": "name"} if autocomplete else None,
    )
