"""HR's request pipeline (issue 14 item 2): each request's state, the list's search,
filters and sort as GET parameters, the counts per state, duplicates and the CSV export.

A programme holds hundreds of requests, not millions: the rows are read once with their
coachee, latest engagement and its coach, then filtered, counted and sorted here, so the
state rules are written once, in plain Python, and read the same on both databases.
Nothing here reads a request's description or objectives (`RequestHRView` has neither).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from api.models import Coach, CoachingRequest, Engagement, Person, Proposal
from api.models.enums import EngagementStatus, RequestStatus, RequestType
from api.requests.schemas import RequestHRView
from api.web import lists

# An open request waits once it has been open this long without a coach.
WAITING_DAYS = 14
MAX_DAYS = 3650


class State(StrEnum):
    new = "new"  # open, never proposed, younger than WAITING_DAYS
    waiting = "waiting"  # open for longer (or again, after proposals), or proposals to decide
    proposed = "proposed"  # a coach is confirmed: the contract awaits acknowledgements
    contracted = "contracted"
    in_progress = "in_progress"
    completed = "completed"
    ended = "ended"
    cancelled = "cancelled"


ENGAGED: Mapping[EngagementStatus, State] = {
    EngagementStatus.proposed: State.proposed,
    EngagementStatus.contracted: State.contracted,
    EngagementStatus.in_progress: State.in_progress,
    EngagementStatus.midway_review: State.in_progress,
    EngagementStatus.closing: State.in_progress,
    EngagementStatus.on_hold: State.in_progress,
    EngagementStatus.flagged: State.in_progress,
    EngagementStatus.reassigned: State.in_progress,
    EngagementStatus.completed: State.completed,
    EngagementStatus.ended_early: State.ended,
}
# A coachee with another request in one of these has a duplicate (HR decides).
ACTIVE = frozenset({State.new, State.waiting, State.proposed, State.contracted, State.in_progress})


class Sort(StrEnum):
    submitted = "submitted"
    waiting = "waiting"
    priority = "priority"
    coachee = "coachee"


class Kind(StrEnum):
    internal = "internal"
    external = "external"


@dataclass(frozen=True)
class Duplicate:
    """Another request of the same coachee still under way: HR reads it by its date."""

    id: int
    submitted_at: datetime


@dataclass(frozen=True)
class Row:
    view: RequestHRView
    state: State
    days: int  # since submitted
    name: str
    email: str
    external_id: str
    unit: str
    site: str
    coach_kind: str  # "" without an engagement
    duplicates: tuple[Duplicate, ...] = ()
    cancel_reason: str = ""  # HR's words: shown on HR's pages, never in the CSV


@dataclass(frozen=True)
class Query:
    """The list's GET parameters, checked; `errors` names the ones refused (by field)."""

    state: State | None = None
    q: str = ""
    coaching_type: RequestType | None = None
    unit: str = ""
    site: str = ""
    kind: Kind | None = None
    waited: int | None = None  # more than this many days since submitted
    sort: Sort = Sort.submitted
    descending: bool = True
    page: int = 1
    values: dict[str, str] = field(default_factory=dict)  # as typed, for the form
    errors: dict[str, str] = field(default_factory=dict)  # field -> catalog key

    def kept(self, *, state: bool = True) -> dict[str, str | None]:
        """The parameters to keep in the pager's and the tabs' links."""
        kept: dict[str, str | None] = {k: v for k, v in self.values.items() if k != "page"}
        if not state:
            kept.pop("state", None)
        return kept


SPEC = lists.Spec(
    sorts=Sort,
    sort=Sort.submitted,
    choices={"state": State, "coaching_type": RequestType, "kind": Kind},
    texts=("unit", "site"),
    numbers={"waited": (0, MAX_DAYS)},
    prefix="pipeline.invalid",
)


def parse(params: Mapping[str, str]) -> Query:
    """The query string's values, each checked; a wrong one is reported, never raised."""
    base = lists.parse(params, SPEC)
    chosen = base.chosen
    return Query(
        state=chosen.get("state"),
        q=base.q,
        coaching_type=chosen.get("coaching_type"),
        unit=base.values.get("unit", ""),
        site=base.values.get("site", ""),
        kind=chosen.get("kind"),
        waited=chosen.get("waited"),
        sort=Sort(base.sort),
        descending=base.descending,
        page=base.page,
        values=base.values,
        errors=base.errors,
    )


def state_of(
    status: RequestStatus, engagement: EngagementStatus | None, days: int, proposed: bool
) -> State:
    if status == RequestStatus.cancelled:
        return State.cancelled
    if engagement is not None:
        return ENGAGED[engagement]
    if status == RequestStatus.open:
        return State.new if days <= WAITING_DAYS and not proposed else State.waiting
    if status == RequestStatus.proposed:
        return State.waiting
    if status == RequestStatus.matched:
        return State.proposed
    return State.ended  # closed without an engagement


