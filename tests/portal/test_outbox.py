"""The transactional outbox: written with the change, sent after commit, retried, never twice."""

from __future__ import annotations

import datetime as dt
import json
import smtplib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.jobs import work_once
from portal.models import OutboxMessage, OutboxStatus, WorkerProcess, utcnow
from portal.notifications import send_email, send_sms
from portal.outbox import deliver_due, reap_interrupted
from tests.conftest import sqlite_file, worker_app


@pytest.fixture
def box_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own SQLite file, delivering through a worker (not inline)."""
    url = sqlite_file(tmp_path / "outbox.sqlite3")
    app = worker_app(url, tmp_path / "instance", JOBS_RETRY_SECONDS=60, OUTBOX_MAX_ATTEMPTS=3)
    yield app
    app.extensions["concord.db"]["engine"].dispose()


def _files(app: Flask) -> list[Path]:
    box = Path(app.instance_path) / "outbox"
    return sorted(box.glob("*")) if box.exists() else []


def _messages(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _make_due(app: Flask) -> None:
    with app.app_context():
        for m in db.session.scalars(select(OutboxMessage)):
            if m.next_attempt_at is not None:
                m.next_attempt_at = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()


def test_messages_are_written_with_the_transaction_and_sent_after_commit(box_app: Flask) -> None:
    with box_app.app_context():
        send_email("gone@example.test", "Rolled back", "never sent")
        db.session.rollback()
        assert send_email("li@example.test", "对账单", "您好", language="zh") is None
        send_sms("13800000000", "您的对账单已生成")
        db.session.commit()
    assert _files(box_app) == []  # nothing is sent before a worker runs
    queued = _messages(box_app)
    assert [(m.recipient, m.status) for m in queued] == [
        ("li@example.test", OutboxStatus.QUEUED),
        ("13800000000", OutboxStatus.QUEUED),
    ]
    assert work_once(box_app, "w1") is True
    sent = _messages(box_app)
    assert {m.status for m in sent} == {OutboxStatus.SENT}
    assert [m.attempts for m in sent] == [1, 1] and all(m.sent_at for m in sent)
    files = _files(box_app)
    assert [p.name for p in files] == [m.file_name for m in sent]
    assert b"li@example.test" in files[0].read_bytes()
    assert files[1].read_text(encoding="utf-8") == "To: 13800000000\n\n您的对账单已生成\n"
    assert work_once(box_app, "w1") is False  # nothing is sent twice


class FlakySMTP:
    """An SMTP server that is down for the first ``failures`` connections."""

    failures = 1
    sent: list[Any] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        if FlakySMTP.failures > 0:
            FlakySMTP.failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")

    def __enter__(self) -> FlakySMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send_message(self, msg: Any) -> None:
        FlakySMTP.sent.append(msg)


def test_smtp_failure_leaves_the_message_queued_and_it_is_sent_once_later(
    box_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smtplib, "SMTP", FlakySMTP)
    monkeypatch.setattr(FlakySMTP, "failures", 1)
    monkeypatch.setattr(FlakySMTP, "sent", [])
    box_app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="mail.example.test", SMTP_PORT=25)
    with box_app.app_context():
        send_email("li@example.test", "Reminder", "Please pay")
        db.session.commit()
    before = utcnow()
    assert work_once(box_app, "w1") is False  # tried, nothing sent
    (message,) = _messages(box_app)
    assert (message.status, message.attempts, message.backend) == (OutboxStatus.QUEUED, 1, "smtp")
    assert "Connection refused" in (message.error or "")
    assert message.next_attempt_at is not None
    assert 59 <= (message.next_attempt_at - before).total_seconds() < 61
    assert FlakySMTP.sent == []
    assert work_once(box_app, "w1") is False  # not due yet: no second try at once
    _make_due(box_app)
    assert work_once(box_app, "w1") is True
    (message,) = _messages(box_app)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert message.error is None and message.provider_status == "accepted by SMTP server"
    assert [m["To"] for m in FlakySMTP.sent] == ["li@example.test"]
    _make_due(box_app)
    assert work_once(box_app, "w1") is False
    assert len(FlakySMTP.sent) == 1


def test_message_fails_after_its_attempts_and_can_be_requeued(
    box_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smtplib, "SMTP", FlakySMTP)
    monkeypatch.setattr(FlakySMTP, "failures", 3)
    monkeypatch.setattr(FlakySMTP, "sent", [])
    box_app.config.update(MAIL_BACKEND="smtp")
    with box_app.app_context():
        send_email("li@example.test", "Reminder", "Please pay")
        db.session.commit()
    for _ in range(3):
        work_once(box_app, "w1")
        _make_due(box_app)
    (message,) = _messages(box_app)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    runner = box_app.test_cli_runner()
    listed = runner.invoke(args=["outbox", "list", "--status", "failed"])
    assert "li@example.test" in listed.output and "Connection refused" in listed.output
    assert runner.invoke(args=["outbox", "retry", str(message.id)]).exit_code == 0
    assert work_once(box_app, "w1") is True
    assert [m.status for m in _messages(box_app)] == [OutboxStatus.SENT]
    assert len(FlakySMTP.sent) == 1


def test_message_interrupted_mid_delivery_is_never_resent_blindly(box_app: Flask) -> None:
    with box_app.app_context():
        s = db.session()
        send_email("smtp@example.test", "a", "b")
        send_email("file@example.test", "a", "b")
        s.commit()
        old = utcnow() - dt.timedelta(seconds=600)
        s.add(WorkerProcess(name="dead", hostname="h", pid=1, kind="process", heartbeat_at=old))
        for m, backend in zip(s.scalars(select(OutboxMessage)), ("smtp", "outbox"), strict=True):
            m.status, m.backend, m.locked_by, m.locked_at = (
                OutboxStatus.SENDING,
                backend,
                "dead",
                old,
            )
        s.commit()
        assert len(reap_interrupted(s, stale_after=120)) == 2
    smtp, file = _messages(box_app)
    assert smtp.status is OutboxStatus.FAILED and "may have been sent" in (smtp.error or "")
    assert file.status is OutboxStatus.QUEUED  # writing the same file again is harmless


class FakeAliyunClient:
    """Stands in for ``alibabacloud_dysmsapi20170525.client.Client`` (no network)."""

    instances: list[FakeAliyunClient] = []
    answer_code = "OK"

    def __init__(self, config: Any) -> None:
        self.config = config
        self.requests: list[Any] = []
        FakeAliyunClient.instances.append(self)

    def send_sms(self, request: Any) -> Any:
        from alibabacloud_dysmsapi20170525 import models

        self.requests.append(request)
        code = FakeAliyunClient.answer_code
        body = models.SendSmsResponseBody(
            biz_id="900619867000000000^0" if code == "OK" else None,
            code=code,
            message="OK" if code == "OK" else "rejected",
            request_id="F655A8D5-B967-440B-8683-DAD6FF8DE990",
        )
        return models.SendSmsResponse(status_code=200, body=body)

    def query_send_details(self, request: Any) -> Any:
        from alibabacloud_dysmsapi20170525 import models

        self.requests.append(request)
        detail = models.QuerySendDetailsResponseBodySmsSendDetailDTOsSmsSendDetailDTO(
            send_status=3, err_code="DELIVERED", phone_num=request.phone_number
        )
        body = models.QuerySendDetailsResponseBody(
            code="OK",
            message="OK",
            total_count=1,
            sms_send_detail_dtos=models.QuerySendDetailsResponseBodySmsSendDetailDTOs(
                sms_send_detail_dto=[detail]
            ),
        )
        return models.QuerySendDetailsResponse(status_code=200, body=body)


@pytest.fixture
def aliyun(box_app: Flask, monkeypatch: pytest.MonkeyPatch) -> type[FakeAliyunClient]:
    import alibabacloud_dysmsapi20170525.client as sdk

    monkeypatch.setattr(sdk, "Client", FakeAliyunClient)
    monkeypatch.setattr(FakeAliyunClient, "instances", [])
    box_app.config.update(
        SMS_BACKEND="aliyun",
        ALIYUN_SMS_ACCESS_KEY_ID="LTAI-test",
        ALIYUN_SMS_ACCESS_KEY_SECRET="secret",
        ALIYUN_SMS_SIGN_NAME="康科德",
        ALIYUN_SMS_TEMPLATE_CODE="SMS_100000001",
    )
    return FakeAliyunClient


def test_aliyun_sms_sends_the_template_and_records_the_provider_id(
    box_app: Flask, aliyun: type[FakeAliyunClient]
) -> None:
    with box_app.app_context():
        send_sms("13800000000", "发票INV-1已逾期")
        send_sms(
            "13900000000",
            "ignored",
            template_code="SMS_200000002",
            template_params={"number": "INV-2", "days": "3"},
        )
        db.session.commit()
        assert deliver_due(db.session(), "w1") == 2
    first, _second = _messages(box_app)
    assert (first.status, first.backend) == (OutboxStatus.SENT, "aliyun")
    assert first.provider_message_id == "900619867000000000^0"
    assert first.provider_status is not None and "F655A8D5" in first.provider_status
    requests = [r for c in aliyun.instances for r in c.requests]
    assert [(r.phone_numbers, r.sign_name, r.template_code) for r in requests] == [
        ("13800000000", "康科德", "SMS_100000001"),
        ("13900000000", "康科德", "SMS_200000002"),
    ]
    assert json.loads(requests[0].template_param) == {"content": "发票INV-1已逾期"}
    assert json.loads(requests[1].template_param) == {"number": "INV-2", "days": "3"}
    assert requests[0].out_id == str(first.id)
    assert aliyun.instances[0].config.access_key_id == "LTAI-test"
    assert _files(box_app) == []  # a real provider writes no file

    result = box_app.test_cli_runner().invoke(args=["outbox", "sms-status"])
    assert result.exit_code == 0, result.output
    assert "2 with a new delivery status" in result.output
    assert {m.provider_status for m in _messages(box_app)} == {"delivered"}


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("isv.MOBILE_NUMBER_ILLEGAL", OutboxStatus.FAILED),  # never deliverable: not retried
        ("isv.BUSINESS_LIMIT_CONTROL", OutboxStatus.QUEUED),  # rate limited: retried later
    ],
)
def test_aliyun_refusals(
    box_app: Flask,
    aliyun: type[FakeAliyunClient],
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    status: OutboxStatus,
) -> None:
    monkeypatch.setattr(FakeAliyunClient, "answer_code", code)
    with box_app.app_context():
        send_sms("13800000000", "x")
        db.session.commit()
        deliver_due(db.session(), "w1")
    (message,) = _messages(box_app)
    assert message.status is status and code in (message.error or "")


def test_unknown_sms_backend_fails_without_retrying(box_app: Flask) -> None:
    box_app.config["SMS_BACKEND"] = "carrier-pigeon"
    with box_app.app_context():
        send_sms("13800000000", "x")
        db.session.commit()
        deliver_due(db.session(), "w1")
    (message,) = _messages(box_app)
    assert message.status is OutboxStatus.FAILED
    assert "unknown SMS_BACKEND 'carrier-pigeon'" in (message.error or "")
