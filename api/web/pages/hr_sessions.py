"""HR's sessions: the list with its dates (from, to: the coming sessions unless said),
filters (state, coach), sort, pages and CSV export (`api.web.lists`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from api.coaches import service as coaches
from api.deps import ClockDep, SessionDep
from api.engagements import service as engagements
from api.i18n import t
from api.i18n.dates import zone
from api.models import CoachingSession
from api.models.enums import SessionStatus
from api.types import MAX_ROW_ID
from api.web import lists, lookups
from api.web.render import render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()


class Sort(StrEnum):
    when = "when"
    coach = "coach"
    coachee = "coachee"


SPEC = lists.Spec(
    sorts=Sort,
    sort=Sort.when,
    descending=False,
    choices={"status": SessionStatus},
    numbers={"coach": (1, MAX_ROW_ID)},
    dates=("from", "to"),
)


@dataclass(frozen=True)
class Row:
    item: CoachingSession
    coach_id: int
    coach: str
    coachee: str


KEYS = {
    Sort.when: lambda r: (r.item.start_at, r.item.id),
    Sort.coach: lambda r: (lists.folded(r.coach), r.item.start_at, r.item.id),
    Sort.coachee: lambda r: (lists.folded(r.coachee), r.item.start_at, r.item.id),
}


def _found(session: Session, viewer: SignedIn, query: lists.Query, now: datetime) -> list[Row]:
    """The sessions between the dates (the viewer's days), from now when none is given."""
    if query.errors:
        return []
    here = zone(viewer.zone)
    start, end = query.chosen.get("from"), query.chosen.get("to")
    items, _ = engagements.list_sessions(
        session=session,
        user=None,
        engagement_id=None,
        start=datetime.combine(start, time.min, here) if start else None if end else now,
        end=datetime.combine(end + timedelta(days=1), time.min, here) if end else None,
        status=query.chosen.get("status"),
        limit=MAX_ROW_ID,
        offset=0,
    )
    views, _ = engagements.list_engagements(
        session=session, status=None, coach_id=None, limit=MAX_ROW_ID, offset=0
    )
    by_id = {v.id: v for v in views if v.id in {s.engagement_id for s in items}}
    names = lookups.person_names(session, [v.coachee_id for v in by_id.values()])
    rows = (
        Row(
            item=s,
            coach_id=(v := by_id[s.engagement_id]).coach_id,
            coach=v.coach_name or f"#{v.coach_id}",
            coachee=names.get(v.coachee_id, "—"),
        )
        for s in items
    )
    wanted = query.chosen.get("coach")
    return lists.sorted_rows((r for r in rows if wanted in (None, r.coach_id)), query, KEYS)


def _coaches(session: Session) -> list[tuple[str, str]]:
    """The coach filter's choices, by name."""
    every, _ = coaches.list_coaches(
        session=session, kind=None, active=None, q=None, limit=MAX_ROW_ID, offset=0
    )
    names = lookups.coach_names(session, [c.id for c in every])
    return sorted(((str(i), n) for i, n in names.items()), key=lambda c: lists.folded(c[1]))


@router.get("/hr/sessions")
def sessions_page(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep
) -> Response:
    query = lists.parse(request.query_params, SPEC)
    found = _found(session, viewer, query, clock.now())
    listed = lists.shown(query, found, "/hr/sessions.csv", viewer.lang)
    return render(
        request,
        viewer,
        "hr/sessions.html",
        statuses=list(SessionStatus),
        coaches=_coaches(session),
        sorts=list(Sort),
        **listed,
    )


def _local(value: datetime, viewer: SignedIn) -> str:
    return value.astimezone(zone(viewer.zone)).strftime("%Y-%m-%d %H:%M")


EXPORT = lists.Export[Row](
    "sessions",
    ("lists.col.start", "lists.col.end", "col.session", "col.coach", "col.coachee",
     "col.status"),
    lambda r, viewer: [
        _local(r.item.start_at, viewer), _local(r.item.end_at, viewer), r.item.number, r.coach,
        r.coachee, t(f"status.session.{r.item.status}", viewer.lang),
    ],
)  # fmt: skip
lists.csv_route(router, "/hr/sessions.csv", SPEC, EXPORT, _found, sessions_page)
