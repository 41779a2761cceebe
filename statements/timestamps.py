"""An RFC 3161 client over the standard library (pyHanko's own needs ``requests``/``aiohttp``)."""

from __future__ import annotations

import asyncio
import urllib.request
from urllib.parse import urlparse

from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from .errors import SigningError


class UrllibTimeStamper(TimeStamper):
    """Ask a time-stamping authority at ``url`` for RFC 3161 timestamps (HTTP POST).

    :param url: the TSA's http(s) URL.
    :param timeout: seconds to wait for the TSA.
    """

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        if urlparse(url).scheme not in ("http", "https"):
            raise SigningError(f"TSA URL must be http or https: {url!r}")
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]
        self.url = url
        self.timeout = timeout

    def _post(self, body: bytes) -> bytes:
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=body,
            headers={"Content-Type": "application/timestamp-query"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.headers.get("Content-Type") != "application/timestamp-reply":
                    raise TimestampRequestError("the TSA's response is not a timestamp reply")
                data: bytes = response.read()
                return data
        except OSError as exc:
            raise TimestampRequestError(f"cannot reach the TSA at {self.url}: {exc}") from exc

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        raw = await asyncio.to_thread(self._post, req.dump())
        return tsp.TimeStampResp.load(raw)
