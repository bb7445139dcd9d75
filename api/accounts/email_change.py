"""A person's email changes in the org chart: their accounts follow, and the previous
address is told.

An account's address is its person's own, so the org chart decides where sign-in links
and invitations go. HR maintains the org chart: the one way left for HR to reach someone
else's account is to change their address there. That change is therefore mailed to the
previous address whenever the person has something to protect (an account, a request, an
engagement, a coach record), so the person learns of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from api import messages
from api.errors import ImportRejected
from api.mail import email_change_notice
from api.models import Coach, CoachingRequest, Person, User
from api.outbox import enqueue
from api.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmailChange:
    person: Person
    old: str
    line: int | None  # of the org-chart file, for errors


def _involved(session: Session, person_id: int) -> bool:
    if session.exec(select(User.id).where(User.person_id == person_id)).first():
        return True
    if session.exec(select(Coach.id).where(Coach.person_id == person_id)).first():
        return True
    party = or_(
        col(CoachingRequest.coachee_id) == person_id, col(CoachingRequest.sponsor_id) == person_id
    )
    return session.exec(select(CoachingRequest.id).where(party)).first() is not None


def follow_email_changes(
    session: Session, *, changes: list[EmailChange], settings: Settings, now: datetime
) -> int:
    """Move the changed people's accounts to their new address and queue a notice to the
    old one (the caller commits or rolls back). ImportRejected naming the line when the
    new address is another account's. Returns how many notices were queued."""
    notices = 0
    for change in changes:
        person = change.person
        assert person.id is not None
        new = person.email.strip().lower()
        taken = session.exec(
            select(User).where(
                col(User.email) == new,
                or_(col(User.person_id).is_(None), col(User.person_id) != person.id),
            )
        ).first()
        if taken is not None:
            error = {"line": change.line, "field": "email", "message": messages.EMAIL_TAKEN}
            raise ImportRejected(
                messages.CSV_REJECTED.format(count=1), errors=[error], error_count=1
            )
        for user in session.exec(select(User).where(User.person_id == person.id)):
            user.email = new
            session.add(user)
        if not _involved(session, person.id):
            continue
        message = email_change_notice(
            to=change.old, name=person.name, old=change.old, new=new, language=person.language
        )
        enqueue(
            session,
            kind="email-change",
            dedupe_key=f"email-change:{person.id}:{change.old}:{new}:{now.isoformat()}",
            message=message,
            settings=settings,
            now=now,
        )
        notices += 1
        log.info("person %s: email changed, previous address notified", person.id)
    return notices


def follow_coach_email_change(
    session: Session, *, coach: Coach, old: str, settings: Settings, now: datetime
) -> None:
    """An external coach's record has a new email: their account follows it (Conflict
    when it is another account's) and the previous address is told."""
    from api.errors import Conflict

    new = (coach.email or "").strip().lower()
    taken = session.exec(
        select(User).where(
            col(User.email) == new,
            or_(col(User.coach_id).is_(None), col(User.coach_id) != coach.id),
        )
    ).first()
    if taken is not None:
        raise Conflict(messages.EMAIL_TAKEN, field="email")
    for user in session.exec(select(User).where(User.coach_id == coach.id)):
        user.email = new
        session.add(user)
    message = email_change_notice(to=old, name=coach.name or "", old=old, new=new, language="en")
    enqueue(
        session,
        kind="email-change",
        dedupe_key=f"email-change:c{coach.id}:{old}:{new}:{now.isoformat()}",
        message=message,
        settings=settings,
        now=now,
    )
    log.info("coach %s: email changed, previous address notified", coach.id)
