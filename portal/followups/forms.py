"""Forms of the follow-up pages."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..fields import amount_field, number_range, row_forms
from ..hardening import strict_int
from ..models import FollowUpStatus

STATUS_LABELS = {
    FollowUpStatus.OPEN: _l("Open"),
    FollowUpStatus.IN_PROGRESS: _l("In progress"),
    FollowUpStatus.DONE: _l("Done"),
    FollowUpStatus.CANCELLED: _l("Cancelled"),
}


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        validators=[DataRequired()],
    )


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l("Mention a colleague as @name@example.com to notify them."),
    )


class AssignForm(FlaskForm):
    owner = SelectField(_l("Owner"), coerce=int, validators=[DataRequired()])


class RunForm(FlaskForm):
    """Run the scheduler now (a button)."""


# --- collections -----------------------------------------------------------------------------

CHANNEL_LABELS = {
    "sms": _l("SMS"),
    "email": _l("Email"),
    "call": _l("Call"),
    "letter": _l("Letter"),
    "legal": _l("Legal"),
    "portal": _l("Portal"),
    "note": _l("Note"),
    "system": _l("Concord"),
}


def _channel_choices(*channels: str) -> list[SelectChoice]:
    return [SelectChoice(channel, CHANNEL_LABELS[channel]) for channel in channels]


OUTCOME_CHOICES = [
    SelectChoice("reached", _l("Reached: will pay")),
    SelectChoice("promised", _l("Promised a date")),
    SelectChoice("disputes", _l("Disputes an item")),
    SelectChoice("no_answer", _l("No answer")),
    SelectChoice("wrong_number", _l("Wrong number")),
    SelectChoice("call_back", _l("Call back later")),
]


class ContactForm(FlaskForm):
    """Log a call (or another contact) and, optionally, the promise made on it."""

    channel = SelectField(
        _l("Channel"), choices=_channel_choices("call", "email", "portal", "note")
    )
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    promise_date = DateField(_l("Promised date"), validators=[Optional()])
    #: in the case's currency: the view sets ``promise_amount.currency``
    promise_amount = amount_field(_l("Promised amount"), minimum=Decimal("0.01"))


class InstalmentRow(Form):
    due_date = DateField(_l("Date"), validators=[Optional()])
    amount = amount_field(_l("Amount"), minimum=Decimal("0.01"))


class PromiseForm(FlaskForm):
    """A promise to pay: one date and amount, or up to six instalments."""

    instalments = row_forms(InstalmentRow, min_entries=3, max_entries=6)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class LegalForm(FlaskForm):
    approver = SelectField(_l("Approved by"), coerce=int, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class ApproveForm(FlaskForm):
    """Approve the proposals ticked on the page shown (``scope`` "ticked": ``action_ids``) or
    every proposal matching the page's filters (``scope`` "all"), once ``confirmed`` repeats
    how many that is."""

    # ids as the database holds them: a value out of range is not a choice, not a query
    action_ids = SelectMultipleField(coerce=strict_int, validate_choice=False)
    scope = SelectField(
        choices=[SelectChoice("ticked", ""), SelectChoice("all", "")], default="ticked"
    )
    confirmed = IntegerField(validators=[Optional()])


class ExcludeForm(FlaskForm):
    reason = StringField(_l("Why"), validators=[Optional(), Length(max=500)])
    invoice_ids = SelectMultipleField(coerce=strict_int, validate_choice=False)


class StepForm(Form):
    id = HiddenField()
    name = StringField(_l("Step"), validators=[Optional(), Length(max=120)])
    channel = SelectField(
        _l("Channel"), choices=_channel_choices("sms", "email", "call", "letter", "legal")
    )
    offset_days = IntegerField(_l("Starts on day"), validators=[Optional()])
    min_gap_days = IntegerField(
        _l("Days after the previous step"), validators=[Optional(), number_range(min=0)]
    )
    auto_approve = BooleanField(_l("Auto-approve"))
    skippable = BooleanField(_l("May be skipped"))
    notify_manager = BooleanField(_l("Tell the account manager"))
    active = BooleanField(_l("Active"))
    zh_subject = StringField(_l("Subject (Chinese)"), validators=[Optional(), Length(max=300)])
    zh_body = TextAreaField(_l("Message (Chinese)"), validators=[Optional(), Length(max=5000)])
    en_subject = StringField(_l("Subject (English)"), validators=[Optional(), Length(max=300)])
    en_body = TextAreaField(_l("Message (English)"), validators=[Optional(), Length(max=5000)])


class LadderForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    segment = StringField(_l("Segment"), validators=[Optional(), Length(max=80)])
    credit_grades = StringField(_l("Credit grades"), validators=[Optional(), Length(max=20)])
    priority = IntegerField(_l("Priority"), validators=[Optional()])
    active = BooleanField(_l("Active"))
    is_default = BooleanField(_l("Default ladder"))
    steps = row_forms(StepForm, min_entries=1, max_entries=12)


class SettingsForm(FlaskForm):
    quiet_start = IntegerField(_l("Quiet from (hour)"), validators=[number_range(min=0, max=23)])
    quiet_end = IntegerField(_l("Quiet until (hour)"), validators=[number_range(min=0, max=23)])
    weekly_cap = IntegerField(
        _l("Messages per customer per week"), validators=[number_range(min=0, max=50)]
    )
    promise_grace_days = IntegerField(
        _l("Grace days after a promised date"), validators=[number_range(min=0, max=60)]
    )
    repropose_after_days = IntegerField(
        _l("Propose an excluded step again after (days)"),
        validators=[number_range(min=1, max=90)],
    )
    statement_first_reminder_days = IntegerField(
        _l("First statement reminder, days after issue (0: none)"),
        validators=[Optional(), number_range(min=0, max=90)],
    )
    statement_second_reminder_days = IntegerField(
        _l("Second statement reminder, days after issue (0: none)"),
        validators=[Optional(), number_range(min=0, max=90)],
    )
    statement_unconfirmed_days = IntegerField(
        _l("Task for the account manager, days after issue"),
        validators=[Optional(), number_range(min=1, max=120)],
    )


#: display names of case, proposal and promise states and of history entries
COLLECTION_LABELS = {
    "open": _l("Open"),
    "legal": _l("With legal"),
    "closed": _l("Closed"),
    "proposed": _l("Proposed"),
    "excluded": _l("Left out"),
    "approved": _l("Approved, waiting to send"),
    "sent": _l("Sent"),
    "cancelled": _l("Cancelled"),
    "kept": _l("Kept"),
    "broken": _l("Broken"),
    "opened": _l("Case opened"),
    "contact": _l("Contact"),
    "promise": _l("Promise to pay"),
    "promise_kept": _l("Promise kept"),
    "promise_broken": _l("Promise broken"),
    "promise_cancelled": _l("Promise void: nothing is left to pay on its items"),
    "promise_reopened": _l("Promise open again"),
    # a broken promise judged again on money paid in time and applied later
    "kept_applied_later": _l(
        "Kept: money paid in time was applied after the promise was judged broken"
    ),
    "reopened_applied_later": _l(
        "Instalments paid in time were applied after the plan was judged broken: it runs again"
    ),
    # what came in time of what a promise asked for (the figures are the entry's text)
    "paid_in_time": _l("Paid in time / promised"),
    "partly_kept": _l("Partly kept: paid in time / promised"),
    "nothing_paid": _l("Nothing paid in time / promised"),
    "call_planned": _l("Call planned"),
    "no_contact": _l("No phone or email on file"),
    "migrated": _l("Earlier follow-up task"),
    "call": _l("Call"),
    "portal": _l("Portal"),
    "staff": _l("Staff"),
    "settled": _l("Settled: paid, credited or disputed in full"),
    "paid": _l("Overdue balance paid"),
    "reopened": _l("Opened again: something new is overdue"),
    "done": _l("Done"),
    "in_progress": _l("In progress"),
    # why a step was approved, held or withdrawn (the note of an action, written by the system)
    "auto-approved": _l("Approved by the ladder"),
    "no mobile number: by email instead": _l("No mobile number: by email instead"),
    "no mobile number: call instead": _l("No mobile number: a call instead"),
    "held: quiet hours": _l("Held: quiet hours"),
    "held: weekly message cap reached": _l("Held: weekly message cap reached"),
    "settled before it was sent": _l("Settled before it was sent"),
    "disputed before it was sent": _l("Disputed before it was sent"),
    "no longer due before it was sent": _l("No longer due before it was sent"),
    "moved out of the case before it was sent": _l(
        "Moved to another customer or currency before it was sent"
    ),
    "the promise was kept: payment applied later": _l(
        "The promise was kept: a payment made in time was applied later"
    ),
    "held by the contract check before it was sent": _l(
        "Held by the contract check before it was sent"
    ),
    "paused by a promise to pay": _l("Paused by a promise to pay"),
    "the case is closed": _l("The case is closed"),
    "the case is with legal": _l("The case is with legal"),
    "the case went to legal": _l("The case went to legal"),
    "the customer is on hold": _l("The customer is on hold"),
    "the due date has passed": _l("The due date has passed"),
    "every item left out": _l("Every item left out"),
}
