"""Headless Chromium walks the finance workspace and the auditor's evidence download.

Finance uploads two bank files, watches the import job's progress bar (the in-process worker
runs it, as in production's embedded default), accepts a suggestion, splits a payment across two
invoices, reverses an automatic match, and runs the follow-ups; an auditor downloads a signed
statement's evidence package. Screenshots go to ``docs/screenshots/finance-*.png``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser_helpers import BROWSER_MARKS, live_app, open_invoice, shot, sign_in

PASSWORD = "finance-browser-password"
OUR = "31050161373600000001"

pytestmark = [*BROWSER_MARKS]

HEADER = "交易日期,交易流水号,对方户名,对方账号,贷方金额,借方金额,币种,摘要,本方账号\n"


def _csv(rows: list[tuple[str, str, str, str, str]]) -> bytes:
    body = "".join(
        f"2026-11-20,{ref},{payer},{acct},{amount},,CNY,{text},{OUR}\n"
        for ref, payer, acct, amount, text in rows
    )
    return (HEADER + body).encode("utf-8")


FILE_1 = _csv(
    [
        ("FB-001", "上海华美贸易有限公司", "6222000011112222", "1000.00", "支付INV-2026-00123货款"),
        ("FB-002", "杭州明辉电子有限公司", "6222333344445555", "500.00", ""),
        ("FB-003", "北京远景科技有限公司", "", "2000.00", "11月货款"),
    ]
)
FILE_2 = _csv(
    [
        ("FB-004", "上海华美贸易", "", "2500.00", "货款"),
        ("FB-005", "某某商行", "", "333.00", ""),
    ]
)


def _seed(s: Any) -> int:
    """Staff, three customers with open invoices and a confirmed statement; returns its id."""
    from portal.models import AppSetting, Customer, CustomerBankAccount, Role, User
    from portal.security import hash_password
    from portal.statements.service import confirm_statement, issue_statement

    pw_hash = hash_password(PASSWORD)
    staff = {
        role: User(
            email=f"{role.value}@concord.test",
            name=name,
            role=role,
            password_hash=pw_hash,
            language="en",
        )
        for role, name in (
            (Role.FINANCE, "Fang Finance"),
            (Role.AUDITOR, "Ada Auditor"),
            (Role.SALES, "Sun Sales"),
        )
    }
    s.add_all(staff.values())
    s.flush()
    customers = {}
    for code, name, acct in (
        ("C1", "上海华美贸易有限公司", "6222000011112222"),
        ("C2", "北京远景科技有限公司", None),
        ("C3", "杭州明辉电子有限公司", "6222333344445555"),
    ):
        c = Customer(
            code=code,
            name=name,
            phone="13900000000",
            email=f"{code.lower()}@customer.test",
            account_manager_id=staff[Role.SALES].id,
            credit_limit=Decimal("5000"),
        )
        if acct:
            c.bank_accounts.append(CustomerBankAccount(account_number=acct))
        s.add(c)
        customers[code] = c
    s.flush()
    for number, code, amount, due in (
        ("INV-2026-00123", "C1", "1000.00", dt.date(2026, 10, 1)),
        ("INV-2026-00124", "C1", "2500.00", dt.date(2026, 10, 5)),
        ("INV-2026-00200", "C2", "880.00", dt.date(2026, 10, 5)),
        ("INV-2026-00201", "C2", "1200.00", dt.date(2026, 11, 9)),
        ("INV-2026-00301", "C3", "500.00", dt.date(2026, 10, 1)),
        ("INV-2026-00302", "C3", "500.00", dt.date(2026, 10, 8)),
    ):
        s.add(open_invoice(number, customers[code].id, due, amount))
    # same-amount invoices without a reference are left to a person
    s.add(AppSetting(key="banking.match_settings", value={"same_amount_policy": "suggest"}))
    statement = issue_statement(s, customers["C1"], dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    signer = User(
        email="ap@c1.test",
        name="王五",
        role=Role.CUSTOMER,
        customer_id=customers["C1"].id,
        password_hash=pw_hash,
    )
    s.add(signer)
    s.flush()
    confirm_statement(
        s,
        statement,
        signer,
        full_name="王五",
        ip="203.0.113.7",
        user_agent="browser test",
        auth_method="password + email code",
        consent_text="I confirm.",
    )
    s.commit()
    return statement.id


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app with its embedded job worker, on a migrated file SQLite database."""
    config = {
        "SECRET_KEY": "finance-browser-secret-key-long-enough-0123456789",
        "KEY_PASSPHRASE": "finance-browser-passphrase",
        "JOBS_WORKER": True,
        "JOBS_INLINE": False,
        "OWN_ACCOUNTS": [OUR],
    }
    with live_app(tmp_path_factory.mktemp("finance-browser"), config, _seed) as live:
        yield {"base": live.base, "app": live.app, "statement_id": live.seeded}


def _shot(page: Any, name: str) -> None:
    shot(page, name, prefix="finance-")


