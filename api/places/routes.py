"""Where to meet: the coach's online room and an engagement's room (coach), site
addresses (HR)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api import messages
from api.deps import ClockDep, CoachUser, HRUser, SessionDep, SettingsDep
from api.errors import NotFound
from api.models import Coach
from api.schemas import ERRORS
from api.types import RowId

from . import service
from .schemas import (
    CoachRoomIn,
    CoachRoomOut,
    EngagementRoomIn,
    EngagementRoomOut,
    SiteIn,
    SitePublic,
)

router = APIRouter(tags=["places"], responses=ERRORS)
SiteName = Annotated[str, Path(min_length=1, max_length=200)]


def _coach(session: SessionDep, user: CoachUser) -> Coach:
    coach = session.get(Coach, user.coach_id) if user.coach_id is not None else None
    if coach is None:
        raise NotFound(messages.NOT_FOUND.format(what="coach"))
    return coach


@router.put("/me/coach/room")
def set_my_room(
    body: CoachRoomIn, user: CoachUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> CoachRoomOut:
    """Your own online room: the join link of your remote sessions (their planned
    sessions get updated invites)."""
    coach = _coach(session, user)
    service.set_coach_room(
        session=session, settings=settings, coach=coach, room_url=body.room_url, now=clock.now()
    )
    return CoachRoomOut(room_url=coach.room_url)


@router.put("/me/engagements/{engagement_id}/room")
def set_engagement_room(
    engagement_id: RowId,
    body: EngagementRoomIn,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EngagementRoomOut:
    """The room where one of your on-site engagements meets; its planned sessions get
    updated invites with the room, the site and its address."""
    engagement, changed = service.set_engagement_room(
        session=session,
        settings=settings,
        coach=_coach(session, user),
        engagement_id=engagement_id,
        room=body.room,
        now=clock.now(),
    )
    assert engagement.id is not None
    return EngagementRoomOut(
        engagement_id=engagement.id, room=engagement.room, sessions_updated=changed
    )


@router.get("/sites")
def list_sites(user: HRUser, session: SessionDep) -> list[SitePublic]:
    """Site addresses (the org chart names the sites; HR gives their addresses)."""
    return [SitePublic.model_validate(s.model_dump()) for s in service.list_sites(session=session)]


@router.put("/sites/{name}")
def set_site(
    name: SiteName, body: SiteIn, user: HRUser, session: SessionDep, clock: ClockDep
) -> SitePublic:
    """The address on-site sessions at this site show (from the next invite on), and
    optionally where the site is (for the default travel times: GET /travel)."""
    site = service.set_site(session=session, name=name, data=body, now=clock.now())
    return SitePublic.model_validate(site.model_dump())
