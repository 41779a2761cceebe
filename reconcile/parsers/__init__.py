"""Bank-file parsers, each detected from the content, never from the file name.

A parser module exposes (see :class:`ParserModule`):

- ``FORMAT``: a short name (``"pdf"``, ``"camt"``...), reported in ``ParseResult.format``;
- ``sniff(data, filename) -> bool``: cheap, and must not raise; the first module (in
  :data:`PARSERS` order) whose sniffer accepts the bytes parses them;
- ``parse(data, filename, settings) -> list[Transaction]``: raises :class:`ParseError` (or a
  subclass) for a file it cannot read.

A module whose format carries statement-level facts (account, statement id, opening and closing
balances) also exposes ``parse_with_statements(data, filename, settings)``, returning
``(transactions, statements)`` with one :class:`~reconcile.model.StatementInfo` per statement in
the file (see :class:`StatementParserModule`). It must return the same transactions as
``parse``, which is then usually ``parse_with_statements(...)[0]``. :mod:`reconcile.api` calls
it when present (:func:`has_statements`) and fills ``ParseResult.statements`` from it; for the
other modules ``statements`` stays empty. Today camt, mt940, ofx, ofc, bai2, tabular and pdf have it
(a PDF statement's facts come from its table; a file of receipts reports its counts only).
"""

from __future__ import annotations

from typing import Protocol, TypeGuard, cast

from ..errors import UnsupportedFormat
from ..model import ParseSettings, StatementInfo, Transaction
from ..problems import problem


class ParserModule(Protocol):
    """What every parser module provides (a module satisfies it through its globals)."""

    FORMAT: str

    def sniff(self, data: bytes, filename: str) -> bool:
        """True when ``data`` looks like this format; cheap, never raises."""
        ...

    def parse(self, data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
        """Return the file's transactions; raise :class:`ParseError` when it cannot be read."""
        ...


class StatementParserModule(ParserModule, Protocol):
    """A parser module that also reports statement-level facts (optional; see above)."""

    def parse_with_statements(
        self, data: bytes, filename: str, settings: ParseSettings
    ) -> tuple[list[Transaction], list[StatementInfo]]:
        """Return what :meth:`parse` returns, plus one :class:`StatementInfo` per statement."""
        ...


def has_statements(module: ParserModule) -> TypeGuard[StatementParserModule]:
    """True when ``module`` also provides ``parse_with_statements``."""
    return callable(getattr(module, "parse_with_statements", None))


def parser_modules() -> list[ParserModule]:
    """Return the parser modules in detection order."""
    return list(PARSERS)


def detect(data: bytes, filename: str) -> ParserModule:
    """Return the parser for ``data``.

    :raises UnsupportedFormat: when no parser recognises the content.
    """
    for module in parser_modules():
        if module.sniff(data, filename):
            return module
    raise UnsupportedFormat(problem("not_bank_file"), file=filename)


# The one table of parsers. Order matters: the most specific signatures first, the tabular
# (CSV/XLS/XLSX) catch-all last. Adding a format = a module above plus one line here.
from . import bai2, camt, mt940, ofc, ofx, pdf, tabular  # noqa: E402

PARSERS: tuple[ParserModule, ...] = (
    cast(ParserModule, pdf),
    cast(ParserModule, camt),
    cast(ParserModule, mt940),
    cast(ParserModule, ofx),
    cast(ParserModule, ofc),
    cast(ParserModule, bai2),
    cast(ParserModule, tabular),
)
"""Every parser Concord has, in detection order."""
