"""Bank statements printed to PDF by Chromium from an HTML table, as web banking prints them.

Not drawn with reportlab like ``statements_pdf``: a browser lays the table out (its own fonts,
cell padding, a ``<thead>`` repeated at the top of every page), so the PDF reader is checked
against a layout it was not written for. Chromium is needed only to make the files again::

    python -m bench.generators.statements_chromium tests/reconcile/data/bankfiles

writes ``pdf_statement_chromium_{en,zh,us,de}.pdf`` and ``.json`` (the expected rows) there
(name some of them after the folder to print only those).
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


_US_SECTIONS = (
    ("DEPOSITS AND ADDITIONS", "credit"),
    ("ATM &amp; DEBIT CARD WITHDRAWALS", "debit"),
    ("ELECTRONIC WITHDRAWALS", "debit"),
    ("FEES", "debit"),
)
_US_TEXTS = (
    "Online Transfer From Chk ...4321 Transaction#: 1234567890",
    "Card Purchase 10/{d:02d} Amazon Mktpl*2K4L19 Amzn.Com/Bill WA Card 1234",
    "Orig CO Name:Globex Industrial Orig ID:1234567890 Desc Date:2610{d:02d} CO Entry "
    "Descr:Payroll Sec:PPD",
    "Zelle Payment To Harbour Foods Jpm99A1B2C3",
)


def rows_us(rng: random.Random) -> list[dict[str, str]]:
    """Chase-like sections, each its own table: MM/DD dates, positive amounts in dollars."""
    out = []
    for section, direction in _US_SECTIONS:
        for _ in range(3 if section == "FEES" else 14):
            day = rng.randint(1, 31)
            out.append(
                {
                    "section": section,
                    "date": f"2026-10-{day:02d}",
                    "description": "Monthly Service Fee"
                    if section == "FEES"
                    else rng.choice(_US_TEXTS).format(d=day),
                    "amount": f"{rng.randint(100, 900_000) / 100:,.2f}",
                    "direction": direction,
                }
            )
    return out


def html_us(rows: list[dict[str, str]]) -> str:
    """The page a US bank prints: one unruled table per section under its heading."""
    parts = [
        "<meta charset=utf-8><h2>JPMorgan Chase Bank, N.A.</h2>",
        "<p>October 01, 2026 through October 31, 2026</p>",
        "<p>Primary Account: 000000123456789</p>",
    ]
    style = "width:100%;font:11px sans-serif;border-collapse:collapse"
    for section, _ in _US_SECTIONS:
        mine = [r for r in rows if r["section"] == section]
        body = "".join(
            f"<tr><td>{r['date'][5:7]}/{r['date'][8:]}</td><td>{r['description']}</td>"
            f"<td align=right>{r['amount']}</td></tr>"
            for r in mine
        )
        total = sum(float(r["amount"].replace(",", "")) for r in mine)
        body += (
            f"<tr><td></td><td>Total {section.title()}</td><td align=right>${total:,.2f}</td></tr>"
        )
        parts.append(
            f"<h3>{section}</h3><table style='{style}' cellpadding=3><thead><tr><th align=left>"
            "DATE</th><th align=left>DESCRIPTION</th><th align=right>AMOUNT</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    return "".join(parts)


def rows_de(rng: random.Random) -> list[dict[str, str]]:
    """Sparkasse-like: dd.mm. dates, amounts in German notation marked S (Soll) or H (Haben)."""
    out = []
    for _ in range(ROWS):
        day = rng.randint(1, 30)
        cents = rng.randint(100, 900_000)
        figure = f"{cents / 100:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        credit = rng.random() < 0.4
        out.append(
            {
                "date": f"2026-11-{day:02d}",
                "description": rng.choice(_EN_TEXTS).format(n=day),
                "amount": f"{figure} {'H' if credit else 'S'}",
                "direction": "credit" if credit else "debit",
            }
        )
    return sorted(out, key=lambda r: r["date"])


def html_de(rows: list[dict[str, str]]) -> str:
    """The page a German savings bank prints."""
    table = _table(
        ["Buchungstag", "Wert", "Verwendungszweck", "Betrag (EUR)"],
        [
            [
                f"{r['date'][8:]}.{r['date'][5:7]}.",
                f"{r['date'][8:]}.{r['date'][5:7]}.",
                r["description"],
                r["amount"],
            ]
            for r in rows
        ],
        {3},
    )
    return (
        "<meta charset=utf-8><h2>Sparkasse Musterstadt</h2><p>Kontoauszug 11/2026</p>"
        f"<p>IBAN DE89 3704 0044 0532 0130 00</p>{table}"
    )


def main(folder: Path, names: list[str] | None = None) -> None:
    """Print the statements with Chromium into ``folder``, each beside its expected rows."""
    from playwright.sync_api import sync_playwright

    rng = random.Random(7)
    pages = {
        "en": (rows_en(rng), html_en),
        "zh": (rows_zh(rng), html_zh),
        "us": (rows_us(rng), html_us),
        "de": (rows_de(rng), html_de),
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for name, (rows, html) in pages.items():
            if names and name not in names:
                continue
            page = browser.new_page()
            page.set_content(html(rows))
            page.pdf(path=str(folder / f"pdf_statement_chromium_{name}.pdf"), format="A4")
            (folder / f"pdf_statement_chromium_{name}.json").write_text(
                json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
