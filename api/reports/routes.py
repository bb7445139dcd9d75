"""HR's reports: indicators for a published period, as JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import ClockDep, HRUser, SessionDep, SettingsDep, require
from api.models import User
from api.models.enums import Role
from api.schemas import ERRORS

from . import service, themes
from .indicators import Report, YearTables
from .schemas import IndicatorReport, ThemeColumn, ThemeReport

router = APIRouter(tags=["reports"], responses=ERRORS)
# Every report is asked for one published period, as JSON or CSV.
PeriodStart = Annotated[
    date, Query(alias="from", description="first day of a month, quarter or year")
]
PeriodEnd = Annotated[date, Query(description="last day of that month, quarter or year")]
Format = Annotated[Literal["json", "csv"], Query(description="csv: the same as CSV")]


def _head(result: Report, by: str | None, level: int) -> dict[str, object]:
    """What every report's JSON starts with: k, the period, the grouping."""
    return {
        "k": result.k,
        "period": result.period.label,
        "from": result.period.start,
        "to": result.period.end,
        "by": by,
        "level": level if by == "unit" else None,
    }


def _csv(name: str, result: Report, tables: YearTables) -> Response:
    return Response(
        service.as_csv(result, tables),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/reports/indicators",
    response_model=IndicatorReport,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def indicators(
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    start: PeriodStart,
    to: PeriodEnd,
    by: Annotated[
        Literal["unit", "site", "type", "coach_kind", "coach"] | None,
        Query(description="rows per group; none: the total only"),
    ] = None,
    level: Annotated[int, Query(ge=1, le=2, description="by=unit: the org chart level")] = 1,
    format: Format = "json",
) -> IndicatorReport | Response:
    """The programme's indicators for a whole month, quarter or year that is over, with
    every cell describing fewer than k people suppressed (null; `suppressed` in CSV),
    together with the cells that would let a total, another period or another report
    reveal it (README: "Reports")."""
    result, tables = service.indicators(
        session=session,
        settings=settings,
        start=start,
        end=to,
        by=by,
        level=level,
        today=clock.now().astimezone(service.zone(settings)).date(),
    )
    if format == "csv":
        return _csv(f"indicators-{result.period.label}-{by or 'all'}.csv", result, tables)
    rows: list[dict[str, str | float | None]] = []
    for row in result.rows:
        label = (
            row.group if row.group == "all" else service.group_label(tables, result.by, row.group)
        )
        rows.append({"group": label, **row.values})
    return IndicatorReport.model_validate(
        {
            **_head(result, by, level),
            "external_budget": result.external_budget,
            "rows": rows,
        }
    )


HRorCoach = Annotated[User, Depends(require(Role.hr, Role.coach))]


@router.get(
    "/reports/themes",
    response_model=ThemeReport,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def theme_report(
    user: HRorCoach,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    start: PeriodStart,
    to: PeriodEnd,
    by: Annotated[
        Literal["unit"] | None,
        Query(description="rows per unit of the org chart's level 1; none: the total only"),
    ] = None,
    format: Format = "json",
) -> ThemeReport | Response:
    """Weak signals: for a whole month, quarter or year that is over, the engagements
    with a session held then that their coaches tagged (`engagements`) and with each
    theme (`theme_<code>`), in total and by unit; suppressed (null; `suppressed` in CSV)
    with the indicators' rules (README: "Reports")."""
    result, tables, facts = themes.themes_for(
        session=session,
        settings=settings,
        start=start,
        end=to,
        by=by,
        today=clock.now().astimezone(service.zone(settings)).date(),
    )
    if format == "csv":
        return _csv(f"themes-{result.period.label}-{by or 'all'}.csv", result, tables)
    return ThemeReport.model_validate(
        {
            **_head(result, by, 1),
            "external_budget": None,
            "rows": [{"group": row.group, **row.values} for row in result.rows],
            "themes": [
                ThemeColumn(column=themes.column(code), code=code, label_en=en, label_fr=fr)
                for code, en, fr in facts.themes
            ],
        }
    )
