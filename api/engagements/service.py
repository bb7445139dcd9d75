"""Reading engagements and sessions, for HR and for the people in them; clearing flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from api import messages
from api.engagements.lifecycle import Action, require
from api.errors import NotFound
from api.models import Coach, CoachingRequest, CoachingSession, Engagement, User
from api.models.enums import EngagementStatus, Role, SessionStatus
from api.requests.participants import requests_joined

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
    values = engagement.model_dump()
    values.pop("status")
    return cls(
        **values,
        state=engagement.status,
        kind=request.coaching_type,
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


def attending_filter(user: User) -> Any:
    """The engagements whose sessions `user` attends: their own, and for a team's other
    member or a mediation's other party, the request they take part in (its sessions,
    not its contract nor the coachee's brief)."""
    if user.role == Role.coachee and user.person_id is not None:
        return or_(own_filter(user), requests_joined(user.person_id))
    return own_filter(user)


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


def my_engagement(*, session: Session, user: User, engagement_id: int) -> EngagementView:
    """One of `user`'s engagements; 404 for anyone else's (its existence is not revealed)."""
    rows = _rows(session, _base_query().where(Engagement.id == engagement_id, own_filter(user)))
    if not rows:
        raise NotFound(messages.NOT_FOUND.format(what="engagement"))
    return _view(EngagementView, rows[0])  # type: ignore[no-any-return]


def clear_flag(*, session: Session, engagement_id: int, now: datetime) -> EngagementHRView:
    """HR has reviewed a flagged engagement and keeps it: back to its previous state."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise NotFound(messages.NOT_FOUND.format(what="engagement"))
    require(engagement, Action.clear_flag)
    engagement.status = engagement.status_before_flag or EngagementStatus.proposed
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
    attended: bool = False,
) -> tuple[list[CoachingSession], int]:
    """Sessions, all of them for HR (`user` None) or those of `user`'s engagements; with
    `attended`, only those `user` attends (a sponsor: each engagement's first, the
    tripartite one, never when the coachee meets the coach after it)."""
    query = select(CoachingSession).join(
        Engagement, col(Engagement.id) == CoachingSession.engagement_id
    )
    if user is not None:
        query = query.join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id).where(
            attending_filter(user)
        )
        if attended and user.role == Role.sponsor:
            query = query.where(CoachingSession.number == 1)
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
