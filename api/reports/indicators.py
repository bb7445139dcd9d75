"""The indicators of a year, suppressed as one lattice, and the reports sliced from it.

    tables = year_tables(programme, 2027, k=5, today=date(2028, 1, 3))
    report(tables, quarter(2027, 1), "unit")   # rows: the total, then each unit

Every report HR can ask about a year (each closed month, quarter and the year, by every
grouping) is a slice of one lattice per indicator family, suppressed at once
(`api.reports.suppression`): a total and its parts, a period and its sub-periods, a unit
and its teams, and any two cells of which one holds the other are all seen together, so
no report, and no pair or sum of reports, shows what another hides.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .facts import Place, Programme
from .families import FAMILIES, Event, Family
from .periods import Grain, Period, closed, of_year
from .suppression import Cell, Lattice, Relation, Suppression, suppress

ALL = ("all", "")
# grouping -> (key of an event's group, key of that group's parent group)
SEP = " / "


def group_of(grouping: str, place: Place) -> str:
    if grouping == "unit":
        return place.unit1
    if grouping == "unit2":
        return place.unit1 + SEP + place.unit2 if place.unit2 != place.unit1 else place.unit1
    if grouping == "coach":
        return "" if place.coach is None else str(place.coach)
    value: str = getattr(place, grouping)
    return value


def parent_of(grouping: str, place: Place) -> tuple[str, str]:
    """The group containing this one: a team's unit, else the total."""
    if grouping == "unit2":
        return ("unit", place.unit1)
    return ALL


@dataclass(frozen=True)
class FamilyTable:
    family: Family
    periods: tuple[Period, ...]
    events: dict[tuple[str, str, str], tuple[Event, ...]]
    suppression: Suppression

    def cell(self, period: Period, grouping: str, group: str) -> tuple[Event, ...] | None:
        """The events of a cell, or None when it is suppressed; () for an empty group."""
        key = (period.label, *(ALL if grouping == "all" else (grouping, group)))
        if key not in self.events:
            return ()
        return None if key in self.suppression.hidden else self.events[key]


@dataclass(frozen=True)
class YearTables:
    year: int
    k: int
    periods: tuple[Period, ...]
    tables: tuple[FamilyTable, ...]
    groups: dict[str, tuple[str, ...]]  # grouping -> every group seen in the year
    programme: Programme = field(repr=False)


def _family_table(
    programme: Programme, family: Family, periods: tuple[Period, ...], k: int
) -> tuple[FamilyTable, dict[str, set[str]]]:
    mine = tuple(p for p in periods if p.grain in family.grains)
    groupings = family.groupings
    if family.name == "evaluations" and programme.answer_unit_level != 1:
        groupings = tuple(g for g in groupings if g != "unit")
    per_period = {p: family.events(programme, p) for p in mine}
    seen: dict[str, set[str]] = {g: set() for g in groupings}
    parents: dict[tuple[str, str], tuple[str, str]] = {}
    for events in per_period.values():
        for e in events:
            for g in groupings:
                group = group_of(g, e.place)
                seen[g].add(group)
                parents[(g, group)] = parent_of(g, e.place)
    cells: dict[tuple[str, str, str], list[Event]] = {}
    owners: dict[int, int] = {}
    for p in mine:
        cells[(p.label, *ALL)] = list(per_period[p])
        for g in groupings:
            for group in sorted(seen[g]):
                cells[(p.label, g, group)] = []
        for e in per_period[p]:
            owners[e.id] = e.owner
            for g in groupings:
                cells[(p.label, g, group_of(g, e.place))].append(e)
    relations: list[Relation] = []
    labels = {p.label for p in mine}
    grains = {p.label: p.grain.value for p in mine}
    for p in mine:
        # one relation per grouping: a total is the sum of its units, and of its sites...
        children: dict[tuple[str, str, str], list[Hashable]] = {}
        for g in groupings:
            for group in sorted(seen[g]):
                children.setdefault((g, *parents[(g, group)]), []).append((p.label, g, group))
        for (_, pg, pgroup), parts in children.items():
            relations.append(Relation((p.label, pg, pgroup), tuple(parts)))
        sub = [q.label for q in p.parts()]
        if family.additive and sub and all(q in labels for q in sub):
            for key in [(p.label, *ALL)] + [(p.label, g, x) for g in groupings for x in seen[g]]:
                relations.append(Relation(key, tuple((q, *key[1:]) for q in sub)))
    lattice = Lattice(
        cells=tuple(
            Cell(key, frozenset(e.id for e in events), _partitions(key, grains))
            for key, events in cells.items()
        ),
        relations=tuple(relations),
        owners=owners,
    )
    table = FamilyTable(
        family=family,
        periods=mine,
        events={key: tuple(events) for key, events in cells.items()},
        suppression=suppress(lattice, k),
    )
    return table, seen


