"""Geometry of the aging bar chart, drawn as inline SVG by the template (no scripts).

It is drawn twice: upright bars for a wide screen, and for a phone one row per bucket (its name
on the left, its amount on the right, the bar under them), whose text a 375 px phone shows at
its size; concord.css shows one of the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from .service import Overview

BUCKET_LABELS = {
    "current": _l("Not yet due"),
    "1_30": _l("1–30 days"),
    "31_60": _l("31–60 days"),
    "61_90": _l("61–90 days"),
    "90_plus": _l("Over 90 days"),
}
BUCKET_COLOURS = {
    "current": "#2e8b6f",
    "1_30": "#e0b040",
    "31_60": "#e08a3c",
    "61_90": "#d0603a",
    "90_plus": "#b3261e",
}

WIDTH = 640
HEIGHT = 220
TOP = 28
BOTTOM = 40
GAP = 18
#: the phone's drawing: its width and the height of a row
NARROW = 320
ROW = 38


@dataclass(frozen=True)
class Bar:
    key: str
    label: object
    amount: Decimal
    count: int
    x: float
    y: float
    width: float
    height: float
    colour: str
    label_x: float
    #: the phone's row: the baseline of its texts, then its bar's top and length
    row_text: float
    row_bar: float
    row_width: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    empty: bool
    narrow_width: int = NARROW
    narrow_height: int = 0


def aging_chart(data: Overview) -> Chart:
    """Lay out one bar per aging bucket, scaled to the largest."""
    n = len(data.aging)
    bar_w = (WIDTH - GAP * (n + 1)) / n
    plot_h = HEIGHT - TOP - BOTTOM
    largest = max((b.amount for b in data.aging), default=Decimal(0))
    bars = []
    for i, bucket in enumerate(data.aging):
        ratio = float(bucket.amount / largest) if largest > 0 else 0.0
        h = max(2.0, plot_h * ratio) if bucket.amount > 0 else 0.0
        x = GAP + i * (bar_w + GAP)
        bars.append(
            Bar(
                key=bucket.key,
                label=BUCKET_LABELS[bucket.key],
                amount=bucket.amount,
                count=bucket.count,
                x=round(x, 1),
                y=round(TOP + plot_h - h, 1),
                width=round(bar_w, 1),
                height=round(h, 1),
                colour=BUCKET_COLOURS[bucket.key],
                label_x=round(x + bar_w / 2, 1),
                row_text=i * ROW + 15,
                row_bar=i * ROW + 22,
                row_width=round(max(2.0, NARROW * ratio) if bucket.amount > 0 else 0.0, 1),
            )
        )
    return Chart(WIDTH, HEIGHT, TOP + plot_h, bars, largest == 0, NARROW, n * ROW)
