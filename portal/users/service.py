"""Manage accounts: staff users, customer portal users and invitations (flush only; audited).

Used by the ``flask users`` commands and the admin pages alike. Every function flushes and
never commits: the CLI command or the request commits once. Every change is audited with the
acting user (``None`` for the command line, whose audit data names the operating-system user).
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from ..audit.service import record
from ..auth.service import (
    INVITATION_DAYS,
    find_user_by_email,
    issue_token,
    normalise_email,
)
from ..errors import ConcordError
from ..models import Customer, CustomerContact, Role, TokenPurpose, User, UserToken, utcnow
from ..notifications import notify
from ..security import hash_password

#: the roles a member of staff may have (``customer`` is for customer users only)
STAFF_ROLES: tuple[Role, ...] = (Role.FINANCE, Role.SALES, Role.AUDITOR, Role.ADMIN)
# deliberately loose: one @, no spaces, a dot in the domain; delivery proves the rest
_EMAIL_OK = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: role names as users read them
ROLE_LABELS: dict[Role, Any] = {
    Role.FINANCE: _l("Finance"),
    Role.SALES: _l("Sales"),
    Role.AUDITOR: _l("Auditor"),
    Role.ADMIN: _l("Administrator"),
    Role.CUSTOMER: _l("Customer"),
}

FIRST_ADMIN_COMMAND = "flask --app portal users create you@example.com --role admin"


class AccountError(ConcordError):
    """Root of the account-management errors; the message is safe to show to an operator.

    ``code`` names the reason for the web pages, which show it in the reader's language.
    """

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def user_message(self) -> str:
        return error_message(self)


class UnknownRole(AccountError):
    """The role is not one of the staff roles."""

    code = "unknown_role"


class DuplicateEmail(AccountError):
    """Another user has this email address already."""

    status = 409

    code = "email_taken"


class UnknownCustomer(AccountError):
    """No customer has this code."""

    code = "unknown_customer"


class UnknownUser(AccountError):
    """No user has this email address."""

    code = "unknown_user"


class NotAllowed(AccountError):
    """The change would lock everyone out or does not apply to this kind of user."""

    code = "not_allowed"


@dataclass(frozen=True)
class Invitation:
    """A user with a fresh single-use link to choose a password."""

    user: User
    secret: str

    @property
    def link(self) -> str:
        return absolute_url("auth.accept_invitation", token=self.secret)


@dataclass
class BulkInviteSummary:
    """What ``invite_billing_contacts`` did, customer by customer."""

    invited: list[tuple[Customer, Invitation]] = field(default_factory=list)
    #: (customer, reason code): ``no_email`` or ``email_taken``
    skipped: list[tuple[Customer, str]] = field(default_factory=list)
    #: customers that have a portal user already (not looked at further)
    with_users: int = 0
    #: code of the last customer looked at (``None``: there was none)
    last_code: str | None = None


def absolute_url(endpoint: str, **values: Any) -> str:
    """Build the absolute URL of ``endpoint`` under ``BASE_URL`` (no request needed)."""
    base = urlsplit(str(current_app.config["BASE_URL"]).rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def parse_role(value: str) -> Role:
    """Return the staff role named ``value``.

    :raises UnknownRole: for ``customer`` or an unknown name.
    """
    try:
        role = Role(value.strip().lower())
    except ValueError:
        role = None
    if role is None or role not in STAFF_ROLES:
        names = "|".join(r.value for r in STAFF_ROLES)
        raise UnknownRole(f"unknown role {value!r}: use one of {names}")
    return role


def _check_new_email(db: Session, email: str) -> str:
    email = normalise_email(email)
    if not _EMAIL_OK.match(email) or len(email) > 254:
        raise AccountError(f"{email!r} is not a valid email address", code="bad_email")
    if find_user_by_email(db, email) is not None:
        raise DuplicateEmail(f"a user with the email {email} exists already")
    return email


def get_user(db: Session, email: str) -> User:
    """Return the user with this email.

    :raises UnknownUser: when there is none.
    """
    user = find_user_by_email(db, email)
    if user is None:
        raise UnknownUser(f"no user has the email {normalise_email(email)}")
    return user


def get_customer(db: Session, code: str) -> Customer:
    """Return the customer with this code (exact, then case-insensitive).

    :raises UnknownCustomer: when there is none.
    """
    customer = db.scalar(select(Customer).where(Customer.code == code.strip()))
    if customer is None:
        customer = db.scalar(
            select(Customer).where(func.lower(Customer.code) == code.strip().lower())
        )
    if customer is None:
        raise UnknownCustomer(f"no customer has the code {code!r}")
    return customer


def staff_user_count(db: Session) -> int:
    """Return how many staff users exist (any status): zero on a fresh installation."""
    return int(db.scalar(select(func.count(User.id)).where(User.role != Role.CUSTOMER)) or 0)


def _audit(
    db: Session,
    actor: User | None,
    action: str,
    user: User,
    *,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    payload = {"email": user.email, **(data or {})}
    if actor is None:
        payload["via"] = "cli"
        payload["os_user"] = _os_user()
    record(db, actor, action, user, reason=reason or None, data=payload)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def _invite(db: Session, user: User) -> Invitation:
    secret = issue_token(db, user, TokenPurpose.INVITATION, dt.timedelta(days=INVITATION_DAYS))
    return Invitation(user, secret)


# --- staff users -------------------------------------------------------------------------------


def create_staff_user(
    db: Session,
    email: str,
    role: Role | str,
    *,
    name: str = "",
    password: str | None = None,
    actor: User | None = None,
    language: str | None = None,
) -> tuple[User, Invitation | None]:
    """Create a member of staff; without ``password`` an invitation link is issued.

    :raises UnknownRole: the role is not a staff role.
    :raises DuplicateEmail: the address belongs to a user already.
    """
    role = parse_role(role) if isinstance(role, str) else role
    if role not in STAFF_ROLES:
        raise UnknownRole(f"{role.value} is not a staff role")
    email = _check_new_email(db, email)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password) if password else None,
        language=language,
    )
    db.add(user)
    db.flush()
    invitation = None if password else _invite(db, user)
    _audit(db, actor, "users.created", user, data={"role": role.value, "invited": not password})
    return user, invitation


def list_users(db: Session, *, staff_only: bool = False) -> list[User]:
    """Return users ordered staff first (by role, email), then customer users by customer."""
    query = select(User).options(selectinload(User.customer))
    if staff_only:
        query = query.where(User.role != Role.CUSTOMER)
    users = list(db.scalars(query))
    return sorted(
        users,
        key=lambda u: (u.role is Role.CUSTOMER, u.customer.code if u.customer else "", u.email),
    )


def user_status(user: User) -> str:
    """``disabled``, ``invited`` (no password chosen yet) or ``active``."""
    if not user.is_active:
        return "disabled"
    if not user.password_hash:
        return "invited"
    return "active"


def _active_admins(db: Session) -> int:
    """How many active administrators there are, their rows locked until the transaction ends:
    two admins disabling each other at the same moment must not leave none (the second one
    waits, then counts again without the first one's)."""
    db.flush()
    admins = select(User.id).where(User.role == Role.ADMIN, User.is_active.is_(True))
    return len(db.scalars(admins.order_by(User.id).with_for_update()).all())


def _void_tokens(db: Session, user: User) -> None:
    now = utcnow()
    for token in db.scalars(
        select(UserToken).where(UserToken.user_id == user.id, UserToken.used_at.is_(None))
    ):
        token.used_at = now


def disable_user(
    db: Session, user: User, *, actor: User | None = None, reason: str | None = None
) -> bool:
    """Disable ``user`` and end every session at once; ``False`` if it was disabled already.

    Open invitation and reset links die with it.

    :raises NotAllowed: for the last active admin (nobody could manage users any more).
    """
    if not user.is_active:
        return False
    if actor is not None and actor.id == user.id:
        raise NotAllowed("you cannot disable your own account", code="self")
    if user.role is Role.ADMIN and _active_admins(db) <= 1:
        raise NotAllowed("the last active admin cannot be disabled", code="last_admin")
    user.is_active = False
    # sessions carry the version: bumping it ends every session of the user on its next request
    user.session_version += 1
    _void_tokens(db, user)
    db.flush()
    _audit(db, actor, "users.disabled", user, reason=reason)
    return True


def enable_user(
    db: Session, user: User, *, actor: User | None = None, reason: str | None = None
) -> bool:
    """Enable a disabled user again; ``False`` if it was active already."""
    if user.is_active:
        return False
    user.is_active = True
    db.flush()
    _audit(db, actor, "users.enabled", user, reason=reason)
    return True


def set_role(
    db: Session,
    user: User,
    role: Role | str,
    *,
    actor: User | None = None,
    reason: str | None = None,
) -> bool:
    """Change a staff user's role; ``False`` when it had that role already.

    :raises UnknownRole: the role is not a staff role.
    :raises NotAllowed: ``user`` is a customer user, or the last active admin would go.
    """
    role = parse_role(role) if isinstance(role, str) else role
    if role not in STAFF_ROLES:
        raise UnknownRole(f"{role.value} is not a staff role")
    if not user.is_staff:
        raise NotAllowed(
            f"{user.email} is a customer's user: staff roles do not apply", code="customer_user"
        )
    if user.role is role:
        return False
    if user.role is Role.ADMIN and user.is_active and _active_admins(db) <= 1:
        raise NotAllowed("the last active admin cannot lose the admin role", code="last_admin")
    old = user.role
    user.role = role
    db.flush()
    _audit(db, actor, "users.role_changed", user, reason=reason, data={"from": old, "to": role})
    return True


def resend_invitation(db: Session, user: User, *, actor: User | None = None) -> Invitation:
    """Issue a fresh invitation link for a user who has not chosen a password yet.

    Earlier links of the user stop working.

    :raises NotAllowed: the user is disabled or has a password already.
    """
    if not user.is_active:
        raise NotAllowed(f"{user.email} is disabled: enable the user first", code="disabled")
    if user.password_hash:
        raise NotAllowed(
            f"{user.email} has a password already: use “forgot password” instead",
            code="has_password",
        )
    invitation = _invite(db, user)
    _audit(db, actor, "users.invitation_resent", user)
    return invitation


def reinvite_by_email(db: Session, email: str) -> Invitation | None:
    """A fresh invitation for an active user who never chose a password (``None`` otherwise).

    Lets someone whose invitation expired get a new link through "Forgot your password?";
    the request is audited as the user's own.
    """
    user = find_user_by_email(db, email)
    if user is None or not user.is_active or user.password_hash:
        return None
    return resend_invitation(db, user, actor=user)


# --- customer users ----------------------------------------------------------------------------


def invite_customer_user(
    db: Session,
    customer: Customer,
    email: str,
    *,
    name: str = "",
    admin: bool = False,
    actor: User | None = None,
    language: str | None = None,
) -> Invitation:
    """Create a portal user of ``customer`` (no password yet) with an invitation link.

    :raises DuplicateEmail: the address belongs to a user already.
    """
    email = _check_new_email(db, email)
    user = User(
        email=email,
        name=name.strip(),
        role=Role.CUSTOMER,
        customer_id=customer.id,
        is_customer_admin=admin,
        language=language or customer.language,
        password_hash=None,
    )
    db.add(user)
    db.flush()
    invitation = _invite(db, user)
    _audit(
        db,
        actor,
        "users.customer_invited",
        user,
        data={"customer": customer.code, "customer_admin": admin},
    )
    return invitation


def set_customer_admin(db: Session, user: User, admin: bool, *, actor: User | None = None) -> bool:
    """Make a customer user the customer's admin (may invite colleagues), or not; audited."""
    if user.role is not Role.CUSTOMER:
        raise NotAllowed(f"{user.email} is not a customer's user", code="staff_user")
    if user.is_customer_admin == admin:
        return False
    user.is_customer_admin = admin
    db.flush()
    _audit(db, actor, "users.customer_admin_changed", user, data={"customer_admin": admin})
    return True


def billing_address(customer: Customer) -> tuple[str | None, CustomerContact | None]:
    """The address to invite for ``customer``: its billing contact's, else the customer's."""
    for contact in customer.contacts:
        if contact.is_billing and contact.email:
            return contact.email, contact
    return customer.email or None, None


def invite_billing_contacts(
    db: Session,
    *,
    actor: User | None = None,
    after_code: str | None = None,
    limit: int | None = None,
) -> BulkInviteSummary:
    """Invite, as customer admin, the billing contact of each customer without a portal user.

    Customers are taken in code order; ``after_code`` and ``limit`` take one batch of them
    (``BulkInviteSummary.last_code`` is where the next batch starts).
    """
    summary = BulkInviteSummary()
    has_user = exists().where(User.customer_id == Customer.id)
    if after_code is None:
        summary.with_users = int(db.scalar(select(func.count(Customer.id)).where(has_user)) or 0)
    query = (
        select(Customer)
        .where(~has_user)
        .options(selectinload(Customer.contacts))
        .order_by(Customer.code)
    )
    if after_code is not None:
        query = query.where(Customer.code > after_code)
    if limit is not None:
        query = query.limit(limit)
    customers = db.scalars(query).all()
    for customer in customers:
        summary.last_code = customer.code
        email, contact = billing_address(customer)
        if not email:
            summary.skipped.append((customer, "no_email"))
            continue
        if find_user_by_email(db, email) is not None:
            summary.skipped.append((customer, "email_taken"))
            continue
        try:
            invitation = invite_customer_user(
                db,
                customer,
                email,
                name=contact.name if contact else "",
                admin=True,
                actor=actor,
                language=contact.language if contact else None,
            )
        except AccountError:
            summary.skipped.append((customer, "bad_email"))
            continue
        summary.invited.append((customer, invitation))
    return summary


#: what each error code means, in the reader's language
ERROR_MESSAGES: dict[str, Any] = {
    "invalid": _l("This change is not possible."),
    "bad_email": _l("Enter a valid email address."),
    "email_taken": _l("This email address already has an account."),
    "unknown_role": _l("Choose one of the roles offered."),
    "unknown_customer": _l("There is no customer with this code."),
    "unknown_user": _l("There is no user with this email address."),
    "not_allowed": _l("This change is not possible."),
    "last_admin": _l("The last active administrator cannot be disabled or lose the role."),
    "self": _l("You cannot disable your own account."),
    "customer_user": _l("Staff roles do not apply to a customer's user."),
    "staff_user": _l("This is a member of staff, not a customer's user."),
    "disabled": _l("The user is disabled: enable the user first."),
    "has_password": _l(
        "The user has chosen a password already; they can use “Forgot your password?”."
    ),
}


def error_message(exc: AccountError) -> str:
    """Return the error in the reader's language."""
    return str(ERROR_MESSAGES.get(exc.code, ERROR_MESSAGES["invalid"]))


# --- emails ------------------------------------------------------------------------------------


def send_invitation(invitation: Invitation, *, inviter: User | None = None) -> None:
    """Email the invitation link in the user's language (staff and customer users alike)."""
    user = invitation.user
    language = user.language or (user.customer.language if user.customer else None) or "zh"
    notify(
        user.email,
        "invitation" if user.customer_id else "staff_invitation",
        language,
        user=user,
        inviter=inviter,
        company=current_app.config["COMPANY_NAME"],
        role=ROLE_LABELS[user.role],
        link=invitation.link,
        days=INVITATION_DAYS,
    )
