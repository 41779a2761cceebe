"""Small server-rendered SVG charts (no JavaScript; presentation attributes, not inline CSS).

Each chart is drawn twice, for a wide screen and for a phone (concord.css shows one of the two).
Both scale to the width of their box (a ``viewBox``, CSS ``width: 100%``), so a chart never
scrolls sideways; the phone's drawing is about as wide as a 375 px phone shows it, so its text
keeps its size. Labels that would overlap are turned and, where even turned they would, thinned
out (every second, third... label); long labels are shortened; a legend wraps onto more rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0f5c4d", "#f2b544", "#1d4f91", "#b3432b", "#6a2c9c")
INK, MUTED, AXIS = "#2b3a36", "#5b6b66", "#c7d3cf"


@dataclass(frozen=True)
class Size:
    """One drawing of a chart: its CSS class, width, plot height and font size (in SVG units)."""

    name: str
    width: int
    plot_h: int
    font: int
    #: the widest an x label may be before it is shortened
    label_max: int


#: the wide screen's drawing (at most 640 px wide), then the phone's (about 1:1 at 375 px)
SIZES = (Size("chart-wide", 640, 168, 10, 96), Size("chart-narrow", 320, 150, 10, 84))
PAD_TOP, PAD_RIGHT = 16, 8


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _text_width(text: str, font: int) -> float:
    """About how wide ``text`` is drawn: a Chinese character one em, anything else 0.6 em."""
    return sum(font if ord(c) >= 0x2E80 else font * 0.6 for c in text)


def _shorten(text: str, font: int, widest: float) -> str:
    """``text``, cut and ended with an ellipsis where it is wider than ``widest``."""
    if _text_width(text, font) <= widest:
        return text
    while text and _text_width(text + "…", font) > widest:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass(frozen=True)
class Axis:
    """How the x labels are set: turned by 45 degrees or not, every how many, the room below."""

    labels: tuple[str, ...]
    turned: bool
    every: int
    room: float


def _axis(labels: Sequence[str], slot: float, size: Size) -> Axis:
    """Level labels where they fit their slot, else shortened and turned; thinned where even
    turned they crowd."""
    if max((_text_width(label, size.font) for label in labels), default=0.0) <= slot * 0.92:
        return Axis(tuple(labels), turned=False, every=1, room=size.font + 10)
    short = tuple(_shorten(label, size.font, size.label_max) for label in labels)
    widest = max(_text_width(label, size.font) for label in short)
    # a turned label needs about 1.5 em of slot (its line height, slanted)
    every = max(1, math.ceil(size.font * 1.5 / slot))
    return Axis(short, turned=True, every=every, room=widest * 0.71 + size.font + 10)


def _x_label(axis: Axis, i: int, x: float, y: float, size: Size) -> str:
    if i % axis.every:
        return ""
    text = escape(axis.labels[i])
    if axis.turned:
        return (
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" font-size="{size.font}" '
            f'fill="{MUTED}" transform="rotate(-45 {x:.1f} {y:.1f})">{text}</text>'
        )
    return (
        f'<text x="{x:.1f}" y="{y + size.font:.1f}" text-anchor="middle" font-size="{size.font}" '
        f'fill="{MUTED}">{text}</text>'
    )


def _legend(names: Sequence[str], left: float, top: float, size: Size) -> tuple[list[str], float]:
    """The series' colour keys, flowing onto a new row where the width ends; and their height."""
    parts: list[str] = []
    x, y, line = left, top, size.font + 6
    for j, name in enumerate(names):
        text = _shorten(name, size.font, size.width - left - PAD_RIGHT - 14)
        wide = 14 + _text_width(text, size.font) + 14
        if x > left and x + wide > size.width - PAD_RIGHT:
            x, y = left, y + line
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/><text x="{x + 14:.1f}" y="{y + 9:.1f}" '
            f'font-size="{size.font}" fill="{INK}">{escape(text)}</text>'
        )
        x += wide
    return parts, (y - top + line if names else 0.0)


