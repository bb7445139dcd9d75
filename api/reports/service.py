"""Reports for HR: check the asked period, read the facts once, slice the year's
suppressed lattice."""

from __future__ import annotations

import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from api.errors import InvalidInput
from api.settings import Settings

from . import periods
from .indicators import Report, YearTables, report, year_tables
from .load import load

SUPPRESSED = "suppressed"
BY = ("unit", "site", "type", "coach_kind", "coach")


def period_of(start: date, end: date, today: date) -> periods.Period:
    """The published period from `start` to `end`, or a 422 naming the field at fault."""
    if start.day != 1:
        raise InvalidInput(
            "must be the first day of a month, quarter or year (reports cover whole periods)",
            field="from",
        )
    found = periods.snap(start, end)
    if found is None:
        raise InvalidInput(
            "must be the last day of the month, quarter or year that 'from' starts",
            field="to",
        )
    if found.end >= today:
        raise InvalidInput("must be in the past: a report covers a period that is over", field="to")
    return found


def zone(settings: Settings) -> ZoneInfo:
    return ZoneInfo(settings.default_timezone)


def grouping(by: str | None, level: int) -> str:
    if by is None:
        return "all"
    if by == "unit" and level == 2:
        return "unit2"
    return by


def tables_for(*, session: Session, settings: Settings, year: int, today: date) -> YearTables:
    programme = load(session=session, settings=settings)
    return year_tables(programme, year, k=settings.report_k, today=today)


def indicators(
    *,
    session: Session,
    settings: Settings,
    start: date,
    end: date,
    by: str | None,
    level: int,
    today: date,
) -> tuple[Report, YearTables]:
    period = period_of(start, end, today)
    tables = tables_for(session=session, settings=settings, year=period.start.year, today=today)
    return report(tables, period, grouping(by, level)), tables


def group_label(tables: YearTables, by: str, group: str) -> str:
    if by == "coach":
        names = {str(c.id): c.label for c in tables.programme.coaches}
        return names.get(group, f"#{group}" if group else "—")
    return group


def as_csv(result: Report, tables: YearTables) -> str:
    """The report as CSV: a suppressed cell reads `suppressed`, a column that does not
    apply to a row is empty; text cells that a spreadsheet would run as a formula are
    quoted with a leading apostrophe."""
    columns = result.columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["group", *columns])
    for row in result.rows:
        label = row.group if row.group == "all" else group_label(tables, result.by, row.group)
        cells: list[object] = [spreadsheet_safe(label)]
        for name in columns:
            if name not in row.values:
                cells.append("")
            else:
                value = row.values[name]
                cells.append(SUPPRESSED if value is None else value)
        writer.writerow(cells)
    return out.getvalue()


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
