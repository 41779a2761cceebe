"""Statements in the portal: build from the database, issue (certified), supersede, confirm.

Every function flushes and never commits; the request or the CLI command commits once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from statements.build import build_statement, is_whole_month
from statements.errors import StatementError
from statements.model import (
    CompanyInfo,
    CurrencySection,
    CustomerInfo,
    EntryKind,
    Language,
    OpenItem,
    StatementData,
)
from statements.pki import ConcordPKI
from statements.render import line_description, render_statement

from ..audit.service import record
from ..errors import ConcordError
from ..models import (
    CurrencyBalance,
    Customer,
    OpenItemRow,
    SignatureEvidence,
    Statement,
    StatementLine,
    StatementStatus,
    User,
    utcnow,
)
from .entries import OPEN_DISPUTES as OPEN_DISPUTES  # the statement loop reads it here
from .entries import Ledger, load_ledger
from .late import closings
from .tasks import close_statement_tasks

# Signing and verifying load pyHanko (with aiohttp), about 1 s of every process's start: they are
# imported where a statement is signed or verified, so that `flask …` commands, the worker and
# pages that never sign start without them.
if TYPE_CHECKING:
    from pyhanko.sign.timestamps.api import TimeStamper

    from statements.sign import EvidenceRecord
    from statements.verify import VerificationReport

#: set ``app.extensions[TIMESTAMPER_KEY]`` to a pyHanko TimeStamper to override TSA_URL (tests)
TIMESTAMPER_KEY = "concord.statements.timestamper"
DEFAULT_RESPONSE_DAYS = 14
NUMBER_MAX = 40


class StatementServiceError(StatementError, ConcordError):
    """A statement action the portal refuses (shown to the user as a message)."""


class StatementAlreadyIssued(StatementServiceError):
    """The customer already has a current statement for this period."""


class StatementNotConfirmable(StatementServiceError):
    """The statement cannot be confirmed (already confirmed, disputed or superseded)."""


# -- keys and settings --------------------------------------------------------------------------

_pki_lock = threading.Lock()
_pki_cache: dict[tuple[Path, str], ConcordPKI] = {}


def _status_label(value: str) -> str:
    from ..ui.routes import label

    return str(label(value)).lower()


def pki_for_app(
    app_or_instance_path: Flask | str | Path | None = None, passphrase: str | None = None
) -> ConcordPKI:
    """Return the PKI under ``<instance>/pki`` (created on first use, cached per process).

    :param app_or_instance_path: the app (default: the current one) or an instance folder.
    :param passphrase: the key passphrase; default: the app's ``KEY_PASSPHRASE``.
    """
    app: Flask | None
    if app_or_instance_path is None or isinstance(app_or_instance_path, Flask):
        app = app_or_instance_path or current_app._get_current_object()  # type: ignore[attr-defined]
        instance = Path(app.instance_path)
    else:
        app = None
        instance = Path(app_or_instance_path)
    if passphrase is None:
        if app is None:
            raise StatementServiceError("a passphrase is needed to open the signing keys")
        passphrase = str(app.config["KEY_PASSPHRASE"])
    company = str(app.config["COMPANY_NAME"]) if app is not None else "Concord"
    key = (instance.resolve() / "pki", hashlib.sha256(passphrase.encode()).hexdigest())
    with _pki_lock:
        pki = _pki_cache.get(key)
        if pki is None:
            pki = ConcordPKI(
                key[0], passphrase, company_name=company, organisation=pki_organisation(company)
            )
            _pki_cache[key] = pki
    return pki


def pki_organisation(company: str) -> str:
    """The organisation a new PKI names in its certificates: the company certificate is
    ``COMPANY_NAME``, and the root and issuing CAs are the company's own too (its English name,
    or its only one), so an auditor's verifier shows "Example Trading Co., Ltd. Root CA", not
    the software's name."""
    return company.split(" / ")[0].strip() or "Concord"


def _timestamper() -> TimeStamper | None:
    override: TimeStamper | None = current_app.extensions.get(TIMESTAMPER_KEY)
    if override is not None:
        return override
    url = current_app.config.get("TSA_URL")
    if not url:
        return None
    from statements.timestamps import UrllibTimeStamper

    return UrllibTimeStamper(str(url))


def _company() -> CompanyInfo:
    config = current_app.config
    logo = config.get("COMPANY_LOGO")
    return CompanyInfo(
        name=str(config["COMPANY_NAME"]),
        address=str(config.get("COMPANY_ADDRESS") or ""),
        logo_path=Path(logo) if logo else None,
        portal_url=str(config.get("BASE_URL") or "").rstrip("/") + "/statements",
    )


