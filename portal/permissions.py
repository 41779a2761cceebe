"""The permission model: who may do what, in one table.

Every request is authorised here and nowhere else:

* :data:`PRINCIPALS` are the six kinds of user (a customer's user or admin; sales, finance,
  auditors and admins of staff);
* :class:`Action` lists what can be done, each marked as reading or changing something;
* :data:`PERMISSIONS` says which principals may take each action;
* :data:`ROUTES` maps every endpoint of the app (and, where they differ, each of its HTTP
  methods) to the action it needs, or to :data:`PUBLIC` / :data:`SIGNED_IN`.

A hook installed by :func:`init_app` checks every request against :data:`ROUTES` before the
view runs; the decorators of :mod:`portal.auth.decorators` and the API ask the same table.
An endpoint missing from :data:`ROUTES` is refused (fail closed) and
``tests/portal/test_permissions.py`` names it. Customer users are further limited to their
own company's rows by :func:`portal.auth.scope.owned_or_404`.

To add a route: add its endpoint to :data:`ROUTES` below with the action it needs (add an
:class:`Action` and its row in :data:`PERMISSIONS` when none fits).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from flask import Flask, abort, request
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse


class Principal(enum.StrEnum):
    """The kinds of user the table speaks of."""

    CUSTOMER_USER = "customer_user"
    CUSTOMER_ADMIN = "customer_admin"
    SALES = "sales"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"

    @property
    def is_customer(self) -> bool:
        return self in (Principal.CUSTOMER_USER, Principal.CUSTOMER_ADMIN)


PRINCIPALS: tuple[Principal, ...] = tuple(Principal)
CUSTOMERS = frozenset({Principal.CUSTOMER_USER, Principal.CUSTOMER_ADMIN})
ALL_STAFF = frozenset({Principal.SALES, Principal.FINANCE, Principal.AUDITOR, Principal.ADMIN})
BOOKKEEPERS = frozenset({Principal.FINANCE, Principal.ADMIN})
#: staff who see the bank side (sales work on customers, not on bank files)
BANK_READERS = frozenset({Principal.FINANCE, Principal.AUDITOR, Principal.ADMIN})
#: staff who work on customers' follow-ups and disputes (auditors only read)
CUSTOMER_WORKERS = frozenset({Principal.SALES, Principal.FINANCE, Principal.ADMIN})


class Action(enum.StrEnum):
    """What a user can do; ``writes`` tells whether it changes anything."""

    # customer portal (always limited to the user's own company)
    OWN_VIEW = "own.view"
    OWN_RESPOND = "own.respond"  # confirm a statement, open or answer a dispute
    TEAM_MANAGE = "team.manage"
    # staff workspace
    BANK_VIEW = "bank.view"
    BANK_BOOK = "bank.book"  # upload bank files, accept/apply/advance/reverse receipts
    RECEIPTS_VIEW = "receipts.view"
    FOLLOWUPS_VIEW = "followups.view"
    FOLLOWUPS_WORK = "followups.work"
    #: approve or leave out proposed collection steps; hand a case over to legal
    COLLECTIONS_APPROVE = "collections.approve"
    DISPUTES_VIEW = "disputes.view"
    DISPUTES_DISCUSS = "disputes.discuss"  # post messages and internal notes
    DISPUTES_DECIDE = "disputes.decide"  # assign, review, accept (credit note), reject
    CREDIT_VIEW = "credit.view"
    CREDIT_SET_LIMIT = "credit.set_limit"  # limits, approving higher limits, credit hold
    CREDIT_REQUEST = "credit.request"  # ask for a higher limit for a customer
    REPORTS_VIEW = "reports.view"
    CONTRACTS_VIEW = "contracts.view"
    CONTRACTS_MANAGE = "contracts.manage"  # upload and confirm contracts, release held invoices
    ERP_CONFLICTS_VIEW = "erp.conflicts_view"
    ERP_CONFLICTS_RESOLVE = "erp.conflicts_resolve"
    AUDIT_VIEW = "audit.view"
    SETTINGS_VIEW = "settings.view"
    SETTINGS_EDIT = "settings.edit"
    USERS_MANAGE = "users.manage"  # staff users: invite, change role, disable, re-invite
    CUSTOMERS_VIEW = "customers.view"
    CUSTOMERS_MANAGE = "customers.manage"  # a customer's portal users and contacts
    CUSTOMERS_NOTE = "customers.note"  # write notes (with @mentions) on a customer's page
    # ERP API (bearer tokens; a token's scope must also allow it)
    API_READ = "api.read"
    API_WRITE = "api.write"

    @property
    def writes(self) -> bool:
        return self not in _READ_ACTIONS


_READ_ACTIONS = frozenset(
    {
        Action.OWN_VIEW,
        Action.BANK_VIEW,
        Action.RECEIPTS_VIEW,
        Action.FOLLOWUPS_VIEW,
        Action.DISPUTES_VIEW,
        Action.CREDIT_VIEW,
        Action.REPORTS_VIEW,
        Action.CONTRACTS_VIEW,
        Action.ERP_CONFLICTS_VIEW,
        Action.AUDIT_VIEW,
        Action.SETTINGS_VIEW,
        Action.CUSTOMERS_VIEW,
        Action.API_READ,
    }
)

#: which principals may take each action (the one table; docs/security.md is checked against it)
PERMISSIONS: Mapping[Action, frozenset[Principal]] = {
    Action.OWN_VIEW: CUSTOMERS,
    Action.OWN_RESPOND: CUSTOMERS,
    Action.TEAM_MANAGE: frozenset({Principal.CUSTOMER_ADMIN}),
    Action.BANK_VIEW: BANK_READERS,
    Action.BANK_BOOK: BOOKKEEPERS,
    Action.RECEIPTS_VIEW: ALL_STAFF,
    Action.FOLLOWUPS_VIEW: ALL_STAFF,
    Action.FOLLOWUPS_WORK: CUSTOMER_WORKERS,
    Action.COLLECTIONS_APPROVE: BOOKKEEPERS,
    Action.DISPUTES_VIEW: ALL_STAFF,
    Action.DISPUTES_DISCUSS: CUSTOMER_WORKERS,
    Action.DISPUTES_DECIDE: BOOKKEEPERS,
    Action.CREDIT_VIEW: ALL_STAFF,
    Action.CREDIT_SET_LIMIT: BOOKKEEPERS,
    Action.CREDIT_REQUEST: CUSTOMER_WORKERS,
    Action.REPORTS_VIEW: ALL_STAFF,
    Action.AUDIT_VIEW: BANK_READERS,
    Action.SETTINGS_VIEW: ALL_STAFF,
    Action.SETTINGS_EDIT: BOOKKEEPERS,
    Action.USERS_MANAGE: frozenset({Principal.ADMIN}),
    Action.CUSTOMERS_VIEW: ALL_STAFF,
    Action.CUSTOMERS_MANAGE: BOOKKEEPERS,
    Action.CUSTOMERS_NOTE: CUSTOMER_WORKERS,
    Action.CONTRACTS_VIEW: ALL_STAFF,
    Action.CONTRACTS_MANAGE: BOOKKEEPERS,
    Action.ERP_CONFLICTS_VIEW: ALL_STAFF,
    Action.ERP_CONFLICTS_RESOLVE: BOOKKEEPERS,
    Action.API_READ: ALL_STAFF,
    Action.API_WRITE: BOOKKEEPERS,
}


class Access(enum.StrEnum):
    """Routes that need no action: open to anyone, or to anyone signed in."""

    PUBLIC = "public"
    SIGNED_IN = "signed_in"


PUBLIC = Access.PUBLIC
SIGNED_IN = Access.SIGNED_IN


class Token:
    """A route of the ERP API: the bearer token's user and scope are checked by the API."""

    def __init__(self, action: Action) -> None:
        self.action = action

    def __repr__(self) -> str:
        return f"Token({self.action.value!r})"


