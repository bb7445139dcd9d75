"""English text of the reports (issue 12). Keep in step with `reports_fr.py`; merged
into `en.CATALOG`."""

# ruff: noqa: E501 - one entry a line reads better than wrapped strings

from __future__ import annotations

CATALOG: dict[str, str] = {
    "reports.title": "Programme indicators, {year}",
    "reports.hint": "Whole months, quarters and years that are over. A figure describing fewer than {k} people is not shown, nor any figure that would let it be worked out.",
    "reports.period": "Breakdowns: {period}.",
    "reports.budget": "External spend: {spend} of a budget of {budget}.",
    "reports.suppressed": "hidden (fewer than {k})",
    "reports.no_data": "No figures for this period yet.",
    "reports.table_view": "Table view",
    "reports.years": "Years:",
    "reports.exports": "Exports",
    "reports.chart.requests": "Requests and completions by month",
    "reports.chart.waiting": "Days from request to match, by month",
    "reports.chart.utilisation": "Coach utilisation (hours booked / available)",
    "reports.chart.kinds": "Internal and external coaches",
    "reports.chart.evaluations": "Evaluation results by quarter (1 to 5)",
    "reports.col.requests_received": "received",
    "reports.col.requests_matched": "matched",
    "reports.col.completed": "completed",
    "reports.col.days_to_match_median": "median",
    "reports.col.days_to_match_p90": "90th percentile",
    "reports.col.utilisation": "utilisation",
    "reports.col.sessions_held": "sessions held",
    "reports.col.hours_delivered": "hours delivered",
    "reports.col.satisfaction": "satisfaction",
    "reports.col.objectives_reached": "objectives reached",
    "reports.kind.internal": "Internal",
    "reports.kind.external": "External",
    "reports.kind.none": "Not matched",
    "reports.by.all": "Total",
    "reports.by.unit": "By unit",
    "reports.by.site": "By site",
    "reports.by.type": "By type",
    "reports.by.coach_kind": "By coach kind",
    "reports.by.coach": "By coach",
}
