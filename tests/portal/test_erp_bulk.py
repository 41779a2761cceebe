"""The importers' bulk reads: lookups by more values than one ``IN (...)`` query holds."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.erp.bulk import rows_in, scalars_in
from portal.erp.parsing import LOOKUP_CHUNK
from portal.models import Customer, CustomerBankAccount
from tests.factories import make_customer


def test_rows_in_reads_every_chunk_and_keeps_the_querys_clauses(session: Session) -> None:
    """Customers in the first, second and third slice are all found; the query's own WHERE,
    GROUP BY and ORDER BY apply in each slice."""
    codes = [f"Z{n:05d}" for n in range(2 * LOOKUP_CHUNK + 1)]
    found_codes = [codes[0], codes[LOOKUP_CHUNK], codes[-1]]
    for code in found_codes:
        make_customer(session, code=code, bank_accounts=["111", "222"])
    make_customer(session, code=codes[1], credit_limit=Decimal("5.00"), bank_accounts=["333"])
    session.flush()

    query = (
        select(Customer.code, func.count(CustomerBankAccount.id))
        .join(CustomerBankAccount, CustomerBankAccount.customer_id == Customer.id)
        .where(Customer.credit_limit.is_(None))
        .group_by(Customer.code)
        .order_by(Customer.code)
    )
    rows = [tuple(row) for row in rows_in(session, query, Customer.code, codes)]
    assert rows == [(code, 2) for code in found_codes]

    assert list(rows_in(session, query, Customer.code, [])) == []


def test_scalars_in_reads_every_chunk(session: Session) -> None:
    """A query of one model gives its objects, from every slice of the values."""
    codes = [f"Y{n:05d}" for n in range(LOOKUP_CHUNK + 1)]
    made = [make_customer(session, code=code) for code in (codes[0], codes[-1])]
    session.flush()
    query = select(Customer).order_by(Customer.code)
    assert list(scalars_in(session, query, Customer.code, codes)) == made
