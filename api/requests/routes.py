"""Coaching requests. HR's routes answer with `RequestHRView` (no description); the
coachee and the engaged coach read `RequestPrivateView` (with the brief) under
/me/requests, the sponsor `RequestSponsorView` (without)."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlmodel import Session

from api.audit.reads import brief_read
from api.db import get_or_404
from api.deps import (
    ClockDep,
    CoacheeOrSponsorUser,
    CoacheeUser,
    HRUser,
    PageDep,
    PartyUser,
    SessionDep,
)
from api.errors import Forbidden
from api.models import CoachingRequest, User
from api.models.enums import RequestStatus
from api.schemas import ERRORS, Page, Responses
from api.types import RowId

from . import service
from .participants import CANCEL_COACHEE_ONLY, participants_of
from .schemas import (
    OwnRequestCreate,
    RequestBriefUpdate,
    RequestCreate,
    RequestHRView,
    RequestMineView,
    RequestPrivateView,
    RequestSponsorView,
    RequestUpdate,
)

router = APIRouter(tags=["requests"], responses=ERRORS)
BRIEF_READERS = ("coachee", "coach")
_STATE: Responses = {409: {"description": "the request's status does not allow this"}}


def _hr(
    request: CoachingRequest, session: Session, others: dict[int, list[int]] | None = None
) -> RequestHRView:
    """HR's view; `others` holds the participants when a page of requests was read."""
    assert request.id is not None
    if others is None:
        others = participants_of(session, [request.id])
    view = RequestHRView.model_validate(request, from_attributes=True)
    view.participant_ids = others.get(request.id, [])
    return view


def _mine(
    request: CoachingRequest,
    user: User,
    session: Session,
    others: dict[int, list[int]] | None = None,
    *,
    audited: bool = False,
) -> RequestPrivateView | RequestSponsorView:
    """The request as `user` may read it: with the brief for the coachee and the coach,
    without it for the sponsor and the other participants. The read of a brief is in the
    audit log before it is answered (`audited`: the caller recorded it already)."""
    party = service.party_of(user, request)
    values = _hr(request, session, others).model_dump()
    if party == "sponsor" or party == "participant":
        return RequestSponsorView(**values, party=party)
    if not audited:
        brief_read(session, user, [request])
    return RequestPrivateView(
        **values, party=party, description=request.description, objectives=request.objectives
    )


@router.post("/requests", status_code=status.HTTP_201_CREATED)
def create_request(
    body: RequestCreate, user: HRUser, session: SessionDep, clock: ClockDep
) -> RequestHRView:
    """Submit a request for a coachee. `description` (max 1,000 characters) is stored for
    the coachee, sponsor and coach; HR never sees it again."""
    created = service.create_request(session=session, data=body, actor=user, now=clock.now())
    return _hr(created, session)


@router.get("/requests")
def list_requests(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    status: RequestStatus | None = None,
    coachee_id: RowId | None = None,
    sponsor_id: RowId | None = None,
) -> Page[RequestHRView]:
    rows, total = service.list_requests(
        session=session,
        status=status,
        coachee_id=coachee_id,
        sponsor_id=sponsor_id,
        limit=page.limit,
        offset=page.offset,
    )
    others = participants_of(session, [r.id for r in rows if r.id is not None])
    items = [_hr(r, session, others) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/requests/{request_id}")
def get_request(request_id: RowId, user: HRUser, session: SessionDep) -> RequestHRView:
    return _hr(get_or_404(session, CoachingRequest, request_id, "request"), session)


@router.patch("/requests/{request_id}", responses=_STATE)
def update_request(
    request_id: RowId, body: RequestUpdate, user: HRUser, session: SessionDep, clock: ClockDep
) -> RequestHRView:
    """Edit an open request (409 once proposals exist)."""
    return _hr(
        service.update_request(session=session, request_id=request_id, data=body, now=clock.now()),
        session,
    )


@router.post("/requests/{request_id}/cancel", responses=_STATE)
def cancel_request(
    request_id: RowId, user: HRUser, session: SessionDep, clock: ClockDep
) -> RequestHRView:
    """Cancel an open or proposed request."""
    request = get_or_404(session, CoachingRequest, request_id, "request")
    return _hr(service.cancel_request(session=session, request=request, now=clock.now()), session)


@router.post("/me/requests", status_code=status.HTTP_201_CREATED)
def create_own_request(
    body: OwnRequestCreate, user: CoacheeUser, session: SessionDep, clock: ClockDep
) -> RequestMineView:
    """A coachee submits a request for themselves."""
    return _mine(
        service.create_own_request(session=session, data=body, actor=user, now=clock.now()),
        user,
        session,
    )


@router.get("/me/requests")
def my_requests(user: PartyUser, session: SessionDep, page: PageDep) -> Page[RequestMineView]:
    """The requests you are the coachee, sponsor or engaged coach of; the brief only for
    the coachee and the coach (`party` says which you are)."""
    rows, total = service.my_requests(
        session=session, user=user, limit=page.limit, offset=page.offset
    )
    others = participants_of(session, [r.id for r in rows if r.id is not None])
    brief_read(session, user, [r for r in rows if service.party_of(user, r) in BRIEF_READERS])
    return Page(
        items=[_mine(r, user, session, others, audited=True) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/me/requests/{request_id}")
def my_request(request_id: RowId, user: PartyUser, session: SessionDep) -> RequestMineView:
    """One of your requests; the brief only for the coachee and the coach."""
    return _mine(
        service.my_request(session=session, user=user, request_id=request_id), user, session
    )


@router.patch("/me/requests/{request_id}", responses=_STATE)
def update_brief(
    request_id: RowId,
    body: RequestBriefUpdate,
    user: CoacheeOrSponsorUser,
    session: SessionDep,
    clock: ClockDep,
) -> RequestMineView:
    """The coachee edits their confidential description and objectives (403 for anyone
    else, the sponsor included: the brief is the coachee's words)."""
    return _mine(
        service.update_brief(
            session=session, user=user, request_id=request_id, data=body, now=clock.now()
        ),
        user,
        session,
    )


@router.post("/me/requests/{request_id}/cancel", responses=_STATE)
def cancel_own_request(
    request_id: RowId, user: CoacheeUser, session: SessionDep, clock: ClockDep
) -> RequestMineView:
    """A coachee withdraws their open or proposed request (not a team's other member)."""
    request = service.my_request(session=session, user=user, request_id=request_id)
    if service.party_of(user, request) != "coachee":
        raise Forbidden(CANCEL_COACHEE_ONLY, field="request_id")
    return _mine(
        service.cancel_request(session=session, request=request, now=clock.now()), user, session
    )
