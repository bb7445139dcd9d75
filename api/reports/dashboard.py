"""What the HR dashboard draws: the indicators of the latest year with a closed month,
as charts and tables, in the reader's language, suppressed cells shown as such."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from api.i18n import t, t_or
from api.i18n.dates import format_month
from api.settings import Settings

from . import charts, periods, service
from .indicators import Report, YearTables, report

YEARS_SHOWN = 5


@dataclass(frozen=True)
class Export:
    label: str
    href: str


@dataclass(frozen=True)
class Dashboard:
    k: int
    year: int
    period: periods.Period | None  # the breakdowns' period: the year, else its last quarter
    charts: tuple[charts.Chart, ...]
    exports: tuple[Export, ...]
    budget: float | None
    spend: float | None
    years: tuple[int, ...]  # the years one can switch to


def _value(result: Report, row: int, name: str) -> float | None:
    """The cell's value, None when suppressed, NaN when there is nothing to show."""
    values = result.rows[row].values if row < len(result.rows) else {}
    return values.get(name, math.nan)


def _month_label(period: periods.Period, lang: str) -> str:
    return format_month(period.start, lang)


def build(
    *, session: Session, settings: Settings, today: date, lang: str, year: int | None = None
) -> Dashboard:
    """The year asked (one of the last few), by default the current one once a month of
    it is over."""
    latest = (
        today.year if periods.closed((periods.month(today.year, 1),), today) else today.year - 1
    )
    if year is None or not latest - YEARS_SHOWN < year <= latest:
        year = latest
    tables = service.tables_for(session=session, settings=settings, year=year, today=today)
    months = [p for p in tables.periods if p.grain is periods.Grain.month]
    quarters = [p for p in tables.periods if p.grain is periods.Grain.quarter]
    coarse = next(
        (p for p in tables.periods if p.grain is periods.Grain.year),
        quarters[-1] if quarters else None,
    )
    mark = t("reports.suppressed", lang, k=tables.k)

    def word(name: str) -> str:
        return t(f"reports.col.{name}", lang)

    def chart(
        id: str,
        names: list[str],
        rows: list[tuple[str, list[float | None]]],
        number: str = "{:g}",
    ) -> charts.Chart:
        return charts.bars(
            id=id,
            title=t(f"reports.chart.{id}", lang),
            series=[word(n) for n in names],
            categories=rows,
            suppressed=mark,
            number=number,
        )

    def over_time(id: str, names: list[str], grain: list[periods.Period]) -> charts.Chart:
        rows = []
        for p in grain:
            total = report(tables, p, "all")
            label = _month_label(p, lang) if p.grain is periods.Grain.month else p.label
            rows.append((label, [_value(total, 0, n) for n in names]))
        return chart(id, names, rows)

    def breakdown(id: str, by: str, names: list[str], number: str = "{:g}") -> charts.Chart:
        rows = []
        if coarse is not None:
            result = report(tables, coarse, by)
            for index, row in enumerate(result.rows[1:], start=1):
                label = service.group_label(tables, by, row.group)
                if by == "coach_kind":
                    label = t_or(f"reports.kind.{row.group}", lang, label)
                rows.append((label, [_value(result, index, n) for n in names]))
        return chart(id, names, rows, number)

    drawn = (
        over_time("requests", ["requests_received", "requests_matched", "completed"], months),
        over_time("waiting", ["days_to_match_median", "days_to_match_p90"], months),
        breakdown("utilisation", "coach", ["utilisation"], number="{:.0%}"),
        breakdown("kinds", "coach_kind", ["sessions_held", "hours_delivered"]),
        over_time("evaluations", ["satisfaction", "objectives_reached"], quarters),
    )
    exports = []
    if coarse is not None:
        for by in (None, *service.BY):
            query = f"from={coarse.start.isoformat()}&to={coarse.end.isoformat()}"
            if by:
                query += f"&by={by}"
            exports.append(
                Export(
                    label=t(f"reports.by.{by or 'all'}", lang),
                    href=f"/reports/indicators?{query}&format=csv",
                )
            )
    spend = None
    budget = None
    if coarse is not None:
        total = report(tables, coarse, "all")
        spend = _value(total, 0, "external_spend")
        budget = total.external_budget
    return Dashboard(
        k=tables.k,
        year=year,
        period=coarse,
        charts=drawn,
        exports=tuple(exports),
        budget=budget,
        spend=spend,
        years=tuple(range(latest, latest - YEARS_SHOWN, -1)),
    )


__all__ = ["Dashboard", "YearTables", "build"]
