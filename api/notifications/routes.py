"""A person's notification choices."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentUser, SessionDep
from api.schemas import ERRORS

from . import preferences
from .preferences import NotificationsIn, NotificationsView

router = APIRouter(tags=["notifications"], responses=ERRORS)


@router.get("/me/notifications")
def my_notifications(user: CurrentUser, session: SessionDep) -> NotificationsView:
    """Which optional notifications you turned off, and your reminder time."""
    return preferences.get(session=session, user=user)


@router.put("/me/notifications")
def set_my_notifications(
    body: NotificationsIn, user: CurrentUser, session: SessionDep
) -> NotificationsView:
    """Turn optional notifications off (proposals, new engagement, session reminders,
    evaluations, HR's digest) and choose how many hours before a session you are
    reminded (1-168, default 24)."""
    return preferences.put(session=session, user=user, data=body)
