"""Where sessions are held. A change of place is a change of the session: the planned
future sessions it touches get SEQUENCE+1 and updated invites, in one transaction."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, col, select

from api import messages
from api.coaches.lock import lock_coach
from api.errors import NotFound
from api.models import Coach, CoachingRequest, CoachingSession, Engagement, Site
from api.models.enums import SessionStatus
from api.places.schemas import SiteIn
from api.sessions.attendance import sync_attendance
from api.sessions.invites import is_remote, queue_invites
from api.settings import Settings
from scheduling.invites import Method

log = logging.getLogger(__name__)


def resend_future(
    *,
    session: Session,
    settings: Settings,
    engagement: Engagement,
    request: CoachingRequest,
    coach: Coach,
    now: datetime,
) -> int:
    """Updated invites (SEQUENCE+1) for the engagement's planned future sessions; the
    caller holds the coach's lock and commits."""
    rows = session.exec(
        select(CoachingSession)
        .where(
            CoachingSession.engagement_id == engagement.id,
            CoachingSession.status == SessionStatus.planned,
            col(CoachingSession.start_at) > now,
        )
        .order_by(col(CoachingSession.number))
    ).all()
    for row in rows:
        row.sequence += 1
        row.last_change_at = now
        session.add(row)
        session.flush()
        sync_attendance(session, [row], request, coach)
        queue_invites(
            session=session,
            settings=settings,
            row=row,
            request=request,
            coach=coach,
            engagement=engagement,
            method=Method.REQUEST,
            now=now,
        )
    return len(rows)


def set_coach_room(
    *, session: Session, settings: Settings, coach: Coach, room_url: str | None, now: datetime
) -> int:
    """The coach's own online room; their remote engagements' future sessions are sent
    again with it. Returns how many sessions were."""
    assert coach.id is not None
    lock_coach(session, coach.id)
    session.refresh(coach)
    if coach.room_url == room_url:
        return 0
    coach.room_url = room_url
    coach.updated_at = now
    session.add(coach)
    changed = 0
    for engagement, request in session.exec(
        select(Engagement, CoachingRequest)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .where(Engagement.coach_id == coach.id)
    ).all():
        if not is_remote(request, coach):
            continue
        changed += resend_future(
            session=session,
            settings=settings,
            engagement=engagement,
            request=request,
            coach=coach,
            now=now,
        )
    session.commit()
    log.info("coach %s changed their room: %d sessions sent again", coach.id, changed)
    return changed


def set_engagement_room(
    *,
    session: Session,
    settings: Settings,
    coach: Coach,
    engagement_id: int,
    room: str | None,
    now: datetime,
) -> tuple[Engagement, int]:
    """The room of the coach's engagement (on site); its future sessions are sent again."""
    assert coach.id is not None
    lock_coach(session, coach.id)
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or engagement.coach_id != coach.id:
        raise NotFound(messages.NOT_FOUND.format(what="engagement"))
    session.refresh(engagement)
    if (engagement.room or None) == (room or None):
        return engagement, 0
    request = session.get(CoachingRequest, engagement.request_id)
    assert request is not None
    engagement.room = room or None
    engagement.updated_at = now
    session.add(engagement)
    changed = resend_future(
        session=session,
        settings=settings,
        engagement=engagement,
        request=request,
        coach=coach,
        now=now,
    )
    session.commit()
    return engagement, changed


def list_sites(*, session: Session) -> list[Site]:
    return list(session.exec(select(Site).order_by(col(Site.name))))


def set_site(*, session: Session, name: str, data: SiteIn, now: datetime) -> Site:
    """The address of a site named in the org chart (new invites show it), and where it
    is (none: its city's, for the default travel times)."""
    site = session.exec(select(Site).where(Site.name == name)).first()
    if site is None:
        site = Site(name=name, address=data.address, updated_at=now)
    site.address, site.latitude, site.longitude = data.address, data.latitude, data.longitude
    site.updated_at = now
    session.add(site)
    session.commit()
    return site