def _partitions(key: tuple[str, str, str], grains: dict[str, str]) -> tuple[Hashable, ...]:
    """The disjoint families a cell is in: the rows of its report, and its group's
    periods of the same length (the months, or the quarters, of the year)."""
    label, grouping, group = key
    return ((label, grouping), (grouping, group, grains[label]))


@lru_cache(maxsize=8)
def year_tables(programme: Programme, year: int, *, k: int, today: date) -> YearTables:
    """Every closed period of `year` (ended before `today`), every family, suppressed."""
    return tables_of(programme, FAMILIES, year, k=k, today=today)


def tables_of(
    programme: Programme, families: tuple[Family, ...], year: int, *, k: int, today: date
) -> YearTables:
    """`families` over every closed period of `year`, each suppressed as one lattice (the
    indicators' families, or another table's such as the weak-signal themes)."""
    periods = closed(of_year(year), today)
    tables = []
    groups: dict[str, set[str]] = {}
    for family in families:
        table, seen = _family_table(programme, family, periods, k)
        tables.append(table)
        for g, values in seen.items():
            groups.setdefault(g, set()).update(values)
    return YearTables(
        year=year,
        k=k,
        periods=periods,
        tables=tuple(tables),
        groups={g: tuple(sorted(v)) for g, v in groups.items()},
        programme=programme,
    )


@dataclass(frozen=True)
class Row:
    group: str  # "all", or the group's name
    values: dict[str, float | None]  # None: suppressed; a column left out: not applicable


@dataclass(frozen=True)
class Report:
    k: int
    period: Period
    by: str
    rows: tuple[Row, ...]
    external_budget: float | None

    @property
    def columns(self) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for row in self.rows:
            names.update(dict.fromkeys(row.values))
        return tuple(names)


def _months(period: Period) -> int:
    return {Grain.month: 1, Grain.quarter: 3, Grain.year: 12}[period.grain]


def _capacity(programme: Programme, period: Period, grouping: str, group: str) -> float | None:
    """Hours the coaches of a group can give in the period (not personal: the coaches'
    declared capacity); only for the total, by coach kind and by coach."""
    if grouping not in {"all", "coach_kind", "coach"}:
        return None
    hours = 0.0
    for coach in programme.coaches:
        if grouping == "coach_kind" and coach.kind != group:
            continue
        if grouping == "coach" and str(coach.id) != group:
            continue
        hours += (coach.monthly_hours or 0.0) * _months(period)
    return round(hours, 1)


def _row(tables: YearTables, period: Period, grouping: str, group: str) -> Row:
    values: dict[str, float | None] = {}
    for table in tables.tables:
        family = table.family
        if period not in table.periods:
            continue
        if grouping != "all" and grouping not in family.groupings:
            continue
        if (
            family.name == "evaluations"
            and grouping == "unit"
            and (tables.programme.answer_unit_level != 1)
        ):
            continue
        events = table.cell(period, grouping, group)
        for name, column in family.columns:
            if events is None:
                values[name] = None
            elif (value := column(events)) is not None:
                values[name] = value  # a mean of nothing is left out: nothing to show
        if family.name == "booked":
            booked = values["hours_booked"]
            available = _capacity(tables.programme, period, grouping, group)
            if available is not None:
                values["hours_available"] = available
                if available > 0:
                    values["utilisation"] = (
                        None if events is None or booked is None else round(booked / available, 3)
                    )
    return Row(group=group if grouping != "all" else "all", values=values)


def report(tables: YearTables, period: Period, by: str) -> Report:
    """The total row, then one row per group of `by` (every group seen in the year)."""
    rows = [_row(tables, period, "all", "")]
    if by != "all":
        rows += [_row(tables, period, by, group) for group in tables.groups.get(by, ())]
    budget = tables.programme.external_budget
    return Report(
        k=tables.k,
        period=period,
        by=by,
        rows=tuple(rows),
        external_budget=None if budget is None else round(budget * _months(period) / 12, 2),
    )
