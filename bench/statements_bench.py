"""Statements benchmark: build + render + certify of 2-page statements, then verification.

    python bench/statements_bench.py [--statements 40] [--lines 45] [--language zh] [--cid]

Keys, certificates and fonts are loaded once (as in the portal), so the per-statement time is
building, rendering and signing. Prints statements per second and verifications per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statements.build import build_statement
from statements.fonts import statement_font
from statements.model import (
    AllocationEntry,
    CompanyInfo,
    CustomerInfo,
    InvoiceEntry,
    LedgerEntry,
    PaymentEntry,
)
from statements.pki import ConcordPKI
from statements.render import render_statement
from statements.sign import Identity, SignatureRequest, certify
from statements.verify import verify_pdf

START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
COMPANY = CompanyInfo(
    name="康科德示范贸易有限公司",
    address="上海市浦东新区世纪大道88号",
    portal_url="https://portal.concord.test/statements",
)


def ledger(customer_no: int, lines: int) -> list[LedgerEntry]:
    """About ``lines`` October lines: invoices, and payments applied to some of them."""
    entries: list[LedgerEntry] = []
    for i in range(lines * 2 // 3):
        day = START + dt.timedelta(days=(i * 7 + customer_no) % 31)
        entries.append(
            InvoiceEntry(
                date=day,
                number=f"INV-{customer_no:04d}-{i:04d}",
                amount=Decimal(1000 + (i * 37 + customer_no) % 9000) + Decimal("0.45"),
                due_date=day + dt.timedelta(days=30),
            )
        )
    for i in range(lines // 6):
        paid = entries[i]
        assert isinstance(paid, InvoiceEntry)
        ref = f"RV-{customer_no:04d}-{i:04d}"
        entries.append(PaymentEntry(date=paid.date, reference=ref, amount=paid.amount))
        entries.append(
            AllocationEntry(date=paid.date, payment=ref, invoice=paid.number, amount=paid.amount)
        )
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--lines", type=int, default=30, help="activity lines per statement")
    parser.add_argument("--language", choices=("zh", "en"), default="zh")
    parser.add_argument("--cid", action="store_true", help="use the STSong-Light fallback font")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        pki = ConcordPKI(Path(tmp) / "pki", "bench-passphrase", company_name=COMPANY.name)
        t0 = time.perf_counter()
        request = SignatureRequest(
            material=pki.company(),
            identity=Identity(name=COMPANY.name, company=COMPANY.name),
            statement_version=1,
        )
        font = statement_font(force_cid=args.cid)
        root = pki.root_certificate()
        setup = time.perf_counter() - t0
        ledgers = [ledger(n, args.lines) for n in range(args.statements + 1)]

        # warm-up (first render subsets the font tables, first signature warms pyHanko)
        def issue(n: int) -> tuple[bytes, int]:
            data = build_statement(
                company=COMPANY,
                customer=CustomerInfo(
                    code=f"C{n:05d}", name=f"测试客户{n}有限公司", language=args.language
                ),
                entries=ledgers[n],
                period_start=START,
                period_end=END,
                number=f"ST-2026-10-C{n:05d}-v1",
                issued_on=dt.date(2026, 11, 1),
                respond_by=dt.date(2026, 11, 15),
            )
            rendered = render_statement(data, font=font)
            signed = certify(rendered.pdf, request, signature_box=rendered.signature_box)
            return signed.pdf, rendered.page_count

        issue(args.statements)

        t0, c0 = time.perf_counter(), time.process_time()
        results = [issue(n) for n in range(args.statements)]
        issue_time, issue_cpu = time.perf_counter() - t0, time.process_time() - c0
        pages = sorted({p for _, p in results})

        t0, c0 = time.perf_counter(), time.process_time()
        for pdf, _ in results:
            report = verify_pdf(pdf, trust_roots=[root])
            if not report.ok:
                print("verification failed:", report.all_problems, file=sys.stderr)
                return 1
        verify_time, verify_cpu = time.perf_counter() - t0, time.process_time() - c0

    n = args.statements
    font_label = "STSong-Light (CID)" if args.cid else font.name
    print(f"setup (PKI creation, key and font loading): {setup:.2f} s")
    print(f"statements: {n}, pages each: {pages}, font: {font_label}, language: {args.language}")
    # wall time depends on what else the machine runs; CPU time is what one core needs
    print(
        f"build + render + certify: {n / issue_time:.1f} statements/s wall "
        f"({issue_time / n * 1000:.0f} ms each), {n / issue_cpu:.1f}/s per CPU second"
    )
    print(
        f"verify: {n / verify_time:.1f} verifications/s wall "
        f"({verify_time / n * 1000:.0f} ms each), {n / verify_cpu:.1f}/s per CPU second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
