"""Small server-rendered SVG charts (no JavaScript; presentation attributes, not inline CSS)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#0f5c4d", "#f2b544", "#1d4f91", "#b3432b", "#6a2c9c")


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _frame(
    title: str, width: int, height: int, pad_left: int, pad_top: int, plot_h: int, top: float
) -> list[str]:
    """The opening ``<svg>`` with its title, the x axis and the label of the y maximum."""
    return [
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" '
        f'viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 8}" y2="{pad_top + plot_h}" '
        'stroke="#c7d3cf"/>',
        f'<text x="{pad_left - 6}" y="{pad_top + 4}" text-anchor="end" font-size="10" '
        f'fill="#5b6b66">{escape(_fmt(top))}</text>',
    ]


def bar_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    series: Sequence[tuple[str, Sequence[float]]] = (),
) -> Markup:
    """A bar chart; with ``series`` the bars are stacked (one colour per series)."""
    if not points:
        return Markup("")
    pad_left, pad_bottom, pad_top = 48, 36, 16
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - pad_top
    stacks = (
        [[s[1][i] for s in series] for i in range(len(points))]
        if series
        else [[v] for _, v in points]
    )
    top = max((sum(v) for v in stacks), default=0) or 1.0
    slot = plot_w / len(points)
    bar_w = max(4.0, slot * 0.6)
    parts = _frame(title, width, height, pad_left, pad_top, plot_h, top)
    for i, ((label, _), values) in enumerate(zip(points, stacks, strict=True)):
        x = pad_left + i * slot + (slot - bar_w) / 2
        y: float = pad_top + plot_h
        for j, value in enumerate(values):
            h = plot_h * value / top if value > 0 else 0
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)}: '
                f"{escape(_fmt(value))}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - pad_bottom + 14}" text-anchor="middle" '
            f'font-size="10" fill="#5b6b66">{escape(label)}</text>'
        )
    for j, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{pad_left + j * 110}" y="{height - 12}" width="10" height="10" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/><text x="{pad_left + j * 110 + 14}" '
            f'y="{height - 3}" font-size="10" fill="#2b3a36">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label and number above is escaped


def line_chart(
    points: Sequence[tuple[str, float]], *, title: str, width: int = 640, height: int = 220
) -> Markup:
    """A line chart with a dot per point (e.g. DSO by month)."""
    if not points:
        return Markup("")
    pad_left, pad_bottom, pad_top = 48, 36, 16
    plot_w, plot_h = width - pad_left - 32, height - pad_bottom - pad_top
    top = max(v for _, v in points) or 1.0
    step = plot_w / max(1, len(points) - 1)
    coords = [
        (pad_left + i * step, pad_top + plot_h - plot_h * v / top)
        for i, (_, v) in enumerate(points)
    ]
    parts = _frame(title, width, height, pad_left, pad_top, plot_h, top)
    parts.append(
        '<polyline fill="none" stroke="#0f5c4d" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + '"/>'
    )
    for (label, value), (x, y) in zip(points, coords, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0f5c4d"><title>{escape(label)}: '
            f"{escape(_fmt(value))}</title></circle>"
            f'<text x="{x:.1f}" y="{height - pad_bottom + 14}" text-anchor="middle" font-size="9" '
            f'fill="#5b6b66">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label and number above is escaped
