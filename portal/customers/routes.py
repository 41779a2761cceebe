"""Blueprint "customers": the staff list of customers and each customer's page.

Every member of staff may look; finance and admins manage a customer's portal users and
contacts (sales and auditors see them read-only), as :mod:`portal.permissions` says. Every
change is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select
from werkzeug.wrappers import Response as BaseResponse

from ..auth.decorators import permission_required
from ..auth.scope import Page, paginate
from ..credit import limits as credit_limits
from ..credit import service as credit_service
from ..extensions import db
from ..followups.cases import customer_collections
from ..models import Customer, CustomerContact, Role, User
from ..permissions import Action, can
from ..users import actions as user_actions
from ..users import service as accounts
from ..views import list_page, page_of, section_url
from . import service, view
from .forms import ActionForm, ContactForm, CustomerInviteForm, NoteForm

bp = Blueprint("customers", __name__, url_prefix="/staff/customers")

#: who may change a customer's portal users and contacts: finance and admins (the table says)
customer_manager = permission_required(Action.CUSTOMERS_MANAGE)
customer_viewer = permission_required(Action.CUSTOMERS_VIEW)
PER_PAGE = 25
FormT = TypeVar("FormT", bound=FlaskForm)
#: unapplied receipts and money held on account: 20 a page
HELD_PER_PAGE = 20

CONTACT_ERRORS = {
    "duplicate": _l("Another contact of this customer has this email address."),
    "bad_email": _l("Enter a valid email address."),
    "language": _l("Choose Chinese or English."),
    "empty": _l("Give the contact a name, an email or a mobile number."),
}


def can_manage() -> bool:
    """Whether the signed-in member of staff may change portal users and contacts."""
    return can(Action.CUSTOMERS_MANAGE)


def _mine() -> bool:
    """Whether the list shows only the signed-in user's customers (sales: by default)."""
    if current_user.role is not Role.SALES:
        return request.args.get("mine") == "1"
    return request.args.get("all") != "1"


class Search(NamedTuple):
    """A search of the customers or of their invoices, as the request asks for it."""

    #: the search text
    q: str
    #: whether only the signed-in user's customers are searched
    mine: bool
    #: the arguments that keep the search when paging: the text, and ``all``/``mine`` where
    #: the choice is not the role's default
    args: dict[str, str]

    def shown(self) -> dict[str, object]:
        """What the search box and the pager of both pages show of the search."""
        return {
            "q": self.q,
            "mine": self.mine,
            "is_sales": current_user.role is Role.SALES,
            "pager_args": self.args,
        }


def _search() -> Search:
    """The search the request asks for (``?q=``, ``?mine=1``, ``?all=1``)."""
    q = request.args.get("q", "").strip()[:100]
    mine = _mine()
    args: dict[str, str] = {"q": q} if q else {}
    if current_user.role is Role.SALES and not mine:
        args["all"] = "1"
    elif current_user.role is not Role.SALES and mine:
        args["mine"] = "1"
    return Search(q, mine, args)


@bp.get("")
@customer_viewer
def index() -> ResponseReturnValue:
    """Customers, searchable by code, name, email or contact, 25 a page; sales see their own."""
    search = _search()
    query = service.customers_query(search.q, dialect=db.session.get_bind().dialect.name)
    if search.mine:
        query = query.where(Customer.account_manager_id == current_user.id)
    page = list_page(query, PER_PAGE)
    ids = [c.id for c in page.items]
    return render_template(
        "customers/index.html",
        page=page,
        **search.shown(),
        filter_args={k: v for k, v in search.args.items() if k != "q"},
        user_counts=service.portal_user_counts(db.session(), ids),
        billing=service.billing_contacts(db.session(), ids),
        positions=view.positions_for(db.session(), ids, dt.date.today()),
    )


@bp.get("/invoices")
@customer_viewer
def invoice_search() -> ResponseReturnValue:
    """Find invoices by number, PO, sales order, contract or customer, 25 a page."""
    search = _search()
    page = None
    if search.q:
        manager_id = current_user.id if search.mine else None
        page = list_page(view.invoice_search_query(search.q, manager_id=manager_id), PER_PAGE)
    return render_template(
        "customers/invoices.html", page=page, today=dt.date.today(), **search.shown()
    )


def _customer_or_404(customer_id: int) -> Customer:
    return service.get_customer(db.session(), customer_id) or abort(404)


#: the sections of the customer page that page through their rows, by query parameter
SECTIONS = ("items", "held", "statements", "disputes", "receipts", "notes")


def _section(
    query: Select[Any], param: str, per_page: int = PER_PAGE, *, rows: bool = False
) -> Page[Any]:
    """One page of a section of the customer page; ``?<param>=N`` picks the page."""
    return page_of(query, param, per_page, rows=rows)


