"""Forms of the dispute pages: line claims, thread messages and the staff actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DecimalField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..fields import amount_field
from ..models import DisputeReason, StatementLine

REASON_LABELS = {
    DisputeReason.PRICE: _l("Price"),
    DisputeReason.QUANTITY: _l("Quantity"),
    DisputeReason.NOT_RECEIVED: _l("Goods not received"),
    DisputeReason.ALREADY_PAID: _l("Already paid"),
    DisputeReason.DUPLICATE: _l("Duplicate"),
    DisputeReason.OTHER: _l("Other"),
}


def _reason_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a reason"))] + [
        SelectChoice(r.value, label) for r, label in REASON_LABELS.items()
    ]


def _amount_field(label: str, missing: str) -> Any:
    """A money amount of at least 0.01; ``missing`` is the message when none is entered.

    The view sets the field's ``currency`` (the invoice's) before validating.
    """
    return amount_field(label, required=missing, minimum=Decimal("0.01"))


class DisputeFormBase(FlaskForm):
    attachments = MultipleFileField(_l("Supporting documents (optional)"))
    submit = SubmitField(_l("Submit dispute"))

    lines: list[StatementLine]

    def line_fields(self, line: StatementLine) -> tuple[Any, Any, Any, Any]:
        """The (select, reason, amount, comment) fields of a line."""
        return (
            self[f"sel_{line.id}"],
            self[f"reason_{line.id}"],
            self[f"amount_{line.id}"],
            self[f"comment_{line.id}"],
        )

    def selected(self) -> list[StatementLine]:
        return [line for line in self.lines if self[f"sel_{line.id}"].data]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        chosen = self.selected()
        if not chosen:
            self.form_errors.append(str(_l("Select at least one line to dispute.")))
            return False
        for line in chosen:
            _sel, reason, amount, _comment = self.line_fields(line)
            if not reason.data:
                reason.errors = [*reason.errors, str(_l("Choose a reason."))]
                ok = False
            if amount.data is None:
                amount.errors = [*amount.errors, str(_l("Enter the disputed amount."))]
                ok = False
            elif not Decimal("0") < amount.data <= line.amount:
                amount.errors = [
                    *amount.errors,
                    str(_l("Enter an amount above zero and at most the line's amount.")),
                ]
                ok = False
        return ok


def dispute_form_for(lines: list[StatementLine], **kwargs: Any) -> DisputeFormBase:
    """Build the dispute form for a statement's disputable lines (fields per line)."""

    class DisputeForm(DisputeFormBase):
        pass

    for line in lines:
        setattr(DisputeForm, f"sel_{line.id}", BooleanField(_l("Dispute this line")))
        setattr(
            DisputeForm,
            f"reason_{line.id}",
            SelectField(_l("Reason"), choices=_reason_choices(), validators=[Optional()]),
        )
        setattr(
            DisputeForm,
            f"amount_{line.id}",
            amount_field(
                _l("Disputed amount"),
                minimum=Decimal("0.01"),
                currency=line.currency or line.statement.currency,
                default=line.amount,
            ),
        )
        setattr(
            DisputeForm,
            f"comment_{line.id}",
            TextAreaField(_l("Comment"), validators=[Length(max=4000)]),
        )
    form = DisputeForm(**kwargs)
    form.lines = lines
    return form


class ItemDisputeForm(FlaskForm):
    """Dispute one open item: a reason, the amount in question, a comment and documents."""

    reason = SelectField(
        _l("Reason"), choices=_reason_choices(), validators=[DataRequired(_l("Choose a reason."))]
    )
    amount = _amount_field(_l("Disputed amount"), _l("Enter the disputed amount."))
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)])
    attachments = MultipleFileField(_l("Supporting documents (optional)"))
    submit = SubmitField(_l("Submit dispute"))


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Message"),
        validators=[DataRequired(_l("Write a message.")), Length(max=4000)],
    )
    attachments = MultipleFileField(_l("Attach files (optional)"))
    submit = SubmitField(_l("Send message"))


class StaffMessageForm(MessageForm):
    internal = BooleanField(_l("Internal note (not shown to the customer)"))


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Assign to"), coerce=int, validators=[Optional()])
    submit_assign = SubmitField(_l("Assign"))


class ReviewForm(FlaskForm):
    submit_review = SubmitField(_l("Start review"))


class AcceptForm(FlaskForm):
    amount = _amount_field(_l("Amount to credit"), _l("Enter the amount to credit."))
    resolution = TextAreaField(_l("Note to the customer"), validators=[Length(max=2000)])
    submit_accept = SubmitField(_l("Accept and issue credit note"))

    max_amount: Decimal

    def validate_amount(self, field: DecimalField) -> None:
        if field.data is not None and field.data > self.max_amount:
            raise ValidationError(str(_l("At most the disputed amount.")))


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for rejecting"),
        validators=[DataRequired(_l("Give the reason for rejecting.")), Length(max=2000)],
    )
    submit_reject = SubmitField(_l("Reject dispute"))
