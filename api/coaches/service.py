"""Coach management, with the rules that tie fields to the coach's kind."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from api import messages
from api.accounts.email_change import follow_coach_email_change
from api.db import get_or_404
from api.errors import Conflict, InvalidInput
from api.models import Coach, Engagement, Person, Proposal, User
from api.models.enums import CoachKind
from api.settings import Settings

from .schemas import CoachCreate, CoachUpdate

log = logging.getLogger(__name__)

EXTERNAL_ONLY = (
    "vendor",
    "rate_per_session_cents",
    "currency",
    "referenced_from",
    "referenced_until",
)
INTERNAL_ONLY = ("certified_until", "time_share")


def _check_kind(values: dict[str, Any]) -> None:
    """Internal coaches are employees; external ones have a vendor and referencing."""
    if values["kind"] == CoachKind.INTERNAL:
        if values.get("person_id") is None:
            raise InvalidInput(messages.COACH_INTERNAL_NEEDS_PERSON, field="person_id")
        for field in EXTERNAL_ONLY:
            if values.get(field) is not None:
                raise InvalidInput(messages.COACH_INTERNAL_FORBIDS, field=field)
    else:
        if values.get("person_id") is not None:
            raise InvalidInput(messages.COACH_EXTERNAL_FORBIDS, field="person_id")
        for field in ("name", "email", "vendor"):
            if not values.get(field):
                raise InvalidInput(messages.COACH_EXTERNAL_NEEDS.format(field=field), field=field)
        for field in INTERNAL_ONLY:
            if values.get(field) is not None:
                raise InvalidInput(messages.COACH_EXTERNAL_FORBIDS, field=field)
        start, end = values.get("referenced_from"), values.get("referenced_until")
        if start is not None and end is not None and end < start:
            raise InvalidInput(messages.REFERENCING_ORDER, field="referenced_until")
        if values.get("rate_per_session_cents") is not None and not values.get("currency"):
            raise InvalidInput(
                messages.COACH_EXTERNAL_NEEDS.format(field="currency"), field="currency"
            )


def create_coach(*, session: Session, data: CoachCreate, now: datetime) -> Coach:
    values = data.model_dump()
    _check_kind(values)
    if data.kind == CoachKind.INTERNAL:
        assert data.person_id is not None
        person = session.get(Person, data.person_id)
        if person is None:
            raise InvalidInput(messages.NOT_FOUND.format(what="person"), field="person_id")
        if not person.active:
            raise InvalidInput(messages.PERSON_INACTIVE, field="person_id")
        if session.exec(select(Coach).where(Coach.person_id == person.id)).first():
            raise Conflict(messages.COACH_PERSON_TAKEN, field="person_id")
        values["name"] = person.name
        values["email"] = person.email
    coach = Coach(**values, created_at=now, updated_at=now)
    session.add(coach)
    session.commit()
    log.info("coach %s created (%s)", coach.id, coach.kind.value)
    return coach


def update_coach(
    *, session: Session, settings: Settings, coach_id: int, data: CoachUpdate, now: datetime
) -> Coach:
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    old_email = coach.email
    changes = data.model_dump(exclude_unset=True)
    for field in ("languages", "modalities"):
        if field in changes and changes[field] is None:
            raise InvalidInput("must not be null", field=field)
    merged = coach.model_dump() | changes
    if coach.kind == CoachKind.INTERNAL and ("name" in changes or "email" in changes):
        field = "name" if "name" in changes else "email"
        raise InvalidInput("comes from the org chart for an internal coach", field=field)
    _check_kind(merged)
    for key, value in changes.items():
        setattr(coach, key, value)
    coach.updated_at = now
    session.add(coach)
    if old_email and coach.email and coach.email.lower() != old_email.lower():
        follow_coach_email_change(session, coach=coach, old=old_email, settings=settings, now=now)
    session.commit()
    return coach


def delete_coach(*, session: Session, coach_id: int) -> None:
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    used = session.exec(select(Engagement.id).where(Engagement.coach_id == coach_id)).first()
    proposed = session.exec(select(Proposal.id).where(Proposal.coach_id == coach_id)).first()
    account = session.exec(select(User.id).where(User.coach_id == coach_id)).first()
    if used is not None or proposed is not None or account is not None:
        raise Conflict(messages.COACH_HAS_ENGAGEMENTS)
    session.delete(coach)
    session.commit()


def list_coaches(
    *,
    session: Session,
    kind: CoachKind | None,
    active: bool | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Coach], int]:
    query = select(Coach)
    if kind is not None:
        query = query.where(Coach.kind == kind)
    if active is not None:
        query = query.where(Coach.active == active)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(Coach.name).like(pattern), func.lower(Coach.vendor).like(pattern))
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Coach.name), col(Coach.id)).limit(limit).offset(offset))
    return list(rows), total
