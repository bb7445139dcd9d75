"""What the indicator report answers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class IndicatorReport(BaseModel):
    k: int = Field(description="a cell describing fewer people is suppressed (null)")
    period: str = Field(description="the period covered: 2027, 2027-Q1 or 2027-03")
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    by: str | None
    level: int | None = Field(description="the org chart level of the units (by=unit)")
    external_budget: float | None = Field(description="the period's share of the year's")
    rows: list[dict[str, str | float | None]] = Field(
        description='the total ("group": "all"), then each group; null: suppressed; a '
        "column missing from a row does not apply to it"
    )


class ThemeColumn(BaseModel):
    column: str = Field(description="the rows' key: theme_<code>")
    code: str
    label_en: str
    label_fr: str


class ThemeReport(IndicatorReport):
    """The indicators' shape; the columns are `engagements` (tagged with any theme) and
    one `theme_<code>` per theme of HR's list."""

    themes: list[ThemeColumn]
