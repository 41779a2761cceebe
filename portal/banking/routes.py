"""Blueprint "banking": uploads with job progress, the review queue, the receipt archive."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from ..auth.decorators import staff_required
from ..downloads import content_disposition
from ..extensions import db
from ..fields import set_currency
from ..jobs import ensure_worker
from ..models import (
    BankFile,
    BankTransaction,
    Customer,
    Invoice,
    Job,
    MatchStatus,
    Role,
)
from ..reports.export import columns_response
from ..views import attempt, get_or_404, list_page
from . import context, exports, layouts, review, service
from .errors import ActionRefused, BankingError
from .forms import (
    AcceptForm,
    AdvanceForm,
    LayoutForm,
    ReverseForm,
    SearchForm,
    SplitForm,
    UploadForm,
    VersionForm,
)
from .labels import flabel
from .problems import file_error
from .queries import (
    Filters,
    find_invoices,
    job_status,
    transaction_invoices,
    transactions_query,
)

bp = Blueprint("banking", __name__, url_prefix="/banking")

#: finance books money; sales may look, auditors only read
finance_required = staff_required(Role.FINANCE, Role.ADMIN)
PER_PAGE = 50


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"flabel": flabel}


@bp.before_app_request
def _start_worker() -> None:
    # the web process runs queued jobs itself unless a separate worker is configured
    ensure_worker(current_app._get_current_object())  # type: ignore[attr-defined]


def _txn_or_404(txn_id: int) -> BankTransaction:
    return get_or_404(BankTransaction, txn_id, selectinload(BankTransaction.allocations))


@bp.get("/uploads")
@staff_required()
def uploads() -> ResponseReturnValue:
    """Show the upload form, the job being watched and the files, newest first, 20 a page."""
    job = None
    if job_id := request.args.get("job", type=int):
        job = db.session.get(Job, job_id)
    page = list_page(select(BankFile).order_by(BankFile.id.desc()), 20)
    files = page.items
    job_files = job_status(job)["files"] if job else []
    needs_layout = {f.id for f in files if layouts.needs_layout(f)}
    return render_template(
        "banking/uploads.html",
        form=UploadForm(),
        job=job,
        job_files=job_files,
        page=page,
        pager_args={"job": job.id} if job else {},
        file_errors={f.id: file_error(f) for f in files},
        needs_layout=needs_layout,
    )


@bp.post("/uploads")
@finance_required
def upload() -> ResponseReturnValue:
    """Store the dropped files (each once) and queue one job to import the new ones."""
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Choose one or more bank files."), "error")
        return redirect(url_for(".uploads"))
    new: list[BankFile] = []
    known: list[BankFile] = []
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    for storage in request.files.getlist(form.files.name):
        data = storage.read(limit + 1)
        name = storage.filename or "upload"
        if not data:
            flash(_("%(name)s is empty.", name=name), "error")
            continue
        if len(data) > limit:
            flash(_("%(name)s is larger than the upload limit.", name=name), "error")
            continue
        bank_file, created = service.store_upload(db.session(), name, data, user=current_user)
        (new if created else known).append(bank_file)
    for bank_file in known:
        flash(
            _(
                "%(name)s was already uploaded on %(date)s; nothing imported again.",
                name=bank_file.original_name,
                date=bank_file.uploaded_at.date().isoformat(),
            ),
            "info",
        )
    if not new:
        return redirect(url_for(".uploads"))
    job = service.start_import(db.session(), new, user=current_user)
    return redirect(url_for(".uploads", job=job.id))


@bp.get("/jobs/<int:job_id>.json")
@staff_required()
def job_json(job_id: int) -> ResponseReturnValue:
    """Progress of an import job, polled by the upload page."""
    job = db.session.get(Job, job_id) or abort(404)
    return jsonify(job_status(job))


@bp.get("/files/<int:file_id>")
@staff_required()
def download_file(file_id: int) -> ResponseReturnValue:
    """Download an uploaded bank file exactly as it was uploaded."""
    bank_file = db.session.get(BankFile, file_id) or abort(404)
    response = current_app.response_class(bank_file.content, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = _attachment(bank_file.original_name)
    return response


def _attachment(name: str) -> str:
    return content_disposition(name, default="bank-file")


def _filters(default_status: str | None = None) -> tuple[SearchForm, Filters]:
    form = SearchForm(request.args)
    data = form.data if form.validate() else {}
    if "status" not in request.args and default_status:
        data["status"] = default_status
        form.status.data = default_status
    return form, Filters.from_form(data)


@bp.get("/queue")
@staff_required()
def queue() -> ResponseReturnValue:
    """Transactions to review, by status, filtered and paginated."""
    counts = dict(
        db.session.execute(
            select(BankTransaction.match_status, func.count()).group_by(
                BankTransaction.match_status
            )
        ).all()
    )
    # opened without a status: the suggestions, else the receipts that need a hand
    default = next(
        (s.value for s in (MatchStatus.SUGGESTED, MatchStatus.UNMATCHED) if counts.get(s)),
        MatchStatus.SUGGESTED.value,
    )
    form, filters = _filters(default_status=default)
    page = list_page(transactions_query(filters), PER_PAGE)
    return render_template(
        "banking/queue.html", form=form, page=page, filters=filters, counts=counts
    )


@bp.get("/transactions/<int:txn_id>")
@staff_required()
def transaction(txn_id: int) -> ResponseReturnValue:
    """One transaction: explanation, suggestions, allocations and the actions."""
    txn = _txn_or_404(txn_id)
    find = request.args.get("find", "").strip()
    amount = _decimal(request.args.get("amount"))
    candidates = (
        find_invoices(db.session(), text=find or None, amount=amount, currency=txn.currency)
        if (find or amount is not None)
        else []
    )
    split = SplitForm(formdata=None)
    for row, invoice in zip(split.rows, candidates[:4], strict=False):
        row.form.invoice.data = invoice.number
    if review.refresh_suggestions(db.session(), txn):
        flash(
            _("An invoice suggested here was settled meanwhile; suggestions recomputed."),
            "info",
        )
    suggested, invoices = transaction_invoices(db.session(), txn)
    return render_template(
        "banking/transaction.html",
        txn=txn,
        stale=review.stale_suggestions(txn.suggestions or [], suggested),
        version=txn.version,
        suggested=suggested,
        invoices=invoices,
        candidates=candidates,
        find=find,
        amount=request.args.get("amount", ""),
        split=split,
        advance=AdvanceForm(formdata=None),
        reverse=ReverseForm(formdata=None),
        accept=AcceptForm(formdata=None),
        can_act=current_user.role in (Role.FINANCE, Role.ADMIN),
        duplicate_of=db.session.get(BankTransaction, txn.duplicate_of_id)
        if txn.duplicate_of_id
        else None,
    )


def _decimal(raw: str | None) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", "")) if raw else None
    except InvalidOperation:
        return None


def _whole(field: Any) -> int:
    """A hidden field's whole number (the version, a suggestion's index); forged: 400."""
    try:
        return int(field.data)
    except (TypeError, ValueError):
        abort(400)


def _back(txn: BankTransaction) -> BaseResponse:
    """Back to the transaction's review page."""
    return redirect(url_for(".transaction", txn_id=txn.id))


