"""Headless Chromium walks the customer portal: confirm a statement, dispute two lines.

Runs the real app in a thread on a free localhost port, on a migrated and seeded file SQLite
database, and drives Debian's chromium through Playwright. Screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser_helpers import BROWSER_MARKS, ROOT, live_app, shot, sign_in

PASSWORD = "demo-password-for-browser"

pytestmark = [*BROWSER_MARKS]


def _previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _seed(session: Any) -> dict[str, int]:
    """The demo world and one issued statement per demo customer; their ids by customer code."""
    from sqlalchemy import select

    from portal.demo.service import seed_demo
    from portal.models import Customer
    from portal.statements.service import issue_statement

    start, end = _previous_month(dt.date.today())
    seed_demo(session, password=PASSWORD, own_account="31050161373600000001")
    statements = {}
    # C2001 gets a quarter so that its statement surely has several invoice lines
    quarter_start = (start - dt.timedelta(days=62)).replace(day=1)
    for code, first in (("C1001", start), ("C2001", quarter_start)):
        customer = session.scalar(select(Customer).where(Customer.code == code))
        assert customer is not None
        statements[code] = issue_statement(session, customer, first, end).id
    session.commit()
    return statements


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app on a free port with a seeded database and one issued statement per demo customer."""
    config = {
        "SECRET_KEY": "browser-test-secret-key-long-enough-1234567890",
        "KEY_PASSPHRASE": "browser-test-passphrase",
    }
    with live_app(tmp_path_factory.mktemp("browser-instance"), config, _seed) as live:
        yield {
            "base": live.base,
            "app": live.app,
            "instance": live.instance,
            "statements": live.seeded,
        }


def _sign_in(page: Any, base: str, email: str) -> None:
    sign_in(page, base, email, PASSWORD, wait=f"{base}/")


def _latest_code(instance: Path) -> str:
    for path in sorted((instance / "outbox").glob("*.eml"), reverse=True):
        import email
        import email.policy

        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
        found = re.search(r"^\s+(\d{6})\s*$", body.get_content(), re.M) if body else None
        if found:
            return found.group(1)
    raise AssertionError("no code in the outbox")


