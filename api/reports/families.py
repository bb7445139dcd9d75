"""The indicators, declared once: each family is a kind of event (a request received, a
session held, an answer...) counted per cell, with the columns computed from a cell's
events. A family's cells are suppressed together: its columns show or hide as one."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from api.models.enums import EndReason

from .facts import Place, Programme, RequestFact
from .periods import Grain, Period

GROUPINGS = ("unit", "unit2", "site", "type", "coach_kind", "coach")
REQUEST_GROUPINGS = ("unit", "unit2", "site", "type", "coach_kind")
SESSION_GROUPINGS = GROUPINGS


@dataclass(frozen=True)
class Event:
    id: int
    owner: int  # the person it describes
    place: Place
    values: tuple[float, ...] = ()


Column = Callable[[Sequence[Event]], float | None]


@dataclass(frozen=True)
class Family:
    name: str
    events: Callable[[Programme, Period], list[Event]]
    columns: tuple[tuple[str, Column], ...]
    groupings: tuple[str, ...] = REQUEST_GROUPINGS
    additive: bool = True  # a period's events are its parts' events (a flow, not a stock)
    grains: tuple[Grain, ...] = (Grain.month, Grain.quarter, Grain.year)


def count(events: Sequence[Event]) -> float | None:
    return len(events)


def total(index: int, digits: int = 1) -> Column:
    def column(events: Sequence[Event]) -> float | None:
        return round(sum(e.values[index] for e in events), digits)

    return column


def mean(index: int) -> Column:
    def column(events: Sequence[Event]) -> float | None:
        return round(sum(e.values[index] for e in events) / len(events), 2) if events else None

    return column


def rank(share: float) -> Column:
    """The nearest-rank percentile of the first value (median: 0.5)."""

    def column(events: Sequence[Event]) -> float | None:
        values = sorted(e.values[0] for e in events)
        if not values:
            return None
        return values[max(0, math.ceil(share * len(values)) - 1)]

    return column


def _requests(
    day: Callable[[RequestFact], date | None],
) -> Callable[[Programme, Period], list[Event]]:
    def events(programme: Programme, period: Period) -> list[Event]:
        out = []
        for r in programme.requests:
            when = day(r)
            if when is not None and period.holds(when):
                out.append(Event(r.id, r.person, r.place, ((when - r.submitted).days,)))
        return out

    return events


def _waiting(programme: Programme, period: Period) -> list[Event]:
    """Requests submitted and neither matched nor withdrawn at the period's end."""
    end = period.end
    return [
        Event(r.id, r.person, r.place, ((end - r.submitted).days,))
        for r in programme.requests
        if r.submitted <= end
        and (r.matched is None or r.matched > end)
        and (r.withdrawn is None or r.withdrawn > end)
    ]


def _ended(reason: str | None) -> Callable[[Programme, Period], list[Event]]:
    def events(programme: Programme, period: Period) -> list[Event]:
        return [
            Event(r.id, r.person, r.place)
            for r in programme.requests
            if r.ended_early is not None
            and period.holds(r.ended_early)
            and (reason is None or r.end_reason == reason)
        ]

    return events


def _in_progress(programme: Programme, period: Period) -> list[Event]:
    """Requests with a session held in the period (counted once)."""
    seen: dict[int, Event] = {}
    for s in programme.sessions:
        if s.status == "held" and period.holds(s.day) and s.request not in seen:
            seen[s.request] = Event(s.request, s.person, s.place)
    return list(seen.values())


def _sessions(*statuses: str, external: bool = False) -> Callable[[Programme, Period], list[Event]]:
    def events(programme: Programme, period: Period) -> list[Event]:
        return [
            Event(s.id, s.person, s.place, (s.hours, s.cost))
            for s in programme.sessions
            if s.status in statuses
            and period.holds(s.day)
            and (not external or s.place.coach_kind == "external")
        ]

    return events


def _answers(programme: Programme, period: Period) -> list[Event]:
    def holds(quarter: str) -> bool:
        return (
            quarter == period.label
            if period.grain is Grain.quarter
            else quarter[:4] == period.label
        )

    return [
        Event(
            a.id,
            -1 - a.id,  # an answer names nobody: each counts as one respondent
            Place(unit1=a.unit1, type=a.type, coach_kind=a.coach_kind),
            (
                float(a.satisfaction),
                float(a.recommend),
                sum(a.objectives) / len(a.objectives) if a.objectives else 0.0,
            ),
        )
        for a in programme.answers
        if holds(a.quarter)
    ]


FAMILIES: tuple[Family, ...] = (
    Family("received", _requests(lambda r: r.submitted), (("requests_received", count),)),
    Family(
        "matched",
        _requests(lambda r: r.matched),
        (
            ("requests_matched", count),
            ("days_to_match_median", rank(0.5)),
            ("days_to_match_p90", rank(0.9)),
        ),
    ),
    Family("contracted", _requests(lambda r: r.contracted), (("contracted", count),)),
    Family(
        "in_progress",
        _in_progress,
        (("in_progress", count),),
        groupings=REQUEST_GROUPINGS,
    ),
    Family("completed", _requests(lambda r: r.completed), (("completed", count),)),
    Family("ended_early", _ended(None), (("ended_early", count),)),
    *(
        Family(
            f"ended_early_{reason.value}",
            _ended(reason.value),
            ((f"ended_early_{reason.value}", count),),
        )
        for reason in EndReason
    ),
    Family(
        "waiting",
        _waiting,
        (("waiting", count), ("waiting_days_median", rank(0.5))),
        additive=False,
    ),
    Family(
        "first_session",
        _requests(lambda r: r.first_session),
        (
            ("first_sessions", count),
            ("days_to_first_session_median", rank(0.5)),
            ("days_to_first_session_p90", rank(0.9)),
        ),
    ),
    Family(
        "held",
        _sessions("held"),
        (("sessions_held", count), ("hours_delivered", total(0))),
        groupings=SESSION_GROUPINGS,
    ),
    Family("no_show", _sessions("no_show"), (("no_shows", count),), groupings=SESSION_GROUPINGS),
    Family(
        "external",
        _sessions("held", external=True),
        (("external_sessions", count), ("external_spend", total(1, 2))),
    ),
    Family(
        "booked",
        _sessions("held", "planned", "no_show"),
        (("hours_booked", total(0)),),
        groupings=SESSION_GROUPINGS,
    ),
    Family(
        "evaluations",
        _answers,
        (
            ("evaluations", count),
            ("satisfaction", mean(0)),
            ("would_recommend", mean(1)),
            ("objectives_reached", mean(2)),
        ),
        groupings=("unit", "type", "coach_kind"),
        grains=(Grain.quarter, Grain.year),
    ),
)
