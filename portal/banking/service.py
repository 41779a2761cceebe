"""Bank uploads: store each file once, then parse, match and book it in a background job.

One file is one unit of work: its transactions, their allocations, the invoices' new open
amounts, the file's status and the audit event are written in one transaction (a savepoint when
run inline), so a file that fails leaves the database as it was and a job re-run after a crash
skips the files already done instead of importing them twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from reconcile.matching import Reason
from reconcile.model import ParseResult, Transaction
from reconcile.problems import Problem, describe

from .. import ledger
from ..audit.service import record
from ..jobs import JobContext, enqueue, handler
from ..models import (
    BankFile,
    BankFileStatus,
    BankTransaction,
    Customer,
    Direction,
    Invoice,
    Job,
    MatchStatus,
    User,
    utcnow,
)
from . import context

#: the rule named as author of automatic matches in the ledger and its export
AUTO_ACTOR = "auto-match"

log = logging.getLogger(__name__)

IMPORT_JOB = "bank.import"
#: stages per file reported as job progress: parsed, matched, stored
STAGES = 3

Matcher = Callable[..., list[Any]]
Parser = Callable[[bytes, str, Any], list[ParseResult]]


@dataclass
class FileSummary:
    """What importing one file did (stored in the job's result for the progress page)."""

    file_id: int
    name: str
    status: str = "done"
    transactions: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    #: what went wrong, in English (the file's ``error`` and the audit trail)
    errors: list[str] = field(default_factory=list)
    #: the same, coded (``reconcile.problems.describe``) for the pages to render
    problems: list[dict[str, Any]] = field(default_factory=list)
    #: automatic postings (voucher, invoice, kind, amount) for the audit log, not the job result
    applied: list[tuple[str, str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "name": self.name,
            "status": self.status,
            "transactions": self.transactions,
            "counts": self.counts,
            "errors": self.problems,
        }

    def add_problem(self, problem: dict[str, Any]) -> None:
        """Note one problem (``{"text", ...}``): its English text and its codes."""
        self.errors.append(str(problem.get("text") or ""))
        self.problems.append(problem)


def default_parser() -> Parser:
    """The reconciliation engine's parser (contract 6)."""
    from reconcile.api import parse_bytes

    return parse_bytes


def default_matcher() -> Matcher:
    """The reconciliation engine's matcher (contract 8)."""
    from reconcile.matching import match_transactions

    return match_transactions


def store_upload(
    session: Session, filename: str, data: bytes, *, user: User | None
) -> tuple[BankFile, bool]:
    """Keep the uploaded bytes; return ``(file, created)`` (``False`` for a file seen before)."""
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalar(select(BankFile).where(BankFile.sha256 == digest))
    if existing is not None:
        return existing, False
    bank_file = BankFile(
        sha256=digest,
        original_name=(filename or "upload")[-255:],
        size=len(data),
        content=data,
        uploaded_by_id=user.id if user else None,
        status=BankFileStatus.PENDING,
    )
    session.add(bank_file)
    session.flush()
    record(
        session,
        user,
        "bank_file.uploaded",
        bank_file,
        data={"name": bank_file.original_name, "sha256": digest, "size": len(data)},
    )
    return bank_file, True


def start_import(session: Session, files: Sequence[BankFile], *, user: User | None) -> Job:
    """Queue one job that parses, matches and books ``files`` (runs at once when inline)."""
    return enqueue(
        session,
        IMPORT_JOB,
        {"file_ids": [f.id for f in files]},
        created_by_id=user.id if user else None,
        total=STAGES * len(files),
    )


@handler(IMPORT_JOB)
def _import_job(ctx: JobContext) -> dict[str, Any]:
    """Import each file of the job that is not done yet (a re-run skips the finished ones)."""
    file_ids: list[int] = list(ctx.job.payload.get("file_ids", []))
    total = STAGES * len(file_ids)
    summaries: dict[str, Any] = dict((ctx.job.result or {}).get("files", {}))
    for index, file_id in enumerate(file_ids):
        base = index * STAGES
        bank_file = ctx.session.get(BankFile, file_id)
        if bank_file is None:
            continue
        if bank_file.status in (BankFileStatus.DONE, BankFileStatus.FAILED):
            ctx.progress(base + STAGES, total, files=summaries)
            continue

        def stage(done: int, base: int = base) -> None:
            ctx.progress(base + done, total, files=summaries)

        summary = import_bank_file(ctx.session, bank_file, on_stage=stage)
        summaries[str(file_id)] = summary.to_json()
        ctx.progress(base + STAGES, total, files=summaries)
    return {"files": summaries}


def import_bank_file(
    session: Session,
    bank_file: BankFile,
    *,
    on_stage: Callable[[int], None] | None = None,
    parser: Parser | None = None,
    matcher: Matcher | None = None,
) -> FileSummary:
    """Parse, match and book one stored file; never raises for a bad file (records the error).

    ``on_stage(n)`` is called after parsing (1) and matching (2), outside the write; a worker
    uses it to commit progress and refresh its heartbeat.
    """
    summary = FileSummary(file_id=bank_file.id, name=bank_file.original_name)
    parser = parser or default_parser()
    settings = context.parse_settings(session)
    results = parser(bank_file.content, bank_file.original_name, settings)
    transactions: list[Transaction] = []
    formats = []
    for result in results:
        if result.error:
            summary.add_problem(_parse_problem(result))
        for warning in result.warnings:  # entries or values the file lost without failing
            summary.add_problem(_parse_warning(result.file, warning))
        transactions.extend(result.transactions)
        if result.format:
            formats.append(result.format)
    if on_stage:
        on_stage(1)
    try:
        if not transactions and any(r.error for r in results):
            raise _FileFailed("; ".join(summary.errors))
        decisions, customers = _match(session, transactions, matcher)
        if on_stage:
            on_stage(2)
        with session.begin_nested():
            _store(session, bank_file, decisions, customers, summary)
            bank_file.detected_format = ",".join(sorted(set(formats)))[:32] or None
            bank_file.status = BankFileStatus.DONE
            bank_file.error = "; ".join(summary.errors)[:2000] or None
            bank_file.problems = summary.problems or None
            bank_file.transaction_count = summary.transactions
            record(
                session,
                None,
                "bank_file.imported",
                bank_file,
                data={
                    "counts": summary.counts,
                    "errors": summary.errors[:20],
                    "auto_applied": summary.applied,
                },
            )
    except Exception as exc:  # any failure rolls this file back; the other files go on
        if not isinstance(exc, _FileFailed):
            log.exception("import of bank file %s failed", bank_file.id)
            summary.add_problem({"text": f"{type(exc).__name__}: {exc}"})
        session.refresh(bank_file)
        bank_file.status = BankFileStatus.FAILED
        bank_file.error = "; ".join(summary.errors)[:2000]
        bank_file.problems = summary.problems
        summary.status = "failed"
        summary.counts = {}
        summary.transactions = 0
        record(session, None, "bank_file.failed", bank_file, reason=bank_file.error[:500])
        session.flush()
    return summary


def _parse_problem(result: ParseResult) -> dict[str, Any]:
    """The error of one parse result, coded, naming its file even when the engine did not."""
    error = result.error
    if isinstance(error, Problem) and not error.file:
        error = error.at(file=result.file)
    # the English text as before: the file, then the engine's message (which names it again)
    return {**(describe(error) or {}), "text": f"{result.file}: {result.error}"}


def _parse_warning(file: str, warning: str) -> dict[str, Any]:
    """A warning of one parse result, coded, naming its file (as the CLI prints it)."""
    if isinstance(warning, Problem):
        return describe(warning.at(file=warning.file or file)) or {}
    return {"text": f"{file}, {warning}"}


class _FileFailed(Exception):
    """Nothing in the file could be read."""


def _match(
    session: Session, transactions: list[Transaction], matcher: Matcher | None
) -> tuple[list[Any], dict[str, Customer]]:
    matcher = matcher or default_matcher()
    customers, by_code = context.customer_records(session)
    invoices, _ = context.open_invoice_records(session)
    seen = context.known_payments(session, transactions)
    decisions = matcher(
        transactions,
        customers,
        invoices,
        settings=context.match_settings(session),
        seen_refs=set(seen),
        learned=context.learned_payers(session),
    )
    return decisions, by_code


#: first key of the advisory lock that serialises voucher numbering ("RV"; the second is the year)
VOUCHER_LOCK_SERIES = 0x5256


def next_voucher_numbers(session: Session, count: int, *, year: int | None = None) -> list[str]:
    """Reserve ``count`` voucher numbers ``RV-YYYY-NNNNNN`` following the last one issued."""
    year = year or utcnow().year
    prefix = f"RV-{year}-"
    if session.get_bind().dialect.name == "postgresql":
        # held until the transaction ends: a concurrent import waits here instead of reading the
        # same highest number and failing its whole file on the unique voucher number
        session.execute(
            text("SELECT pg_advisory_xact_lock(:series, :year)"),
            {"series": VOUCHER_LOCK_SERIES, "year": year},
        )
    last = session.scalar(
        select(func.max(BankTransaction.voucher_number)).where(
            BankTransaction.voucher_number.like(f"{prefix}%")
        )
    )
    start = int(last.removeprefix(prefix)) + 1 if last else 1
    return [f"{prefix}{n:06d}" for n in range(start, start + count)]


def _store(
    session: Session,
    bank_file: BankFile,
    decisions: Sequence[Any],
    customers: dict[str, Customer],
    summary: FileSummary,
) -> None:
    """Write the transactions of one file and apply the automatic matches."""
    wanted = {a.invoice for d in decisions if d.status == "matched" for a in d.allocations}
    invoices = _lock_invoices(session, wanted)
    seen = context.known_payments(session, [d.transaction for d in decisions])
    vouchers = iter(next_voucher_numbers(session, len(decisions)))
    counts: dict[str, int] = {}
    in_file: dict[tuple[str, str], BankTransaction] = {}
    # the import created these receipts and holds its invoices' locks: one write at the end
    batch = ledger.ImportBatch(session, actor=AUTO_ACTOR)
    for decision in decisions:
        t: Transaction = decision.transaction
        if t.amount <= 0:
            summary.add_problem(
                {
                    "text": f"{t.source}: zero amount skipped",
                    "code": "zero_amount",
                    "params": {"source": t.source},
                }
            )
            continue
        key = (t.our_account or "", t.bank_ref)
        payload = decision.to_json(structured=True)
        status = MatchStatus(decision.status)
        original = seen.get(key)
        original_id = original.id if original is not None else None
        if original_id is None and key in in_file:
            # a second sighting inside this same file: its original needs an id first
            session.flush()
            original_id = in_file[key].id
        if original_id is not None:
            status = MatchStatus.DUPLICATE
        if original is not None and original.voucher is not None:
            # the same payment in another file, not the same bank reference: say which
            payload["reasons"] = [_same_payment_reason(original)]
        customer = customers.get(decision.customer) if decision.customer else None
        credit = t.direction == "credit" and status is not MatchStatus.DUPLICATE
        row = BankTransaction(
            file_id=bank_file.id,
            voucher_number=next(vouchers),
            our_account=t.our_account or "",
            bank_ref=t.bank_ref,
            booking_date=t.booking_date,
            value_date=t.value_date,
            amount=t.amount,
            direction=Direction(t.direction),
            currency=t.currency,
            payer_name=_cut(t.payer_name, 255),
            payer_account=_cut(t.payer_account, 64),
            payer_bank=_cut(t.payer_bank, 255),
            payee_name=_cut(t.payee_name, 255),
            payee_account=_cut(t.payee_account, 64),
            reference=t.reference or None,
            source=(t.source or "")[:300],
            raw=_plain({**t.raw, "category": t.category} if t.category else t.raw),
            warnings=[describe(w) for w in t.warnings],
            duplicate_of_id=original_id,
            match_status=status,
            customer_id=customer.id if customer is not None and credit else None,
            confidence=Decimal(str(round(float(decision.confidence), 4))),
            reasons=payload.get("reasons", []),
            suggestions=payload.get("suggestions", []),
            unapplied_amount=t.amount if credit else Decimal("0"),
        )
        session.add(row)
        if original_id is None:
            in_file[key] = row
        if status is MatchStatus.MATCHED and not _apply_auto(
            session, row, decision, invoices, customer, summary, batch
        ):
            row.match_status = status = MatchStatus.SUGGESTED
        counts[status.value] = counts.get(status.value, 0) + 1
        summary.transactions += 1
    batch.finish()
    session.flush()
    summary.counts = counts


def _apply_auto(
    session: Session,
    row: BankTransaction,
    decision: Any,
    invoices: dict[str, Invoice],
    customer: Customer | None,
    summary: FileSummary,
    batch: ledger.ImportBatch,
) -> bool:
    """Book an automatic match; ``False`` (keep it for review) if an invoice moved meanwhile."""
    planned: list[tuple[Invoice, Decimal]] = []
    for proposed in decision.allocations:
        invoice = invoices.get(proposed.invoice)
        amount = Decimal(proposed.amount)
        if invoice is None or amount <= 0 or amount > invoice.open_amount:
            return False
        if invoice.currency != row.currency:
            return False
        planned.append((invoice, amount))
    applied = sum((a for _, a in planned), Decimal("0"))
    if applied > row.amount:
        return False
    write_off = Decimal(decision.write_off) if decision.write_off else Decimal("0")
    target = None
    if write_off > 0:
        if write_off > ledger.write_off_limits(session).get(row.currency, Decimal("0")):
            return False
        target = next((inv for inv, a in planned if inv.open_amount - a >= write_off), None)
    for invoice, amount in planned:
        batch.apply(row, invoice, amount)
        summary.applied.append((row.voucher_number, invoice.number, "payment", str(amount)))
    if target is not None:
        batch.write_off(row, target, write_off, kind="fee", reason="bank charge")
        summary.applied.append((row.voucher_number, target.number, "fee_writeoff", str(write_off)))
    if customer is None and planned:
        row.customer_id = planned[0][0].customer_id
    return True


def _lock_invoices(session: Session, numbers: set[str]) -> dict[str, Invoice]:
    """Load the invoices about to be paid, locked (PostgreSQL) and re-read from the database."""
    found: dict[str, Invoice] = {}
    ordered = sorted(numbers)
    for start in range(0, len(ordered), 500):
        rows = session.scalars(
            select(Invoice)
            .where(Invoice.number.in_(ordered[start : start + 500]))
            .order_by(Invoice.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        found.update({i.number: i for i in rows})
    return found


def _same_payment_reason(original: context.Original) -> dict[str, Any]:
    """The stored reason of an entry that is the payment ``original`` seen in another file."""
    reason = Reason.coded(
        "duplicate", 1.0, "same_payment", voucher=original.voucher, date=original.booking_date
    )
    return reason.to_json(structured=True)


def _plain(raw: dict[str, Any]) -> dict[str, Any]:
    """The parser's raw fields as plain JSON (dates and amounts as strings)."""
    plain: dict[str, Any] = json.loads(json.dumps(raw, default=str, ensure_ascii=False))
    return plain


def _cut(value: str | None, length: int) -> str | None:
    return value[:length] if value else value
