"""Replies to the invites: HR sees what came in (and what was quarantined); the coach
accepts or declines proposed new times; the session's attendees see each other's answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from api.deps import ClockDep, CoachUser, HRUser, SessionDep, SessionMember, SettingsDep
from api.engagements.schemas import SessionPublic
from api.models import InboundReply, RescheduleRequest
from api.schemas import ERRORS, Responses
from api.sessions.service import session_for
from api.types import Offset, RowId

from . import service
from .schemas import AttendeeAnswer, ReplyPublic, RescheduleRequestPublic

router = APIRouter(tags=["replies"], responses=ERRORS)
_STATE: Responses = {409: {"description": "not pending, or the calendars do not allow it"}}


def _request_public(item: RescheduleRequest) -> RescheduleRequestPublic:
    return RescheduleRequestPublic.model_validate(item, from_attributes=True)


@router.get("/replies")
def list_replies(
    user: HRUser,
    session: SessionDep,
    outcome: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[Offset, Query()] = 0,
) -> list[ReplyPublic]:
    """Replies read from the programme mailbox, newest first: `applied`, `stale`,
    `counter` or `quarantined` (with its reason: unknown UID, attendee or SEQUENCE...)."""
    query = select(InboundReply)
    if outcome is not None:
        query = query.where(InboundReply.outcome == outcome)
    rows = session.exec(query.order_by(col(InboundReply.id).desc()).limit(limit).offset(offset))
    return [ReplyPublic.model_validate(r, from_attributes=True) for r in rows]


@router.get("/me/reschedule-requests")
def my_reschedule_requests(user: CoachUser, session: SessionDep) -> list[RescheduleRequestPublic]:
    """New times proposed for your sessions (iTIP COUNTER), waiting for your answer."""
    return [_request_public(r) for r in service.pending_requests(session=session, actor=user)]


@router.post("/me/reschedule-requests/{request_id}/accept", responses=_STATE)
def accept(
    request_id: RowId,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> list[SessionPublic]:
    """Move the session to the proposed time (checked like any move); everyone gets the
    updated invite."""
    moved = service.accept_request(
        session=session, settings=settings, request_id=request_id, actor=user, now=clock.now()
    )
    return [SessionPublic.model_validate(r, from_attributes=True) for r in moved]


@router.post("/me/reschedule-requests/{request_id}/decline", responses=_STATE)
def decline(
    request_id: RowId, user: CoachUser, session: SessionDep, clock: ClockDep
) -> RescheduleRequestPublic:
    """Keep the session where it is."""
    return _request_public(
        service.decline_request(session=session, request_id=request_id, actor=user, now=clock.now())
    )


@router.get("/me/sessions/{session_id}/answers")
def answers(session_id: RowId, user: SessionMember, session: SessionDep) -> list[AttendeeAnswer]:
    """Each attendee's answer to the session's invite (NEEDS-ACTION until they reply)."""
    row = session_for(session=session, session_id=session_id, actor=user)
    return [
        AttendeeAnswer(role=a.role, partstat=a.partstat, answered_at=a.partstat_at)
        for a in service.answers_of(session=session, row=row)
    ]
