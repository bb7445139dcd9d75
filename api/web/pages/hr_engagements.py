"""HR's page of one engagement: states, dates, codes and how far the contract is (who
acknowledged which version) — never its objectives, which HR's services do not return —
and the moves HR makes: reassign (a coach change, or a flagged engagement) and keep a
flagged engagement (`/hr/engagements/{id}/clear-flag`). Also HR's list of engagements,
with its search (coachee or coach), filters (state, coach kind, unit), sort, pages and
CSV export (`api.web.lists`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api.coaches import service as coaches
from api.deps import ClockDep, SessionDep, SettingsDep
from api.engagements import contract, transitions
from api.engagements import service as engagements
from api.engagements.lifecycle import ALLOWED, Action
from api.engagements.schemas import EngagementHRView
from api.i18n import t
from api.models import Coach, CoachingRequest, Engagement, Person
from api.models.enums import CoachKind, EngagementStatus
from api.types import MAX_ROW_ID, RowId
from api.web import forms, lists, lookups
from api.web.actions import act
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
COACH_CHOICES = 500
SESSION_LIMIT = 100


def contract_progress(session: Session, engagement_id: int) -> dict[str, Any]:
    """The contract's version and acknowledgements, without its objectives or frame."""
    engagement = session.get_one(Engagement, engagement_id)
    request = session.get_one(CoachingRequest, engagement.request_id)
    view = contract.contract_view(session, engagement, request)
    return {
        "version": view.version,
        "created_at": view.created_at,
        "parties": view.parties,
        "acknowledged": {a.role: a.acknowledged_at for a in view.acknowledgements},
        "complete": view.complete,
    }


def engagement_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    engagement_id: int,
    *,
    status: int = 200,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Response:
    item = engagements.get_engagement(session=session, engagement_id=engagement_id)
    rows, _ = engagements.list_sessions(
        session=session, user=None, engagement_id=engagement_id, start=None, end=None,
        status=None, limit=SESSION_LIMIT, offset=0,
    )  # fmt: skip
    choices, _ = coaches.list_coaches(
        session=session, kind=None, active=True, q=None, limit=COACH_CHOICES, offset=0
    )
    return render(
        request,
        viewer,
        "hr/engagement.html",
        status=status,
        here=f"/hr/engagements/{engagement_id}",
        item=item,
        names=lookups.person_names(session, [item.coachee_id, item.sponsor_id]),
        sessions=rows,
        progress=contract_progress(session, engagement_id),
        can_reassign=item.state in ALLOWED[Action.reassign],
        can_clear=item.state in ALLOWED[Action.clear_flag],
        coaches=[(str(c.id), c.name or f"#{c.id}") for c in choices if c.id != item.coach_id],
        errors=errors or {},
        values=values or {},
    )


@router.get("/hr/engagements/{engagement_id}")
def hr_engagement_page(
    request: Request, viewer: HRPage, session: SessionDep, engagement_id: RowId
) -> Response:
    return engagement_page(request, viewer, session, engagement_id)


class ReassignForm(ConfirmForm):
    """The reassignment, with its confirmation: a coach's number, or none to open the
    request for the next round."""

    coach_id: str = ""


