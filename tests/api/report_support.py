"""Reports' tests: a synthetic programme written to the database (an org chart with two
unit levels, sites, requests, engagements and sessions in 2025, some groups small), its
ground truth kept beside it, and the differencing attack run over every report."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from api_support import add_coach, add_engagement, add_person, add_request, add_session
from sqlmodel import Session

from api.models import Person
from api.models.enums import CoachKind, EngagementStatus, SessionStatus
from api.reports import periods

YEAR = 2025
# level-1 unit -> its teams (level 2) with their sizes; some teams are small on purpose
ORG = {
    "Finance": {"Compta": 9, "Controle": 3},
    "IT": {"Infra": 7, "Dev": 12, "Data": 2},
    "Ventes": {"Nord": 8, "Sud": 1},
}
SITES = ("Paris", "Lyon", "Lille")
TYPES = ("coaching", "mediation", "tutoring")


@dataclass(frozen=True)
class Member:
    person: int
    unit1: str
    unit2: str
    site: str


@dataclass
class Truth:
    """What the test wrote: each request and session with the groups it falls in."""

    requests: dict[int, tuple[Member, str, str, date]] = field(default_factory=dict)
    # request id -> (member, type, coach kind, submitted day)
    sessions: dict[int, tuple[int, date]] = field(default_factory=dict)  # id -> request, day
    coach_of: dict[int, str] = field(default_factory=dict)  # request id -> its coach's name


def _local_noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def build_programme(db: Session, *, seed: int = 0, requests: int = 70) -> Truth:
    rng = random.Random(seed)
    ceo = add_person(db, "CEO", unit="DG", site="Paris")
    members: list[Member] = []
    n = itertools.count(1)
    for unit1, teams in ORG.items():
        head = add_person(db, f"H{next(n)}", manager=ceo, unit=unit1, site="Paris")
        for unit2, size in teams.items():
            lead = add_person(db, f"L{next(n)}", manager=head, unit=unit2, site=rng.choice(SITES))
            for _ in range(size):
                site = rng.choice(SITES)
                p: Person = add_person(db, f"M{next(n)}", manager=lead, unit=unit2, site=site)
                members.append(Member(p.id or 0, unit1, unit2, site))
    coach_people = [add_person(db, f"C{i}", unit="Coaching", site="Paris") for i in range(3)]
    coaches = [add_coach(db, person=p, hours_per_month=20) for p in coach_people]
    coaches.append(add_coach(db))  # external
    truth = Truth()
    for _ in range(requests):
        member = rng.choice(members)
        kind_type = rng.choice(TYPES)
        submitted = date(YEAR, 1, 1) + timedelta(days=rng.randrange(330))
        person = db.get_one(Person, member.person)
        request = add_request(db, person, coaching_type=kind_type)
        request.submitted_at = _local_noon(submitted)
        db.add(request)
        db.commit()
        coach_kind = "none"
        if rng.random() < 0.7:
            coach = rng.choice(coaches)
            coach_kind = coach.kind.value
            truth.coach_of[request.id or 0] = coach.name or ""
            engagement = add_engagement(db, request, coach, status=EngagementStatus.in_progress)
            engagement.confirmed_at = _local_noon(submitted + timedelta(days=rng.randrange(3, 40)))
            db.add(engagement)
            db.commit()
            first = engagement.confirmed_at.date() + timedelta(days=7)
            for number in range(1, rng.randrange(2, 6)):
                day = first + timedelta(days=14 * (number - 1))
                if day.year != YEAR:
                    break
                row = add_session(db, engagement, number=number, start=_local_noon(day))
                row.status = SessionStatus.held
                db.add(row)
                db.commit()
                truth.sessions[row.id or 0] = (request.id or 0, day)
        truth.requests[request.id or 0] = (member, kind_type, coach_kind, submitted)
    assert CoachKind.EXTERNAL.value in {c.kind.value for c in coaches}
    return truth


# The reports HR can ask about the year: every period, every grouping.
BYS: tuple[tuple[str | None, int], ...] = (
    (None, 1),
    ("unit", 1),
    ("unit", 2),
    ("site", 1),
    ("type", 1),
    ("coach_kind", 1),
    ("coach", 1),  # sessions only: requests have no row there
)


def every_report() -> list[tuple[periods.Period, str | None, int]]:
    return [(p, by, level) for p in periods.of_year(YEAR) for by, level in BYS]


def group_of(member: Member, kind_type: str, coach_kind: str, by: str | None, level: int) -> str:
    if by is None:
        return "all"
    if by == "unit":
        if level == 1:
            return member.unit1
        return member.unit1 if member.unit2 == member.unit1 else f"{member.unit1} / {member.unit2}"
    return {"site": member.site, "type": kind_type, "coach_kind": coach_kind}[by]


@dataclass(frozen=True)
class Seen:
    """A visible cell: which report and row, its value, the contributions behind it."""

    report: tuple[str, str | None, int]
    group: str
    value: float
    ids: frozenset[int]


def isolations(
    cells: Iterable[Seen], owners: Mapping[int, int], k: int
) -> list[tuple[str, Seen, tuple[Seen, ...], int]]:
    """Every way the attack finds to compute a group of 1 to k-1 people from visible
    cells: a cell itself, a difference of two (one holding the other), a cell minus two
    disjoint cells inside it, a cell minus all the visible rows of one report inside it,
    and a cell minus the visible sub-periods of its own group."""

    def people(ids: Iterable[int]) -> int:
        return len({owners[i] for i in ids})

    def bad(ids: frozenset[int]) -> bool:
        return 0 < people(ids) < k

    cells = list(cells)
    size = {c: people(c.ids) for c in cells}
    found: list[tuple[str, Seen, tuple[Seen, ...], int]] = []
    for a in cells:
        if bad(a.ids):
            found.append(("cell", a, (), people(a.ids)))
    nonempty = [c for c in cells if c.ids]
    for a in nonempty:
        inside = [b for b in nonempty if b.ids < a.ids]
        for b in inside:
            if bad(a.ids - b.ids):
                found.append(("difference", a, (b,), people(a.ids - b.ids)))
        for b, c in itertools.combinations(inside, 2):
            if size[a] - size[b] - size[c] >= k:
                continue  # at least k people are left whatever the overlap: no need to look
            if not (b.ids & c.ids) and bad(a.ids - b.ids - c.ids):
                found.append(("two parts", a, (b, c), people(a.ids - b.ids - c.ids)))
        by_report: dict[tuple[str, str | None, int], list[Seen]] = {}
        for b in inside:
            by_report.setdefault(b.report, []).append(b)
        for parts in by_report.values():
            rest = a.ids.difference(*(b.ids for b in parts))
            if bad(rest):
                found.append(("report's rows", a, tuple(parts), people(rest)))
        same_group = [b for b in inside if b.group == a.group and b.report[1:] == a.report[1:]]
        for grain in ("quarter", "month"):
            parts = [b for b in same_group if _grain(b.report[0]) == grain]
            if parts and not _overlap(parts):
                rest = a.ids.difference(*(b.ids for b in parts))
                if bad(rest):
                    found.append(("sub-periods", a, tuple(parts), people(rest)))
    return found


def _grain(label: str) -> str:
    return "year" if len(label) == 4 else "quarter" if "Q" in label else "month"


def _overlap(parts: list[Seen]) -> bool:
    seen: set[int] = set()
    for b in parts:
        if seen & b.ids:
            return True
        seen |= b.ids
    return False


def attack(
    ask: Callable[[periods.Period, str | None, int], list[dict[str, object]]],
    truth: Truth,
    k: int,
) -> tuple[list[Seen], int, list[tuple[str, Seen, tuple[Seen, ...], int]]]:
    """Ask every report; for requests received and sessions held, pair each visible cell
    with the contributions the test knows are behind it (checking the value), and count
    the suppressed ones. Returns the visible cells, the number suppressed, and every
    isolation found (over requests, then sessions)."""
    seen: dict[str, list[Seen]] = {"requests_received": [], "sessions_held": []}
    suppressed = 0
    for period, by, level in every_report():
        rows = ask(period, by, level)
        report = (period.label, by, level)
        for row in rows:
            group = str(row["group"])
            for column in seen:
                value = row.get(column)
                if value is None:
                    suppressed += column in row
                    continue
                ids = frozenset(_truth_ids(truth, column, period, by, level, group))
                assert value == len(ids), (report, group, column, value, sorted(ids))
                seen[column].append(Seen(report, group, float(value), ids))  # type: ignore[arg-type]
    owners_requests = {rid: member.person for rid, (member, *_) in truth.requests.items()}
    owners_sessions = {
        sid: truth.requests[rid][0].person for sid, (rid, _) in truth.sessions.items()
    }
    found = isolations(seen["requests_received"], owners_requests, k)
    found += isolations(seen["sessions_held"], owners_sessions, k)
    return seen["requests_received"] + seen["sessions_held"], suppressed, found


def _truth_ids(
    truth: Truth, column: str, period: periods.Period, by: str | None, level: int, group: str
) -> list[int]:
    out = []
    if group == "all":
        by = None
    if column == "requests_received":
        for rid, (member, kind_type, coach_kind, day) in truth.requests.items():
            if period.holds(day) and group_of(member, kind_type, coach_kind, by, level) == group:
                out.append(rid)
    else:
        for sid, (rid, day) in truth.sessions.items():
            member, kind_type, coach_kind, _ = truth.requests[rid]
            if by == "coach":
                mine = truth.coach_of.get(rid) == group
            else:
                mine = group_of(member, kind_type, coach_kind, by, level) == group
            if period.holds(day) and mine:
                out.append(sid)
    return out
