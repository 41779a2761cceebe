"""Chinese and English: complete catalogues, language switch, locale formatting, no leftovers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.disputes import service as dispute_service
from portal.filters import date, money
from portal.models import DisputeReason
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import login, make_payment, make_statement

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "portal" / "translations"


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _ids(catalog) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_every_message_has_a_chinese_translation():
    catalog = _catalog("zh")
    assert len(catalog) > 100
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compiled_catalogue_matches_the_po_file(lang: str):
    po = _catalog(lang)
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        mo = read_mo(fh)
    assert _ids(po) == _ids(mo)
    for msg in po:
        if msg.id and isinstance(msg.id, str):
            assert mo.get(msg.id, msg.context).string == msg.string, msg.id


def test_catalogue_covers_every_string_in_the_source():
    method_map = [
        ("**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "_l": None,
        "lazy_gettext": None,
    }
    found = {
        (msgid if isinstance(msgid, str) else msgid[0])
        for _f, _l, msgid, *_ in extract_from_dir(ROOT / "portal", method_map, keywords=keywords)
    }
    missing = found - _ids(_catalog("zh"))
    assert not missing, f"run the extraction and translate: {sorted(missing)[:20]}"


def test_money_and_dates_follow_the_locale(app: Flask):
    with app.test_request_context():
        with force_locale("zh"):
            assert money(Decimal("1234.5"), "CNY") == "¥1,234.50"
            assert date(dt.date(2026, 10, 5)) == "2026年10月5日"
        with force_locale("en"):
            assert money(Decimal("1234.5"), "CNY") == "CN¥1,234.50"
            assert money(Decimal("-20"), "USD") == "-$20.00"
            assert date(dt.date(2026, 10, 5)) == "Oct 5, 2026"


def test_language_defaults_from_the_browser_and_switches(client: FlaskClient, session: Session):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert "Forgot your password?" in page
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(
        as_text=True
    )
    assert "忘记密码？" in page
    resp = client.post(
        "/language", data={"lang": "en", "next": "/login"}, headers={"Accept-Language": "zh-CN"}
    )
    assert resp.status_code == 302 and resp.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Forgot your password?" in page
    # an open redirect through the switch is refused
    resp = client.post("/language", data={"lang": "zh", "next": "https://evil.example/"})
    assert resp.headers["Location"] == "/login"


def test_signed_in_user_keeps_the_chosen_language(client: FlaskClient, session: Session):
    user = make_user(session, language="zh")
    login(client, user)
    client.post("/language", data={"lang": "en", "next": "/"})
    session.refresh(user)
    assert user.language == "en"
    assert "Balance due" in client.get("/").get_data(as_text=True)


class _Text(HTMLParser):
    """Visible text nodes and the attributes people read (labels, titles, button values)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (
                name in ("aria-label", "title", "placeholder", "alt")
                or (name == "value" and tag == "input" and dict(attrs).get("type") == "submit")
            ):
                self.items.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.items.append(" ".join(data.split()))


@pytest.fixture
def zh_world(session: Session):  # type: ignore[no-untyped-def]
    customer = make_customer(
        session, language="zh", name="上海示例贸易有限公司", credit_limit=Decimal("90000")
    )
    user = make_user(
        session, customer=customer, language="zh", name="王小明", is_customer_admin=True
    )
    inv = make_invoice(session, customer=customer, amount="5000.00", issue_date=dt.date(2026, 9, 1))
    make_payment(session, customer, [(inv, "1000.00")])
    issued = make_statement(session, customer)
    other = make_statement(session, customer, period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30)))
    claim = dispute_service.LineClaim(
        other.lines[0], DisputeReason.PRICE, Decimal("10.00"), "单价不对"
    )
    dispute = dispute_service.open_disputes(session, other, user, [claim], max_bytes=1000)[0]
    staff = make_user(session, role="finance", language="zh", name="财务小李")
    return user, staff, inv, issued, dispute


