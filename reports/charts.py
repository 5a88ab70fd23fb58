"""Geometry for the dashboard's server-rendered SVG charts. Pure: numbers in, shapes out. Every
bar carries its value as text, so the charts read without colour."""

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 220
PLOT_WIDTH = 300


@dataclass(frozen=True)
class HorizontalBar:
    label: str
    value: int
    text: str
    y: int
    width: int


@dataclass(frozen=True)
class HorizontalChart:
    bars: list[HorizontalBar]
    height: int
    width: int = LABEL_WIDTH + PLOT_WIDTH + 80
    label_width: int = LABEL_WIDTH


def horizontal_chart(items: list[tuple[str, int, str]], *, maximum: int) -> HorizontalChart:
    """Bars for (label, value, text) items scaled to ``maximum`` (100 for percentages)."""
    bars = []
    for index, (label, value, text) in enumerate(items):
        width = round(PLOT_WIDTH * value / maximum) if maximum else 0
        bars.append(
            HorizontalBar(
                label=label,
                value=value,
                text=text,
                y=index * (BAR_HEIGHT + BAR_GAP),
                width=max(width, 0),
            )
        )
    return HorizontalChart(bars=bars, height=max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP))


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    width: int
    height: int
    baseline: int
    column_width: int


def column_chart(
    items: list[tuple[str, int]], *, plot_height: int = 160, column_width: int = 36
) -> ColumnChart:
    """Columns for (label, value) items, scaled to the largest value."""
    top = max((value for _label, value in items), default=0)
    gap = 10
    columns = []
    for index, (label, value) in enumerate(items):
        height = round(plot_height * value / top) if top else 0
        columns.append(
            Column(
                label=label,
                value=value,
                x=index * (column_width + gap),
                y=20 + plot_height - height,
                height=height,
            )
        )
    return ColumnChart(
        columns=columns,
        width=max(len(items), 1) * (column_width + gap),
        height=plot_height + 60,
        baseline=20 + plot_height,
        column_width=column_width,
    )
