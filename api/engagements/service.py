"""Reading engagements and sessions, for HR and for the people in them; clearing flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from api import messages
from api.errors import Conflict, NotFound
from api.models import Coach, CoachingRequest, CoachingSession, Engagement, User
from api.models.enums import EngagementStatus, Role, SessionStatus

from .schemas import EngagementHRView, EngagementView


def _rows(session: Session, query: Any) -> list[tuple[Engagement, CoachingRequest, Coach]]:
    return list(session.exec(query).all())


def _base_query() -> Any:
    return (
        select(Engagement, CoachingRequest, Coach)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
    )


def _view(cls: type[EngagementView], row: tuple[Engagement, CoachingRequest, Coach]) -> Any:
    engagement, request, coach = row
    return cls(
        **engagement.model_dump(),
        coach_name=coach.name,
        coachee_id=request.coachee_id,
        sponsor_id=request.sponsor_id,
    )


def own_filter(user: User) -> Any:
    """The engagements `user` takes part in (as coach, coachee or sponsor)."""
    if user.role == Role.coach:
        return Engagement.coach_id == user.coach_id
    if user.role == Role.coachee:
        return CoachingRequest.coachee_id == user.person_id
    if user.role == Role.sponsor:
        return CoachingRequest.sponsor_id == user.person_id
    return False


def list_engagements(
    *,
    session: Session,
    status: EngagementStatus | None,
    coach_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[EngagementHRView], int]:
    query = _base_query()
    if status is not None:
        query = query.where(Engagement.status == status)
    if coach_id is not None:
        query = query.where(Engagement.coach_id == coach_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = _rows(session, query.order_by(col(Engagement.id)).limit(limit).offset(offset))
    return [_view(EngagementHRView, r) for r in rows], total


def get_engagement(*, session: Session, engagement_id: int) -> EngagementHRView:
    rows = _rows(session, _base_query().where(Engagement.id == engagement_id))
    if not rows:
        raise NotFound(messages.NOT_FOUND.format(what="engagement"))
    return _view(EngagementHRView, rows[0])  # type: ignore[no-any-return]


def my_engagements(*, session: Session, user: User) -> list[EngagementView]:
    rows = _rows(session, _base_query().where(own_filter(user)).order_by(col(Engagement.id)))
    return [_view(EngagementView, r) for r in rows]


def my_engagements_page(
    *, session: Session, user: User, limit: int, offset: int
) -> tuple[list[EngagementView], int]:
    query = _base_query().where(own_filter(user))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = _rows(session, query.order_by(col(Engagement.id)).limit(limit).offset(offset))
    return [_view(EngagementView, r) for r in rows], total


def clear_flag(*, session: Session, engagement_id: int, now: datetime) -> EngagementHRView:
    """HR has reviewed a flagged engagement and keeps it: back to its previous status."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise NotFound(messages.NOT_FOUND.format(what="engagement"))
    if engagement.status != EngagementStatus.flagged:
        raise Conflict(messages.ENGAGEMENT_NOT_FLAGGED, field="status")
    engagement.status = engagement.status_before_flag or EngagementStatus.confirmed
    engagement.status_before_flag = None
    engagement.flag_reason = None
    engagement.flagged_at = None
    engagement.updated_at = now
    session.add(engagement)
    session.commit()
    return get_engagement(session=session, engagement_id=engagement_id)


def list_sessions(
    *,
    session: Session,
    user: User | None,
    engagement_id: int | None,
    start: datetime | None,
    end: datetime | None,
    status: SessionStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[CoachingSession], int]:
    """Sessions, all of them for HR (`user` None) or those of `user`'s engagements."""
    query = select(CoachingSession).join(
        Engagement, col(Engagement.id) == CoachingSession.engagement_id
    )
    if user is not None:
        query = query.join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id).where(
            own_filter(user)
        )
    if engagement_id is not None:
        query = query.where(CoachingSession.engagement_id == engagement_id)
    if start is not None:
        query = query.where(CoachingSession.end_at > start)
    if end is not None:
        query = query.where(CoachingSession.start_at < end)
    if status is not None:
        query = query.where(CoachingSession.status == status)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(CoachingSession.start_at), col(CoachingSession.id))
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total
