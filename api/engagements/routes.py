"""Engagements and sessions: HR sees all, each participant sees their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import (
    ClockDep,
    CoacheeUser,
    CoachUser,
    EngagementMember,
    HRUser,
    PageDep,
    SessionDep,
    SessionMember,
    SettingsDep,
)
from api.models import CoachingSession
from api.models.enums import EngagementStatus, SessionStatus
from api.schemas import ERRORS, Page, Responses
from api.types import RowId
from api.validation import UTCDatetime

from . import contract, service, transitions
from .schemas import (
    AcknowledgeIn,
    ContractIn,
    EndIn,
    EngagementDetail,
    EngagementHRView,
    EngagementView,
    HoldIn,
    ReassignIn,
    SessionPublic,
)

router = APIRouter(tags=["engagements"], responses=ERRORS)
_STATE: Responses = {409: {"description": "the engagement's state does not allow this"}}


def _sessions(rows: list[CoachingSession]) -> list[SessionPublic]:
    return [SessionPublic.model_validate(r, from_attributes=True) for r in rows]


@router.get("/engagements")
def list_engagements(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    status: EngagementStatus | None = None,
    coach_id: RowId | None = None,
) -> Page[EngagementHRView]:
    """All engagements; `status=flagged` lists those needing HR's review."""
    items, total = service.list_engagements(
        session=session, status=status, coach_id=coach_id, limit=page.limit, offset=page.offset
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/engagements/{engagement_id}")
def get_engagement(engagement_id: RowId, user: HRUser, session: SessionDep) -> EngagementHRView:
    return service.get_engagement(session=session, engagement_id=engagement_id)


@router.post("/engagements/{engagement_id}/clear-flag", responses=_STATE)
def clear_flag(
    engagement_id: RowId, user: HRUser, session: SessionDep, clock: ClockDep
) -> EngagementHRView:
    """Keep a flagged engagement after review: it returns to its previous state."""
    return service.clear_flag(session=session, engagement_id=engagement_id, now=clock.now())


@router.post("/engagements/{engagement_id}/reassign", responses=_STATE)
def reassign(
    engagement_id: RowId,
    body: ReassignIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementHRView:
    """Give the coachee another coach (a coach change, or a flagged engagement), keeping
    the history: the remaining sessions are cancelled, the previous coach excluded from
    the request. With `coach_id`: checked like a proposal, the new engagement (the sessions
    still owed planned, the contract carried over) is returned; without: the request is
    open for the next round and the reassigned engagement is returned."""
    row = transitions.reassign(
        session=session,
        settings=settings,
        engagement_id=engagement_id,
        coach_id=body.coach_id,
        now=clock.now(),
    )
    return service.get_engagement(session=session, engagement_id=row.id or 0)


@router.get("/sessions")
def list_sessions(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    engagement_id: RowId | None = None,
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


@router.get("/me/engagements/{engagement_id}")
def my_engagement(
    engagement_id: RowId, user: EngagementMember, session: SessionDep
) -> EngagementDetail:
    """One of your engagements: its `state` and its `contract` (version, objectives, frame,
    each party's acknowledgement, the earlier versions). The three parties only."""
    return contract.detail(session=session, user=user, engagement_id=engagement_id)


@router.put("/me/engagements/{engagement_id}/contract", responses=_STATE)
def write_contract(
    engagement_id: RowId,
    body: ContractIn,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementDetail:
    """The coach writes the objectives and the frame agreed at the first (tripartite)
    session: a new version (nothing is overwritten), acknowledged by the coach; the
    coachee and the sponsor are told and acknowledge it."""
    return contract.write_contract(
        session=session,
        settings=settings,
        user=user,
        engagement_id=engagement_id,
        data=body,
        now=clock.now(),
    )


@router.post("/me/engagements/{engagement_id}/contract/acknowledge", responses=_STATE)
def acknowledge_contract(
    engagement_id: RowId,
    user: EngagementMember,
    session: SessionDep,
    clock: ClockDep,
    body: AcknowledgeIn | None = None,
) -> EngagementDetail:
    """Acknowledge the current version (`version`: the one you read; 409 if it changed).
    The three acknowledgements make a proposed engagement contracted."""
    return contract.acknowledge(
        session=session,
        user=user,
        engagement_id=engagement_id,
        version=body.version if body else None,
        now=clock.now(),
    )


def _mine(session: SessionDep, user: EngagementMember, engagement_id: int) -> EngagementView:
    return service.my_engagement(session=session, user=user, engagement_id=engagement_id)


@router.post("/me/engagements/{engagement_id}/end", responses=_STATE)
def end_engagement(
    engagement_id: RowId,
    body: EndIn,
    user: EngagementMember,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementView:
    """End early, with a reason code (never free text): the remaining sessions are
    cancelled (CANCEL invites), the evaluations open."""
    transitions.end(
        session=session,
        settings=settings,
        user=user,
        engagement_id=engagement_id,
        reason=body.reason,
        now=clock.now(),
    )
    return _mine(session, user, engagement_id)


@router.post("/me/engagements/{engagement_id}/hold", responses=_STATE)
def hold_engagement(
    engagement_id: RowId,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    body: HoldIn | None = None,
) -> EngagementView:
    """Put on hold: the remaining sessions are cancelled; the seat kept or released."""
    transitions.hold(
        session=session,
        settings=settings,
        user=user,
        engagement_id=engagement_id,
        keep_capacity=body.keep_capacity if body else True,
        now=clock.now(),
    )
    return _mine(session, user, engagement_id)


@router.post("/me/engagements/{engagement_id}/resume", responses=_STATE)
def resume_engagement(
    engagement_id: RowId,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementView:
    """Resume: back where it was, the sessions still owed planned again from now."""
    transitions.resume(
        session=session, settings=settings, user=user, engagement_id=engagement_id,
        now=clock.now(),
    )  # fmt: skip
    return _mine(session, user, engagement_id)


@router.post("/me/engagements/{engagement_id}/review", responses=_STATE)
def midway_review(
    engagement_id: RowId,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementView:
    """Record the mid-way tripartite review: the engagement goes on (in progress)."""
    transitions.review(
        session=session, settings=settings, user=user, engagement_id=engagement_id,
        now=clock.now(),
    )  # fmt: skip
    return _mine(session, user, engagement_id)


@router.post("/me/engagements/{engagement_id}/close", responses=_STATE)
def close_engagement(
    engagement_id: RowId,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementView:
    """Record the final tripartite review: completed; the evaluations open."""
    transitions.close(
        session=session, settings=settings, user=user, engagement_id=engagement_id,
        now=clock.now(),
    )  # fmt: skip
    return _mine(session, user, engagement_id)


@router.post("/me/engagements/{engagement_id}/coach-change", responses=_STATE)
def ask_coach_change(
    engagement_id: RowId,
    user: CoacheeUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementView:
    """Ask HR for another coach (HR is told and reassigns; the history is kept)."""
    transitions.ask_coach_change(
        session=session, settings=settings, user=user, engagement_id=engagement_id,
        now=clock.now(),
    )  # fmt: skip
    return _mine(session, user, engagement_id)
