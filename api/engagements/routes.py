"""Engagements and sessions: HR sees all, each participant sees their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ClockDep, EngagementMember, HRUser, PageDep, SessionDep, SessionMember
from api.models import CoachingSession
from api.models.enums import EngagementStatus, SessionStatus
from api.schemas import ERRORS, Page
from api.validation import UTCDatetime

from . import service
from .schemas import EngagementHRView, EngagementView, SessionPublic

router = APIRouter(tags=["engagements"], responses=ERRORS)


def _sessions(rows: list[CoachingSession]) -> list[SessionPublic]:
    return [SessionPublic.model_validate(r, from_attributes=True) for r in rows]


@router.get("/engagements")
def list_engagements(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    status: EngagementStatus | None = None,
    coach_id: int | None = None,
) -> Page[EngagementHRView]:
    """All engagements; `status=flagged` lists those needing HR's review."""
    items, total = service.list_engagements(
        session=session, status=status, coach_id=coach_id, limit=page.limit, offset=page.offset
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/engagements/{engagement_id}")
def get_engagement(engagement_id: int, user: HRUser, session: SessionDep) -> EngagementHRView:
    return service.get_engagement(session=session, engagement_id=engagement_id)


@router.post(
    "/engagements/{engagement_id}/clear-flag", responses={409: {"description": "not flagged"}}
)
def clear_flag(
    engagement_id: int, user: HRUser, session: SessionDep, clock: ClockDep
) -> EngagementHRView:
    """Keep a flagged engagement after review: it returns to its previous status."""
    return service.clear_flag(session=session, engagement_id=engagement_id, now=clock.now())


@router.get("/sessions")
def list_sessions(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    engagement_id: int | None = None,
    start: Annotated[UTCDatetime | None, Query(alias="from", description="ending after")] = None,
    end: Annotated[UTCDatetime | None, Query(alias="to", description="starting before")] = None,
    status: SessionStatus | None = None,
) -> Page[SessionPublic]:
    rows, total = service.list_sessions(
        session=session,
        user=None,
        engagement_id=engagement_id,
        start=start,
        end=end,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=_sessions(rows), total=total, limit=page.limit, offset=page.offset)


@router.get("/me/engagements")
def my_engagements(
    user: EngagementMember, session: SessionDep, page: PageDep
) -> Page[EngagementView]:
    """The engagements you coach, are coached in, or sponsor."""
    items, total = service.my_engagements_page(
        session=session, user=user, limit=page.limit, offset=page.offset
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/me/sessions")
def my_sessions(
    user: SessionMember,
    session: SessionDep,
    page: PageDep,
    start: Annotated[UTCDatetime | None, Query(alias="from")] = None,
    end: Annotated[UTCDatetime | None, Query(alias="to")] = None,
    status: SessionStatus | None = None,
) -> Page[SessionPublic]:
    """Your sessions (as coach or coachee), earliest first."""
    rows, total = service.list_sessions(
        session=session,
        user=user,
        engagement_id=None,
        start=start,
        end=end,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=_sessions(rows), total=total, limit=page.limit, offset=page.offset)
