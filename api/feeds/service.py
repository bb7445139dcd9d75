"""Secret calendar feeds: one active token per user, stored hashed."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from api import messages
from api.errors import NotFound
from api.models import Coach, CoachingRequest, CoachingSession, Engagement, FeedToken, Person, User
from api.models.enums import Role
from api.security import hash_token, new_token
from api.zones import user_zone
from scheduling.feeds import feed_etag

from .render import FeedSession, render_person_feed

log = logging.getLogger(__name__)


def _active(session: Session, user_id: int) -> FeedToken | None:
    return session.exec(
        select(FeedToken).where(FeedToken.user_id == user_id, col(FeedToken.revoked_at).is_(None))
    ).first()


def rotate(*, session: Session, user: User, now: datetime) -> tuple[str, FeedToken]:
    """A new secret; the previous one (if any) stops working."""
    assert user.id is not None
    old = _active(session, user.id)
    if old is not None:
        old.revoked_at = now
        session.add(old)
    token = new_token()
    row = FeedToken(user_id=user.id, token_hash=hash_token(token), created_at=now)
    session.add(row)
    session.commit()
    log.info("user %s has a new feed token", user.id)
    return token, row


def revoke(*, session: Session, user: User, now: datetime) -> None:
    assert user.id is not None
    row = _active(session, user.id)
    if row is None:
        raise NotFound(messages.NO_FEED)
    row.revoked_at = now
    session.add(row)
    session.commit()


def status(*, session: Session, user: User) -> FeedToken | None:
    assert user.id is not None
    return _active(session, user.id)


def lookup(*, session: Session, token: str) -> tuple[FeedToken, User] | None:
    row = session.exec(select(FeedToken).where(FeedToken.token_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


def _sessions_of(session: Session, user: User) -> list[FeedSession]:
    query = (
        select(CoachingSession, Engagement, CoachingRequest, Coach)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
    )
    if user.role == Role.coach and user.coach_id is not None:
        query = query.where(Engagement.coach_id == user.coach_id)
    elif user.role == Role.coachee and user.person_id is not None:
        query = query.where(CoachingRequest.coachee_id == user.person_id)
    else:
        return []  # HR and sponsors attend no session
    rows = session.exec(
        query.order_by(col(CoachingSession.start_at), col(CoachingSession.id))
    ).all()
    totals = dict(
        session.exec(
            select(CoachingSession.engagement_id, func.count())
            .where(col(CoachingSession.engagement_id).in_({e.id for _, e, _, _ in rows}))
            .group_by(col(CoachingSession.engagement_id))
        ).all()
    )
    names = {}
    if user.role == Role.coach:
        ids = {r.coachee_id for _, _, r, _ in rows}
        names = dict(
            session.exec(select(Person.id, Person.name).where(col(Person.id).in_(ids))).all()
        )
    out = []
    for item, engagement, request, coach in rows:
        other = names.get(request.coachee_id) if user.role == Role.coach else coach.name
        out.append(
            FeedSession(
                uid=item.uid,
                start=item.start_at,
                end=item.end_at,
                sequence=item.sequence,
                status=item.status,
                number=item.number,
                total=max(totals.get(engagement.id, 0), request.sessions),
                with_name=other,
                last_change=item.last_change_at,
            )
        )
    return out


def render(
    *, session: Session, token_row: FeedToken, user: User, now: datetime, default_zone: str
) -> tuple[bytes, str, datetime]:
    """The feed body, its strong ETag and its last modification time. Times are in the
    owner's zone (`default_zone` for a user without a coach or person)."""
    sessions = _sessions_of(session, user)
    body = render_person_feed(
        sessions=sessions,
        zone=user_zone(session=session, user=user, default=default_zone),
        owner_name=user.name,
        language=user.language,
        now=now,
    )
    etag = feed_etag(body)
    last_modified = max([token_row.created_at, *(s.last_change for s in sessions)])
    token_row.last_used_at = now
    session.add(token_row)
    session.commit()
    return body, etag, last_modified
