"""Headless Chromium signs in as every role, switches to Chinese and reads every page.

Each role's menu is followed, and from each page the links in its content (detail pages), up to
three clicks deep, one page per URL shape (``/invoices/12`` and ``/invoices/13`` are one shape).
Every visible text node, every ``title``/``placeholder``/``aria-label``/``alt`` and every button
label is read; a text fails when it holds an English word that is not data.

What counts as data is decided by allow-lists, not by guessing: every word of the columns of the
seeded database that hold what people and files brought in (:data:`DATA_COLUMNS`: customer and
payer names, references, e-mails, notes, file names...), words
of three letters or fewer and all-capital codes (``CNY``, ``INV``, ``PDF``), e-mail addresses,
web addresses and file names, plus the few product names in :data:`ALLOWED`. Anything else in
Latin letters is interface text that escaped the catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.portal.browser_helpers import BROWSER_MARKS, live_app, sign_in

PASSWORD = "demo-password-for-browser"
ROLES = (
    "customer@demo.test",
    "finance@demo.test",
    "admin@demo.test",
    "sales@demo.test",
    "auditor@demo.test",
)
#: product and standard names that are the same in Chinese
ALLOWED = frozenset(
    {"Concord", "English", "camt", "Excel", "WeChat", "Alipay", "OpenAPI", "Swagger", "Playwright"}
)
#: pages not worth reading: downloads, sign-out, the language switch, API documents
SKIP = re.compile(
    r"(\.(pdf|csv|xlsx|zip|eml|json|png|txt|xml|sta)$)|/download|/export|/logout|/language|"
    r"/pdf$|^/api/|/evidence|/files/\d+$|/archive\.|/static/"
)
MAX_PAGES_PER_ROLE = 70
MAX_DEPTH = 3

pytestmark = [*BROWSER_MARKS]

# read what a person reads: visible text nodes, labels in attributes, the window title
_READ_PAGE = """
() => {
  const out = [document.title];
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    const code = ".langswitch, [translate=no], code, kbd, samp, pre";
    if (!text || !el || skip.has(el.tagName) || el.closest(code)) {
      continue;
    }
    const shown = el.closest("option, optgroup") || el.getClientRects().length > 0;
    if (shown) out.push(text);
  }
  for (const el of document.querySelectorAll("[title], [placeholder], [aria-label], img[alt], "
      + "input[type=submit], input[type=button], optgroup[label]")) {
    if (el.closest(".langswitch")) continue;
    for (const name of ["title", "placeholder", "aria-label", "alt", "label"]) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
    if (el.tagName === "INPUT" && el.value) out.push(el.value);
  }
  return out;
}
"""
_LINKS = """
() => Array.from(document.querySelectorAll("nav.mainnav a[href], #main a[href], main a[href]"))
  .map(a => a.getAttribute("href"))