def _customer_info(customer: Customer) -> CustomerInfo:
    language: Language = "en" if customer.language == "en" else "zh"
    return CustomerInfo(
        code=customer.code,
        name=customer.name,
        currency=customer.currency,
        language=language,
        email=customer.email,
    )


def statement_number(customer: Customer, start: dt.date, end: dt.date, version: int) -> str:
    """Return ``ST-2026-10-C00017-v1`` for a month, ``ST-20261001-20261015-C00017-v1`` else."""
    if is_whole_month(start, end):
        period = f"{start.year}-{start.month:02d}"
    else:
        period = f"{start:%Y%m%d}-{end:%Y%m%d}"
    number = f"ST-{period}-{customer.code}-v{version}"
    if len(number) > NUMBER_MAX:
        # the column holds 40 characters; an unusually long customer code gives way to its id
        number = f"ST-{period}-ID{customer.id}-v{version}"
    return number


def current_statement(
    session: Session, customer: Customer, start: dt.date, end: dt.date
) -> Statement | None:
    """Return the customer's statement for exactly this period that is not superseded."""
    return session.scalars(
        select(Statement)
        .where(
            Statement.customer_id == customer.id,
            Statement.period_start == start,
            Statement.period_end == end,
            Statement.status != StatementStatus.SUPERSEDED,
        )
        .order_by(Statement.version.desc())
    ).first()


