"""Every page fits a 375 px phone: headless Chromium walks the demo business as each role.

Each role signs in, opens every page of its menu and the main detail pages linked from them
(a statement, a customer, a receipt, a dispute...), at 375 x 812 in Chinese and in English,
and checks that the page does not scroll sideways (``scrollWidth <= innerWidth`` = 375; a wide
table may scroll inside its own ``overflow-x: auto`` box; a chart may not, and its text stays
readable; a search form with no filter set folds to one line). Screenshots of each page's first
screen (and of the whole page when something does not fit) go to
``tmp/artifacts/mobile-375/`` (or ``$CONCORD_ARTIFACTS/mobile-375/``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.portal.browser_helpers import BROWSER_MARKS, ROOT, live_app, shot, sign_in

SHOTS = Path(os.environ.get("CONCORD_ARTIFACTS", ROOT / "tmp" / "artifacts")) / "mobile-375"
PASSWORD = "mobile-browser-password"
OUR = "31050161373600000001"
PHONE = {"width": 375, "height": 812}

pytestmark = [*BROWSER_MARKS]

#: (email, language) walked: every demo role, and the two busiest in the other language too
WALKS = (
    ("customer@demo.test", "zh"),
    ("customer2@demo.test", "en"),
    ("finance@demo.test", "zh"),
    ("finance@demo.test", "en"),
    ("sales@demo.test", "en"),
    ("auditor@demo.test", "zh"),
    ("admin@demo.test", "en"),
)
#: detail pages a walk must reach through the links of its pages
WALKED_TO = {
    "customer@demo.test": ("/statements/N", "/disputes/N"),
    "finance@demo.test": ("/customers/N", "/banking/transactions/N", "/disputes/N"),
}
#: pages a role's walk opens besides its menu and what that links to (lists a walk may not reach
#: by itself, or reach only with their filters unset): the customer's payments, the proposals
MUST = {
    "customer": ("/payments/", "/payments/?date_from=2020-01-01"),
    "customer2": ("/payments/",),
    "finance": ("/followups/proposals",),
}
#: links that are downloads or actions, not pages
SKIP = re.compile(
    r"\.(pdf|zip|csv|xlsx|json|png|jpe?g)$|/(pdf|download|evidence|original)$"
    r"|/logout|/api/|/static/|/files/\d+|/attachments/"
)
#: most pages linked from the menu pages opened in one walk (one of each kind)
MAX_DETAILS = 30


def _seed(s: Any) -> None:
    """The demo business (as `make run` loads it) with a dispute and its thread."""
    from sqlalchemy import select

    from portal.demo.commands import _issue_last_month
    from portal.demo.service import seed_demo
    from portal.disputes import service as disputes
    from portal.followups import service as followups
    from portal.models import DisputeReason, Statement, User

    seed_demo(s, password=PASSWORD, own_account=OUR)
    s.commit()
    _issue_last_month(s)
    s.commit()
    # a dispute with a thread, so that its pages exist for customer and staff
    buyer = s.scalars(select(User).where(User.email == "customer@demo.test")).one()
    statement = s.scalars(
        select(Statement).where(Statement.customer_id == buyer.customer_id)
    ).first()
    assert statement is not None and statement.lines
    claim = disputes.LineClaim(
        statement.lines[0],
        DisputeReason.QUANTITY,
        min(Decimal("300.00"), statement.lines[0].debit or Decimal("1.00")),
        "只收到7箱，少了3箱。Only 7 of 10 boxes arrived.",
    )
    disputes.open_disputes(s, statement, buyer, [claim], max_bytes=10_000, today=dt.date.today())
    s.commit()
    # the follow-ups' daily run, so that the proposals page has steps to approve
    followups.run(s)
    s.commit()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo business (as `make run` loads it) with a dispute, on a migrated SQLite file."""
    config = {
        "SECRET_KEY": "mobile-browser-secret-key-long-enough-0123456789",
        "KEY_PASSPHRASE": "mobile-browser-passphrase",
        "OWN_ACCOUNTS": [OUR],
        "RATELIMIT_ENABLED": False,
    }
    with live_app(tmp_path_factory.mktemp("mobile-browser"), config, _seed) as live:
        yield live.base