"""
_NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|\S+\.(?:pdf|csv|xlsx|zip|xml|txt|sta|json|eml)\b|\{[^}]*\}",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")


def _english_words(text: str, allowed: frozenset[str]) -> list[str]:
    """The words of ``text`` that look like untranslated interface text."""
    words = _WORD.findall(_NOT_WORDS.sub(" ", text))
    found = [
        w
        for w in words
        if len(w) > 3 and not w.isupper() and w not in allowed and w.lower() not in allowed
    ]
    if found and found[-1] == words[-1] and text.rstrip().endswith(words[-1]):
        # a name cut to fit a column ("Evergree"): data when some data word begins with it
        if any(a.startswith(found[-1].lower()) for a in allowed):
            found.pop()
    return found


def test_english_words_are_found_and_data_is_not():
    allowed = frozenset({"huamei", "Trading"})
    assert _english_words("Open invoices", allowed) == ["Open", "invoices"]
    assert _english_words("上海华美 Huamei Trading Co · CNY 1,200.00", allowed) == []
    assert _english_words("见 statement-2026-10.pdf 或 a.b@demo.test", allowed) == []
    assert _english_words("C2006 Huam", allowed) == []  # cut to fit
    assert _english_words("Huam C2006", allowed) == ["Huam"]


#: the columns that hold what people and files brought in (names, references, notes typed by
#: users, uploaded file names); text Concord writes itself (task titles, event kinds, audit
#: actions, errors) is not data and must be translated
DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("code", "name", "email", "phone", "hold_reason", "region", "segment"),
    "customer_contacts": ("name", "email", "mobile"),
    "customer_bank_accounts": ("account_number", "bank_name", "holder_name"),
    "customer_notes": ("body",),
    "users": ("email", "name"),
    "invoices": ("number", "po_number", "sales_order_number", "contract_number", "product_line"),
    "contracts": ("number",),
    "contract_schedule_lines": ("milestone",),
    "contract_documents": ("filename",),
    "bank_files": ("original_name",),
    "bank_layouts": ("name",),
    "bank_transactions": (
        "voucher_number",
        "bank_ref",
        "payer_name",
        "payer_account",
        "payer_bank",
        "payee_name",
        "payee_account",
        "reference",
        "source",
    ),
    "statement_lines": ("document", "description"),
    "disputes": ("comment", "resolution"),
    "dispute_messages": ("body",),
    "dispute_attachments": ("filename",),
    "credit_limit_requests": ("reason", "decision_note"),
    "credit_notes": ("number", "reason"),
    "payment_promises": ("note",),
    "collection_ladders": ("name", "segment"),
    "collection_ladder_steps": ("name",),
    # the reminders as written for the customer, in the customer's language
    "collection_actions": ("recipient", "subject", "body", "note"),
    "outbox": ("recipient", "subject", "body"),
    "followup_comments": ("body",),
    "import_conflicts": ("reason",),
    "invoice_contract_checks": ("reason",),
    "audit_events": ("actor_label", "reason"),
    "api_tokens": ("name",),
    "signature_evidence": ("signer_name", "signer_email", "signer_company", "consent_text"),
}


def _data_words(session: Any) -> frozenset[str]:
    """Every word of the data columns of the database: what users and files brought in."""
    from sqlalchemy import select

    from portal.models import Base

    words: set[str] = set()
    for name, columns in DATA_COLUMNS.items():
        table = Base.metadata.tables[name]
        for column in columns:
            for value in session.scalars(select(table.c[column]).distinct()):
                if value:
                    words.update(w.lower() for w in _WORD.findall(str(value)))
    return frozenset(words)


def _seed(session: Any) -> frozenset[str]:
    """The demo world with an issued statement, a dispute and collection cases; its data words."""
    from sqlalchemy import select

    from portal.demo.service import seed_demo
    from portal.disputes import service as disputes
    from portal.followups.case_run import run_cases
    from portal.followups.ladders import load_settings
    from portal.models import Customer, DisputeReason, User
    from portal.statements.service import issue_statement

    end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    seed_demo(session, password=PASSWORD, own_account="31050161373600000001")
    customer = session.scalar(select(Customer).where(Customer.code == "C1001"))
    assert customer is not None
    issue_statement(session, customer, end.replace(day=1), end)
    # a dispute and collection cases, so that their pages are read too
    other = session.scalar(select(Customer).where(Customer.code == "C2001"))
    assert other is not None
    disputed = issue_statement(session, other, (end - dt.timedelta(days=80)).replace(day=1), end)
    claimant = session.scalar(select(User).where(User.email == "customer2@demo.test"))
    claim = disputes.LineClaim(
        disputed.lines[0], DisputeReason.QUANTITY, Decimal("1.00"), "Only 3 boxes"
    )
    disputes.open_disputes(session, disputed, claimant, [claim], max_bytes=10_000)
    now = dt.datetime.now(dt.UTC)
    run_cases(session, today=now.date(), now=now, settings=load_settings(session))
    session.commit()
    return _data_words(session)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app on a free port with the demo world and an issued statement."""
    config = {
        "SECRET_KEY": "browser-test-secret-key-long-enough-1234567890",
        "KEY_PASSPHRASE": "browser-test-passphrase",
    }
    with live_app(tmp_path_factory.mktemp("browser-zh"), config, _seed) as live:
        yield {"base": live.base, "data": live.seeded}


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _read_role(page: Any, base: str, allowed: frozenset[str]) -> tuple[dict[str, set[str]], int]:
    """Walk from the home page; return the English found per page and the pages read."""
    from playwright.sync_api import Error as PlaywrightError

    found: dict[str, set[str]] = {}
    queue: list[tuple[str, int]] = [("/", 0)]
    seen: set[str] = set()
    read = 0
    while queue and read < MAX_PAGES_PER_ROLE:
        path, depth = queue.pop(0)
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        try:
            response = page.goto(base + path)
        except PlaywrightError as exc:  # a download behind an ordinary-looking link
            if "Download is starting" in str(exc):
                continue
            raise
        read += 1
        if response is None or response.status >= 500:
            found.setdefault(path, set()).add(f"HTTP {response.status if response else '?'}")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        for text in page.evaluate(_READ_PAGE):
            if _english_words(text, allowed):
                found.setdefault(path, set()).add(text[:120])
        if depth >= MAX_DEPTH:
            continue
        for href in page.evaluate(_LINKS):
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/") or SKIP.search(target.path):
                continue
            if _shape(target.path) not in seen:
                queue.append((target.path, depth + 1))
    return found, read


@pytest.mark.parametrize("email", ROLES)
def test_every_page_reads_in_chinese(live_server: dict[str, Any], browser: Any, email: str):
    base = live_server["base"]
    allowed = live_server["data"] | ALLOWED
    # the browser asks for English: the user switches to Chinese with the language switch
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, email, PASSWORD)
    assert "/login" not in page.url
    page.locator(".langswitch button[value=zh]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    found, read = _read_role(page, base, allowed)
    context.close()
    assert read >= 5, f"{email} reached only {read} pages"
    report = "\n".join(f"{path}: {sorted(texts)}" for path, texts in sorted(found.items()))
    assert not found, f"{email}: English on {len(found)} of {read} pages:\n{report}"
