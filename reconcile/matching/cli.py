"""``python -m reconcile match``: match bank files to the ERP's open invoices, print JSON.

``reconcile/cli.py`` owns the command line and delegates ``match`` here through
``add_arguments(parser)`` and ``run(args)``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from ..cli import add_reading_options, print_warnings, reading_settings
from ..model import Transaction
from .erp_csv import ErpFileError, load_customers, load_invoices
from .records import STATUSES, MatchDecision, money
from .run import match_transactions
from .settings import MatchSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``match`` options to ``parser``."""
    parser.add_argument("--customers", required=True, metavar="CSV", help="ERP customers export")
    parser.add_argument("--invoices", required=True, metavar="CSV", help="ERP invoices export")
    add_reading_options(parser)
    parser.add_argument(
        "--same-amount-policy",
        choices=("oldest_first", "suggest"),
        default="oldest_first",
        help="several open invoices with the paid amount and no reference (default oldest_first)",
    )
    parser.add_argument("--output", metavar="JSON", help="write the result here (default stdout)")
    parser.add_argument("files", nargs="+", metavar="FILE", help="bank files (any format, ZIP)")


def summarise(decisions: list[MatchDecision]) -> dict[str, Any]:
    """Return counts per status and, per currency, the totals allocated, written off and left
    unapplied (``by_currency``). The totals are also given at the top when the file holds one
    currency; with several they are null there, as amounts in different currencies do not add.
    """
    counts = Counter(d.status for d in decisions)
    zero = {"allocated": Decimal("0"), "written_off": Decimal("0"), "unapplied": Decimal("0")}
    totals: dict[str, dict[str, Decimal]] = {}
    for d in decisions:
        sums = totals.setdefault(d.transaction.currency or "", dict(zero))
        if d.status == "matched":
            sums["allocated"] += d.allocated
            sums["written_off"] += d.write_off or Decimal("0")
        sums["unapplied"] += d.unapplied
    by_currency = {
        currency: {key: money(value) for key, value in sums.items()}
        for currency, sums in sorted(totals.items())
    }
    top: dict[str, str | None]
    if len(by_currency) == 1:
        top = dict(next(iter(by_currency.values())))
    else:  # nothing at all, or several currencies that must not be added
        top = {key: None if by_currency else money(value) for key, value in zero.items()}
    credits = [d for d in decisions if d.transaction.direction == "credit"]
    return {
        "transactions": len(decisions),
        "credits": len(credits),
        **{status: counts.get(status, 0) for status in STATUSES},
        **top,
        "by_currency": by_currency,
    }


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``match``; 0 when every bank file parsed, 1 when some failed, 2 on bad ERP files or
    an ``--output`` that cannot be written."""
    from ..api import parse_paths  # the parsers are only needed once the ERP files are good

    try:
        customers = load_customers(args.customers)
        invoices = load_invoices(args.invoices, customers={c.code for c in customers})
    except (ErpFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    reading = reading_settings(args)
    if reading is None:
        return 2
    results = parse_paths(args.files, reading)
    transactions: list[Transaction] = [tx for r in results for tx in r.transactions]
    errors = [{"file": r.file, "error": r.error} for r in results if r.error]
    settings = MatchSettings(
        own_accounts=reading.own_accounts,
        own_names=reading.own_names,
        same_amount_policy=args.same_amount_policy,
    )
    decisions = match_transactions(transactions, customers, invoices, settings=settings)
    document = {
        "transactions": [d.to_json() for d in decisions],
        "summary": summarise(decisions),
        "errors": errors,
    }
    # entries or values a file lost or doubted without failing, each naming its place: on
    # standard error, as ``parse`` says them (the JSON keeps the shape of the contract)
    print_warnings(results)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:  # a missing folder or no permission: one line, not a traceback
            print(f"error: --output: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
    else:
        (out or sys.stdout).write(text)
    return 1 if errors else 0