def _frame(title: str, size: Size, height: float, pad_left: int, top: float) -> list[str]:
    """The opening ``<svg>`` with its title, the x axis and the label of the y maximum."""
    base = PAD_TOP + size.plot_h
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart {size.name}" '
        f'viewBox="0 0 {size.width} {height:.0f}" width="{size.width}" height="{height:.0f}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{pad_left}" y1="{base}" x2="{size.width - PAD_RIGHT}" y2="{base}" '
        f'stroke="{AXIS}"/>',
        f'<text x="{pad_left - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="{size.font}" '
        f'fill="{MUTED}">{escape(_fmt(top))}</text>',
    ]


def _bars(
    points: Sequence[tuple[str, float]],
    stacks: Sequence[Sequence[float]],
    names: Sequence[str],
    title: str,
    size: Size,
) -> str:
    labels = [label for label, _ in points]
    pad_left = 40
    axis = _axis(labels, (size.width - pad_left - PAD_RIGHT) / len(points), size)
    if axis.turned:
        # the first label, turned, reaches left of its bar: it must not be cut off
        reach = _text_width(axis.labels[0], size.font) * 0.71 + 4
        pad_left = max(pad_left, math.ceil(reach - (size.width - 48) / len(points) / 2))
    plot_w, plot_h, base = size.width - pad_left - PAD_RIGHT, size.plot_h, PAD_TOP + size.plot_h
    top = max((sum(v) for v in stacks), default=0) or 1.0
    slot = plot_w / len(points)
    # a bar at most a twelfth of the chart wide: one or two bars do not fill it like a wall
    bar_w = max(4.0, min(slot * 0.6, size.width / 12))
    legend, legend_h = _legend(names, pad_left, base + axis.room, size)
    parts = _frame(title, size, base + axis.room + legend_h + 4, pad_left, top)
    for i, ((label, _), values) in enumerate(zip(points, stacks, strict=True)):
        x = pad_left + i * slot + (slot - bar_w) / 2
        y: float = base
        for j, value in enumerate(values):
            h = plot_h * value / top if value > 0 else 0
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)}: '
                f"{escape(_fmt(value))}</title></rect>"
            )
        parts.append(_x_label(axis, i, x + bar_w / 2, base + 6, size))
    return "".join([*parts, *legend, "</svg>"])


def bar_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    series: Sequence[tuple[str, Sequence[float]]] = (),
) -> Markup:
    """A bar chart; with ``series`` the bars are stacked (one colour per series)."""
    if not points:
        return Markup("")
    stacks = (
        [[s[1][i] for s in series] for i in range(len(points))]
        if series
        else [[v] for _, v in points]
    )
    names = [name for name, _ in series]
    drawings = (_bars(points, stacks, names, title, size) for size in SIZES)
    return Markup("".join(drawings))  # noqa: S704 - every label and number is escaped


def _runs(coords: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The unbroken stretches of a line: a month without a value breaks it (no false zero)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in coords:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _line(points: Sequence[tuple[str, float | None]], title: str, size: Size) -> str:
    pad_left, pad_right = 40, 24
    plot_w, plot_h, base = size.width - pad_left - pad_right, size.plot_h, PAD_TOP + size.plot_h
    top = max((v for _, v in points if v is not None), default=0.0) or 1.0
    step = plot_w / max(1, len(points) - 1)
    axis = _axis([label for label, _ in points], step, size)
    coords = [
        None if v is None else (pad_left + i * step, base - plot_h * v / top)
        for i, (_, v) in enumerate(points)
    ]
    parts = _frame(title, size, base + axis.room + 4, pad_left, top)
    for run in _runs(coords):
        parts.append(
            f'<polyline fill="none" stroke="{PALETTE[0]}" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            + '"/>'
        )
    for i, ((label, value), point) in enumerate(zip(points, coords, strict=True)):
        x = pad_left + i * step
        if value is not None and point is not None:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{point[1]:.1f}" r="3" fill="{PALETTE[0]}"><title>'
                f"{escape(label)}: {escape(_fmt(value))}</title></circle>"
            )
        parts.append(_x_label(axis, i, x, base + 6, size))
    return "".join([*parts, "</svg>"])


def line_chart(points: Sequence[tuple[str, float | None]], *, title: str) -> Markup:
    """A line chart with a dot per point (e.g. DSO by month); a point without a value (a
    month without sales) leaves a gap instead of a drop to zero."""
    if not points or all(v is None for _, v in points):
        return Markup("")
    drawings = (_line(points, title, size) for size in SIZES)
    return Markup("".join(drawings))  # noqa: S704 - every label and number is escaped
