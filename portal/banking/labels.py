"""Display names of the finance workspace's status and kind values (translated)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from ..ui.routes import label

LABELS: dict[str, Any] = {
    # bank transactions
    "matched": _l("Matched"),
    "suggested": _l("Suggested"),
    "unmatched": _l("Unmatched"),
    "ignored": _l("Ignored"),
    "duplicate": _l("Duplicate"),
    "advance": _l("Advance payment"),
    # allocations (ledger records)
    "payment": _l("Payment"),
    "fee_writeoff": _l("Bank charge written off"),
    "difference_writeoff": _l("Difference written off"),
    "on_account": _l("On account"),
    "credit_note": _l("Credit note"),
    "reversal": _l("Reversal"),
    "exported": _l("Exported"),
    "booked": _l("Booked in the ERP"),
    "auto": _l("Automatic"),
    "manual": _l("Manual"),
    # files and jobs
    "pending": _l("Waiting"),
    "processing": _l("Processing"),
    "queued": _l("Queued"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
    # bank file formats (the parser that read the file)
    "tabular": _l("CSV or Excel table"),
    "camt": "CAMT",
    "mt940": "MT940",
    "ofx": "OFX",
    "ofc": "OFC (Microsoft Money)",
    "bai2": "BAI2",
    "pdf": _l("PDF receipt or statement"),
    # follow-ups
    "unmatched_credit": _l("Unmatched receipt"),
    "dispute": _l("Dispute"),
    "dunning_sms": _l("SMS reminder"),
    "dunning_call": _l("Phone call"),
    "dunning_letter": _l("Reminder letter"),
    "dunning_legal": _l("Legal"),
    "statement_unconfirmed": _l("Statement not confirmed"),
    "in_progress": _l("In progress"),
}


def flabel(value: object) -> Any:
    """The display name of a finance value, falling back to the portal's labels."""
    key = str(getattr(value, "value", value))
    return LABELS.get(key) or label(value)