#: what sticks out: the widest elements past the right edge that no scroll box contains
OVERFLOW_JS = """(vw) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 0.5 || r.width === 0) continue;
    let p = el.parentElement, boxed = false;
    while (p && p !== document.body) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { boxed = true; break; }
      p = p.parentElement;
    }
    if (boxed) continue;
    const name = typeof el.className === 'string' ? el.className.trim() : '';
    const cls = name ? '.' + name.split(/\\s+/).join('.') : '';
    out.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)}`);
    if (out.length >= 6) break;
  }
  // a phone's browser widens its layout viewport to fit a too-wide page: innerWidth grows too
  const wide = Math.max(document.documentElement.scrollWidth, window.innerWidth);
  return {scroll: wide, culprits: out};
}"""


#: tables, other than report grids, wider than their box (the reader would scroll them sideways)
SIDEWAYS_JS = """() => [...document.querySelectorAll('.table-wrap > table.table')]
  .filter(t => t.dataset.layout !== 'grid')
  .filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)
  .map(t => (t.id ? '#' + t.id + ' ' : '') + [...t.querySelectorAll('th')]
    .slice(0, 3).map(h => h.textContent.trim()).join(', '))"""


#: charts (an svg or canvas wider than an icon) that stick out past the screen's edge, even
#: inside a scroll box, whose text a phone draws smaller than 9 px, or whose level labels overlap
CHARTS_JS = """(vw) => {
  const out = [];
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const chart of document.querySelectorAll('main svg, main canvas')) {
    const r = chart.getBoundingClientRect();
    if (!shown(chart) || r.width <= 64) continue;
    const name = chart.getAttribute('aria-label') || chart.tagName.toLowerCase();
    if (r.right > vw + 0.5 || r.left < -0.5) {
      out.push(`${name}: ${Math.round(r.left)}..${Math.round(r.right)}px`);
      continue;
    }
    if (chart.tagName.toLowerCase() !== 'svg' || !chart.viewBox.baseVal) continue;
    const scale = r.width / (chart.viewBox.baseVal.width || r.width);
    const texts = [...chart.querySelectorAll('text')].filter(shown);
    const small = texts.filter(t => parseFloat(getComputedStyle(t).fontSize) * scale < 9);
    if (small.length) out.push(`${name}: text ${small[0].textContent} drawn smaller than 9px`);
    const level = texts.filter(t => !t.getAttribute('transform'))
      .map(t => t.getBoundingClientRect());
    const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
      && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const overlap = level.some((a, i) => level.slice(i + 1).some(b => meet(a, b)));
    if (overlap) out.push(`${name}: labels overlap`);
  }
  return out;
}"""

#: search and filter forms (GET, three fields or more): the height they take on the screen
FILTERS_JS = """() => [...document.querySelectorAll('main form')]
  .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'get')
  .filter(f => f.querySelectorAll('select, textarea, input:not([type=hidden])').length >= 3)
  .map(f => {
    const fold = f.closest('details');
    const box = (fold || f).getBoundingClientRect();
    return [f.id || f.getAttribute('action'), Math.round(box.height)];
  })"""
#: the most of a phone's first screen a search form with no filter set takes (about one line)
FILTERS_MAX = PHONE["height"] // 8


def _pattern(path: str) -> str:
    """A page's kind: its path with the numbers taken out (one detail page of each kind)."""
    return re.sub(r"\d+", "N", path)


