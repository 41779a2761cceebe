"""The column-mapping page on a 375 px phone, in Chinese and in English: the file's rows, the
column choices named by the header, the check's preview and a refused mapping's reason fit the
screen. Screenshots go to ``tmp/artifacts/mobile-375/`` (or ``$CONCORD_ARTIFACTS/mobile-375/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.portal.browser_helpers import BROWSER_MARKS, live_app, shot, sign_in
from tests.portal.test_bank_layout_mapping import FIRST
from tests.portal.test_browser_mobile import OVERFLOW_JS, PHONE, SHOTS, SIDEWAYS_JS

pytestmark = [*BROWSER_MARKS]
EMAIL = "mapper@example.com"


def _seed(s: Any) -> int:
    """A finance user and the 杭州银行 export, failed for its unknown columns."""
    from portal.banking import service

    user = make_user(s, "finance", email=EMAIL)
    bank_file, _ = service.store_upload(s, "hzb.csv", FIRST, user=user)
    service.start_import(s, [bank_file], user=user)
    s.commit()
    return int(bank_file.id)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    config = {
        "SECRET_KEY": "layout-browser-secret-key-long-enough-0123456789",
        "KEY_PASSPHRASE": "layout-browser-passphrase",
        "RATELIMIT_ENABLED": False,
    }
    with live_app(tmp_path_factory.mktemp("layout-browser"), config, _seed) as live:
        yield live.base, live.seeded


def _fits(page: Any) -> list[str]:
    result = page.evaluate(OVERFLOW_JS, PHONE["width"])
    wide = [f"{result['scroll']}px {result['culprits']}"] if result["scroll"] > 375 else []
    return wide + [f"table {t} scrolls sideways" for t in page.evaluate(SIDEWAYS_JS)]


@pytest.mark.parametrize(
    ("language", "check", "refused"),
    [("zh", "检查映射", "按此映射无法读取文件"), ("en", "Check the mapping", "does not read")],
)
def test_the_mapping_page_fits_a_phone(
    served: tuple[str, int], browser: Any, language: str, check: str, refused: str
) -> None:
    base, file_id = served
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    sign_in(page, base, EMAIL, DEFAULT_PASSWORD)
    page.locator(f".langswitch button[value={language}]").click()
    page.wait_for_load_state()
    page.goto(f"{base}/banking/files/{file_id}/layout")
    assert page.locator("#first_row").input_value() == "3"
    assert page.locator("#booking_date option:checked").inner_text().startswith("记账日")
    shot(page, f"layout-{language}", directory=SHOTS)
    assert not _fits(page)
    page.select_option("#credit", "2")
    page.select_option("#debit", "3")
    page.get_by_role("button", name=check).click()
    page.wait_for_load_state()
    assert page.locator("#mapping-preview tbody tr").count() == 3
    shot(page, f"layout-checked-{language}", directory=SHOTS)
    assert not _fits(page)
    page.fill("#first_row", "1")
    page.get_by_role("button", name=check).click()
    page.wait_for_load_state()
    assert refused in page.locator("#mapping-check").inner_text()
    shot(page, f"layout-refused-{language}", directory=SHOTS, full_page=False)
    assert not _fits(page)
    context.close()
