"""Draw pdf_slash_labels_three_per_page.pdf (run from the repository root).

Three receipts on one A4 page: two Chinese ones with combined labels (付款人/汇款人, 用途/附言)
and a bilingual Hong Kong advice (Payer/Remitter, Amount/金额).
"""

from __future__ import annotations

import io
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

sys.path.insert(0, ".")
from bench.generators import receipts_alt as alt  # registers the CJK font

OUT = "tests/reconcile/data/bankfiles/pdf_slash_labels_three_per_page.pdf"


def _lines(n: int, english: bool) -> list[str]:
    if english:
        return [
            f"Transaction Date/交易日期: 2026-11-1{n}",
            f"Reference No./流水号: HKREF00{n}",
            f"Payer/Remitter: GLOBAL SOURCING {n} LIMITED",
            f"Payer A/C/付款账号: 0123456789{n}",
            "Beneficiary/收款人: CONCORD TRADING LTD",
            "Beneficiary A/C: 4567 8901 2345",
            f"Amount/金额: HKD 1,23{n}.00",
            f"Remarks/附言: INV-HK-22{n}0",
        ]
    return [
        f"交易日期：2026年11月1{n}日",
        f"流水号：BOC2026111{n}00{n}",
        f"付款人/汇款人：杭州远景{n}号贸易有限公司",
        f"付款账号/汇款账号：3305016123450000{n}",
        "收款人/收款单位：上海协和贸易有限公司",
        "收款账号：456789012345",
        f"金额：人民币 5,00{n}.00",
        f"用途/附言：INV-2026-01{n}0 货款",
    ]


def _receipt(c: canvas.Canvas, top: float, n: int, english: bool) -> None:
    c.setFont(alt.CN_FONT, 14)
    c.drawString(200, top, "Payment Advice 入账通知" if english else "网上银行电子回单")
    c.setFont(alt.CN_FONT, 10)
    for k, line in enumerate(_lines(n, english)):
        c.drawString(60, top - 26 - 18 * k, line)


def main() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _receipt(c, 800, 1, False)
    _receipt(c, 560, 2, False)
    _receipt(c, 320, 3, True)
    c.showPage()
    c.save()
    with open(OUT, "wb") as fh:
        fh.write(buf.getvalue())


if __name__ == "__main__":
    main()
