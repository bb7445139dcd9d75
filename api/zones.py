"""The time zone a user reads times in (pages, calendar feeds)."""

from __future__ import annotations

from sqlmodel import Session

from api.models import Coach, Person, User


def user_zone(*, session: Session, user: User, default: str) -> str:
    """A coach's zone, else their person's, else ``default`` (the configured
    `COACHMATCH_DEFAULT_TIMEZONE`: HR accounts have no person)."""
    if user.coach_id is not None:
        coach = session.get(Coach, user.coach_id)
        if coach is not None:
            return coach.timezone
    if user.person_id is not None:
        person = session.get(Person, user.person_id)
        if person is not None:
            return person.timezone
    return default
