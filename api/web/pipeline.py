"""HR's request pipeline (issue 14 item 2): each request's state, the list's search,
filters and sort as GET parameters, the counts per state, duplicates and the CSV export.

A programme holds hundreds of requests, not millions: the rows are read once with their
coachee, latest engagement and its coach, then filtered, counted and sorted here, so the
state rules are written once, in plain Python, and read the same on both databases.
Nothing here reads a request's description or objectives (`RequestHRView` has neither).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from api.models import Coach, CoachingRequest, Engagement, Person, Proposal
from api.models.enums import EngagementStatus, RequestStatus, RequestType
from api.reports.service import spreadsheet_safe
from api.requests.schemas import RequestHRView

# An open request waits once it has been open this long without a coach.
WAITING_DAYS = 14
MAX_DAYS = 3650
MAX_SEARCH = 200


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
    duplicates: tuple[int, ...] = ()


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


PARAMS = ("state", "q", "coaching_type", "unit", "site", "kind", "waited", "sort", "order", "page")


def parse(params: Mapping[str, str]) -> Query:
    """The query string's values, each checked; a wrong one is reported, never raised."""
    values = {k: params.get(k, "").strip() for k in PARAMS}
    errors: dict[str, str] = {}

    def member(name: str, enum: type[StrEnum]) -> StrEnum | None:
        if not values[name]:
            return None
        try:
            return enum(values[name])
        except ValueError:
            errors[name] = "pipeline.invalid.choice"
            return None

    def number(name: str, low: int, high: int) -> int | None:
        if not values[name]:
            return None
        text = values[name]
        if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
            errors[name] = f"pipeline.invalid.{name}"
            return None
        return int(text)

    state = member("state", State)
    coaching_type = member("coaching_type", RequestType)
    kind = member("kind", Kind)
    sort = member("sort", Sort)
    if values["order"] not in ("", "asc", "desc"):
        errors["order"] = "pipeline.invalid.choice"
    if len(values["q"]) > MAX_SEARCH:
        errors["q"] = "pipeline.invalid.q"
    waited = number("waited", 0, MAX_DAYS)
    page = number("page", 1, 10**9)
    return Query(
        state=State(state) if state else None,
        q=values["q"] if "q" not in errors else "",
        coaching_type=RequestType(coaching_type) if coaching_type else None,
        unit=values["unit"],
        site=values["site"],
        kind=Kind(kind) if kind else None,
        waited=waited,
        sort=Sort(sort) if sort else Sort.submitted,
        descending=values["order"] != "asc",
        page=page or 1,
        values={k: v for k, v in values.items() if v},
        errors=errors,
    )


def folded(text: str) -> str:
    """Lower case without accents: "Hélène" and "helene" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
            )
        )
    active: dict[int, list[int]] = {}
    for row in built:
        if row.state in ACTIVE:
            active.setdefault(row.view.coachee_id, []).append(row.view.id)
    return [
        Row(**{**row.__dict__, "duplicates": tuple(i for i in others if i != row.view.id)})
        if row.state in ACTIVE and len(others := active[row.view.coachee_id]) > 1
        else row
        for row in built
    ]


def active_requests_of(session: Session, now: datetime, coachee_id: int) -> list[int]:
    """The coachee's requests still under way (for the new request form's warning)."""
    return [
        r.view.id
        for r in rows(session, now)
        if r.view.coachee_id == coachee_id and r.state in ACTIVE
    ]


def _matches(row: Row, query: Query) -> bool:
    if query.q:
        needle = folded(query.q)
        if not any(needle in folded(h) for h in (row.name, row.email, row.external_id)):
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
        Sort.coachee: lambda r: (folded(r.name), r.view.id),
    }
    kept.sort(key=keys[query.sort], reverse=query.descending)
    return kept, counts


def as_csv(found: list[Row], header: list[str], labels: Mapping[str, str]) -> bytes:
    """The list as CSV in UTF-8 with a BOM (Excel reads the accents right), text cells
    quoted as the reports' CSV does; no description or objectives: the rows have none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in found:
        v = r.view
        writer.writerow(
            [
                v.id,
                spreadsheet_safe(r.name),
                spreadsheet_safe(r.external_id),
                spreadsheet_safe(r.email),
                spreadsheet_safe(r.unit),
                spreadsheet_safe(r.site),
                labels.get(f"type.{v.coaching_type}", v.coaching_type),
                labels.get(f"state.{r.state}", r.state),
                labels.get(f"kind.{r.coach_kind}", "") if r.coach_kind else "",
                v.priority,
                v.submitted_at.date().isoformat(),
                r.days,
                " ".join(f"#{i}" for i in r.duplicates),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
