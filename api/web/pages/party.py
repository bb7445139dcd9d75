"""Pages of the people a request is about: coachees, sponsors and (reading) coaches.

The confidential brief (description, objectives) is shown here, and only here: the
service functions return a request only to its coachee, its sponsor or its coach, and
this page shows the brief to the coachee and the coach only (the coachee alone edits it).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.audit.reads import brief_read
from api.deps import ClockDep, SessionDep
from api.engagements import service as engagements
from api.i18n import t
from api.models import CoachingRequest
from api.models.enums import Role
from api.requests import service as requests
from api.requests.schemas import RequestBriefUpdate
from api.types import RowId
from api.web import forms, lookups
from api.web.actions import act
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, PageForm
from api.web.paging import pager, with_total
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import EngagementPage, PartyPage, SignedIn, need

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
BriefEditor = Annotated[SignedIn, Depends(need(Role.coachee, Role.sponsor))]
Coachee = Annotated[SignedIn, Depends(need(Role.coachee))]


@router.get("/my/requests")
def my_requests_page(
    request: Request, viewer: PartyPage, session: SessionDep, page: int = 1
) -> Response:
    p = pager(page, {})
    rows, total = requests.my_requests(
        session=session, user=viewer.user, limit=p.limit, offset=p.offset
    )
    ids = [r.coachee_id for r in rows] + [r.sponsor_id for r in rows]
    return render(
        request,
        viewer,
        "my/requests.html",
        requests=rows,
        pager=with_total(p, total),
        names=lookups.person_names(session, ids),
    )


def _request_page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    row: CoachingRequest,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    party = requests.party_of(viewer.user, row)
    if party in ("coachee", "coach"):
        brief_read(session, viewer.user, [row])  # in the audit log before it is shown
    return render(
        request,
        viewer,
        "my/request.html",
        status=status,
        item=row,
        names=lookups.person_names(session, [row.coachee_id, row.sponsor_id]),
        brief_visible=party in ("coachee", "coach"),
        can_edit=party == "coachee" and row.status in requests.BRIEF_EDITABLE,
        can_cancel=party == "coachee" and row.status in requests.CANCELLABLE,
        **extra,
    )


@router.get("/my/requests/{request_id}")
def my_request_page(
    request: Request, viewer: PartyPage, session: SessionDep, request_id: RowId
) -> Response:
    row = requests.my_request(session=session, user=viewer.user, request_id=request_id)
    return _request_page(request, viewer, session, row)


class BriefForm(PageForm):
    """The confidential brief (`RequestBriefUpdate` validates it)."""

    description: str = ""
    objectives: str = ""


@router.post("/my/requests/{request_id}")
def update_brief(
    request: Request,
    viewer: BriefEditor,
    form: Form,
    data: Annotated[BriefForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    request_id: RowId,
) -> Response:
    user = viewer.user
    values = data.model_dump()
    try:
        forms.attempt(
            lambda: requests.update_brief(
                session=session,
                user=user,
                request_id=request_id,
                data=forms.validate(RequestBriefUpdate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        row = requests.my_request(session=session, user=user, request_id=request_id)
        return _request_page(
            request,
            viewer,
            session,
            row,
            status=exc.status,
            errors=exc.errors,
            values=forms.shown(form),
        )
    return redirect(f"/my/requests/{request_id}", flash="flash.brief_saved")


@router.get("/my/requests/{request_id}/cancel")
def cancel_own_request_page(
    request: Request, viewer: Coachee, session: SessionDep, request_id: RowId
) -> Response:
    """What withdrawing does, in plain words, before it is done (issue 14 item 5)."""
    user = viewer.user
    row = requests.my_request(session=session, user=user, request_id=request_id)
    if row.status not in requests.CANCELLABLE:
        return redirect(f"/my/requests/{request_id}")
    lang = viewer.lang
    confirm = {
        "title": t("safe.own_request.title", lang),
        "question": t("safe.own_request.question", lang),
        "effects": [t("safe.own_request.effect", lang), t("safe.own_request.no_undo", lang)],
        "action": f"/my/requests/{request_id}/cancel",
        "hidden": {},
        "reason": "optional",
        "submit": t("my_requests.withdraw_submit", lang),
        "back": f"/my/requests/{request_id}",
    }
    return render(request, viewer, "confirm.html", confirm=confirm)


@router.post("/my/requests/{request_id}/cancel")
def cancel_own_request(
    request: Request,
    viewer: Coachee,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    request_id: RowId,
) -> Response:
    """Only with the confirmation's `confirm` (else to the confirmation, nothing done)."""
    user = viewer.user
    row = requests.my_request(session=session, user=user, request_id=request_id)
    if not data.confirmed:
        return redirect(f"/my/requests/{request_id}/cancel")
    reason = data.reason[:500]
    return act(
        request,
        viewer,
        lambda: requests.cancel_request(
            session=session, request=row, now=clock.now(), reason=reason
        ),
        done=f"/my/requests/{request_id}",
        flash="flash.request_cancelled",
    )


@router.get("/my/engagements")
def my_engagements_page(request: Request, viewer: EngagementPage, session: SessionDep) -> Response:
    rows = engagements.my_engagements(session=session, user=viewer.user)
    ids = [e.coachee_id for e in rows] + [e.sponsor_id for e in rows]
    return render(
        request,
        viewer,
        "my/engagements.html",
        engagements=rows,
        names=lookups.person_names(session, ids),
    )


@router.get("/my/sessions")
def my_sessions_page(
    request: Request,
    viewer: EngagementPage,
    session: SessionDep,
    clock: ClockDep,
    past: bool = False,
    page: int = 1,
) -> Response:
    p = pager(page, {"past": "1" if past else None})
    now = clock.now()
    rows, total = engagements.list_sessions(
        session=session,
        user=viewer.user,
        engagement_id=None,
        start=None if past else now,
        end=now if past else None,
        status=None,
        limit=p.limit,
        offset=p.offset,
        attended=True,
    )
    mine = {e.id: e for e in engagements.my_engagements(session=session, user=viewer.user)}
    return render(
        request,
        viewer,
        "my/sessions.html",
        sessions=rows,
        engagements=mine,
        past=past,
        pager=with_total(p, total),
        names=lookups.person_names(session, [e.coachee_id for e in mine.values()]),
    )
