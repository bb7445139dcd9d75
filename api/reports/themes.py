"""Weak signals: the themes coaches tag their engagements with, counted per published
period and coarse unit (the org chart's level 1), suppressed like the indicators.

Each theme is a family of the indicators' engine (`api.reports.families`): its events are
the engagements tagged with it that had a session held in the period (one event per
engagement, whatever the period, so a month's engagements are inside its quarter's), and
the year's lattice of every report is suppressed at once (`api.reports.suppression`):
primary below k, complementary in every sum, and no difference of reports leaving a
group below k. So `GET /reports/themes` has the protection of `/reports/indicators`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlmodel import Session, col, select

from api.models import (
    CoachingRequest,
    CoachingSession,
    Engagement,
    EngagementTheme,
    Person,
    Theme,
)
from api.models.enums import SessionStatus
from api.settings import Settings

from .facts import Place, Programme
from .families import Event, Family, count
from .indicators import Report, YearTables, report, tables_of
from .load import _levels
from .periods import Grain, Period

GROUPINGS = ("unit",)
TAGGED = "engagements"


@dataclass(frozen=True)
class TaggedEngagement:
    id: int
    person: int  # the coachee: the person the engagement describes
    place: Place
    held: tuple[date, ...]  # the days a session was held
    themes: frozenset[str]


@dataclass(frozen=True)
class ThemeFacts:
    engagements: tuple[TaggedEngagement, ...] = ()
    themes: tuple[tuple[str, str, str], ...] = ()  # (code, label_en, label_fr), by code


def column(code: str) -> str:
    return f"theme_{code}"


def _events(code: str | None, facts: ThemeFacts) -> Family:
    def events(programme: Programme, period: Period) -> list[Event]:
        return [
            Event(e.id, e.person, e.place)
            for e in facts.engagements
            if (e.themes if code is None else code in e.themes)
            and any(period.holds(day) for day in e.held)
        ]

    name = TAGGED if code is None else column(code)
    return Family(
        name,
        events,
        ((name, count),),
        groupings=GROUPINGS,
        additive=False,  # an engagement spans months: a quarter is not the sum of them
        grains=(Grain.month, Grain.quarter, Grain.year),
    )


@lru_cache(maxsize=8)
def theme_tables(facts: ThemeFacts, year: int, *, k: int, today: date) -> YearTables:
    """Every closed period of `year`, the tagged engagements and each theme, suppressed."""
    families = (_events(None, facts), *(_events(code, facts) for code, _, _ in facts.themes))
    return tables_of(Programme(), families, year, k=k, today=today)


def theme_report(tables: YearTables, period: Period, by: str) -> Report:
    return report(tables, period, by)


def load_themes(*, session: Session, settings: Settings) -> ThemeFacts:
    """The tagged engagements with their held sessions' days and the coachee's unit."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.default_timezone)
    themes = {t.id: t for t in session.exec(select(Theme).order_by(col(Theme.code)))}
    tags: dict[int, set[str]] = {}
    for row in session.exec(select(EngagementTheme)):
        if row.theme_id in themes:
            tags.setdefault(row.engagement_id, set()).add(themes[row.theme_id].code)
    people = {p.id or 0: p for p in session.exec(select(Person))}
    levels = _levels(people)
    held: dict[int, list[date]] = {}
    for s in session.exec(
        select(CoachingSession).where(
            col(CoachingSession.engagement_id).in_(list(tags)),
            CoachingSession.status == SessionStatus.held,
        )
    ):
        held.setdefault(s.engagement_id, []).append(s.start_at.astimezone(zone).date())
    engagements = []
    for e, r in session.exec(
        select(Engagement, CoachingRequest)
        .where(col(Engagement.id).in_(list(tags)), Engagement.request_id == CoachingRequest.id)
        .order_by(col(Engagement.id))
    ):
        eid = e.id or 0
        unit1, _ = levels.get(r.coachee_id, ("", ""))
        engagements.append(
            TaggedEngagement(
                id=eid,
                person=r.coachee_id,
                place=Place(unit1=unit1),
                held=tuple(sorted(held.get(eid, []))),
                themes=frozenset(tags[eid]),
            )
        )
    return ThemeFacts(
        engagements=tuple(engagements),
        themes=tuple((t.code, t.label_en, t.label_fr) for t in themes.values()),
    )


def themes_for(
    *, session: Session, settings: Settings, start: date, end: date, by: str | None, today: date
) -> tuple[Report, YearTables, ThemeFacts]:
    """The theme report for a published period (a 422 naming the field otherwise)."""
    from .service import period_of

    period = period_of(start, end, today)
    facts = load_themes(session=session, settings=settings)
    tables = theme_tables(facts, period.start.year, k=settings.report_k, today=today)
    return theme_report(tables, period, by or "all"), tables, facts


def visible_values(tables: YearTables, period: Period) -> set[float]:
    """Every visible cell's value in the period's reports (the total and by unit)."""
    out: set[float] = set()
    for by in ("all", *GROUPINGS):
        for row in theme_report(tables, period, by).rows:
            out.update(v for v in row.values.values() if v is not None)
    return out
