"""Bank-file parsers, each detected from the content, never from the file name.

A parser module exposes ``FORMAT`` (a short name), ``sniff(data, filename) -> bool`` and
``parse(data, filename, settings) -> list[Transaction]``. Sniffers must be cheap and must not
raise; the first module (in ``_MODULES`` order) whose sniffer accepts the bytes parses them.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Protocol, cast

from ..errors import UnsupportedFormat
from ..model import ParseSettings, Transaction

# order matters: the most specific signatures first, the tabular (CSV/XLSX) catch-all last
_MODULES = ("pdf", "camt", "mt940", "ofx", "bai2", "tabular")


class ParserModule(Protocol):
    FORMAT: str

    def sniff(self, data: bytes, filename: str) -> bool: ...

    def parse(self, data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]: ...


def parser_modules() -> list[ParserModule]:
    """Return the parser modules in detection order."""
    mods: list[ModuleType] = [importlib.import_module(f"{__name__}.{m}") for m in _MODULES]
    return [cast(ParserModule, m) for m in mods]


def detect(data: bytes, filename: str) -> ParserModule:
    """Return the parser for ``data``.

    :raises UnsupportedFormat: when no parser recognises the content.
    """
    for module in parser_modules():
        if module.sniff(data, filename):
            return module
    raise UnsupportedFormat(
        "not a bank file Concord reads (PDF receipt, CAMT.052/053/054, MT940/MT942, OFX/QFX, "
        "BAI2, CSV or XLSX export)",
        file=filename,
    )
