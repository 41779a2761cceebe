"""Collection cases: one per customer and currency, moved along its ladder by the daily run.

A case holds the customer's undisputed open items that are overdue (or due within the lead of
the ladder's first step, for the reminder before the due date). It closes by itself when
nothing of that remains (paid, credited or disputed in full) and opens again, as a new cycle
starting at the first step, when something new falls overdue. Each run proposes at most one
step per case; finance approves proposals before anything is sent (unless a step is set to
auto-approve).

This module is the one place callers import cases from; the work is done in:

- :mod:`.case_items`: which invoices a case holds, what a proposal would send now
  (:func:`~.case_items.dunned_now`, shown by the proposals page and sent by sending), closing
  the tasks of settled invoices and closed cases, and the values its messages show;
- :mod:`.contacts`: who a customer's reminders go to;
- :mod:`.case_run`: the daily run that opens, updates and closes cases and proposes steps;
- :mod:`.case_dispatch`: approving, excluding and sending proposals;
- :mod:`.case_views`: what pages show (a case brought up to date, a customer's cases);
- :mod:`.case_actions`: what a collector does by hand (log a contact, reassign, legal);
- :mod:`.promises` and :mod:`.promises_late`: promises to pay, judged nightly, and broken ones
  judged again when money that came in time is applied later.

One run goes at a time (:func:`.service.one_run_at_a_time`); sending locks each action with
its case, so no message goes out twice.
"""

from __future__ import annotations

from ..i18n import company_name
from .case_actions import (
    assign_case,
    hand_over_to_legal,
    log_contact,
    withdraw_for_hold,
)
from .case_dispatch import (
    Approval,
    approve,
    dispatch_approved,
    exclude,
    exclude_items,
    messages_this_week,
    pending_actions,
)
from .case_items import (
    MESSAGE_CHANNELS,
    PENDING,
    CollectionError,
    Item,
    RunResult,
    case_items,
    close_settled_tasks,
    customer_link,
    default_owner,
    message_values,
    not_disputed,
    open_item_filter,
    recipient_for,
    staff_link,
)
from .case_run import (
    run_cases,
)
from .case_views import (
    CaseView,
    CustomerCollections,
    case_view,
    customer_cases,
    customer_collections,
    refresh_case,
)

__all__ = [
    "MESSAGE_CHANNELS",
    "PENDING",
    "Approval",
    "CaseView",
    "CollectionError",
    "CustomerCollections",
    "Item",
    "RunResult",
    "approve",
    "assign_case",
    "case_items",
    "case_view",
    "close_settled_tasks",
    "company_name",
    "customer_cases",
    "customer_collections",
    "customer_link",
    "default_owner",
    "dispatch_approved",
    "exclude",
    "exclude_items",
    "hand_over_to_legal",
    "log_contact",
    "message_values",
    "messages_this_week",
    "not_disputed",
    "open_item_filter",
    "pending_actions",
    "recipient_for",
    "refresh_case",
    "run_cases",
    "staff_link",
    "withdraw_for_hold",
]
