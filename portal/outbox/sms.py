"""SMS providers: a small registry of backends chosen by ``SMS_BACKEND``.

- ``outbox`` (default): writes ``instance/outbox/<...>.sms.txt`` (development, demo, tests).
- ``aliyun``: Alibaba Cloud SMS (短信服务) through its official SDK
  (``alibabacloud_dysmsapi20170525``). Alibaba Cloud sends approved *templates*: the message's
  ``template_code`` option (or ``ALIYUN_SMS_TEMPLATE_CODE``) is sent with its
  ``template_params`` (or ``{ALIYUN_SMS_TEMPLATE_PARAM: text}``) under ``ALIYUN_SMS_SIGN_NAME``.
  The provider's BizId is recorded; ``flask --app portal outbox sms-status`` asks the provider
  for the delivery receipt and records it.

Add another provider with :func:`register_sms_backend`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from flask import current_app

if TYPE_CHECKING:
    from ..models import OutboxMessage


class DeliveryError(RuntimeError):
    """A message could not be delivered now; the outbox retries it later."""


class PermanentDeliveryError(DeliveryError):
    """A message can never be delivered as it is (bad number, unknown template): not retried."""


@dataclass(frozen=True)
class SmsReceipt:
    """What a provider answered: its id of the message and a status to show."""

    message_id: str | None
    status: str


class SmsBackend(Protocol):
    """Sends one SMS (the outbox row) and answers with a receipt, or raises DeliveryError."""

    def send(self, message: OutboxMessage) -> SmsReceipt: ...


class FileSms:
    """Writes the message to ``instance/outbox`` (the embedded default)."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.folder = Path(current_app.instance_path) / "outbox"

    def send(self, message: OutboxMessage) -> SmsReceipt:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message.file_name or f"sms-{message.id}.sms.txt"
        (self.folder / name).write_text(
            f"To: {message.recipient}\n\n{message.body}\n", encoding="utf-8"
        )
        message.file_name = name
        return SmsReceipt(message_id=name, status="written")


#: Alibaba Cloud answer codes worth retrying (rate limits, the provider's own trouble)
ALIYUN_TRANSIENT = ("isv.BUSINESS_LIMIT_CONTROL", "isp.", "Throttling", "ServiceUnavailable")
#: SendStatus of QuerySendDetails
ALIYUN_SEND_STATUS = {1: "waiting for receipt", 2: "failed", 3: "delivered"}


class AliyunSms:
    """Alibaba Cloud SMS through ``alibabacloud_dysmsapi20170525`` (the official SDK)."""

    def __init__(self, config: Mapping[str, Any], client: Any = None) -> None:
        self.sign_name = config.get("ALIYUN_SMS_SIGN_NAME")
        self.template_code = config.get("ALIYUN_SMS_TEMPLATE_CODE")
        self.template_param = config.get("ALIYUN_SMS_TEMPLATE_PARAM") or "content"
        keys = ("ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET")
        if not all(config.get(k) for k in keys):
            raise PermanentDeliveryError(
                "SMS_BACKEND=aliyun needs ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET"
            )
        if not self.sign_name:
            raise PermanentDeliveryError("SMS_BACKEND=aliyun needs ALIYUN_SMS_SIGN_NAME")
        self.client = client or self.make_client(config)

    @staticmethod
    def make_client(config: Mapping[str, Any]) -> Any:
        """The SDK client for the configured account and endpoint."""
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        return Client(
            Config(
                access_key_id=config["ALIYUN_SMS_ACCESS_KEY_ID"],
                access_key_secret=config["ALIYUN_SMS_ACCESS_KEY_SECRET"],
                endpoint=config.get("ALIYUN_SMS_ENDPOINT") or "dysmsapi.aliyuncs.com",
                region_id=config.get("ALIYUN_SMS_REGION") or "cn-hangzhou",
                connect_timeout=10_000,
                read_timeout=30_000,
            )
        )

    def send(self, message: OutboxMessage) -> SmsReceipt:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest

        options = message.options or {}
        template = options.get("template_code") or self.template_code
        if not template:
            raise PermanentDeliveryError(
                "no SMS template: set ALIYUN_SMS_TEMPLATE_CODE or pass template_code"
            )
        params = options.get("template_params") or {self.template_param: message.body}
        request = SendSmsRequest(
            phone_numbers=message.recipient,
            sign_name=self.sign_name,
            template_code=template,
            template_param=json.dumps(params, ensure_ascii=False),
            out_id=str(message.id),
        )
        try:
            response = self.client.send_sms(request)
        except Exception as exc:  # the SDK raises its own and requests' errors: retry them
            raise DeliveryError(f"Alibaba Cloud SMS to {message.recipient}: {exc}") from exc
        body = response.body
        code = str(getattr(body, "code", "") or "")
        if code != "OK":
            text = f"Alibaba Cloud SMS refused {message.recipient}: {code} {body.message or ''}"
            if code.startswith(ALIYUN_TRANSIENT):
                raise DeliveryError(text.strip())
            raise PermanentDeliveryError(text.strip())
        return SmsReceipt(message_id=body.biz_id, status=f"accepted (request {body.request_id})")

    def delivery_status(self, message: OutboxMessage) -> str | None:
        """Ask the provider for the delivery receipt of a sent message (None: not known yet)."""
        from alibabacloud_dysmsapi20170525.models import QuerySendDetailsRequest

        if not message.provider_message_id or message.sent_at is None:
            return None
        request = QuerySendDetailsRequest(
            phone_number=message.recipient,
            biz_id=message.provider_message_id,
            send_date=message.sent_at.strftime("%Y%m%d"),
            page_size=10,
            current_page=1,
        )
        body = self.client.query_send_details(request).body
        if str(body.code) != "OK":
            raise DeliveryError(f"Alibaba Cloud status query: {body.code} {body.message or ''}")
        details = body.sms_send_detail_dtos.sms_send_detail_dto if body.sms_send_detail_dtos else []
        if not details:
            return None
        detail = details[0]
        status = ALIYUN_SEND_STATUS.get(int(detail.send_status or 0), str(detail.send_status))
        if detail.err_code and detail.err_code != "DELIVERED":
            status += f" ({detail.err_code})"
        return status


SmsFactory = Callable[[Mapping[str, Any]], SmsBackend]
SMS_BACKENDS: dict[str, SmsFactory] = {"outbox": FileSms, "aliyun": AliyunSms}


def register_sms_backend(name: str, factory: SmsFactory) -> None:
    """Make ``SMS_BACKEND=<name>`` use ``factory(config)``."""
    SMS_BACKENDS[name] = factory


def sms_backend(name: str | None = None) -> SmsBackend:
    """The backend named ``name`` (default: ``SMS_BACKEND``), built from the app's settings.

    :raises PermanentDeliveryError: for an unknown name or an incomplete configuration.
    """
    key = name or str(current_app.config.get("SMS_BACKEND") or "outbox")
    factory = SMS_BACKENDS.get(key)
    if factory is None:
        raise PermanentDeliveryError(f"unknown SMS_BACKEND {key!r}")
    return factory(current_app.config)