def build_for(
    session: Session,
    customer: Customer,
    period_start: dt.date,
    period_end: dt.date,
    *,
    version: int = 1,
    supersedes: str | None = None,
    issued_on: dt.date | None = None,
    issuing_at: dt.datetime | None = None,
) -> tuple[StatementData, Ledger]:
    """Build (without storing) the statement of ``customer`` for the period.

    Records booked after a statement covering their date was issued count on the first
    period not yet issued (:mod:`.late`), so an issued statement built again is as issued.

    :param issued_on: the statement's date; by default the day of ``issuing_at``, or today.
    :param issuing_at: the time a statement of the period is being issued at (a correction
        counts what was booked before it in its period, unless a later period is issued).
    """
    issuing = (period_start, period_end, issuing_at) if issuing_at is not None else None
    ledger = load_ledger(
        session, customer, period_end, closings(session, customer, issuing=issuing)
    )
    today = issued_on or (issuing_at or utcnow()).date()
    days = int(current_app.config.get("STATEMENT_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))
    data = build_statement(
        company=_company(),
        customer=_customer_info(customer),
        entries=ledger.entries,
        period_start=period_start,
        period_end=period_end,
        number=statement_number(customer, period_start, period_end, version),
        issued_on=today,
        respond_by=today + dt.timedelta(days=days),
        version=version,
        supersedes=supersedes,
    )
    return data, ledger


#: the totals a statement, and each of its currency sections, carries: a balance's amounts
TOTALS = tuple(f.name for f in dataclasses.fields(CurrencyBalance) if f.name != "currency")


def _totals(built: StatementData | CurrencySection) -> dict[str, Decimal]:
    return {name: getattr(built, name) for name in TOTALS}


def _open_item(item: OpenItem) -> OpenItemRow:
    """The open item as the statement keeps it: the engine's item less its aging bucket."""
    return OpenItemRow(**{f.name: getattr(item, f.name) for f in dataclasses.fields(OpenItemRow)})


def open_items(session: Session, statement: Statement) -> dict[str, list[OpenItemRow]]:
    """Each currency's open items at the end of the statement's period, as its PDF lists them.

    Kept with the statement when it is issued; for a statement issued before that, built
    again from the ledger up to the period's end (what the PDF was built from).
    """
    stored = statement.stored_open_items()
    if stored is not None:
        return stored
    data, _ledger = build_for(
        session,
        statement.customer,
        statement.period_start,
        statement.period_end,
        version=statement.version,
        issued_on=statement.issued_at.date(),
    )
    return {s.currency: [_open_item(item) for item in s.open_items] for s in data.sections}


# -- issuing ------------------------------------------------------------------------------------


def issue_statement(
    session: Session,
    customer: Customer,
    period_start: dt.date,
    period_end: dt.date,
    *,
    issued_by: User | None = None,
    supersedes: Statement | None = None,
) -> Statement:
    """Build, render and certify a statement; store the PDF, its evidence and an audit event.

    :param supersedes: the statement of the same customer and period this one corrects; it
        becomes ``superseded`` and the new PDF says so.
    :raises StatementAlreadyIssued: when a current statement exists and none is superseded.
    :raises StatementServiceError: when ``supersedes`` does not fit (other customer/period,
        or a confirmed statement).
    """
    existing = current_statement(session, customer, period_start, period_end)
    version = 1
    if supersedes is not None:
        if (supersedes.customer_id, supersedes.period_start, supersedes.period_end) != (
            customer.id,
            period_start,
            period_end,
        ):
            raise StatementServiceError(
                _(
                    "a correction must be for the same customer and period as the statement it "
                    "replaces"
                )
            )
        if supersedes.status is StatementStatus.CONFIRMED:
            raise StatementServiceError(
                _(
                    "statement %(number)s is confirmed by the customer and stays as it is",
                    number=supersedes.number,
                )
            )
        supersedes.move_to(StatementStatus.SUPERSEDED)
        version = (
            max(
                session.scalars(
                    select(Statement.version).where(
                        Statement.customer_id == customer.id,
                        Statement.period_start == period_start,
                        Statement.period_end == period_end,
                    )
                )
            )
            + 1
        )
    elif existing is not None:
        raise StatementAlreadyIssued(
            _(
                "%(customer)s already has statement %(number)s for this period",
                customer=customer.code,
                number=existing.number,
            )
        )

    # the statement closes its period at this time: what is booked later counts after it
    now = utcnow()
    data, ledger = build_for(
        session,
        customer,
        period_start,
        period_end,
        version=version,
        supersedes=supersedes.number if supersedes is not None else None,
        issuing_at=now,
    )
    return store_issued(
        session, customer, data, ledger, now, supersedes=supersedes, issued_by=issued_by
    )


def store_issued(
    session: Session,
    customer: Customer,
    data: StatementData,
    ledger: Ledger,
    now: dt.datetime,
    *,
    supersedes: Statement | None,
    issued_by: User | None,
) -> Statement:
    """Store the built statement ``data`` as issued at ``now``: rows, certified PDF, audit.

    :raises StatementAlreadyIssued: when another session stored the same number just now.
    """
    period_start, period_end, version = data.period_start, data.period_end, data.version
    statement = Statement(
        number=data.number,
        customer_id=customer.id,
        period_start=period_start,
        period_end=period_end,
        version=version,
        supersedes_id=supersedes.id if supersedes is not None else None,
        currency=data.currency,
        language=data.language,
        **_totals(data),
        currency_sections=[
            {
                **CurrencyBalance(section.currency, **_totals(section)).as_json(),
                # kept so that the page shows the open items the PDF lists, as issued
                "open_items": [_open_item(item).as_json() for item in section.open_items],
            }
            for section in data.sections
        ],
        status=StatementStatus.ISSUED,
        issued_at=now,
        issued_by_id=issued_by.id if issued_by is not None else None,
        respond_by=data.respond_by,
        issued_pdf=b"",
        issued_sha256="",
    )
    for section, line in ((s, line) for s in data.sections for line in s.lines):
        invoice_id = ledger.invoice_ids.get(line.reference or line.document)
        statement.lines.append(
            StatementLine(
                line_no=line.line_no,
                date=line.date,
                value_date=line.value_date,
                kind=line.kind.value,
                document=line.document,
                description=line_description(line, data.language),
                due_date=line.due_date,
                debit=line.debit,
                credit=line.credit,
                balance=line.balance,
                currency=section.currency,
                invoice_id=invoice_id,
                credit_note_id=line.source_id if line.kind is EntryKind.CREDIT_NOTE else None,
                transaction_id=line.source_id
                if line.kind
                in (
                    EntryKind.PAYMENT,
                    EntryKind.ALLOCATION,
                    EntryKind.UNALLOCATION,
                    EntryKind.WRITE_OFF,
                )
                else None,
            )
        )
    try:
        # two clerks issuing the same statement at once: the unique number decides
        with session.begin_nested():
            session.add(statement)
            session.flush()
    except IntegrityError as exc:
        raise StatementAlreadyIssued(
            _(
                "%(customer)s's statement for this period was issued by someone else just now",
                customer=customer.code,
            )
        ) from exc

    from statements.sign import Identity, SignatureRequest, certify

    rendered = render_statement(data)
    pki = pki_for_app()
    company = data.company.name
    request = SignatureRequest(
        material=pki.company(),
        identity=Identity(
            name=company,
            company=company,
            auth_method=f"issued by {issued_by.email}" if issued_by else "batch issue",
        ),
        statement_version=version,
        language=data.language,
        timestamper=_timestamper(),
        trust_roots=[pki.root_certificate()],
    )
    signed = certify(rendered.pdf, request, signature_box=rendered.signature_box)
    statement.issued_pdf = signed.pdf
    statement.issued_sha256 = signed.evidence.hash_after
    evidence = _store_evidence(session, statement, signed.evidence, issued_by)
    data_json = {
        "number": statement.number,
        "period": [period_start.isoformat(), period_end.isoformat()],
        "closing_balance": str(statement.closing_balance),
        "currency": statement.currency,
        "closing_balances": {b.currency: str(b.closing_balance) for b in statement.balances},
        "sha256": statement.issued_sha256,
        "evidence_id": evidence.id,
    }
    if supersedes is not None:
        data_json["supersedes"] = supersedes.number
        record(
            session,
            issued_by,
            "statement.superseded",
            supersedes,
            data={"number": supersedes.number, "superseded_by": statement.number},
        )
        close_statement_tasks(session, supersedes, actor=issued_by, why="superseded")
    record(session, issued_by, "statement.issued", statement, data=data_json)
    return statement


# -- confirming ---------------------------------------------------------------------------------


def confirm_statement(
    session: Session,
    statement: Statement,
    user: User,
    *,
    full_name: str,
    ip: str | None,
    user_agent: str | None,
    auth_method: str,
    consent_text: str,
) -> Statement:
    """Sign the statement on the customer user's behalf (approval signature) and confirm it.

    :raises StatementNotConfirmable: unless the statement is ``issued`` and belongs to the
        user's customer, or when ``full_name`` is empty.
    """
    # lock the row: two confirmations at once must not both sign
    locked = session.get_one(Statement, statement.id, with_for_update=True, populate_existing=True)
    if user.customer_id is None or user.customer_id != locked.customer_id:
        raise StatementNotConfirmable(_("only the customer's own users can confirm its statement"))
    if locked.status is not StatementStatus.ISSUED:
        raise StatementNotConfirmable(
            _(
                "statement %(number)s is %(status)s and cannot be confirmed",
                number=locked.number,
                status=_status_label(locked.status.value),
            )
        )
    name = " ".join(full_name.split())
    if not name:
        raise StatementNotConfirmable(_("the full name is required to sign"))
    from statements.sign import Identity, SignatureRequest, approve

    customer = locked.customer
    pki = pki_for_app()
    material = pki.user(f"user-{user.id}", name=name, email=user.email, company=customer.name)
    request = SignatureRequest(
        material=material,
        identity=Identity(
            name=name,
            company=customer.name,
            email=user.email,
            ip_address=ip,
            user_agent=user_agent,
            auth_method=auth_method,
            consent_text=consent_text,
        ),
        statement_version=locked.version,
        language="en" if customer.language == "en" else "zh",
        timestamper=_timestamper(),
        trust_roots=[pki.root_certificate()],
    )
    signed = approve(locked.issued_pdf, request)
    locked.move_to(StatementStatus.CONFIRMED)
    locked.signed_pdf = signed.pdf
    locked.signed_sha256 = signed.evidence.hash_after
    locked.confirmed_at = signed.evidence.signed_at
    locked.confirmed_by_id = user.id
    evidence = _store_evidence(session, locked, signed.evidence, user)
    record(
        session,
        user,
        "statement.confirmed",
        locked,
        data={
            "number": locked.number,
            "hash_before": signed.evidence.hash_before,
            "hash_after": signed.evidence.hash_after,
            "evidence_id": evidence.id,
            "signer": name,
            "auth_method": auth_method,
            "user_agent": user_agent,
        },
        ip=ip,
    )
    close_statement_tasks(session, locked, actor=user, why="confirmed")
    return locked


def _store_evidence(
    session: Session, statement: Statement, evidence: EvidenceRecord, user: User | None
) -> SignatureEvidence:
    row = SignatureEvidence(
        statement_id=statement.id,
        kind=evidence.kind,
        signer_user_id=user.id if user is not None else None,
        signer_name=evidence.signer_name,
        signer_email=evidence.signer_email,
        signer_company=evidence.signer_company,
        certificate_subject=evidence.certificate_subject[:500],
        signed_at=evidence.signed_at,
        ip_address=evidence.ip_address,
        user_agent=(evidence.user_agent or "")[:500] or None,
        auth_method=evidence.auth_method,
        consent_text=evidence.consent_text,
        statement_version=evidence.statement_version,
        hash_before=evidence.hash_before,
        hash_after=evidence.hash_after,
    )
    session.add(row)
    session.flush()
    return row


# -- reading ------------------------------------------------------------------------------------


def statement_pdf(statement: Statement) -> bytes:
    """Return the statement's PDF: the signed one once confirmed, else the issued one."""
    return statement.signed_pdf if statement.signed_pdf is not None else statement.issued_pdf


def verify_pdf(data: bytes, *, require_approval: bool = False) -> VerificationReport:
    """Verify a statement PDF against this installation's root certificate."""
    from statements.verify import verify_pdf as _verify_pdf

    pki = pki_for_app()
    return _verify_pdf(
        data,
        trust_roots=[pki.root_certificate()],
        intermediates=pki.intermediates(),
        require_approval=require_approval,
    )
