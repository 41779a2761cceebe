"""Command line: ``python -m reconcile parse FILE...`` and ``python -m reconcile match ...``.

``parse`` prints the transactions of every file (a table, or JSON with ``--json``) and exits 1
when any file failed; the other files are still printed. ``match`` is helper D's
``reconcile.matching.cli`` (``add_arguments(parser)`` and ``run(args) -> int``), imported only
when ``match`` is asked for.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .api import parse_paths
from .currency import amount_text
from .errors import ParseError
from .layouts import load_layout
from .model import ParseResult, ParseSettings, Transaction

_MATCH_MODULE = "reconcile.matching.cli"


def build_parser(*, with_match: bool = False) -> argparse.ArgumentParser:
    """Return the argument parser; ``with_match`` imports the matching CLI to add its options.

    :raises ModuleNotFoundError: with ``with_match`` when the matching CLI does not exist yet.
    """
    parser = argparse.ArgumentParser(
        prog="python -m reconcile", description="Parse bank files and match them to invoices."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="print the transactions of bank files")
    parse.add_argument("files", nargs="+", metavar="FILE", help="bank files (any format, ZIP)")
    add_reading_options(parse)
    parse.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parse.set_defaults(func=run_parse)
    match = commands.add_parser("match", help="match bank files to open invoices")
    if with_match:
        module = importlib.import_module(_MATCH_MODULE)
        module.add_arguments(match)
        match.set_defaults(func=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    wants_match = bool(args_list) and args_list[0] == "match"
    try:
        parser = build_parser(with_match=wants_match)
    except ModuleNotFoundError as exc:
        if exc.name is None or not _MATCH_MODULE.startswith(exc.name):
            raise
        print(
            f"error: 'match' is not available yet: module {_MATCH_MODULE} is missing",
            file=sys.stderr,
        )
        return 2
    args = parser.parse_args(args_list)
    try:
        status: int = args.func(args)
    except BrokenPipeError:
        # the reader went away (``| head``): stop quietly, as other command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return status


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that say how to read bank files (``parse`` and ``match`` alike)."""
    parser.add_argument(
        "--own-account",
        action="append",
        default=[],
        metavar="ACCT",
        help="one of our account numbers (repeatable); money between them is our own transfer",
    )
    parser.add_argument(
        "--own-name",
        action="append",
        default=[],
        metavar="NAME",
        help="our company name as banks print it (repeatable)",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_true",
        default=None,
        help="read 03/11/2026 as 3 November",
    )
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_false", help="read 03/11/2026 as 11 March"
    )
    parser.add_argument(
        "--default-currency",
        metavar="CCY",
        help="currency for files that state none (e.g. camt without Ccy, a CSV without one)",
    )
    parser.add_argument(
        "--layout",
        action="append",
        default=[],
        metavar="FILE",
        help="a CSV/XLS layout mapping (JSON, see reconcile.layouts) to try first (repeatable)",
    )


def reading_settings(args: argparse.Namespace) -> ParseSettings | None:
    """The :class:`ParseSettings` the options of :func:`add_reading_options` ask for; None,
    said on standard error, when a ``--layout`` file cannot be read."""
    try:
        layouts = tuple(load_layout(Path(f)) for f in args.layout)
    except ParseError as exc:
        print(f"error: --layout: {exc}", file=sys.stderr)
        return None
    return ParseSettings(
        layouts=layouts,
        own_accounts=tuple(args.own_account),
        own_names=tuple(args.own_name),
        dayfirst=args.dayfirst,
        default_currency=args.default_currency.upper() if args.default_currency else None,
    )


def print_warnings(results: Sequence[ParseResult]) -> None:
    """Say on standard error what each file lost or doubted without failing, naming it."""
    for r in results:
        for warning in r.warnings:
            print(f"WARNING {r.file}, {warning}", file=sys.stderr)


def run_parse(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Parse ``args.files`` and print them; 0 when every file parsed, 1 otherwise."""
    stream = out or sys.stdout
    settings = reading_settings(args)
    if settings is None:
        return 2
    results = parse_paths(args.files, settings)
    transactions = [tx for r in results for tx in r.transactions]
    errors = [r for r in results if r.error]
    if args.json:
        document: dict[str, Any] = {
            "transactions": [tx.to_json() for tx in transactions],
            "errors": [{"file": r.file, "error": r.error} for r in errors],
            # entries or values a file lost without failing, each naming its place
            "warnings": [{"file": r.file, "warning": w} for r in results for w in r.warnings],
        }
        json.dump(document, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    else:
        _print_table(transactions, results, stream)
    print_warnings(results)  # entries or values a file lost without failing
    return 1 if errors else 0


_COLUMNS = (
    ("date", 10),
    ("dir", 6),
    ("amount", 16),
    ("ccy", 3),
    ("bank ref", 24),
    ("counterparty", 28),
    ("reference", 40),
    ("source", 40),
)


def _print_table(
    transactions: list[Transaction], results: list[ParseResult], stream: TextIO
) -> None:
    header = [name for name, _ in _COLUMNS]
    rows = [header] + [
        [
            tx.booking_date.isoformat(),
            tx.direction,
            amount_text(tx.amount, tx.currency, grouped=True),
            tx.currency,
            tx.bank_ref,
            tx.counterparty_name or "",
            tx.reference,
            tx.source,
        ]
        for tx in transactions
    ]
    widths = [
        min(limit, max(_width(row[i]) for row in rows)) for i, (_, limit) in enumerate(_COLUMNS)
    ]
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = _clip(" ".join(cell.split()), widths[i])
            pad = " " * (widths[i] - _width(text))
            cells.append(pad + text if _COLUMNS[i][0] == "amount" else text + pad)
        stream.write("  ".join(cells).rstrip() + "\n")
    ok = sum(1 for r in results if not r.error)
    stream.write(f"\n{len(transactions)} transactions from {ok} of {len(results)} files\n")
    for r in results:
        if r.error:
            stream.write(f"ERROR {r.error}\n")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"
