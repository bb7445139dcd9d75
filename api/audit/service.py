"""Reading the audit log: HR's query (every entry, filtered) and each person's view of
who read their confidential data, where a reader outside the tripartite contract is an
alarm: flagged in the answer and logged (ids only)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models import AuditEntry, Coach, CoachingRequest, Engagement, Person, User
from api.models.enums import Role

from .schemas import AuditEntryView, MyAudit, ReadOfMine

log = logging.getLogger(__name__)

READS_OF_MINE = ("read", "export")


def summary(entry: AuditEntry) -> str:
    """One line in plain words, with ids only: "coach (user 4) read the brief of request 12"."""
    who = f"{entry.actor_role} (user {entry.actor_user_id})" if entry.actor_user_id else entry.via
    if entry.action == "read" and entry.target == "brief":
        return f"{who} read the brief of request {entry.request_id}"
    if entry.action == "read" and entry.target == "objectives":
        return f"{who} read the objectives of engagement {entry.engagement_id}"
    if entry.action in ("export", "erase"):
        verb = "exported the data of" if entry.action == "export" else "erased"
        return f"{who} {verb} person {entry.subject_person_id}"
    if entry.action == "retain":
        return f"{who} pseudonymised request {entry.target_id} (retention)"
    row = f"{entry.target} {entry.target_id}" if entry.target_id else f"rows of {entry.target}"
    fields = f": {', '.join(entry.fields)}" if entry.fields else ""
    verb = {"insert": "inserted", "update": "updated", "delete": "deleted"}.get(
        entry.action, entry.action
    )
    return f"{who} {verb} {row}{fields}"


def view(entry: AuditEntry) -> AuditEntryView:
    return AuditEntryView(**entry.model_dump(), summary=summary(entry))


def query(
    *,
    session: Session,
    user_id: int | None,
    action: str | None,
    target: str | None,
    person_id: int | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[AuditEntryView], int]:
    """Entries newest first; `start` inclusive, `end` exclusive."""
    q = select(AuditEntry)
    if user_id is not None:
        q = q.where(AuditEntry.actor_user_id == user_id)
    if action is not None:
        q = q.where(AuditEntry.action == action)
    if target is not None:
        q = q.where(AuditEntry.target == target)
    if person_id is not None:
        q = q.where(AuditEntry.subject_person_id == person_id)
    if start is not None:
        q = q.where(col(AuditEntry.at) >= start)
    if end is not None:
        q = q.where(col(AuditEntry.at) < end)
    total = session.exec(select(func.count()).select_from(q.subquery())).one()
    rows = session.exec(q.order_by(col(AuditEntry.seq).desc()).limit(limit).offset(offset))
    return [view(r) for r in rows], total


def _reader_name(session: Session, reader: User | None) -> str | None:
    if reader is None:
        return None
    if reader.person_id is not None:
        person = session.get(Person, reader.person_id)
        if person is not None:
            return person.name
    if reader.coach_id is not None:
        coach = session.get(Coach, reader.coach_id)
        if coach is not None and coach.name:
            return coach.name
    return reader.name or None


def party_of(session: Session, entry: AuditEntry, reader: User | None) -> str | None:
    """Which party of the request the reader is, for this read; None: no party at all.

    Briefs: the coachee and the coaches engaged on the request. Objectives: the coachee,
    the sponsor and the engagement's coach. An export: the person themselves, or HR."""
    if reader is None or entry.actor_role != reader.role.value:
        return None
    request = session.get(CoachingRequest, entry.request_id) if entry.request_id else None
    if entry.action == "export":
        if reader.role == Role.hr:
            return "hr"
        return "you" if reader.person_id == entry.subject_person_id else None
    if request is None:
        return None
    if reader.role == Role.coachee and reader.person_id == request.coachee_id:
        return "you"
    if reader.role == Role.sponsor and reader.person_id == request.sponsor_id:
        return "sponsor" if entry.target == "objectives" else None
    if reader.role == Role.coach and reader.coach_id is not None:
        engaged = select(Engagement.id).where(
            Engagement.request_id == request.id, Engagement.coach_id == reader.coach_id
        )
        if entry.target == "objectives":
            engaged = engaged.where(Engagement.id == entry.engagement_id)
        if session.exec(engaged).first() is not None:
            return "coach"
    return None


def reads_of(*, session: Session, user: User, limit: int, offset: int) -> MyAudit:
    """Who read (or exported) the confidential data of `user`'s person, newest first."""
    if user.person_id is None:
        return MyAudit(items=[], total=0, limit=limit, offset=offset, alarms=0)
    q = select(AuditEntry).where(
        AuditEntry.subject_person_id == user.person_id,
        col(AuditEntry.action).in_(READS_OF_MINE),
    )
    total = session.exec(select(func.count()).select_from(q.subquery())).one()
    rows = session.exec(q.order_by(col(AuditEntry.seq).desc()).limit(limit).offset(offset))
    items = []
    for entry in rows:
        reader = session.get(User, entry.actor_user_id) if entry.actor_user_id else None
        party = party_of(session, entry, reader)
        alarm = party is None
        if alarm:
            log.warning(
                "audit alarm: entry %s: user %s (%s) read %s of person %s, not a party",
                entry.seq, entry.actor_user_id, entry.actor_role, entry.target,
                entry.subject_person_id,
            )  # fmt: skip
        items.append(
            ReadOfMine(
                at=entry.at,
                what=entry.target if entry.action == "read" else "export",
                request_id=entry.request_id,
                engagement_id=entry.engagement_id,
                reader_user_id=entry.actor_user_id,
                reader_role=entry.actor_role,
                reader_name=_reader_name(session, reader),
                party=party,
                alarm=alarm,
                via=entry.via,
            )
        )
    return MyAudit(
        items=items,
        total=total,
        limit=limit,
        offset=offset,
        alarms=sum(1 for i in items if i.alarm),
    )