#: one review step: it takes the transaction and its checked form, calls the service and
#: returns what to tell finance
ReviewStep = Callable[[BankTransaction, Any], str]


def _review_action(
    path: str, form_class: type[VersionForm], invalid: Callable[[Any], str] | None = None
) -> Callable[[ReviewStep], Callable[[int], ResponseReturnValue]]:
    """Declare ``POST /transactions/<id>/<path>``: finance runs one review step, then goes back.

    The step runs in a savepoint; a :class:`BankingError` it raises (a refusal, a lost race, an
    unknown invoice or customer) becomes a message, not an error page, and what the step
    changed is undone.

    :param invalid: the message when the form does not validate; ``None`` answers 400 (the
        form holds only what the page itself posts).
    """

    def declare(step: ReviewStep) -> Callable[[int], ResponseReturnValue]:
        @functools.wraps(step)
        def view(txn_id: int) -> ResponseReturnValue:
            txn = _txn_or_404(txn_id)
            form = set_currency(form_class(), txn.currency)
            if not form.validate_on_submit():
                if invalid is None:
                    abort(400)
                flash(invalid(form), "error")
                return _back(txn)
            done: list[str] = []
            if attempt(lambda: done.append(step(txn, form)), None, BankingError):
                flash(done[0], "success")
            return _back(txn)

        return bp.post(f"/transactions/<int:txn_id>/{path}")(finance_required(view))

    return declare


@_review_action("accept", AcceptForm)
def accept(txn: BankTransaction, form: AcceptForm) -> str:
    """Apply one of the engine's suggestions."""
    review.accept_suggestion(
        db.session(), txn, _whole(form.index), user=current_user, version=_whole(form.version)
    )
    return _("%(voucher)s applied.", voucher=txn.voucher_number)