def _links(page: Any, base: str, selector: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(selector, "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base or SKIP.search(parts.path):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _sign_in(browser: Any, base: str, email: str, language: str) -> tuple[Any, Any]:
    """A phone's browser context and page, signed in as ``email`` reading ``language``."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    sign_in(page, base, email, PASSWORD)
    assert "/login" not in page.url, f"{email} could not sign in"
    page.locator(f".langswitch button[value={language}]").click()
    page.wait_for_load_state()
    return context, page


def _problems(page: Any, path: str) -> list[str]:
    """What does not fit a phone on the page shown: nothing sticks out past the screen's edge,
    a list's rows are cards (js/tables.js: only report grids scroll in their box), charts stay
    inside and readable, and with no filter set a page's filters fold away to one line."""
    out = []
    result = page.evaluate(OVERFLOW_JS, PHONE["width"])
    if result["scroll"] > PHONE["width"]:
        out.append(f"{result['scroll']}px {result['culprits']}")
    out += [f"table {table} scrolls sideways" for table in page.evaluate(SIDEWAYS_JS)]
    out += [f"chart {chart}" for chart in page.evaluate(CHARTS_JS, PHONE["width"])]
    for form, height in page.evaluate(FILTERS_JS) if "?" not in path else ():
        if height > FILTERS_MAX:
            out.append(f"filters {form} take {height}px")
    return out


def _walk(browser: Any, base: str, email: str, language: str) -> tuple[list[str], list[str]]:
    """Visit the menu and detail pages as ``email``; return (pages seen, pages too wide)."""
    context, page = _sign_in(browser, base, email, language)
    role = email.split("@")[0]
    menu = ["/", *_links(page, base, ".mainnav a"), *MUST.get(role, ())]
    seen: list[str] = []
    wide: list[str] = []
    kinds: set[str] = set()
    details: list[str] = []

    def check(path: str) -> None:
        response = page.goto(base + path)
        assert response is not None
        if response.status == 403 and path in details:
            # a link this role sees but may not follow (not a layout matter): noted, skipped
            print(f"{role}: {path} answers 403")
            return
        assert response.status == 200, f"{role} {path}: {response.status}"
        page.wait_for_load_state()
        name = f"{role}-{language}-{len(seen):02d}-" + re.sub(r"[^a-z0-9]+", "-", path.lower())
        # the phone's first screen of every page; the whole page when something sticks out
        shot(page, name.strip("-")[:80], directory=SHOTS, full_page=False)
        seen.append(path)
        problems = _problems(page, path)
        if problems:
            shot(page, name.strip("-")[:75] + "-full", directory=SHOTS)
        wide.extend(f"{role}/{language} {path}: {problem}" for problem in problems)

    kinds.update(_pattern(urlsplit(p).path) for p in menu)
    for path in dict.fromkeys(menu):
        check(path)
        # the pages it links to (details, sub-pages): one of each kind
        for link in _links(page, base, "main a[href]"):
            kind = _pattern(urlsplit(link).path)
            if kind not in kinds and len(details) < MAX_DETAILS:
                kinds.add(kind)
                details.append(link)
    for path in details:
        check(path)
    context.close()
    return seen, wide


@pytest.mark.parametrize(("email", "language"), WALKS)
def test_every_page_fits_a_phone(live_server: str, browser: Any, email: str, language: str) -> None:
    pages, wide = _walk(browser, live_server, email, language)
    assert len(pages) >= 3, f"{email}: only {pages}"
    missed = set(MUST.get(email.split("@")[0], ())) - set(pages)
    assert not missed, f"{email}/{language} did not open {sorted(missed)}"
    # the walks reach the main detail pages, not only the menus
    for kind in WALKED_TO.get(email, ()):
        assert any(kind in _pattern(p) for p in pages), f"no {kind} page visited"
    assert not wide, "pages not fit for a 375 px phone:\n" + "\n".join(wide)


@pytest.mark.parametrize(
    ("email", "language", "title"),
    [("customer@demo.test", "zh", "付款记录"), ("customer2@demo.test", "en", "Payments")],
)
def test_the_payments_page_fits_a_phone(
    live_server: str, browser: Any, email: str, language: str, title: str
) -> None:
    context, page = _sign_in(browser, live_server, email, language)
    role = email.split("@")[0]
    page.locator(".mainnav a", has_text=title).first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/payments/" and page.locator("h1").inner_text() == title
    rows = page.locator("#payments-table tbody tr")
    assert rows.count() >= 1, "the demo customer has no payments"
    # each receipt is a card: the column's name beside each value, the amounts inside the screen
    first = rows.first.locator("td").nth(2)
    assert first.get_attribute("data-label") and first.bounding_box()["width"] <= PHONE["width"]
    shot(page, f"payments-{role}-{language}", directory=SHOTS)
    assert _problems(page, page.url) == []
    context.close()


@pytest.mark.parametrize(
    ("language", "confirm"), [("zh", "批准并发送"), ("en", "Approve and send")]
)
def test_the_proposals_and_the_approve_all_question_fit_a_phone(
    live_server: str, browser: Any, language: str, confirm: str
) -> None:
    context, page = _sign_in(browser, live_server, "finance@demo.test", language)
    page.goto(f"{live_server}/followups/proposals")
    assert page.locator("#proposals tbody tr").count() >= 1, "the demo run proposed nothing"
    assert page.locator("#step-counts .kpi").count() >= 1
    shot(page, f"proposals-finance-{language}", directory=SHOTS)
    assert _problems(page, page.url) == []
    # "approve all" asks first, naming the number; the question fits too (and is not answered)
    page.locator("#approve-all").click()
    page.wait_for_load_state()
    assert confirm in page.locator("#confirm-all h2").inner_text()
    shot(page, f"proposals-approve-all-finance-{language}", directory=SHOTS)
    assert _problems(page, page.url) == []
    context.close()


#: where each entry of the staff menu is drawn: (left, top, right, bottom), visible or not
MENU_BOXES_JS = """() => [...document.querySelectorAll('.mainnav a')].map(a => {
  const r = a.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom, r.width > 0 && r.height > 0];
})"""


@pytest.mark.parametrize(
    ("email", "language", "button"),
    [("finance@demo.test", "zh", "菜单"), ("sales@demo.test", "en", "Menu")],
)
def test_the_staff_menu_folds_behind_a_button_on_a_phone(
    live_server: str, browser: Any, email: str, language: str, button: str
) -> None:
    context, page = _sign_in(browser, live_server, email, language)
    role = email.split("@")[0]
    shot(page, f"menu-{role}-{language}-closed", directory=SHOTS, full_page=False)
    toggle = page.locator(".nav-button")
    assert toggle.is_visible() and toggle.inner_text().strip() == button
    boxes = page.evaluate(MENU_BOXES_JS)
    assert len(boxes) >= 4 and not any(visible for *_box, visible in boxes), "menu shown closed"

    toggle.click()
    shot(page, f"menu-{role}-{language}-open", directory=SHOTS, full_page=False)
    boxes = page.evaluate(MENU_BOXES_JS)
    assert all(visible for *_box, visible in boxes)
    # stacked: one entry a line, all at the same left edge, inside the phone's width
    assert len({round(left) for left, *_rest in boxes}) == 1
    tops = [top for _left, top, *_rest in boxes]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert all(right <= PHONE["width"] for _l, _t, right, *_rest in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # the entries work: the second one opens its page, where the menu is folded again
    page.locator(".mainnav a").nth(1).click()
    page.wait_for_load_state()
    assert not any(visible for *_box, visible in page.evaluate(MENU_BOXES_JS))
    context.close()


def test_a_wide_screen_shows_the_staff_menu_without_a_button(
    live_server: str, browser: Any
) -> None:
    context, page = _sign_in(browser, live_server, "finance@demo.test", "en")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.locator(".nav-button").is_visible()
    boxes = page.evaluate(MENU_BOXES_JS)
    assert all(visible for *_box, visible in boxes)
    # every entry is wholly on the screen (rows wrap; none is cut off at the right edge)
    width = page.evaluate("document.documentElement.clientWidth")
    assert all(0 <= left and right <= width for left, _top, right, *_rest in boxes), boxes
    rows = {round(top) for _left, top, *_rest in boxes}
    assert len(rows) <= 2, rows
    context.close()


def test_search_filters_fold_on_a_phone_and_open_when_set(live_server: str, browser: Any) -> None:
    context, page = _sign_in(browser, live_server, "finance@demo.test", "zh")
    fold, form = page.locator("details.filter-fold"), page.locator("details.filter-fold form")
    # no filter set: one line, "筛选", the list right under it
    page.goto(f"{live_server}/banking/archive")
    assert not fold.evaluate("d => d.open") and not form.is_visible()
    assert fold.locator("summary").inner_text().strip() == "筛选"
    assert fold.bounding_box()["height"] <= FILTERS_MAX
    fold.locator("summary").click()
    assert form.is_visible() and form.bounding_box()["width"] <= PHONE["width"]
    # two filters set (the queue's status is its tabs' choice, not counted): open, "已设 2 项"
    page.goto(f"{live_server}/banking/queue?status=matched&q=DEMO&amount_min=1")
    shot(page, "filters-finance-zh-set", directory=SHOTS, full_page=False)
    assert fold.evaluate("d => d.open") and form.is_visible()
    assert fold.locator("summary").inner_text().split() == ["筛选", "已设", "2", "项"]
    # a wide screen shows the form as before, without the toggle
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/banking/archive")
    assert form.is_visible() and not fold.locator("summary").is_visible()
    context.close()


def test_the_reports_tables_start_folded_under_their_charts_on_a_phone(
    live_server: str, browser: Any
) -> None:
    context, page = _sign_in(browser, live_server, "finance@demo.test", "en")
    opened = "() => [...document.querySelectorAll('details.open-wide')].map(d => d.open)"
    page.goto(f"{live_server}/reports/")
    folds = page.evaluate(opened)
    assert folds and not any(folds)
    # every report's chart within the first few screens, not after a hundred customers' cards
    charts = page.locator("svg.chart-narrow")
    assert charts.count() >= 3 and charts.last.bounding_box()["y"] < 5 * PHONE["height"]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/reports/")
    assert page.evaluate(opened) == [True] * len(folds)
    context.close()