def test_customer_confirms_a_statement_and_downloads_the_signed_pdf(
    live_server: dict[str, Any], browser: Any, tmp_path: Path
):
    base, instance = live_server["base"], live_server["instance"]
    statement_id = live_server["statements"]["C1001"]
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{base}/login")
    shot(page, "customer-01-sign-in")
    _sign_in(page, base, "customer@demo.test")
    assert page.locator(".cta").is_visible()
    shot(page, "customer-02-overview")
    page.goto(f"{base}/invoices/")
    shot(page, "customer-03-invoices")
    page.locator("table a").first.click()
    shot(page, "customer-04-invoice-detail")
    page.goto(f"{base}/statements/")
    shot(page, "customer-05-statements")
    page.goto(f"{base}/statements/{statement_id}")
    shot(page, "customer-06-statement")

    page.goto(f"{base}/statements/{statement_id}/confirm")
    page.locator("input[name=consent]").check()
    page.locator("input[name=full_name]").fill("陈静")
    shot(page, "customer-07-confirm")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r".*/confirm/code$"))
    page.locator("input[name=code]").fill(_latest_code(instance))
    shot(page, "customer-08-code")
    page.locator("form:has(input[name=code]) input[type=submit]").click()
    page.wait_for_url(f"{base}/statements/{statement_id}")
    assert page.locator(".signed-note").is_visible()
    shot(page, "customer-09-confirmed")

    with page.expect_download() as info:
        page.locator(".signed-note a").click()
    target = tmp_path / "signed.pdf"
    info.value.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "statements",
            "verify",
            str(target),
            "--require-approval",
            "--trust-root",
            str(instance / "pki" / "root-ca.cert.pem"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    context.close()


def test_customer_disputes_two_lines_with_an_attachment(
    live_server: dict[str, Any], browser: Any, tmp_path: Path
):
    base = live_server["base"]
    statement_id = live_server["statements"]["C2001"]
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, base, "customer2@demo.test")
    page.goto(f"{base}/statements/{statement_id}/dispute")
    boxes = page.locator("input[type=checkbox][name^=sel_]")
    assert boxes.count() >= 2
    for i, reason in ((0, "price"), (1, "not_received")):
        box = boxes.nth(i)
        line_id = box.get_attribute("name").split("_", 1)[1]  # type: ignore[union-attr]
        box.check()
        page.locator(f"select[name=reason_{line_id}]").select_option(reason)
        amount = page.locator(f"input[name=amount_{line_id}]")
        if i == 0:
            amount.fill("100.00")
        page.locator(f"textarea[name=comment_{line_id}]").fill(
            "Unit price should be the contract price" if i == 0 else "Goods never arrived"
        )
    evidence = tmp_path / "delivery-note.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("input[name=attachments]").set_input_files(str(evidence))
    shot(page, "customer-10-dispute-form")
    page.locator("input[type=submit][name=submit]").click()
    page.wait_for_url(re.compile(r".*/disputes/\d+$"))
    assert page.get_by_text("Unit price should be the contract price").is_visible()
    assert page.get_by_text("delivery-note.pdf").first.is_visible()
    shot(page, "customer-11-dispute-thread")
    page.goto(f"{base}/disputes/")
    assert page.locator("table tbody tr").count() == 2
    shot(page, "customer-12-disputes")
    dispute_url = page.locator("table tbody tr a").last.get_attribute("href")
    # a phone-sized screen keeps the layout usable
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/")
    shot(page, "customer-13-overview-mobile")
    context.close()

    # finance answers in the thread and accepts; the customer then sees the credit note
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    sign_in(page, base, "finance@demo.test", PASSWORD, wait=False)
    page.goto(f"{base}/staff/disputes/")
    shot(page, "staff-disputes-01-triage")
    page.goto(f"{base}/staff/disputes/{dispute_url.rsplit('/', 1)[1]}")  # type: ignore[union-attr]
    page.locator("textarea[name='msg-body']").fill(
        "We checked the contract: the unit price was wrong."
    )
    page.locator("input[name='msg-submit']").click()
    page.locator("input[name='accept-amount']").fill("100.00")
    page.locator("textarea[name='accept-resolution']").fill(
        "Price corrected to the contract price."
    )
    page.locator("input[name='accept-submit_accept']").click()
    assert page.locator(".flash-success").is_visible()
    shot(page, "staff-disputes-02-accepted")
    staff.close()

    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, base, "customer2@demo.test")
    page.goto(f"{base}{dispute_url}")
    assert page.get_by_text("We checked the contract").is_visible()
    assert page.locator(".badge-accepted").is_visible()
    shot(page, "customer-14-dispute-accepted")
    context.close()


#: what sticks out to the right of the viewport (tables and the menu scroll in their own box)
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
               && !e.closest('.table-wrap, .mainnav'))
  .slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_customer_at_375px_sees_its_account_disputes_an_open_item_and_finds_the_promise(
    live_server: dict[str, Any], browser: Any
):
    base = live_server["base"]
    for lang, dispute_label in (("zh", "提出异议"), ("en", "Raise a dispute")):
        context = browser.new_context(viewport={"width": 375, "height": 812})
        page = context.new_page()
        _sign_in(page, base, "customer@demo.test")
        page.locator(f"form.langswitch button[value={lang}]").click()
        page.wait_for_load_state()
        assert page.locator("#open-items").get_by_role("link", name=dispute_label).count() > 0
        for section in ("#positions", "#open-items", "#held"):
            assert page.locator(section).is_visible(), section
        # nothing wider than the phone: no sideways scrolling of the page itself
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(WIDE)
        assert page.locator("a[href='/followups/my']").count() == 1  # the menu's promise link
        if lang == "zh":
            shot(page, "customer-15-overview-375-zh")
            context.close()
            continue
        page.locator("#open-items").get_by_role("link", name=dispute_label).first.click()
        page.wait_for_url(re.compile(r".*/invoices/\d+/dispute$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "customer-16-dispute-open-item-375")
        page.locator("select[name=reason]").select_option("quantity")
        page.locator("input[name=amount]").fill("10.00")
        page.locator("textarea[name=comment]").fill("Two cartons short")
        page.locator("input[name=submit]").click()
        page.wait_for_url(re.compile(r".*/disputes/\d+$"))
        assert page.locator(".flash-success").is_visible()
        assert page.get_by_text("Two cartons short").is_visible()
        context.close()