def _detail(customer: Customer, **forms: object) -> str:
    users = service.portal_users(db.session(), customer)
    invite = forms.pop("invite_form", None)
    if invite is None:
        email = None if users else accounts.billing_address(customer)[0]
        invite = CustomerInviteForm(formdata=None, data={"email": email, "admin": not users})
    today = dt.date.today()
    items = _section(view.open_items_query(customer.id), "items")
    score = credit_service.score_customers(db.session(), today=today, customer_ids=[customer.id])
    grade = score[0].grade if score else None
    positions = view.positions(db.session(), customer.id, today, guessed=True)
    currencies = sorted({customer.currency, *(p.currency for p in positions)})
    credit = [
        (c, credit_limits.limit_for(db.session(), customer, c, grade=grade or "A", today=today))
        for c in currencies
    ]
    return render_template(
        "customers/detail.html",
        customer=customer,
        users=users,
        invite_form=invite,
        contact_form=forms.pop("contact_form", None) or ContactForm(formdata=None),
        note_form=forms.pop("note_form", None) or NoteForm(formdata=None),
        action_form=ActionForm(formdata=None),
        can_manage=can_manage(),
        can_note=can(Action.CUSTOMERS_NOTE),
        status_of=accounts.user_status,
        today=today,
        positions=positions,
        items=items,
        disputed=view.disputed_invoice_ids(db.session(), [i.id for i in items.items]),
        held=view.held_page(
            db.session(),
            _section(view.held_query(customer.id, guessed=True), "held", HELD_PER_PAGE, rows=True),
        ),
        statements=_section(view.statements_query(customer.id), "statements", 10),
        disputes=_section(view.disputes_query(customer.id), "disputes", 10),
        receipts=_section(view.receipts_query(customer.id), "receipts", 10),
        collections=customer_collections(db.session(), customer.id),
        promises=view.promises(db.session(), customer.id),
        grade=grade,
        credit=credit,
        notes=_section(view.notes_query(customer.id), "notes", 10),
        section_url=section_url(".detail", SECTIONS, customer_id=customer.id),
    )


@bp.get("/<int:customer_id>")
@customer_viewer
def detail(customer_id: int) -> ResponseReturnValue:
    """A customer on one page: balances, open items, money held, statements, collections."""
    customer = _customer_or_404(customer_id)
    # opening the page is reading what colleagues wrote to you there
    if can(Action.CUSTOMERS_NOTE) and view.has_unread_mentions(
        db.session(), current_user.id, customer_id=customer.id
    ):
        db.begin_write()  # a GET that writes: wait for the write lock instead of failing on it
        view.mark_mentions_read(db.session(), current_user.id, customer_id=customer.id)
    return _detail(customer)


@bp.get("/mentions")
@permission_required(Action.CUSTOMERS_NOTE)
def mentions() -> ResponseReturnValue:
    """The notes on customers' pages that mention me, unread first, 25 a page."""
    page = paginate(
        view.mentions_query(current_user.id), request.args.get("page", 1, type=int), PER_PAGE
    )
    return render_template("customers/mentions.html", page=page, form=ActionForm(formdata=None))


@bp.post("/mentions/read")
@permission_required(Action.CUSTOMERS_NOTE)
def mentions_read() -> ResponseReturnValue:
    """Mark every note that mentions me read."""
    if not ActionForm().validate_on_submit():
        abort(400)
    view.mark_mentions_read(db.session(), current_user.id)
    flash(_("All mentions marked read."), "success")
    return redirect(url_for(".mentions"))


def _take_form(
    customer_id: int,
    name: str,
    form: FormT,
    save: Callable[[Customer, FormT], str | None],
    section: str,
) -> ResponseReturnValue:
    """Take ``form`` (the page's ``name``), posted from ``section`` of the customer's page:
    ``save(customer, form)`` does what it asks and says what was done, or puts why it cannot
    on a field of the form and returns None. A form refused, by its checks or by ``save``, is
    shown on the page again as its ``name`` with its reasons (400)."""
    customer = _customer_or_404(customer_id)
    done = save(customer, form) if form.validate_on_submit() else None
    if done is None:
        return _detail(customer, **{name: form}), 400
    flash(done, "success")
    return _back(customer, section)


def _save_note(customer: Customer, form: NoteForm) -> str | None:
    try:
        note = view.add_note(db.session(), customer, form.body.data or "", author=current_user)
    except view.NoteError:
        form.body.errors = [_("Write a note of at most 5,000 characters.")]
        return None
    if note.mentioned:
        return _("Note added; %(num)d colleague(s) notified.", num=len(note.mentioned))
    return _("Note added.")


@bp.post("/<int:customer_id>/notes")
@permission_required(Action.CUSTOMERS_NOTE)
def add_note(customer_id: int) -> ResponseReturnValue:
    """Add a note to the customer; colleagues mentioned as @email are notified."""
    return _take_form(customer_id, "note_form", NoteForm(), _save_note, "notes")


def _save_invitation(customer: Customer, form: CustomerInviteForm) -> str | None:
    try:
        invitation = accounts.invite_customer_user(
            db.session(),
            customer,
            form.email.data or "",
            name=form.name.data or "",
            admin=bool(form.admin.data),
            actor=current_user,
        )
    except accounts.AccountError as exc:
        form.email.errors = [accounts.error_message(exc)]
        return None
    accounts.send_invitation(invitation, inviter=current_user)
    return _("Invitation sent to %(email)s.", email=invitation.user.email)


