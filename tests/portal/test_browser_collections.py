"""Headless Chromium walks a collector's day and a customer's statement confirmation.

The collector (finance) runs the follow-ups, reviews the proposals (leaves one customer out,
approves the other), finds the reminder in the outbox and follows its link as the customer,
logs a call with a promise to pay, and watches the case close when the bank file with the
payment is uploaded. Then the scheduler's monthly run issues the statements: the customer's
billing contact gets the email, follows its link, signs in, and confirms with the one-time code
from the outbox; the staff page of the period counts it. Screenshots go to
``docs/screenshots/collections-*.png``.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser_helpers import BROWSER_MARKS, live_app, open_invoice, shot, submit_sign_in

PASSWORD = "collections-browser-password"
OUR = "31050161373600000001"
TODAY = dt.date.today()

pytestmark = [*BROWSER_MARKS]


def _seed(s: Any) -> None:
    """A collector and two overdue customers, one with a billing contact who signs in."""
    from portal.models import AppSetting, Customer, CustomerContact, Role, User
    from portal.security import hash_password

    pw_hash = hash_password(PASSWORD)
    finance = User(
        email="fang@concord.test",
        name="Fang Finance",
        role=Role.FINANCE,
        password_hash=pw_hash,
        language="en",
    )
    s.add(finance)
    s.flush()
    customers = {}
    for code, name, mail in (
        ("C1", "上海华美贸易有限公司", "chen.jing@huamei.test"),
        ("C2", "北京远景科技有限公司", "ap@yuanjing.test"),
    ):
        c = Customer(
            code=code,
            name=name,
            phone="13900000000",
            email=mail,
            language="zh",
            account_manager_id=finance.id,
        )
        s.add(c)
        customers[code] = c
    s.flush()
    customers["C1"].contacts.append(
        CustomerContact(
            name="陈静",
            email="chen.jing@huamei.test",
            mobile="13800000001",
            language="en",
            is_billing=True,
        )
    )
    for number, code, amount, days_overdue in (
        ("INV-C1-001", "C1", "1200.00", 40),
        ("INV-C1-002", "C1", "800.00", 20),
        ("INV-C2-001", "C2", "500.00", 25),
    ):
        due = TODAY - dt.timedelta(days=days_overdue)
        s.add(open_invoice(number, customers[code].id, due, amount))
    s.add(
        User(
            email="chen.jing@huamei.test",
            name="陈静",
            role=Role.CUSTOMER,
            customer_id=customers["C1"].id,
            password_hash=pw_hash,
            language="en",
        )
    )
    # no quiet hours: the test must not depend on the hour it runs at
    s.add(AppSetting(key="followups.settings", value={"quiet_start": 0, "quiet_end": 0}))
    s.commit()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app on a migrated file SQLite database; messages are written to the outbox at once."""
    config = {
        "SECRET_KEY": "collections-browser-secret-key-long-enough-0123456789",
        "KEY_PASSPHRASE": "collections-browser-passphrase",
        "OWN_ACCOUNTS": [OUR],
    }
    with live_app(tmp_path_factory.mktemp("collections-browser"), config, _seed) as live:
        yield {"base": live.base, "app": live.app, "instance": live.instance}


def _shot(page: Any, name: str) -> None:
    shot(page, name, prefix="collections-")