def rows(session: Session, now: datetime) -> list[Row]:
    """Every request with its state and its coachee's other active requests."""
    requests = session.exec(select(CoachingRequest).order_by(col(CoachingRequest.id))).all()
    people = {
        p.id: p
        for p in session.exec(
            select(Person).where(col(Person.id).in_({r.coachee_id for r in requests}))
        )
    }
    latest: dict[int, tuple[EngagementStatus | None, str]] = {}
    engaged = session.exec(
        select(Engagement.request_id, Engagement.status, Coach.kind)
        .join(Coach, col(Coach.id) == col(Engagement.coach_id))
        .order_by(col(Engagement.id))
    )
    for request_id, engagement, coach_kind in engaged:
        latest[request_id] = (EngagementStatus(engagement), str(coach_kind))
    ever_proposed = set(session.exec(select(Proposal.request_id).distinct()))
    built: list[Row] = []
    for r in requests:
        assert r.id is not None
        person = people.get(r.coachee_id)
        days = max(0, (now - r.submitted_at).days)
        status, kind = latest.get(r.id, (None, ""))
        built.append(
            Row(
                view=RequestHRView.model_validate(r, from_attributes=True),
                state=state_of(r.status, status, days, r.id in ever_proposed),
                days=days,
                name=person.name if person else "—",
                email=person.email if person else "",
                external_id=person.external_id if person else "",
                unit=person.unit if person else "",
                site=person.site if person else "",
                coach_kind=kind.lower(),
                cancel_reason=(r.status == RequestStatus.cancelled and r.cancel_reason) or "",
            )
        )
    active: dict[int, list[Duplicate]] = {}
    for row in built:
        if row.state in ACTIVE:
            active.setdefault(row.view.coachee_id, []).append(
                Duplicate(row.view.id, row.view.submitted_at)
            )
    return [
        Row(**{**row.__dict__, "duplicates": tuple(d for d in others if d.id != row.view.id)})
        if row.state in ACTIVE and len(others := active[row.view.coachee_id]) > 1
        else row
        for row in built
    ]


def active_requests_of(session: Session, now: datetime, coachee_id: int) -> list[Duplicate]:
    """The coachee's requests still under way (for the new request form's warning)."""
    return [
        Duplicate(r.view.id, r.view.submitted_at)
        for r in rows(session, now)
        if r.view.coachee_id == coachee_id and r.state in ACTIVE
    ]


def _matches(row: Row, query: Query) -> bool:
    if not lists.found(query.q, row.name, row.email, row.external_id):
        return False
    checks = (
        (query.coaching_type, row.view.coaching_type),
        (query.unit or None, row.unit),
        (query.site or None, row.site),
        (query.kind, row.coach_kind),
    )
    if any(wanted is not None and wanted != have for wanted, have in checks):
        return False
    return query.waited is None or row.days > query.waited


def selected(all_rows: list[Row], query: Query) -> tuple[list[Row], dict[State, int]]:
    """The rows the query keeps (state tab included), sorted, and the count per state of
    the rows its other filters keep."""
    kept = [r for r in all_rows if _matches(r, query)]
    counts = {s: 0 for s in State}
    for r in kept:
        counts[r.state] += 1
    if query.state is not None:
        kept = [r for r in kept if r.state == query.state]
    keys = {
        Sort.submitted: lambda r: (r.view.submitted_at, r.view.id),
        Sort.waiting: lambda r: (r.days, r.view.id),
        Sort.priority: lambda r: (r.view.priority, r.view.id),
        Sort.coachee: lambda r: (lists.folded(r.name), r.view.id),
    }
    kept.sort(key=keys[query.sort], reverse=query.descending)
    return kept, counts


def as_csv(found: list[Row], header: list[str], labels: Mapping[str, str]) -> bytes:
    """The list as CSV (`lists.as_csv`); no description or objectives: the rows have none."""
    return lists.as_csv(
        header,
        (
            [
                r.view.id,
                r.name,
                r.external_id,
                r.email,
                r.unit,
                r.site,
                labels.get(f"type.{r.view.coaching_type}", r.view.coaching_type),
                labels.get(f"state.{r.state}", r.state),
                labels.get(f"kind.{r.coach_kind}", "") if r.coach_kind else "",
                r.view.priority,
                r.view.submitted_at.date().isoformat(),
                r.days,
                " ".join(f"#{d.id}" for d in r.duplicates),
            ]
            for r in found
        ),
    )
