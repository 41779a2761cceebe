"""Listing and closing what an import found (held invoices, ERP conflicts) with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import QueryableAttribute, Session, selectinload

from .audit import record
from .errors import ConcordError, required_reason
from .models import Invoice, User
from .models.base import Finding, StatusEnum, locked

S = TypeVar("S", bound=StatusEnum)


def listed(
    status: S, closed_by: QueryableAttribute[Any], order_by: Sequence[ColumnElement[Any]]
) -> Select[Any]:
    """The findings with ``status`` (their invoice, its customer and who closed them loaded);
    paginate it.

    :param closed_by: the finding's relationship to the user who closed it; its class is the
        kind of finding listed.
    """
    model = closed_by.class_
    return (
        select(model)
        .where(model.status == status)
        .options(
            selectinload(model.invoice).selectinload(Invoice.customer), selectinload(closed_by)
        )
        .order_by(*order_by)
    )


@dataclass(frozen=True)
class Closing:
    """How finance closes one kind of finding: the status it closes to, and the refusals.

    :param to: the status the finding closes to (allowed from one status only, the open one).
    :param refusal: the domain's error (e.g. ``ContractError``).
    :param not_open: the message when the finding is not open (already closed, or cleared).
    """

    to: StatusEnum
    refusal: type[ConcordError]
    not_open: str

    def close(
        self,
        session: Session,
        finding: Finding[Any],
        action: str,
        *,
        actor: User,
        reason: str,
        data: dict[str, Any],
    ) -> None:
        """Close ``finding`` with ``actor``'s reason and audit it on its invoice (flushes).

        :raises ConcordError: ``refusal`` with the reason: no reason, or the finding not open.
        """
        reason = required_reason(reason, self.refusal(_("a reason is required")))
        locked(session, finding)  # of two people closing it at once, the second is refused
        if self.to not in finding.status.goes_to:
            raise self.refusal(str(self.not_open))
        finding.close(self.to, by_id=actor.id, reason=reason)
        record(session, actor, action, finding.invoice, reason=reason, data=data)