def _mails(instance: Path, to: str) -> list[str]:
    """Plain-text bodies of the outbox's emails to ``to``, oldest first."""
    bodies = []
    for path in sorted((instance / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if msg["To"] != to:
            continue
        body = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
        bodies.append(body.get_content() if body else "")
    return bodies


def _texts(instance: Path, to: str) -> list[str]:
    """The outbox's text messages to ``to``, oldest first."""
    return [
        text
        for path in sorted((instance / "outbox").glob("*.sms.txt"))
        if (text := path.read_text(encoding="utf-8")).startswith(f"To: {to}\n")
    ]


def _link(body: str, base: str, path: str) -> str:
    found = re.search(rf"{re.escape(base)}{path}\S*", body)
    assert found, body
    return found.group(0)


def test_a_collectors_day_and_a_statement_confirmed_from_its_email(
    live_server: dict[str, Any], browser: Any, tmp_path: Path
) -> None:
    base, instance, app = live_server["base"], live_server["instance"], live_server["app"]
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}/login")
    submit_sign_in(page, "fang@concord.test", PASSWORD)

    # 1. the run proposes one step per customer and sends nothing yet
    page.goto(f"{base}/followups/proposals")
    page.locator("#run-followups").click()
    page.wait_for_url(f"{base}/followups/proposals")
    assert (
        "2 step(s) proposed for approval, 2 case(s) opened"
        in page.locator(".flash").first.inner_text()
    )
    assert _mails(instance, "chen.jing@huamei.test") == []
    _shot(page, "proposals")

    # 2. review: leave 北京远景 out of this round, approve the rest
    row = page.locator("#exclude tr", has_text="北京远景科技有限公司")
    row.locator("input[name=reason]").fill("Paying this week, says the buyer")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    boxes = page.locator("#approve-form input[name=action_ids]")
    assert boxes.count() == 1 and not boxes.first.is_checked()  # nothing ticked by default
    page.locator("#approve").click()  # none ticked: refused on the page, nothing sent
    assert page.locator("#tick-first").is_visible()
    assert _texts(instance, "13800000001") == []
    page.locator("#tick-all").check()  # ticks the page's proposals
    assert boxes.first.is_checked() and "1" in page.locator("#ticked-count").inner_text()
    page.locator("#approve").click()
    page.wait_for_load_state()
    assert "1 approved: 1 message(s) queued" in page.locator(".flash").first.inner_text()

    # 3. the reminder is in the outbox with a working link into the portal
    (reminder,) = _texts(instance, "13800000001")
    assert _texts(instance, "13900000000") == []  # left out
    case_link = _link(reminder, base, "/followups/my/")
    customer = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    buyer = customer.new_page()
    buyer.goto(case_link)
    assert "/login" in buyer.url
    submit_sign_in(buyer, "chen.jing@huamei.test", PASSWORD)
    assert buyer.url == case_link
    assert "INV-C1-001" in buyer.content() and "INV-C1-002" in buyer.content()
    _shot(buyer, "customer-case")

    # 4. a call: the customer promises to pay everything in three days
    page.goto(f"{base}/followups/cases")
    page.locator("a", has_text="上海华美贸易有限公司").first.click()
    page.wait_for_load_state()
    case_url = page.url
    call = page.locator("#contact")
    call.locator("select[name=channel]").select_option("call")
    call.locator("select[name=outcome]").select_option("promised")
    call.locator("textarea[name=note]").fill("Spoke to 陈静: transfer on Friday")
    call.locator("input[name=promise_date]").fill((TODAY + dt.timedelta(days=3)).isoformat())
    call.locator("input[name=promise_amount]").fill("2000.00")
    page.locator("#log-contact").click()
    page.wait_for_load_state()
    assert "2,000.00" in page.locator("#promises").inner_text()
    assert "Spoke to 陈静" in page.locator("#history").inner_text()
    _shot(page, "case-promise")

    # 5. the money arrives: the bank file's payment names both invoices and closes the case
    bank = tmp_path / "icbc.csv"
    bank.write_text(
        "交易日期,交易流水号,对方户名,对方账号,贷方金额,借方金额,币种,摘要,本方账号\n"
        f"{TODAY.isoformat()},HM-001,上海华美贸易有限公司,6222000011112222,2000.00,,CNY,"
        f"支付INV-C1-001 INV-C1-002货款,{OUR}\n",
        encoding="utf-8",
    )
    page.goto(f"{base}/banking/uploads")
    page.locator("input[type=file][name=files]").set_input_files(str(bank))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_selector("#job[data-finished='done']", timeout=60_000)
    page.goto(case_url)
    assert page.locator(".page-head .badge-closed").count() == 1
    assert "Nothing open" in page.locator("#items").inner_text()
    _shot(page, "case-closed")

    # 6. the scheduler issues last month's statements and tells the billing contact
    # (as the timer does: the CLI, in its own process, on the server's instance and database)
    env = {
        **os.environ,
        "CONCORD_INSTANCE_PATH": str(instance),
        "CONCORD_DATABASE_URL": app.config["DATABASE_URL"],
        "CONCORD_SECRET_KEY": app.config["SECRET_KEY"],
        "CONCORD_KEY_PASSPHRASE": app.config["KEY_PASSPHRASE"],
        "CONCORD_BASE_URL": base,
        "CONCORD_JOBS_INLINE": "true",
    }
    first_of_month = TODAY.replace(day=1).isoformat()
    run = subprocess.run(
        [
            *(sys.executable, "-m", "flask", "--app", "portal", "scheduler", "run-due"),
            *("--today", first_of_month, "--task", "monthly-statements"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert '"issued": 2' in run.stdout and '"sms": 1' in run.stdout, run.stdout
    assert f"{base}/statements/" in _texts(instance, "13800000001")[-1]
    announcement = _mails(instance, "chen.jing@huamei.test")[-1]
    statement_link = _link(announcement, base, "/statements/")
    statement_id = int(statement_link.rsplit("/", 1)[1])
    assert "Hello 陈静," in announcement

    # 7. the customer follows the link and confirms with the code from the outbox
    buyer.goto(statement_link)
    buyer.locator("a[href$='/confirm']").click()
    buyer.locator("input[name=consent]").check()
    buyer.locator("input[name=full_name]").fill("陈静")
    buyer.locator("input[type=submit]").click()
    buyer.wait_for_url(re.compile(r".*/confirm/code$"))
    code = re.search(r"^\s+(\d{6})\s*$", _mails(instance, "chen.jing@huamei.test")[-1], re.M)
    assert code, "no code in the outbox"
    buyer.locator("input[name=code]").fill(code.group(1))
    buyer.locator("form:has(input[name=code]) input[type=submit]").click()
    buyer.wait_for_url(statement_link)
    assert buyer.locator(".signed-note").is_visible()
    _shot(buyer, "statement-confirmed")
    customer.close()

    # 8. the period page counts it: viewed and confirmed, one of two
    page.goto(f"{base}/staff/statements/")
    assert page.locator("[data-count=issued]").inner_text() == "2"
    assert page.locator("[data-count=viewed]").inner_text() == "1"
    assert page.locator("[data-count=confirmed]").inner_text() == "1"
    assert page.locator("#confirmation-rate").inner_text() == "50.0 %"
    _shot(page, "statements-period")
    page.locator(f"a[href$='/staff/statements/{statement_id}']").click()
    page.wait_for_load_state()
    assert "chen.jing@huamei.test" in page.locator("#notices").inner_text()
    _shot(page, "statement-detail")
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e]
