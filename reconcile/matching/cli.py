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

from ..model import ParseSettings, Transaction
from .erp_csv import ErpFileError, load_customers, load_invoices
from .records import STATUSES, MatchDecision, money
from .run import match_transactions
from .settings import MatchSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``match`` options to ``parser``."""
    parser.add_argument("--customers", required=True, metavar="CSV", help="ERP customers export")
    parser.add_argument("--invoices", required=True, metavar="CSV", help="ERP invoices export")
    parser.add_argument(
        "--own-account",
        action="append",
        default=[],
        metavar="ACCT",
        help="one of our account numbers (repeatable); credits from them are transfers",
    )
    parser.add_argument(
        "--own-name",
        action="append",
        default=[],
        metavar="NAME",
        help="our company name as banks print it (repeatable)",
    )
    parser.add_argument(
        "--same-amount-policy",
        choices=("oldest_first", "suggest"),
        default="oldest_first",
        help="several open invoices with the paid amount and no reference (default oldest_first)",
    )
    parser.add_argument("--output", metavar="JSON", help="write the result here (default stdout)")
    parser.add_argument("files", nargs="+", metavar="FILE", help="bank files (any format, ZIP)")


def summarise(decisions: list[MatchDecision]) -> dict[str, Any]:
    """Return counts per status and the totals allocated, written off and left unapplied."""
    counts = Counter(d.status for d in decisions)
    allocated = sum((d.allocated for d in decisions if d.status == "matched"), Decimal("0"))
    written_off = sum(
        (d.write_off or Decimal("0") for d in decisions if d.status == "matched"), Decimal("0")
    )
    unapplied = sum((d.unapplied for d in decisions), Decimal("0"))
    credits = [d for d in decisions if d.transaction.direction == "credit"]
    return {
        "transactions": len(decisions),
        "credits": len(credits),
        **{status: counts.get(status, 0) for status in STATUSES},
        "allocated": money(allocated),
        "written_off": money(written_off),
        "unapplied": money(unapplied),
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
    own = tuple(args.own_account)
    results = parse_paths(
        args.files, ParseSettings(own_accounts=own, own_names=tuple(args.own_name))
    )
    transactions: list[Transaction] = [tx for r in results for tx in r.transactions]
    errors = [{"file": r.file, "error": r.error} for r in results if r.error]
    settings = MatchSettings(
        own_accounts=own,
        own_names=tuple(args.own_name),
        same_amount_policy=args.same_amount_policy,
    )
    decisions = match_transactions(transactions, customers, invoices, settings=settings)
    document = {
        "transactions": [d.to_json() for d in decisions],
        "summary": summarise(decisions),
        "errors": errors,
    }
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
