"""Form fields that forms of several blueprints share."""

from __future__ import annotations

from typing import Any

from wtforms import DecimalField
from wtforms.validators import DataRequired, NumberRange, Optional


def amount_field(label: Any, *, required: bool = False, minimum: float | None = None) -> Any:
    """A money amount (read as a ``Decimal``, shown back with the decimals it was given).

    :param required: refuse an empty field; otherwise empty is ``None``.
    :param minimum: the smallest amount accepted (``None``: no bound).
    """
    validators: list[Any] = [DataRequired() if required else Optional()]
    if minimum is not None:
        validators.append(NumberRange(min=minimum))
    return DecimalField(label, places=None, validators=validators)