Rule = Action | Access | Token
#: a rule, or one rule per HTTP method
RouteRule = Rule | Mapping[str, Rule]

#: every endpoint of the app and what it needs (``tests/portal/test_permissions.py`` walks the
#: URL map against this, so a route missing here fails the tests and is refused at run time)
ROUTES: dict[str, RouteRule] = {
    "static": PUBLIC,
    # sign-in and self-service
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.forgot": PUBLIC,
    "auth.reset": PUBLIC,
    "auth.accept_invitation": PUBLIC,
    "ui.set_language": PUBLIC,
    # load balancers and monitors ask without a session; it shows counts only, no data
    "health.healthz": PUBLIC,
    "home.index": SIGNED_IN,
    "auth.team": Action.TEAM_MANAGE,
    # customer portal
    "invoices.index": Action.OWN_VIEW,
    "invoices.detail": Action.OWN_VIEW,
    "payments.index": Action.OWN_VIEW,
    "payments.export": Action.OWN_VIEW,
    "statements.index": Action.OWN_VIEW,
    "statements.view": Action.OWN_VIEW,
    "statements.pdf": Action.OWN_VIEW,
    "statements.confirm": Action.OWN_RESPOND,
    "statements.confirm_code": Action.OWN_RESPOND,
    "statements.resend_code": Action.OWN_RESPOND,
    "disputes.index": Action.OWN_VIEW,
    "disputes.new": Action.OWN_RESPOND,
    "disputes.new_item": Action.OWN_RESPOND,
    "disputes.detail": {"GET": Action.OWN_VIEW, "POST": Action.OWN_RESPOND},
    "disputes.attachment": Action.OWN_VIEW,
    "followups.my_cases": Action.OWN_VIEW,
    "followups.my_case": Action.OWN_VIEW,
    "followups.my_promise": Action.OWN_RESPOND,
    # staff: bank side
    "banking.uploads": Action.BANK_VIEW,
    "banking.upload": Action.BANK_BOOK,
    "banking.map_layout": Action.BANK_BOOK,
    "banking.job_json": Action.BANK_VIEW,
    "banking.download_file": Action.BANK_VIEW,
    "banking.queue": Action.BANK_VIEW,
    "banking.transaction": Action.BANK_VIEW,
    "banking.accept": Action.BANK_BOOK,
    "banking.apply": Action.BANK_BOOK,
    "banking.advance": Action.BANK_BOOK,
    "banking.reverse": Action.BANK_BOOK,
    "banking.archive": Action.RECEIPTS_VIEW,
    "banking.archive_export": Action.RECEIPTS_VIEW,
    # staff: customers
    "followups.index": Action.FOLLOWUPS_VIEW,
    "followups.detail": Action.FOLLOWUPS_VIEW,
    "followups.run_now": Action.FOLLOWUPS_WORK,
    "followups.set_status": Action.FOLLOWUPS_WORK,
    "followups.assign": Action.FOLLOWUPS_WORK,
    "followups.comment": Action.FOLLOWUPS_WORK,
    # collections: cases, proposals, ladders (the customer's side is under "customer portal")
    "followups.case_list": Action.FOLLOWUPS_VIEW,
    "followups.case": Action.FOLLOWUPS_VIEW,
    "followups.event_file": Action.FOLLOWUPS_VIEW,
    "followups.log_contact": Action.FOLLOWUPS_WORK,
    "followups.promise": Action.FOLLOWUPS_WORK,
    "followups.assign_case": Action.FOLLOWUPS_WORK,
    "followups.legal": Action.COLLECTIONS_APPROVE,
    "followups.proposals": Action.FOLLOWUPS_VIEW,
    "followups.approve_all_status": Action.FOLLOWUPS_VIEW,
    "followups.approve": Action.COLLECTIONS_APPROVE,
    "followups.exclude": Action.COLLECTIONS_APPROVE,
    "followups.ladder_list": Action.SETTINGS_VIEW,
    "followups.ladder_new": Action.SETTINGS_VIEW,
    "followups.ladder_edit": Action.SETTINGS_VIEW,
    "followups.ladder_create": Action.SETTINGS_EDIT,
    "followups.step_preview": Action.SETTINGS_VIEW,
    "followups.ladder_save": Action.SETTINGS_EDIT,
    "followups.save_settings": Action.SETTINGS_EDIT,
    # the statement confirmation loop: a period's statements, one statement, a correction
    "confirmations.period": Action.CUSTOMERS_VIEW,
    "confirmations.period_export": Action.CUSTOMERS_VIEW,
    "confirmations.statement": Action.CUSTOMERS_VIEW,
    "confirmations.pdf": Action.CUSTOMERS_VIEW,
    "confirmations.reissue": Action.DISPUTES_DECIDE,
    "disputes.staff_index": Action.DISPUTES_VIEW,
    "disputes.staff_detail": Action.DISPUTES_VIEW,
    "disputes.staff_attachment": Action.DISPUTES_VIEW,
    "disputes.staff_message": Action.DISPUTES_DISCUSS,
    "disputes.staff_assign": Action.DISPUTES_DECIDE,
    "disputes.staff_review": Action.DISPUTES_DECIDE,
    "disputes.staff_accept": Action.DISPUTES_DECIDE,
    "disputes.staff_reject": Action.DISPUTES_DECIDE,
    "credit.index": Action.CREDIT_VIEW,
    "credit.export": Action.CREDIT_VIEW,
    "credit.set_limit": Action.CREDIT_SET_LIMIT,
    "credit.customer": Action.CREDIT_VIEW,
    "credit.request_limit": Action.CREDIT_REQUEST,
    "credit.decide_limit": Action.CREDIT_SET_LIMIT,
    "credit.withdraw_limit": Action.CREDIT_REQUEST,
    "credit.hold": Action.CREDIT_SET_LIMIT,
    "reports.index": Action.REPORTS_VIEW,
    "reports.export": Action.REPORTS_VIEW,
    # sales see these limited to their own customers (portal.reports.routes.report_scope)
    "reports.dimensions_page": Action.REPORTS_VIEW,
    "reports.dimensions_export": Action.REPORTS_VIEW,
    "reports.effectiveness_page": Action.REPORTS_VIEW,
    "reports.effectiveness_export": Action.REPORTS_VIEW,
    "reports.forecast_page": Action.REPORTS_VIEW,
    "reports.forecast_export": Action.REPORTS_VIEW,
    "contracts.index": Action.CONTRACTS_VIEW,
    "contracts.detail": Action.CONTRACTS_VIEW,
    "contracts.document_pdf": Action.CONTRACTS_VIEW,
    "contracts.upload": Action.CONTRACTS_MANAGE,
    "contracts.document": {"GET": Action.CONTRACTS_VIEW, "POST": Action.CONTRACTS_MANAGE},
    "contracts.held": Action.CONTRACTS_VIEW,
    "contracts.confirm": Action.CONTRACTS_MANAGE,
    "contracts.report": Action.CONTRACTS_VIEW,
    "erp.conflicts": Action.ERP_CONFLICTS_VIEW,
    "erp.resolve": Action.ERP_CONFLICTS_RESOLVE,
    "audit.statements": Action.AUDIT_VIEW,
    "audit.evidence": Action.AUDIT_VIEW,
    "admin.dunning": Action.SETTINGS_VIEW,
    "admin.save_limits": Action.SETTINGS_EDIT,
    "admin.users": Action.USERS_MANAGE,
    "admin.invite_staff": Action.USERS_MANAGE,
    "admin.change_role": Action.USERS_MANAGE,
    "admin.disable_user": Action.USERS_MANAGE,
    "admin.enable_user": Action.USERS_MANAGE,
    "admin.resend_invitation": Action.USERS_MANAGE,
    # staff: customers and their portal users and contacts
    "customers.index": Action.CUSTOMERS_VIEW,
    "customers.detail": Action.CUSTOMERS_VIEW,
    "customers.invite_user": Action.CUSTOMERS_MANAGE,
    "customers.disable_user": Action.CUSTOMERS_MANAGE,
    "customers.enable_user": Action.CUSTOMERS_MANAGE,
    "customers.resend_invitation": Action.CUSTOMERS_MANAGE,
    "customers.toggle_admin": Action.CUSTOMERS_MANAGE,
    "customers.add_contact": Action.CUSTOMERS_MANAGE,
    "customers.update_contact": Action.CUSTOMERS_MANAGE,
    "customers.remove_contact": Action.CUSTOMERS_MANAGE,
    "customers.add_note": Action.CUSTOMERS_NOTE,
    "customers.invoice_search": Action.CUSTOMERS_VIEW,
    "customers.mentions": Action.CUSTOMERS_NOTE,
    "customers.mentions_read": Action.CUSTOMERS_NOTE,
    # ERP API
    "api.customers": Token(Action.API_WRITE),
    "api.invoices": Token(Action.API_WRITE),
    "api.contacts": Token(Action.API_WRITE),
    "api.openapi": PUBLIC,
    "ledger.allocations": Token(Action.API_READ),
    "ledger.ack": Token(Action.API_WRITE),
    "api.contracts": Token(Action.API_WRITE),
    # a POST that changes nothing, but only the ERP that issues invoices asks it
    "api.check_invoice": Token(Action.API_WRITE),
    "ledger.credit_check": Token(Action.API_READ),
}


