"""HR's page of one engagement: states, dates, codes and how far the contract is (who
acknowledged which version) — never its objectives, which HR's services do not return —
and the moves HR makes: reassign (a coach change, or a flagged engagement) and keep a
flagged engagement (`/hr/engagements/{id}/clear-flag`, in `hr.py`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.coaches import service as coaches
from api.deps import ClockDep, SessionDep, SettingsDep
from api.engagements import contract, transitions
from api.engagements import service as engagements
from api.engagements.lifecycle import ALLOWED, Action
from api.models import CoachingRequest, Engagement
from api.types import RowId
from api.web import forms, lookups
from api.web.csrf import checked_form
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


@router.post("/hr/engagements/{engagement_id}/reassign")
def reassign(
    request: Request,
    viewer: HRPage,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    engagement_id: RowId,
) -> Response:
    """Another coach now (checked like a proposal), or the request open for the next
    round; the current coach is excluded from it either way."""
    raw = forms.text(form, "coach_id")
    try:
        if forms.text(form, "confirm") != "yes":
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