@_review_action(
    "apply", SplitForm, lambda form: _("Check the amounts: %(errors)s", errors=form.errors)
)
def apply(txn: BankTransaction, form: SplitForm) -> str:
    """Apply by hand to one or several invoices (split), with optional write-offs."""
    rows = [(row, (row.invoice.data or "").strip()) for row in form.rows]
    by_number = {
        i.number: i
        for i in db.session.scalars(
            select(Invoice).where(Invoice.number.in_([number for _row, number in rows if number]))
        )
    }
    splits = []
    for row, number in rows:
        if not number:
            continue
        invoice = by_number.get(number)
        if invoice is None:
            raise ActionRefused(_("There is no invoice %(number)s.", number=number))
        splits.append(
            review.Split(
                invoice=invoice,
                amount=row.amount.data or Decimal("0"),
                write_off=row.write_off.data or Decimal("0"),
            )
        )
    review.apply_splits(
        db.session(),
        txn,
        splits,
        user=current_user,
        version=_whole(form.version),
        note=form.note.data,
    )
    return _("%(voucher)s applied.", voucher=txn.voucher_number)


@_review_action("advance", AdvanceForm)
def advance(txn: BankTransaction, form: AdvanceForm) -> str:
    """Book the payment as an advance of a customer."""
    code = (form.customer.data or "").strip()
    customer = db.session.scalar(select(Customer).where(Customer.code == code))
    if customer is None:
        raise ActionRefused(_("There is no customer %(code)s.", code=code))
    review.book_advance(
        db.session(), txn, customer, user=current_user, version=_whole(form.version)
    )
    return _("%(voucher)s booked as an advance payment.", voucher=txn.voucher_number)


@_review_action("reverse", ReverseForm, lambda _form: _("Give a reason for the reversal."))
def reverse(txn: BankTransaction, form: ReverseForm) -> str:
    """Reverse everything applied from this transaction, with a reason."""
    review.reverse(
        db.session(),
        txn,
        reason=form.reason.data or "",
        user=current_user,
        version=_whole(form.version),
    )
    return _("%(voucher)s reversed.", voucher=txn.voucher_number)


@bp.get("/archive")
@staff_required()
def archive() -> ResponseReturnValue:
    """Every bank transaction with its voucher number, searchable and exportable."""
    form, filters = _filters()
    page = list_page(transactions_query(filters), PER_PAGE)
    return render_template("banking/archive.html", form=form, page=page, filters=filters)


@bp.get("/archive.<any(csv,xlsx):fmt>")
@staff_required()
def archive_export(fmt: str) -> ResponseReturnValue:
    """The archive's current search as CSV or XLSX."""
    _form, filters = _filters()
    found = exports.archive_transactions(db.session(), filters)
    return columns_response(
        fmt,
        "receipts",
        exports.ARCHIVE_COLUMNS.header,
        exports.ARCHIVE_COLUMNS.rows(found),
        title=_("Receipts"),
        more_sheets=[exports.applications_sheet(found)] if fmt == "xlsx" else [],
    )


@bp.route("/files/<int:file_id>/layout", methods=["GET", "POST"])
@finance_required
def map_layout(file_id: int) -> ResponseReturnValue:
    """Show the first rows of an unreadable export, try the mapping finance picks, save it."""
    bank_file = db.session.get(BankFile, file_id) or abort(404)
    if not layouts.needs_layout(bank_file):
        flash(
            str(layouts.NOT_WAITING),
            "info",
        )
        return redirect(url_for(".uploads"))
    settings = context.parse_settings()
    try:
        view = layouts.preview(bank_file, settings)
    except BankingError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".uploads"))
    form = LayoutForm()
    form.set_columns(view.width, view.sample, view.header)
    if request.method == "GET":
        form.name.data = form.name.data or bank_file.original_name[:120]
        form.first_row.data = view.first_row
        form.suggest(view.suggested)
    trial = None
    if form.validate_on_submit():
        mapping = _mapping(form, bank_file)
        try:
            trial = layouts.try_mapping(bank_file, mapping, settings, view)
            if not form.check.data and trial.reason is None:
                layouts.save_layout(db.session(), bank_file, mapping, trial, user=current_user)
                job = service.start_import(db.session(), [bank_file], user=current_user)
                flash(
                    _("Layout saved; the file is imported again and later files use it."), "success"
                )
                return redirect(url_for(".uploads", job=job.id))
        except BankingError as exc:
            flash(str(exc), "error")
    return render_template(
        "banking/layout.html", form=form, bank_file=bank_file, view=view, trial=trial
    )


def _mapping(form: LayoutForm, bank_file: BankFile) -> layouts.Mapping:
    """What the person picked on the mapping page."""
    return layouts.Mapping(
        name=form.name.data or bank_file.original_name,
        our_account=(form.our_account.data or "").strip(),
        columns=form.picked(),
        first_row=form.first_row.data or 1,
        date_order=form.date_order.data or "auto",
        sign=form.sign.data or "auto",
        currency=(form.currency.data or "").strip() or None,
    )