class UnlistedRoute(LookupError):
    """An endpoint has no entry in :data:`ROUTES`."""


def markdown_table() -> str:
    """The permission table as Markdown (``docs/security.md`` must contain it verbatim)."""
    header = "| action | " + " | ".join(p.value for p in PRINCIPALS) + " |"
    rule = "|---|" + "---|" * len(PRINCIPALS)
    rows = [
        f"| `{action.value}`{' (writes)' if action.writes else ''} | "
        + " | ".join("yes" if p in PERMISSIONS[action] else "—" for p in PRINCIPALS)
        + " |"
        for action in Action
    ]
    return "\n".join([header, rule, *rows])


def principal_of(user: Any) -> Principal | None:
    """Return the principal a user acts as (``None`` for anonymous or inactive users)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", True):
        return None
    role = str(getattr(user.role, "value", user.role))
    if role == "customer":
        return Principal.CUSTOMER_ADMIN if user.is_customer_admin else Principal.CUSTOMER_USER
    return Principal(role)


def allows(principal: Principal | None, action: Action) -> bool:
    """Return whether ``principal`` may take ``action``."""
    if principal is None:
        return False
    # a customer admin is also a customer user: what users may do, admins may too
    return principal in PERMISSIONS[action]


def _signed_in() -> Any:
    """The signed-in user itself (``None`` outside a request), not the proxy to it: every
    attribute read through the proxy looks the user up again."""
    return current_user._get_current_object()


def can(action: Action | str, user: Any = None) -> bool:
    """Return whether ``user`` (default: the signed-in user) may take ``action``."""
    return allows(principal_of(_signed_in() if user is None else user), Action(action))


def may_open(endpoint: str, user: Any = None) -> bool:
    """Return whether ``user`` (default: the signed-in user) may GET ``endpoint``."""
    try:
        rule = rule_for(endpoint, "GET")
    except UnlistedRoute:
        return False
    if rule is PUBLIC:
        return True
    who = _signed_in() if user is None else user
    if rule is SIGNED_IN:
        return bool(getattr(who, "is_authenticated", False))
    return isinstance(rule, Action) and can(rule, who)


def rule_for(endpoint: str, method: str = "GET") -> Rule:
    """Return the rule of ``endpoint`` for ``method``; raise :class:`UnlistedRoute` if none."""
    entry = ROUTES.get(endpoint)
    if isinstance(entry, Mapping):
        method = "GET" if method == "HEAD" else method
        entry = entry.get(method)
    if entry is None:
        raise UnlistedRoute(
            f"endpoint {endpoint!r} ({method}) has no entry in portal.permissions.ROUTES: "
            "add it there with the action it needs"
        )
    return entry


def check_request() -> BaseResponse | None:
    """Authorise the current request against the table (redirect to sign-in, or 403)."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: the 404/405 handler answers
        return None
    try:
        rule = rule_for(endpoint, request.method)
    except UnlistedRoute:
        abort(403)
    if rule is PUBLIC or isinstance(rule, Token):
        return None
    if not current_user.is_authenticated:
        from .extensions import login_manager

        return login_manager.unauthorized()
    if rule is SIGNED_IN:
        return None
    assert isinstance(rule, Action)
    if not can(rule):
        abort(403)
    return None


def init_app(app: Flask) -> None:
    """Check every request against :data:`ROUTES` (after the sign-in hooks have run)."""
    app.before_request(check_request)
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["may_open"] = may_open
