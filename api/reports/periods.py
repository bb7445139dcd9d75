"""The published periods: whole calendar months, quarters and years that are over.

A report covers exactly one of them, so two reports never differ by a day or a week:
they cover the same period, disjoint ones, or one inside the other (a month in its
quarter, a quarter in its year), and the suppression sees every such pair. A period that
is not over is refused, so a report does not change as the days go by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property


class Grain(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    grain: Grain

    @cached_property
    def label(self) -> str:
        if self.grain is Grain.year:
            return f"{self.start.year}"
        if self.grain is Grain.quarter:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    def parts(self) -> tuple[Period, ...]:
        """The next finer periods it is the sum of (none for a month)."""
        if self.grain is Grain.year:
            return tuple(quarter(self.start.year, q) for q in range(1, 5))
        if self.grain is Grain.quarter:
            return tuple(month(self.start.year, self.start.month + i) for i in range(3))
        return ()


def _last_day(year: int, month_number: int) -> date:
    following = date(year + (month_number == 12), month_number % 12 + 1, 1)
    return following - timedelta(days=1)


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), _last_day(year, number), Grain.month)


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(date(year, first, 1), _last_day(year, first + 2), Grain.quarter)


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), Grain.year)


def of_year(number: int) -> tuple[Period, ...]:
    """Every period of a year: the year, its quarters, its months."""
    return (
        year(number),
        *(quarter(number, q) for q in range(1, 5)),
        *(month(number, m) for m in range(1, 13)),
    )


def snap(start: date, end: date) -> Period | None:
    """The published period running exactly from `start` to `end`, if there is one."""
    for candidate in of_year(start.year):
        if candidate.start == start and candidate.end == end:
            return candidate
    return None


def closed(periods: tuple[Period, ...], today: date) -> tuple[Period, ...]:
    return tuple(p for p in periods if p.end < today)