@router.post("/hr/engagements/{engagement_id}/reassign")
def reassign(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[ReassignForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    """Another coach now (checked like a proposal), or the request open for the next
    round; the current coach is excluded from it either way."""
    raw = data.coach_id
    try:
        if not data.confirmed:
            raise forms.invalid("confirm", "invalid.confirm", viewer.lang)
        if raw and not raw.isdigit():
            raise forms.invalid("coach_id", "invalid.choice", viewer.lang)
        row = forms.attempt(
            lambda: transitions.reassign(
                session=session, settings=settings, engagement_id=engagement_id,
                coach_id=int(raw) if raw else None, now=clock.now(),
            ),
            viewer.lang,
        )  # fmt: skip
    except forms.FormInvalid as exc:
        session.rollback()
        return engagement_page(
            request, viewer, session, engagement_id, status=exc.status,
            errors={"reassign": exc.errors}, values={"reassign": forms.shown(form)},
        )  # fmt: skip
    if row.id != engagement_id:  # a new engagement goes on with the new coach
        return redirect(f"/hr/engagements/{row.id}", flash="flash.engagement_reassigned")
    return redirect(f"/hr/engagements/{engagement_id}", flash="flash.engagement_reopened")


# The list -------------------------------------------------------------------------


class Sort(StrEnum):
    confirmed = "confirmed"
    coachee = "coachee"
    coach = "coach"
    state = "state"


SPEC = lists.Spec(
    sorts=Sort,
    sort=Sort.confirmed,
    choices={"status": EngagementStatus, "kind": CoachKind},
    texts=("unit",),
)


@dataclass(frozen=True)
class Row:
    view: EngagementHRView
    coachee: str
    sponsor: str
    coach: str
    coach_kind: CoachKind
    unit: str


KEYS = {
    Sort.confirmed: lambda r: (r.view.confirmed_at or r.view.created_at, r.view.id),
    Sort.coachee: lambda r: (lists.folded(r.coachee), r.view.id),
    Sort.coach: lambda r: (lists.folded(r.coach), r.view.id),
    Sort.state: lambda r: (r.view.state, r.view.id),
}


def _rows(session: Session) -> list[Row]:
    views, _ = engagements.list_engagements(
        session=session, status=None, coach_id=None, limit=MAX_ROW_ID, offset=0
    )
    ids = {v.coachee_id for v in views} | {v.sponsor_id for v in views if v.sponsor_id}
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}
    kinds = dict(
        session.exec(
            select(Coach.id, Coach.kind).where(col(Coach.id).in_({v.coach_id for v in views}))
        ).all()
    )

    def name(person_id: int | None) -> str:
        person = people.get(person_id) if person_id else None
        return person.name if person else ""

    return [
        Row(
            view=v,
            coachee=name(v.coachee_id) or "—",
            sponsor=name(v.sponsor_id),
            coach=v.coach_name or f"#{v.coach_id}",
            coach_kind=CoachKind(kinds[v.coach_id]),
            unit=people[v.coachee_id].unit if v.coachee_id in people else "",
        )
        for v in views
    ]


def _found(session: Session, viewer: SignedIn, query: lists.Query, now: datetime) -> list[Row]:
    if query.errors:
        return []
    chosen = query.chosen
    kept = (
        r
        for r in _rows(session)
        if lists.found(query.q, r.coachee, r.coach)
        and chosen.get("status") in (None, r.view.state)
        and chosen.get("kind") in (None, r.coach_kind)
        and lists.same(query, "unit", r.unit)
    )
    return lists.sorted_rows(kept, query, KEYS)


@router.get("/hr/engagements")
def engagements_page(
    request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep
) -> Response:
    query = lists.parse(request.query_params, SPEC)
    listed = lists.shown(
        query, _found(session, viewer, query, clock.now()), "/hr/engagements.csv", viewer.lang
    )
    return render(
        request,
        viewer,
        "hr/engagements.html",
        statuses=list(EngagementStatus),
        kinds=list(CoachKind),
        sorts=list(Sort),
        **listed,
    )


EXPORT = lists.Export[Row](
    "engagements",
    ("col.engagement", "col.coach", "field.kind", "col.coachee", "col.unit", "col.sponsor",
     "col.status", "col.confirmed"),
    lambda r, viewer: [
        r.view.id, r.coach, t(f"kind.{r.coach_kind}", viewer.lang), r.coachee, r.unit,
        r.sponsor, t(f"status.engagement.{r.view.state}", viewer.lang),
        r.view.confirmed_at.date().isoformat() if r.view.confirmed_at else "",
    ],
)  # fmt: skip
lists.csv_route(router, "/hr/engagements.csv", SPEC, EXPORT, _found, engagements_page)


@router.post("/hr/engagements/{engagement_id}/clear-flag")
def clear_flag(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    return act(
        request,
        viewer,
        lambda: engagements.clear_flag(
            session=session, engagement_id=engagement_id, now=clock.now()
        ),
        done="/hr/engagements?status=flagged",
        flash="flash.flag_cleared",
    )
