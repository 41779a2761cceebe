"""Signed contract PDFs: keep the upload, propose its terms, file what finance confirms."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit import record
from portal.erp import parsing as p
from portal.models import (
    Contract,
    ContractDocument,
    Customer,
    User,
    utcnow,
)

from .errors import ContractError
from .service import ContractTerms

MAX_PDF_BYTES = 20 * 1024 * 1024


def store_document(
    session: Session, *, filename: str, content: bytes, actor: User, own_names: Sequence[str]
) -> ContractDocument:
    """Keep an uploaded signed contract and what its text proposes (flushes, never commits).

    :raises ContractError: not a PDF, empty or too large.
    """
    from .extract import propose

    if not content:
        raise ContractError(_("the file is empty"))
    if len(content) > MAX_PDF_BYTES:
        raise ContractError(_("the file is larger than 20 MB"))
    if not content.lstrip()[:5] == b"%PDF-":
        raise ContractError(_("the file is not a PDF"))
    proposal = propose(content, own_names=own_names)
    proposal = _match_customer(session, proposal)
    document = ContractDocument(
        filename=filename[:255] or "contract.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        proposal=proposal,
        uploaded_by_id=actor.id,
    )
    session.add(document)
    session.flush()
    record(
        session,
        actor,
        "contract_document.uploaded",
        document,
        data={"filename": document.filename, "sha256": document.sha256, "proposal": proposal},
    )
    return document


def _match_customer(session: Session, proposal: dict[str, Any]) -> dict[str, Any]:
    """Add the code of the customer whose name or alias is the proposed counterparty."""
    name = proposal.get("customer_name")
    if not name:
        return proposal
    found = session.scalar(select(Customer.code).where(Customer.name == name))
    if found is None:
        for code, aliases in session.execute(select(Customer.code, Customer.aliases)):
            if name in (aliases or []):
                found = code
                break
    return {**proposal, "customer": found} if found else proposal


@dataclasses.dataclass(frozen=True)
class ConfirmedContract(ContractTerms):
    """What finance confirmed on the proposal page."""


def confirm_document(
    session: Session, document: ContractDocument, values: ConfirmedContract, *, actor: User
) -> Contract:
    """Create or update the contract finance confirmed from a PDF, and attach the PDF.

    :raises ContractError: unknown customer, bad dates, or the document is already filed.
    """
    if document.contract_id is not None:
        raise ContractError(_("this document is already attached to a contract"))
    customer = session.scalar(select(Customer).where(Customer.code == values.customer))
    if customer is None:
        raise ContractError(_("unknown customer: %(customer)s", customer=values.customer))
    if values.valid_to is not None and values.valid_to < values.valid_from:
        raise ContractError(_("the end of validity is before its start"))
    contract = session.scalar(select(Contract).where(Contract.number == values.number))
    fields = {
        "customer_id": customer.id,
        "currency": values.currency,
        "total": values.total,
        "payment_terms_days": values.payment_terms_days,
        "valid_from": values.valid_from,
        "valid_to": values.valid_to,
    }
    if contract is None:
        contract = Contract(number=values.number, **fields)
        session.add(contract)
        action = "contract.created"
        changes = fields
    else:
        changes = {k: v for k, v in fields.items() if getattr(contract, k) != v}
        for key, value in changes.items():
            setattr(contract, key, value)
        action = "contract.updated"
    document.contract = contract
    document.confirmed_by_id = actor.id
    document.confirmed_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        action,
        contract,
        data={
            "source": f"pdf:{document.filename}",
            "document": document.id,
            "fields": p.jsonable({k: v for k, v in changes.items() if k != "customer_id"}),
            "customer": values.customer,
            "proposal": document.proposal,
        },
    )
    return contract
