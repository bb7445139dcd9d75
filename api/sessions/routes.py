"""Changing sessions: the coach reschedules or cancels their own, the coachee cancels with
notice, HR and the coach record whether a session was held."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from sqlmodel import Session

from api.deps import ClockDep, CoachUser, HRUser, SessionDep, SessionMember, SettingsDep
from api.engagements.schemas import SessionPublic
from api.models import CoachingSession, User
from api.models.enums import SessionStatus
from api.schemas import ERRORS, Responses
from api.settings import Settings
from api.types import RowId

from . import service
from .schemas import OutcomeIn, RescheduleIn

router = APIRouter(tags=["sessions"], responses=ERRORS)
_STATE: Responses = {409: {"description": "the session's state or the calendars do not allow this"}}


def _public(row: CoachingSession) -> SessionPublic:
    return SessionPublic.model_validate(row, from_attributes=True)


@router.post("/me/sessions/{session_id}/reschedule", responses=_STATE)
def reschedule(
    session_id: RowId,
    body: RescheduleIn,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> list[SessionPublic]:
    """Move one of your planned sessions: at `start_at`, or where the planner finds the
    nearest good time. Every moved session gets SEQUENCE+1 and new invites."""
    moved = service.reschedule_session(
        session=session,
        settings=settings,
        session_id=session_id,
        actor=user,
        start_at=body.start_at,
        now=clock.now(),
    )
    return [_public(r) for r in moved]


@router.post("/me/sessions/{session_id}/cancel", responses=_STATE)
def cancel(
    session_id: RowId,
    user: SessionMember,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> SessionPublic:
    """Cancel one of your planned sessions (a coachee: with the configured notice); the
    attendees get a METHOD:CANCEL invite."""
    return _public(
        service.cancel_session(
            session=session, settings=settings, session_id=session_id, actor=user, now=clock.now()
        )
    )


def _outcome(
    session_id: RowId,
    body: OutcomeIn,
    user: User,
    session: Session,
    settings: Settings,
    now: datetime,
) -> SessionPublic:
    return _public(
        service.record_outcome(
            session=session,
            settings=settings,
            session_id=session_id,
            actor=user,
            status=SessionStatus(body.status),
            now=now,
        )
    )


@router.post("/me/sessions/{session_id}/outcome", responses=_STATE)
def my_outcome(
    session_id: RowId,
    body: OutcomeIn,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> SessionPublic:
    """Record that one of your sessions was held, or that the coachee did not come."""
    return _outcome(session_id, body, user, session, settings, clock.now())


@router.post("/sessions/{session_id}/outcome", responses=_STATE)
def outcome(
    session_id: RowId,
    body: OutcomeIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> SessionPublic:
    """Record whether a session was held (HR)."""
    return _outcome(session_id, body, user, session, settings, clock.now())