@bp.post("/<int:customer_id>/users")
@customer_manager
def invite_user(customer_id: int) -> ResponseReturnValue:
    """Invite a portal user of the customer by email."""
    return _take_form(customer_id, "invite_form", CustomerInviteForm(), _save_invitation, "users")


def _toggle_admin(user: User, _reason: str | None) -> str:
    """Make a portal user the customer's admin, or take it away."""
    make_admin = not user.is_customer_admin
    accounts.set_customer_admin(db.session(), user, make_admin, actor=current_user)
    if make_admin:
        return _("%(email)s is now a customer admin.", email=user.email)
    return _("%(email)s is no longer a customer admin.", email=user.email)


def _user_action(
    customer_id: int, user_id: int, *, action: user_actions.UserAction
) -> BaseResponse:
    """Run ``action`` on a portal user of the customer; flash the outcome."""
    customer = _customer_or_404(customer_id)
    user = db.session.get(User, user_id)
    if user is None or user.customer_id != customer.id:
        abort(404)
    back = url_for(".detail", customer_id=customer.id, _anchor="users")
    return user_actions.run(action, user, ActionForm(), back=back)


#: what a manager does to a portal user of the customer, each a POST to
#: ``/<customer_id>/users/<user_id>/<part>``: (part, the view's endpoint, the action)
USER_ACTIONS: tuple[tuple[str, str, user_actions.UserAction], ...] = (
    ("disable", "disable_user", user_actions.disable),  # their sessions end at once
    ("enable", "enable_user", user_actions.enable),
    # a fresh invitation link: the previous one stops working
    ("resend", "resend_invitation", user_actions.resend_invitation),
    ("admin", "toggle_admin", _toggle_admin),
)
for _part, _endpoint, _action in USER_ACTIONS:
    bp.add_url_rule(
        f"/<int:customer_id>/users/<int:user_id>/{_part}",
        _endpoint,
        customer_manager(partial(_user_action, action=_action)),
        methods=["POST"],
    )


def _contact_input(form: ContactForm) -> service.ContactInput:
    return service.ContactInput(
        name=(form.name.data or "").strip(),
        email=(form.email.data or "").strip().lower() or None,
        mobile=(form.mobile.data or "").strip() or None,
        language=form.language.data or "zh",
        is_billing=bool(form.is_billing.data),
    )


def _contact_or_404(customer: Customer, contact_id: int) -> CustomerContact:
    contact = db.session.get(CustomerContact, contact_id)
    if contact is None or contact.customer_id != customer.id:
        abort(404)
    return contact


def _save_contact(customer: Customer, form: ContactForm) -> str | None:
    try:
        service.add_contact(db.session(), customer, _contact_input(form), actor=current_user)
    except service.ContactError as exc:
        form.email.errors = [str(CONTACT_ERRORS[exc.code])]
        return None
    return _("Contact added.")


@bp.post("/<int:customer_id>/contacts")
@customer_manager
def add_contact(customer_id: int) -> ResponseReturnValue:
    """Add a contact to the customer."""
    return _take_form(customer_id, "contact_form", ContactForm(), _save_contact, "contacts")


def _change_contact(
    customer_id: int, contact_id: int, form: FormT, change: Callable[[CustomerContact, FormT], str]
) -> BaseResponse:
    """Change a contact of the customer as the posted ``form`` asks: ``change(contact, form)``
    does it and says what was done; a form refused, or a change refused by the contacts'
    rules, is said instead. Back to the page's contacts either way."""
    customer = _customer_or_404(customer_id)
    contact = _contact_or_404(customer, contact_id)
    if not form.validate_on_submit():
        flash(_("Check the contact: %(errors)s", errors=_errors(form)), "error")
    else:
        try:
            flash(change(contact, form), "success")
        except service.ContactError as exc:
            flash(str(CONTACT_ERRORS[exc.code]), "error")
    return _back(customer, "contacts")


def _update_contact(contact: CustomerContact, form: ContactForm) -> str:
    service.update_contact(db.session(), contact, _contact_input(form), actor=current_user)
    return _("Contact saved.")


def _remove_contact(contact: CustomerContact, form: ActionForm) -> str:
    service.remove_contact(db.session(), contact, actor=current_user, reason=form.reason.data)
    return _("Contact removed.")


@bp.post("/<int:customer_id>/contacts/<int:contact_id>")
@customer_manager
def update_contact(customer_id: int, contact_id: int) -> ResponseReturnValue:
    """Change a contact of the customer."""
    return _change_contact(customer_id, contact_id, ContactForm(), _update_contact)


@bp.post("/<int:customer_id>/contacts/<int:contact_id>/delete")
@customer_manager
def remove_contact(customer_id: int, contact_id: int) -> ResponseReturnValue:
    """Remove a contact of the customer (a reason, if given, goes to the audit log)."""
    return _change_contact(customer_id, contact_id, ActionForm(), _remove_contact)


def _back(customer: Customer, section: str) -> BaseResponse:
    """Back to the customer's page, at ``section`` (notes, users, contacts)."""
    return redirect(url_for(".detail", customer_id=customer.id, _anchor=section))


def _errors(form: FlaskForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
