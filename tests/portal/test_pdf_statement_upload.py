"""A PDF account statement uploaded on the banking page: every row of every page is imported."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.generators import statements_pdf
from portal.models import BankFile, BankFileStatus, BankTransaction
from tests.factories import make_user
from tests.portal.finance_helpers import login


def test_uploaded_pdf_statement_imports_every_row(session: Session, client: FlaskClient) -> None:
    login(client, make_user(session, "finance", email="statements@example.com"))
    generated = statements_pdf.generate("cmb", 30)
    resp = client.post(
        "/banking/uploads",
        data={"files": [(io.BytesIO(generated.data), "招商银行交易流水.pdf")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    job = re.search(r"job=(\d+)", resp.headers["Location"])
    assert job is not None
    status = client.get(f"/banking/jobs/{job.group(1)}.json").get_json()
    assert status["status"] == "done", status
    (file_status,) = status["files"]
    assert file_status["status"] == "done", file_status

    bank_file = session.scalar(select(BankFile).where(BankFile.original_name.like("%.pdf")))
    assert bank_file is not None and bank_file.status is BankFileStatus.DONE
    rows = session.scalars(
        select(BankTransaction)
        .where(BankTransaction.file_id == bank_file.id)
        .order_by(BankTransaction.id)
    ).all()
    expected = generated.expected
    assert len(rows) == len(expected) == 30
    assert [(r.booking_date, r.amount, r.direction.value, r.currency) for r in rows] == [
        (e.booking_date, e.amount, e.direction, e.currency) for e in expected
    ]
    assert [r.source.rpartition("#")[2] for r in rows] == [
        e.source.rpartition("#")[2] for e in expected
    ]
    assert {r.our_account for r in rows} == {"6214830123456789"}
    credit = next(r for r in rows if r.direction.value == "credit")
    assert credit.payer_name == expected[0].counterparty_name