def _english_leftovers(html: str, english: set[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [t for t in parser.items if t in english]


def test_chinese_pages_have_no_english_ui_strings(client: FlaskClient, session: Session, zh_world):  # type: ignore[no-untyped-def]
    user, staff, inv, issued, dispute = zh_world
    catalog = _catalog("zh")
    # UI strings whose Chinese differs (brand names such as "Concord" stay as they are)
    english = {
        m.id for m in catalog if isinstance(m.id, str) and m.string != m.id and "%(" not in m.id
    }
    pages = ["/login", "/password/forgot"]
    for path in pages:
        html = client.get(path, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
        assert _english_leftovers(html, english) == [], path
    login(client, user)
    client.post(f"/statements/{issued.id}/confirm", data={"consent": "y", "full_name": "王小明"})
    customer_pages = [
        "/",
        "/invoices/",
        "/invoices/?filter=overdue",
        "/payments/",
        f"/invoices/{inv.id}",
        "/statements/",
        f"/statements/{issued.id}",
        f"/statements/{issued.id}/confirm",
        f"/statements/{issued.id}/confirm/code",
        f"/statements/{issued.id}/dispute",
        "/disputes/",
        f"/disputes/{dispute.id}",
        "/team",
        "/invoices/999999",
    ]
    for path in customer_pages:
        resp = client.get(path)
        assert resp.status_code in (200, 404), path
        assert _english_leftovers(resp.get_data(as_text=True), english) == [], path
    # form errors are translated too
    resp = client.post(f"/statements/{issued.id}/dispute", data={})
    assert "请至少选择一行提出异议。" in resp.get_data(as_text=True)
    client.post("/logout")
    login(client, staff)
    for path in ("/staff/disputes/", f"/staff/disputes/{dispute.id}", "/followups/proposals"):
        resp = client.get(path)
        assert resp.status_code == 200
        assert _english_leftovers(resp.get_data(as_text=True), english) == [], path


def test_emails_are_in_the_customers_language(app: Flask, session: Session):
    from portal.notifications import render_email

    customer = make_customer(session, language="zh")
    user = make_user(session, customer=customer)
    with app.test_request_context():
        subject, body = render_email(
            "password_reset", "zh", user=user, link="http://x/y", minutes=30
        )
        assert subject == "重置您的 Concord 密码" and "30 分钟" in body
        subject, _body = render_email(
            "password_reset", "en", user=user, link="http://x/y", minutes=30
        )
        assert subject == "Reset your Concord password"


def test_outbox_message_is_utf8_and_tagged(app: Flask):
    import email
    import email.policy

    from portal.notifications import send_email

    with app.test_request_context():
        path = send_email(
            "a@b.test",
            "对账单",
            "您好",
            language="zh",
            attachments=[("x.pdf", b"%PDF-1.4", "application/pdf")],
        )
    assert path is not None and path.suffix == ".eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "对账单" and msg["Content-Language"] == "zh-CN"
    parts = list(msg.iter_attachments())  # type: ignore[attr-defined]
    assert [p.get_filename() for p in parts] == ["x.pdf"]


def test_smtp_backend_sends_through_smtplib(app: Flask, monkeypatch: pytest.MonkeyPatch):
    """MAIL_BACKEND=smtp hands the same message to smtplib (STARTTLS and login when set)."""
    import smtplib

    from portal import notifications

    calls: list[tuple[str, object]] = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            calls.append(("connect", (host, port)))

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *exc: object) -> None:
            calls.append(("quit", None))

        def starttls(self) -> None:
            calls.append(("starttls", None))

        def login(self, user: str, password: str) -> None:
            calls.append(("login", user))

        def send_message(self, msg: object) -> None:
            calls.append(("send", msg))

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(
        MAIL_BACKEND="smtp",
        SMTP_HOST="mail.example.test",
        SMTP_PORT=587,
        SMTP_STARTTLS=True,
        SMTP_USERNAME="concord",
        SMTP_PASSWORD="pw",
    )
    with app.test_request_context():
        assert notifications.send_email("x@example.test", "对账单", "正文", language="zh") is None
    kinds = [k for k, _v in calls]
    assert kinds == ["connect", "starttls", "login", "send", "quit"]
    assert calls[0][1] == ("mail.example.test", 587)
    sent = calls[3][1]
    assert sent["To"] == "x@example.test" and sent["Subject"] == "对账单"  # type: ignore[index]
    assert not (Path(app.instance_path) / "outbox").exists()
