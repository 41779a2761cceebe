"""Bank statements printed to PDF by Chromium from an HTML table, as web banking prints them.

Not drawn with reportlab like ``statements_pdf``: a browser lays the table out (its own fonts,
cell padding, a ``<thead>`` repeated at the top of every page), so the PDF reader is checked
against a layout it was not written for. Chromium is needed only to make the files again::

    python -m bench.generators.statements_chromium tests/reconcile/data/bankfiles

writes ``pdf_statement_chromium_{en,zh}.pdf`` and ``.json`` (the expected rows) there.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROWS = 45
"""Enough rows for a second page, so the repeated header is part of the file."""

_EN_TEXTS = (
    "FASTER PAYMENT RECEIVED FROM HARBOUR FOODS LTD REF INV-2026-{n:04d}",
    "DIRECT DEBIT BRITISH GAS",
    "CARD PAYMENT TESCO STORES 1234",
    "BACS CREDIT NORDIC TIMBER AB",
)
_ZH_PURPOSES = ("货款", "转账", "手续费", "代发工资")
_ZH_PARTIES = (
    "上海明达贸易有限公司 6222021001122334455",
    "深圳市宏达电子有限公司",
    "中国银行股份有限公司上海分行",
)


def rows_en(rng: random.Random) -> list[dict[str, str]]:
    """UK layout: Date (dd/mm/yyyy), Description, Money out, Money in, Balance, in pounds."""
    out, balance = [], 10_000_00
    for n in range(ROWS):
        pence = rng.randint(1_000, 500_000)
        credit = rng.random() < 0.5
        balance += pence if credit else -pence
        out.append(
            {
                "date": f"{n % 28 + 1:02d}/10/2026",
                "description": rng.choice(_EN_TEXTS).format(n=n),
                "out": "" if credit else f"{pence / 100:,.2f}",
                "in": f"{pence / 100:,.2f}" if credit else "",
                "balance": f"{balance / 100:,.2f}",
            }
        )
    return out


def rows_zh(rng: random.Random) -> list[dict[str, str]]:
    """CMB layout: 记账日期, signed 交易金额, 联机余额, 交易摘要, 对手信息 (name and account)."""
    out, balance = [], 100_000_00
    for n in range(ROWS):
        fen = rng.randint(10_000, 5_000_000)
        credit = rng.random() < 0.5
        balance += fen if credit else -fen
        out.append(
            {
                "date": f"2026-10-{n % 28 + 1:02d}",
                "amount": f"{'+' if credit else '-'}{fen / 100:,.2f}",
                "balance": f"{balance / 100:,.2f}",
                "purpose": rng.choice(_ZH_PURPOSES),
                "party": rng.choice(_ZH_PARTIES),
            }
        )
    return out


_TABLE = (
    "<table style='width:100%;font:11px sans-serif;border-collapse:collapse' border=1 "
    "cellpadding=4><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
)


def _table(head: list[str], rows: list[list[str]], right: set[int]) -> str:
    def cell(k: int, text: str) -> str:
        return f"<td align=right>{text}</td>" if k in right else f"<td>{text}</td>"

    body = "".join("<tr>" + "".join(cell(k, t) for k, t in enumerate(r)) + "</tr>" for r in rows)
    return _TABLE.format(head="".join(f"<th>{h}</th>" for h in head), body=body)


def html_en(rows: list[dict[str, str]]) -> str:
    """The page a UK bank prints."""
    table = _table(
        ["Date", "Description", "Money out (£)", "Money in (£)", "Balance (£)"],
        [[r["date"], r["description"], r["out"], r["in"], r["balance"]] for r in rows],
        {2, 3, 4},
    )
    return (
        "<meta charset=utf-8><h2>Example Bank plc</h2><p>Statement of account</p>"
        f"<p>Account number 12345678 &nbsp; Sort code 30-00-00</p>{table}"
    )


def html_zh(rows: list[dict[str, str]]) -> str:
    """The page a Chinese bank prints."""
    table = _table(
        ["记账日期", "交易金额", "联机余额", "交易摘要", "对手信息"],
        [[r["date"], r["amount"], r["balance"], r["purpose"], r["party"]] for r in rows],
        {1, 2},
    )
    return (
        "<meta charset=utf-8><h2>招商银行交易流水</h2>"
        f"<p>户名：上海示范贸易有限公司 账号：6214830212345678 币种：人民币</p>{table}"
    )


def main(folder: Path) -> None:
    """Print both statements with Chromium into ``folder``, each beside its expected rows."""
    from playwright.sync_api import sync_playwright

    rng = random.Random(7)
    pages = {"en": (rows_en(rng), html_en), "zh": (rows_zh(rng), html_zh)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for name, (rows, html) in pages.items():
            page = browser.new_page()
            page.set_content(html(rows))
            page.pdf(path=str(folder / f"pdf_statement_chromium_{name}.pdf"), format="A4")
            (folder / f"pdf_statement_chromium_{name}.json").write_text(
                json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
