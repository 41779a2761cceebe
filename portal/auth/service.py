"""Authentication operations: throttled sign-in, sessions, reset links, invitations, codes.

Functions flush and never commit; the request commits once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..audit.service import record
from ..errors import ConcordError
from ..models import LoginAttempt, Role, TokenPurpose, User, UserToken, utcnow
from ..security import hash_password, needs_rehash, verify_password
from .scope import load_by_id


@functools.cache
def _dummy_hash() -> str:
    """A real hash to verify unknown emails against, so both answers are equally slow.

    Made on first use, not at import: hashing takes half a second, and every ``flask`` command
    (and ``make run``'s start) imports this module.
    """
    return hash_password(secrets.token_urlsafe(16))


RESET_MINUTES = 30
INVITATION_DAYS = 7
CODE_MINUTES = 10
CODE_MAX_ATTEMPTS = 5
#: one-time codes: at most this many sent per subject (a statement) and per user in an hour,
#: and at most this many wrong codes per subject and per user in an hour; past the last limit
#: the confirmation is locked until the hour has passed (6 digits are never guessed in bulk)
CODE_WINDOW = dt.timedelta(hours=1)
CODES_PER_SUBJECT_HOUR = 5
CODES_PER_USER_HOUR = 10
WRONG_CODES_PER_SUBJECT_HOUR = 10
WRONG_CODES_PER_USER_HOUR = 20


class AuthError(ConcordError):
    """Root of the portal's authentication errors."""


class Throttled(AuthError):
    """Too many failed sign-ins for this account or address: wait ``retry_after`` seconds."""

    status = 429

    def __init__(self, reason: str, retry_after: float = 0.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = max(1, math.ceil(retry_after))


class CodeLimited(AuthError):
    """Too many codes sent, or too many wrong codes, within the hour; ``until`` says when."""

    status = 429

    def __init__(self, reason: str, until: dt.datetime) -> None:
        super().__init__(f"{reason} until {until.isoformat()}")
        self.reason = reason  # "sent" (too many codes sent) or "wrong" (too many wrong codes)
        self.until = until


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str = ""  # "", "wrong", "expired", "locked", "missing", "locked_out"
    attempts_left: int = 0
    until: dt.datetime | None = None  # for "locked_out": when codes work again


def token_digest(token: str) -> str:
    """Keyed hash (HMAC-SHA256, app key) of a secret: short codes resist offline guessing."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    """Return the address as stored and compared: trimmed and lower-case."""
    return email.strip().lower()


def find_user_by_email(db: Session, email: str) -> User | None:
    """Return the user with this address (case-insensitive), or ``None``."""
    return db.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


# --- sign-in ---------------------------------------------------------------------------------


def _recent_failures(db: Session, *where: Any) -> list[dt.datetime]:
    """The times of recent failed sign-ins matching ``where``, newest first."""
    window = utcnow() - dt.timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
    return list(
        db.scalars(
            select(LoginAttempt.at)
            .where(LoginAttempt.success.is_(False), LoginAttempt.at >= window, *where)
            .order_by(LoginAttempt.at.desc())
        )
    )


#: the first delay after too many failures; each further failure doubles it
FIRST_DELAY_SECONDS = 15
#: an account's failures from every address together delay it at most this long, so an
#: attacker elsewhere can slow the real owner down but never lock them out
ACCOUNT_DELAY_CAP_SECONDS = 60


def _delay(failures: list[dt.datetime], limit: int, cap: float) -> float:
    """Seconds still to wait: none below ``limit`` failures, then 15 s doubling up to ``cap``."""
    if len(failures) < limit:
        return 0.0
    wait = min(cap, FIRST_DELAY_SECONDS * 2 ** (len(failures) - limit))
    aware = failures[0] if failures[0].tzinfo else failures[0].replace(tzinfo=dt.UTC)
    return max(0.0, (aware + dt.timedelta(seconds=wait) - utcnow()).total_seconds())


def check_throttle(db: Session, email: str, ip: str) -> None:
    """Raise :class:`Throttled` while this account or address must wait after failures.

    Delays grow with each failure instead of locking: per account and address (up to the
    throttle window), per address across accounts (likewise), and per account across all
    addresses (at most a minute, so the real owner always gets in).
    """
    cfg = current_app.config
    per_account = int(cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    window = float(cfg["LOGIN_THROTTLE_MINUTES"]) * 60
    address = normalise_email(email)
    waits = {
        "account": _delay(
            _recent_failures(db, LoginAttempt.email == address, LoginAttempt.ip == ip),
            per_account,
            window,
        ),
        "ip": _delay(
            _recent_failures(db, LoginAttempt.ip == ip),
            int(cfg["LOGIN_MAX_FAILURES_PER_IP"]),
            window,
        ),
        "account_everywhere": _delay(
            _recent_failures(db, LoginAttempt.email == address),
            per_account * 4,
            ACCOUNT_DELAY_CAP_SECONDS,
        ),
    }
    reason, wait = max(waits.items(), key=lambda item: item[1])
    if wait > 0:
        raise Throttled(reason, wait)


def authenticate(db: Session, email: str, password: str, ip: str) -> User | None:
    """Check the credentials, recording the attempt; ``None`` for any failure (same answer).

    :raises Throttled: past the per-account or per-address limit (nothing is checked then).
    """
    check_throttle(db, email, ip)
    user = find_user_by_email(db, email)
    stored = user.password_hash if user is not None and user.password_hash else None
    ok = verify_password(stored or _dummy_hash(), password) and stored is not None
    if ok and user is not None and not user.is_active:
        ok = False
    db.add(LoginAttempt(email=normalise_email(email)[:254], ip=ip[:64], at=utcnow(), success=ok))
    db.flush()
    if not ok or user is None:
        return None
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    return user


def start_session(db: Session, user: User, ip: str | None) -> None:
    """Sign ``user`` in with a fresh session (old contents dropped: no session fixation)."""
    lang = session.get("lang")
    session.clear()
    # a new random id makes the cookie differ from any cookie issued before this login
    session["sid"] = secrets.token_urlsafe(16)
    now = utcnow().timestamp()
    session["login_at"] = now
    session["seen_at"] = now
    session["lang"] = user.language or lang or (user.customer.language if user.customer else None)
    if session["lang"] is None:
        session.pop("lang")
    session.permanent = True
    # the forms' CSRF secret travels in the sign-in's own cookie: otherwise the first page
    # adds it and signs and sends the cookie again (and again, for a client that keeps the
    # cookie of the sign-in)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    generate_csrf()
    login_user(user)
    user.last_login_at = utcnow()
    record(db, user, "auth.login", user, ip=ip)


def end_session(db: Session, user: User | None, ip: str | None) -> None:
    """Sign out: bump the user's session version so every copy of the cookie dies."""
    if user is not None:
        user.session_version += 1
        record(db, user, "auth.logout", user, ip=ip)
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang


def session_expired() -> bool:
    """Return whether the current session passed its idle or absolute timeout."""
    cfg = current_app.config
    now = utcnow().timestamp()
    login_at = float(session.get("login_at", 0))
    seen_at = float(session.get("seen_at", 0))
    if now - login_at > int(cfg["SESSION_ABSOLUTE_HOURS"]) * 3600:
        return True
    return now - seen_at > int(cfg["SESSION_IDLE_MINUTES"]) * 60


#: the idle clock is moved at most this often (seconds): a page view in between leaves the
#: session cookie as it was, so it is neither re-signed nor sent again
SEEN_AT_RESOLUTION = 30


def touch_session() -> None:
    """Record activity on the session's idle clock (at most every ``SEEN_AT_RESOLUTION`` s).

    A session may thus end up to ``SEEN_AT_RESOLUTION`` seconds before its idle timeout.
    """
    now = utcnow().timestamp()
    if now - float(session.get("seen_at", 0)) >= SEEN_AT_RESOLUTION:
        session["seen_at"] = now


_WITH_CUSTOMER = joinedload(User.customer)


def load_user(db: Session, user_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<session_version>"`` must match an active user."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    # a customer's user has its company on every page (the header): one query, not two
    user = load_by_id(db, User, int(ident), _WITH_CUSTOMER)
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


# --- single-use tokens -----------------------------------------------------------------------


def issue_token(
    db: Session,
    user: User,
    purpose: TokenPurpose,
    lifetime: dt.timedelta,
    *,
    subject: str | None = None,
    secret: str | None = None,
) -> str:
    """Create a single-use token for ``user``; earlier unused ones of the same kind are voided."""
    now = utcnow()
    for old in db.scalars(
        select(UserToken).where(
            UserToken.user_id == user.id,
            UserToken.purpose == purpose,
            UserToken.subject.is_(None) if subject is None else UserToken.subject == subject,
            UserToken.used_at.is_(None),
        )
    ):
        old.used_at = now
    secret = secret or secrets.token_urlsafe(32)
    db.add(
        UserToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_digest(secret),
            subject=subject,
            expires_at=now + lifetime,
        )
    )
    db.flush()
    return secret


def find_valid_token(db: Session, secret: str, purpose: TokenPurpose) -> UserToken | None:
    """Return the unused, unexpired token matching ``secret``."""
    token = db.scalar(
        select(UserToken).where(
            UserToken.token_hash == token_digest(secret), UserToken.purpose == purpose
        )
    )
    if token is None or token.used_at is not None or token.expires_at < utcnow():
        return None
    return token


def request_password_reset(db: Session, email: str) -> tuple[User, str] | None:
    """Create a reset link token for an active user with that email (``None`` otherwise)."""
    user = find_user_by_email(db, email)
    if user is None or not user.is_active or not user.password_hash:
        return None
    secret = issue_token(db, user, TokenPurpose.PASSWORD_RESET, dt.timedelta(minutes=RESET_MINUTES))
    record(db, user, "auth.reset_requested", user)
    return user, secret


def set_password(db: Session, user: User, password: str, *, action: str) -> None:
    """Set a new password and end every existing session of the user."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    record(db, user, action, user)
    db.flush()


def reset_password(db: Session, secret: str, password: str) -> User | None:
    """Use a reset token once to set a new password; ``None`` when the link is not valid."""
    token = find_valid_token(db, secret, TokenPurpose.PASSWORD_RESET)
    if token is None:
        return None
    token.used_at = utcnow()
    set_password(db, token.user, password, action="auth.password_reset")
    return token.user


def invite_user(db: Session, inviter: User, email: str, name: str) -> tuple[User, str]:
    """Create a colleague of ``inviter``'s customer (no password yet) and an invitation token.

    :raises AuthError: when the email already belongs to a user.
    """
    if inviter.customer_id is None or not inviter.is_customer_admin:
        raise AuthError("only a customer admin may invite colleagues")
    if find_user_by_email(db, email) is not None:
        raise AuthError("email taken")
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=Role.CUSTOMER,
        customer_id=inviter.customer_id,
        language=inviter.language,
        password_hash=None,
    )
    db.add(user)
    db.flush()
    secret = issue_token(db, user, TokenPurpose.INVITATION, dt.timedelta(days=INVITATION_DAYS))
    record(
        db,
        inviter,
        "auth.user_invited",
        user,
        data={"email": user.email, "customer_id": user.customer_id},
    )
    return user, secret


def accept_invitation(db: Session, secret: str, name: str, password: str) -> User | None:
    """Use an invitation token once: set the name and password; ``None`` if not valid."""
    token = find_valid_token(db, secret, TokenPurpose.INVITATION)
    if token is None:
        return None
    token.used_at = utcnow()
    token.user.name = name.strip()
    set_password(db, token.user, password, action="auth.invitation_accepted")
    return token.user


# --- one-time codes --------------------------------------------------------------------------


def _recent_codes(db: Session, *where: Any) -> list[UserToken]:
    since = utcnow() - CODE_WINDOW
    return list(
        db.scalars(
            select(UserToken)
            .where(
                UserToken.purpose == TokenPurpose.CONFIRM_CODE,
                UserToken.created_at >= since,
                *where,
            )
            .order_by(UserToken.created_at)
        )
    )


def _code_limits(db: Session, user: User, subject: str) -> None:
    """Raise :class:`CodeLimited` while ``subject`` or ``user`` is past an hourly limit."""
    by_subject = _recent_codes(db, UserToken.subject == subject)
    by_user = _recent_codes(db, UserToken.user_id == user.id)
    for rows, most in (
        (by_subject, WRONG_CODES_PER_SUBJECT_HOUR),
        (by_user, WRONG_CODES_PER_USER_HOUR),
    ):
        if sum(row.attempts for row in rows) >= most:
            raise CodeLimited("wrong", rows[0].created_at + CODE_WINDOW)
    for rows, most in ((by_subject, CODES_PER_SUBJECT_HOUR), (by_user, CODES_PER_USER_HOUR)):
        if len(rows) >= most:
            raise CodeLimited("sent", rows[-most].created_at + CODE_WINDOW)


def issue_code(db: Session, user: User, subject: str) -> str:
    """Create a 6-digit one-time code for ``subject`` (valid 10 minutes, single use).

    :raises CodeLimited: too many codes were sent, or too many wrong ones entered, this hour.
    """
    _code_limits(db, user, subject)
    code = f"{secrets.randbelow(1_000_000):06d}"
    issue_token(
        db,
        user,
        TokenPurpose.CONFIRM_CODE,
        dt.timedelta(minutes=CODE_MINUTES),
        subject=subject,
        secret=f"{subject}:{code}",
    )
    return code


def check_code(db: Session, user: User, subject: str, code: str) -> CodeCheck:
    """Check (and on success consume) the latest code for ``subject``; counts failed attempts."""
    token = db.scalar(
        select(UserToken)
        .where(
            UserToken.user_id == user.id,
            UserToken.purpose == TokenPurpose.CONFIRM_CODE,
            UserToken.subject == subject,
            UserToken.used_at.is_(None),
        )
        .order_by(UserToken.id.desc())
        .limit(1)
    )
    if token is None:
        return CodeCheck(False, "missing")
    try:
        _code_limits_for_checking(db, user, subject)
    except CodeLimited as exc:
        return CodeCheck(False, "locked_out", until=exc.until)
    if token.expires_at < utcnow():
        return CodeCheck(False, "expired")
    if token.attempts >= CODE_MAX_ATTEMPTS:
        return CodeCheck(False, "locked")
    candidate = token_digest(f"{subject}:{code.strip()}")
    if hmac.compare_digest(candidate, token.token_hash):
        token.used_at = utcnow()
        db.flush()
        return CodeCheck(True)
    token.attempts += 1
    db.flush()
    left = CODE_MAX_ATTEMPTS - token.attempts
    try:
        _code_limits_for_checking(db, user, subject)
    except CodeLimited as exc:
        return CodeCheck(False, "locked_out", until=exc.until)
    return CodeCheck(False, "wrong" if left > 0 else "locked", left)


def _code_limits_for_checking(db: Session, user: User, subject: str) -> None:
    """Raise :class:`CodeLimited` when too many wrong codes were entered this hour."""
    try:
        _code_limits(db, user, subject)
    except CodeLimited as exc:
        if exc.reason == "wrong":
            raise
