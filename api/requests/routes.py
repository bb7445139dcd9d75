"""Coaching requests. HR's routes answer with `RequestHRView` (no description); the
coachee, sponsor and coach read `RequestPrivateView` under /me/requests."""

from __future__ import annotations

from fastapi import APIRouter, status

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
from api.models import CoachingRequest
from api.models.enums import RequestStatus
from api.schemas import ERRORS, Page

from . import service
from .schemas import (
    OwnRequestCreate,
    RequestBriefUpdate,
    RequestCreate,
    RequestHRView,
    RequestPrivateView,
    RequestUpdate,
)

router = APIRouter(tags=["requests"], responses=ERRORS)
_STATE = {409: {"description": "the request's status does not allow this"}}


def _hr(request: CoachingRequest) -> RequestHRView:
    return RequestHRView.model_validate(request, from_attributes=True)


def _private(request: CoachingRequest) -> RequestPrivateView:
    return RequestPrivateView.model_validate(request, from_attributes=True)


@router.post("/requests", status_code=status.HTTP_201_CREATED)
def create_request(
    body: RequestCreate, user: HRUser, session: SessionDep, clock: ClockDep
) -> RequestHRView:
    """Submit a request for a coachee. `description` (max 1,000 characters) is stored for
    the coachee, sponsor and coach; HR never sees it again."""
    return _hr(service.create_request(session=session, data=body, actor=user, now=clock.now()))


@router.get("/requests")
def list_requests(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    status: RequestStatus | None = None,
    coachee_id: int | None = None,
    sponsor_id: int | None = None,
) -> Page[RequestHRView]:
    rows, total = service.list_requests(
        session=session,
        status=status,
        coachee_id=coachee_id,
        sponsor_id=sponsor_id,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[_hr(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


@router.get("/requests/{request_id}")
def get_request(request_id: int, user: HRUser, session: SessionDep) -> RequestHRView:
    return _hr(get_or_404(session, CoachingRequest, request_id, "request"))


@router.patch("/requests/{request_id}", responses=_STATE)
def update_request(
    request_id: int, body: RequestUpdate, user: HRUser, session: SessionDep, clock: ClockDep
) -> RequestHRView:
    """Edit an open request (409 once proposals exist)."""
    return _hr(
        service.update_request(session=session, request_id=request_id, data=body, now=clock.now())
    )


@router.post("/requests/{request_id}/cancel", responses=_STATE)
def cancel_request(
    request_id: int, user: HRUser, session: SessionDep, clock: ClockDep
) -> RequestHRView:
    """Cancel an open or proposed request."""
    request = get_or_404(session, CoachingRequest, request_id, "request")
    return _hr(service.cancel_request(session=session, request=request, now=clock.now()))


@router.post("/me/requests", status_code=status.HTTP_201_CREATED)
def create_own_request(
    body: OwnRequestCreate, user: CoacheeUser, session: SessionDep, clock: ClockDep
) -> RequestPrivateView:
    """A coachee submits a request for themselves."""
    return _private(
        service.create_own_request(session=session, data=body, actor=user, now=clock.now())
    )


@router.get("/me/requests")
def my_requests(user: PartyUser, session: SessionDep, page: PageDep) -> Page[RequestPrivateView]:
    """The requests you are the coachee, sponsor or engaged coach of, with their brief."""
    rows, total = service.my_requests(
        session=session, user=user, limit=page.limit, offset=page.offset
    )
    return Page(
        items=[_private(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/me/requests/{request_id}")
def my_request(request_id: int, user: PartyUser, session: SessionDep) -> RequestPrivateView:
    return _private(service.my_request(session=session, user=user, request_id=request_id))


@router.patch("/me/requests/{request_id}", responses=_STATE)
def update_brief(
    request_id: int,
    body: RequestBriefUpdate,
    user: CoacheeOrSponsorUser,
    session: SessionDep,
    clock: ClockDep,
) -> RequestPrivateView:
    """The coachee or sponsor edits the confidential description and objectives."""
    return _private(
        service.update_brief(
            session=session, user=user, request_id=request_id, data=body, now=clock.now()
        )
    )


@router.post("/me/requests/{request_id}/cancel", responses=_STATE)
def cancel_own_request(
    request_id: int, user: CoacheeUser, session: SessionDep, clock: ClockDep
) -> RequestPrivateView:
    """A coachee withdraws their open or proposed request."""
    request = service.my_request(session=session, user=user, request_id=request_id)
    return _private(service.cancel_request(session=session, request=request, now=clock.now()))
