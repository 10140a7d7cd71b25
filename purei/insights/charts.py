"""Charts drawn on the server as SVG that people and screen readers can read
(docs/insights.md "Charts"): each SVG has ``role="img"``, a ``<title>`` and a
``<desc>`` it is labelled by (``aria-labelledby``), and the page shows the same
figures in a table beside it. No script, no style attribute (the CSP allows
neither): colours are presentation attributes with at least 3:1 contrast on
white (WCAG 1.4.11).

A ``Table`` holds the figures (cents as integers); ``bar_chart`` and
``hbar_chart`` draw them; downloads (``downloads.py``) write the same tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from purei.core.money import format_nzd

# Bars: dark teal and a dark orange (both at least 4.5:1 on white).
COLOURS = ("#0b6e69", "#a8490a")
AXIS = "#595959"

Cell = str | int


@dataclass(frozen=True)
class Column:
    heading: str
    money: bool = False  # cents: shown and downloaded as dollars
    permille: bool = False  # tenths of a percent: shown as a percentage


@dataclass
class Table:
    """A dashboard's table: ``key`` names it (ids, sheet names), ``title`` is its
    caption. The first column labels the rows."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def shown(self) -> list[list[str]]:
        """The rows as the page shows them."""
        return [
            [show(cell, column) for cell, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


def show(cell: Cell, column: Column) -> str:
    if isinstance(cell, int) and column.money:
        return format_nzd(cell)
    if isinstance(cell, int) and column.permille:
        whole, tenth = divmod(cell, 10)
        return f"{whole}.{tenth}\u00a0%"
    if isinstance(cell, int):
        return f"{cell:,}"
    return str(cell)


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the table it draws."""

    key: str
    title: str
    desc: str
    svg: SafeString
    table: Table


def _f(value: float) -> str:
    """A coordinate with one decimal."""
    return f"{value:.1f}"


def _nice_max(value: int) -> int:
    """The axis's top: ``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover  # the loop always returns


def _money_tick(cents: int) -> str:
    dollars = cents // 100
    if dollars >= 1_000_000:
        return f"${dollars / 1_000_000:g}m"
    if dollars >= 1000:
        return f"${dollars / 1000:g}k"
    return f"${dollars:,}"


def _open(key: str, title: str, desc: str, width: int, height: int) -> str:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" aria-labelledby="{}-title {}-desc" '
        'focusable="false"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>',
        width,
        height,
        key,
        key,
        key,
        title,
        key,
        desc,
    )


def bar_chart(
    *,
    table: Table,
    series: Sequence[int],
    desc: str,
    label: Callable[[list[Cell]], str] | None = None,
) -> Chart:
    """Vertical bars, one per row, for the table's column(s) ``series`` (indexes;
    money columns), side by side when more than one; a legend names them."""
    width, height, left, bottom, top = 720, 260, 64, 40, 28
    rows = table.rows
    values = [[int(row[i]) for i in series] for row in rows]
    peak = _nice_max(max((max(v) for v in values if v), default=0))
    plot_w, plot_h = width - left - 8, height - top - bottom
    slot = plot_w / max(len(rows), 1)
    bar_w = max(min(slot * 0.8 / len(series), 48), 1.5)
    parts = [_open(table.key, table.title, desc, width, height)]
    money = table.columns[series[0]].money
    for fraction in (0, 0.5, 1):
        y = top + plot_h - plot_h * fraction
        tick = int(peak * fraction)
        text = _money_tick(tick) if money else f"{tick:,}"
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-width="{}"/><text x="{}" y="{}" text-anchor="end" '
                'font-size="12" fill="{}">{}</text>',
                left,
                width - 8,
                _f(y),
                _f(y),
                AXIS,
                "1" if fraction == 0 else "0.4",
                left - 6,
                _f(y + 4),
                AXIS,
                text,
            )
        )
    every = max(1, -(-len(rows) // 8))  # at most eight labels under the bars
    for index, (row, vals) in enumerate(zip(rows, values, strict=True)):
        x0 = left + index * slot + (slot - bar_w * len(series)) / 2
        for n, value in enumerate(vals):
            h = plot_h * value / peak if value > 0 else 0
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _f(x0 + n * bar_w),
                    _f(top + plot_h - h),
                    _f(bar_w),
                    _f(h),
                    COLOURS[n % len(COLOURS)],
                )
            )
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11" '
                    'fill="{}">{}</text>',
                    _f(left + index * slot + slot / 2),
                    height - bottom + 16,
                    AXIS,
                    label(row) if label else str(row[0]),
                )
            )
    if len(series) > 1:
        for n, column in enumerate(series):
            x = left + n * 220
            parts.append(
                format_html(
                    '<rect x="{}" y="6" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="16" font-size="12" fill="{}">{}</text>',
                    x,
                    COLOURS[n % len(COLOURS)],
                    x + 16,
                    AXIS,
                    table.columns[column].heading,
                )
            )
    parts.append("</svg>")
    return Chart(table.key, table.title, desc, mark_safe("".join(parts)), table)  # noqa: S308  # every part built with format_html


def hbar_chart(*, table: Table, column: int, desc: str, limit: int = 12) -> Chart:
    """Horizontal bars, one per row (the first ``limit``), for one column, each
    labelled with its row's name and value."""
    rows = table.rows[:limit]
    row_h, label_w, width = 26, 220, 720
    height = max(row_h * len(rows) + 12, 40)
    values = [int(row[column]) for row in rows]
    peak = max(max(values, default=0), 1)
    plot_w = width - label_w - 110
    money = table.columns[column].money
    parts = [_open(table.key, table.title, desc, width, height)]
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = 6 + index * row_h
        w = plot_w * value / peak if value > 0 else 0
        name = str(row[0])
        if len(name) > 30:
            name = name[:29] + "\u2026"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}'
                '</text><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                label_w - 8,
                y + 14,
                AXIS,
                name,
                label_w,
                y + 2,
                _f(w),
                row_h - 8,
                COLOURS[0],
                _f(label_w + w + 6),
                y + 14,
                AXIS,
                format_nzd(value) if money else f"{value:,}",
            )
        )
    parts.append("</svg>")
    return Chart(table.key, table.title, desc, mark_safe("".join(parts)), table)  # noqa: S308  # every part built with format_html