def _sign_in(page: Any, base: str, email: str) -> None:
    sign_in(page, base, email, PASSWORD)


def _open_voucher_of(page: Any, base: str, bank_ref: str) -> None:
    page.goto(f"{base}/banking/archive?bank_ref={bank_ref}")
    page.locator("table a[href*='/banking/transactions/']").first.click()
    page.wait_for_load_state()


def test_finance_walkthrough_and_auditor_evidence(
    live_server: dict[str, Any], browser: Any, tmp_path: Path
) -> None:
    base = live_server["base"]
    context = browser.new_context(
        accept_downloads=True, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    _sign_in(page, base, "finance@concord.test")

    # 1. upload two bank files at once and watch the job's progress
    (tmp_path / "icbc-nov.csv").write_bytes(FILE_1)
    (tmp_path / "cmb-nov.csv").write_bytes(FILE_2)
    page.goto(f"{base}/banking/uploads")
    _shot(page, "uploads")
    page.locator("input[type=file][name=files]").set_input_files(
        [str(tmp_path / "icbc-nov.csv"), str(tmp_path / "cmb-nov.csv")]
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_selector("#job-progress")
    page.wait_for_selector("#job[data-finished='done']", timeout=60_000)
    assert page.locator("#job-percent").inner_text() == "100%"
    files_text = page.locator("#job-files").inner_text()
    assert "icbc-nov.csv: Done" in files_text and "cmb-nov.csv: Done" in files_text
    _shot(page, "upload-progress")

    # 2. the review queue; accept the suggestion for the payment of two same-amount invoices
    page.goto(f"{base}/banking/queue?status=suggested")
    _shot(page, "queue")
    _open_voucher_of(page, base, "FB-002")
    assert page.locator("#suggestions").is_visible()
    _shot(page, "suggestion")
    page.locator("#suggestions button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "applied" in page.locator(".flash-success").inner_text()
    assert page.locator("#allocations").inner_text().count("INV-2026-0030") == 1

    # 3. split the unexplained 2,000.00 across two invoices of the customer
    _open_voucher_of(page, base, "FB-003")
    page.locator("#find").fill("C2")
    page.locator("#manual form[method=get] button").click()
    page.wait_for_load_state()
    page.locator("input[name='rows-0-invoice']").fill("INV-2026-00200")
    page.locator("input[name='rows-0-amount']").fill("880.00")
    page.locator("input[name='rows-1-invoice']").fill("INV-2026-00201")
    page.locator("input[name='rows-1-amount']").fill("1120.00")
    _shot(page, "split-form")
    page.locator("#split-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "applied" in page.locator(".flash-success").inner_text()
    allocations = page.locator("#allocations").inner_text()
    assert "INV-2026-00200" in allocations and "INV-2026-00201" in allocations
    _shot(page, "split-done")

    # 4. reverse the automatic match of the payment without a reference
    _open_voucher_of(page, base, "FB-004")
    assert "INV-2026-00124" in page.locator("#allocations").inner_text()
    page.locator("#reverse textarea[name=reason]").fill("The payer says this was for a new order")
    page.locator("#reverse button[type=submit]").click()
    page.wait_for_load_state()
    assert "reversed" in page.locator(".flash-success").inner_text()
    assert "reversal" in page.locator("#allocations").inner_text()
    _shot(page, "reversed")

    # 5. run the follow-ups: proposals wait for approval, and the team's queue has its tasks
    page.goto(f"{base}/followups/")
    page.locator("#run-followups").click()
    page.wait_for_load_state()
    assert "proposed for approval" in page.locator(".flash").first.inner_text()
    assert page.url.endswith("/followups/proposals")
    _shot(page, "followups-proposals")
    page.goto(f"{base}/followups/?view=team")
    assert page.locator("#tasks tbody tr").count() >= 1
    _shot(page, "followups")
    page.goto(f"{base}/reports/")
    _shot(page, "reports")
    page.goto(f"{base}/credit/")
    _shot(page, "credit")
    page.goto(f"{base}/banking/archive")
    _shot(page, "archive")
    context.close()

    # 6. an auditor downloads the evidence package of the signed statement
    context = browser.new_context(
        accept_downloads=True, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    _sign_in(page, base, "auditor@concord.test")
    page.goto(f"{base}/audit/statements")
    _shot(page, "auditor-statements")
    with page.expect_download() as info:
        page.locator("#statements a[href$='evidence.zip']").first.click()
    path = info.value.path()
    with zipfile.ZipFile(io.BytesIO(Path(path).read_bytes())) as zf:
        names = set(zf.namelist())
        report = json.loads(zf.read("verification-report.json"))
        audit = json.loads(zf.read("audit-log.json"))
    assert any(n.endswith("-signed.pdf") for n in names)
    assert report["ok"] is True and audit["chain"]["ok"] is True
    # the auditor cannot act: the review page shows no forms
    page.goto(f"{base}/banking/queue?status=unmatched")
    assert page.locator("form[method=post][action*='/banking/']").count() == 0
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e]
