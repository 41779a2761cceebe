"""What people read in the reports: titles, column headings and coded values (the page and
the XLSX header; the CSV keeps the keys)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TITLES = {
    "aging": _l("Receivables aging"),
    "dso": _l("Days sales outstanding"),
    "cash-application": _l("Cash application: automatic and manual"),
    "disputes": _l("Disputes opened and resolution time"),
    "followup-backlog": _l("Follow-up backlog"),
    "dimensions": _l("Receivables by region, segment, product line and account manager"),
}

#: what people read for the tables' column keys and coded values (the page and the XLSX
#: header; the CSV keeps the keys)
LABELS = {
    "customer": _l("Customer"),
    "name": _l("Name"),
    "currency": _l("Currency"),
    "current": _l("Not yet due"),
    "1-30": _l("1-30 days"),
    "31-60": _l("31-60 days"),
    "61-90": _l("61-90 days"),
    "90+": _l("Over 90 days"),
    "unapplied": _l("Paid or credited, not applied"),
    "total": _l("Total"),
    "month_end": _l("Month end"),
    "receivables": _l("Receivables"),
    "sales_90_days": _l("Sales, last 90 days"),
    "dso_days": _l("DSO (days)"),
    "month": _l("Month"),
    "automatic": _l("Automatic"),
    "manual": _l("Manual"),
    "automatic_rate": _l("Automatic share"),
    "opened": _l("Opened"),
    "resolved": _l("Resolved"),
    "avg_days_to_resolve": _l("Average days to resolve"),
    "kind": _l("Kind"),
    "owner": _l("Owner"),
    "open": _l("Open"),
    "past_due": _l("Past due"),
    "dimension": _l("Dimension"),
    "value": _l("Value"),
    "invoices": _l("Invoices"),
    "overdue": _l("Overdue"),
    "region": _l("Region"),
    "segment": _l("Segment"),
    "product_line": _l("Product line"),
    "account_manager": _l("Account manager"),
    # the columns of the dimension, effectiveness and forecast pages
    "customers": _l("Customers with open items"),
    "opening": _l("Open at period start"),
    "sales": _l("Invoiced in period"),
    "ending": _l("Open at period end"),
    "ending_current": _l("Not yet due at period end"),
    "collected": _l("Collected in period"),
    "cei": _l("CEI"),
    "period": _l("Period"),
    "promises_kept": _l("Promises kept"),
    "promises_broken": _l("Promises broken"),
    "promise_kept_rate": _l("Promise-kept rate"),
    "statements_issued": _l("Statements issued"),
    "statements_confirmed": _l("Statements confirmed"),
    "confirmation_rate": _l("Confirmation rate"),
    "week": _l("Week from"),
    "week_end": _l("to"),
    "from_due_dates": _l("From due dates and payment habits"),
    "from_promises": _l("From promises to pay"),
}


def columns(*keys: str, **words: object) -> tuple[tuple[str, object], ...]:
    """``(key, label)`` of each column: its words from :data:`LABELS`, unless ``words`` names
    others (a key that reads differently in one table, like ``total``)."""
    return tuple((key, words.get(key, LABELS[key])) for key in keys)
