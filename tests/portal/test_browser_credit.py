"""The credit page (grades and limits) on a 375 px phone: each customer a card, no sideways
scrolling, and 20, 50 or 100 customers a page. Screenshots go to ``tmp/artifacts/credit-375/``
(or ``$CONCORD_ARTIFACTS/credit-375/``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser_helpers import BROWSER_MARKS, ROOT, live_app, shot, sign_in
from tests.portal.test_browser_mobile import OVERFLOW_JS, PHONE, SIDEWAYS_JS

SHOTS = Path(os.environ.get("CONCORD_ARTIFACTS", ROOT / "tmp" / "artifacts")) / "credit-375"
PASSWORD = "credit-browser-password"

pytestmark = [*BROWSER_MARKS]


def _seed(s: Any) -> None:
    from portal.demo.service import seed_demo
    from portal.models import Customer

    seed_demo(s, password=PASSWORD, own_account="31050161373600000001")
    # a long name and a large limit: what widened a row the most
    for customer in s.query(Customer).limit(3):
        customer.credit_limit = 123456789012
    first = s.query(Customer).first()
    first.name = "浙江省杭州市西湖区某某国际贸易与供应链管理有限责任公司 Zhejiang Trading Co., Ltd."
    s.commit()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = {
        "SECRET_KEY": "credit-browser-secret-key-long-enough-0123456789",
        "KEY_PASSPHRASE": "credit-browser-passphrase",
        "RATELIMIT_ENABLED": False,
    }
    with live_app(tmp_path_factory.mktemp("credit-browser"), config, _seed) as live:
        yield live.base


@pytest.mark.parametrize(
    ("email", "language"), [("finance@demo.test", "zh"), ("sales@demo.test", "en")]
)
def test_the_credit_page_fits_a_phone(
    live_server: str, browser: Any, email: str, language: str
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, email, PASSWORD)
    page.locator(f".langswitch button[value={language}]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/credit/?per_page=20")
    role = email.split("@")[0]
    shot(page, f"{role}-{language}", directory=SHOTS)
    found = page.evaluate(OVERFLOW_JS, PHONE["width"])
    assert found["scroll"] <= PHONE["width"], found["culprits"]
    assert page.evaluate(SIDEWAYS_JS) == []
    # cards, not a table: 20 of them, each a few lines high (it was nine lines and more)
    assert "cards" in (page.get_attribute("#scores", "class") or "")
    heights = page.eval_on_selector_all(
        "#scores tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert len(heights) == 20 and sorted(heights)[10] < 200 and max(heights) < 240, heights
    assert page.locator(".page-sizes strong").inner_text() == "20"
    page.locator(".page-sizes a", has_text="50").click()
    page.wait_for_load_state()
    assert "per_page=50" in page.url
    assert page.locator("#scores tbody tr").count() == min(50, _customers(page))
    assert page.evaluate(OVERFLOW_JS, PHONE["width"])["scroll"] <= PHONE["width"]
    context.close()


def _customers(page: Any) -> int:
    """How many customers the list has (the "All customers" count is the pager's total)."""
    text = page.locator(".page-sizes").get_attribute("data-total") or "0"
    return int(text)
