"""The dashboard's charts, drawn on the server as SVG (no script, nothing remote: the
pages' Content-Security-Policy holds), each with the same numbers as a table.

A chart is horizontal bars, one row per category (a month, a coach, a kind) and one bar
per series; a suppressed value has no bar but a hatched mark and the words, in the
table too; a value with nothing behind it (a mean of no answers) is a dash. Pure: the
page gives the words, this gives the geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Colour-blind-safe (Okabe-Ito), each dark enough for AA contrast against white.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
WIDTH = 720
LABEL_WIDTH = 170
VALUE_WIDTH = 90
BAR_HEIGHT = 16
GAP = 10
LEGEND_HEIGHT = 26
NOTHING = "—"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    value: float | None  # None: suppressed; NaN: nothing to show (no answer, no capacity)
    text: str  # the value as written, or the suppressed mark


@dataclass(frozen=True)
class Row:
    label: str
    y: float  # the label's baseline
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    series: tuple[tuple[str, str], ...]  # (name, colour)
    rows: tuple[Row, ...]
    height: float
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def empty(self) -> bool:
        return not self.rows


def bars(
    *,
    id: str,
    title: str,
    series: Sequence[str],
    categories: Sequence[tuple[str, Sequence[float | None]]],
    suppressed: str,
    number: str = "{:g}",
) -> Chart:
    """Lay out `categories` (label, one value per series); values share one scale."""
    values = [v for _, row in categories for v in row if v is not None and not math.isnan(v)]
    top = max(values, default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    y = LEGEND_HEIGHT + GAP
    for label, row in categories:
        start = y
        drawn = []
        for index, value in enumerate(row):
            colour = COLOURS[index % len(COLOURS)]
            if value is None:
                width, text = 14.0, suppressed
            elif math.isnan(value):
                width, text = 0.0, NOTHING
            else:
                width, text = (max(1.0, span * value / top) if value else 0.0), number.format(value)
            drawn.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=y,
                    width=round(width, 1),
                    height=BAR_HEIGHT,
                    colour=colour,
                    value=value,
                    text=text,
                )
            )
            y += BAR_HEIGHT + 2
        rows.append(Row(label=label, y=start + BAR_HEIGHT - 4, bars=tuple(drawn)))
        y += GAP
    series_colours = tuple(
        (name, COLOURS[index % len(COLOURS)]) for index, name in enumerate(series)
    )
    return Chart(id=id, title=title, series=series_colours, rows=tuple(rows), height=y)
