"""Who attends each session, kept in `session_attendance` for the database to guard.

The service checks everyone's time before it books; the database refuses what a race
between two decisions (two coaches, two processes) would still let through: two active
attendances of one person that overlap (PostgreSQL: an exclusion constraint; SQLite: a
trigger, the write lock serialising the writers). A refusal becomes a 409 that names the
person and the slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api import messages
from api.errors import Conflict
from api.models import Coach, CoachingRequest, CoachingSession, Person, SessionAttendance
from api.models.enums import SessionStatus
from api.requests.participants import participants_of
from api.sessions.availability import coach_key, person_key

CONSTRAINT = "ex_session_attendance_no_overlap"


@dataclass(frozen=True)
class Attendee:
    key: str  # p<person id>, or c<coach id> for an external coach
    role: str  # coach | coachee | member (another participant) | sponsor


@dataclass(frozen=True)
class Slot:
    """A session's wanted time, kept apart from the row (a rollback reloads the row)."""

    session_id: int
    start: datetime
    end: datetime


def attendees_of(
    row: CoachingSession,
    request: CoachingRequest,
    coach: Coach,
    participants: Sequence[int] = (),
) -> list[Attendee]:
    """The coach, the coachee, the other participants (a team's members, a mediation's
    other party) and, at the first (tripartite) session, the sponsor."""
    out = [Attendee(coach_key(coach), "coach"), Attendee(person_key(request.coachee_id), "coachee")]
    # "member": the column holds 10 characters; a team member or the other party.
    out += [Attendee(person_key(x), "member") for x in participants]
    if row.number == 1 and request.sponsor_id is not None:
        out.append(Attendee(person_key(request.sponsor_id), "sponsor"))
    unique: dict[str, Attendee] = {}
    for item in out:
        unique.setdefault(item.key, item)
    return list(unique.values())


def sync_attendance(
    session: Session, rows: list[CoachingSession], request: CoachingRequest, coach: Coach
) -> None:
    """Bring the attendance of `rows` in line with their times and states, then flush:
    Conflict (409) naming the person and the slot when the database finds one of them
    already elsewhere then. On a refusal the transaction is rolled back: nothing of the
    change is kept."""
    wanted: list[tuple[Slot, list[Attendee]]] = []
    assert request.id is not None
    others = participants_of(session, [request.id]).get(request.id, [])
    for row in rows:
        assert row.id is not None
        people = attendees_of(row, request, coach, others)
        wanted.append((Slot(row.id, row.start_at, row.end_at), people))
        existing = {
            a.attendee: a
            for a in session.exec(
                select(SessionAttendance).where(SessionAttendance.session_id == row.id)
            )
        }
        active = row.status != SessionStatus.cancelled
        for person in people:
            item = existing.pop(person.key, None) or SessionAttendance(
                session_id=row.id,
                attendee=person.key,
                role=person.role,
                start_at=row.start_at,
                end_at=row.end_at,
            )
            if (item.start_at, item.end_at) != (row.start_at, row.end_at):
                # A new time is a new question: the earlier answer was to the old one.
                item.partstat, item.partstat_at = "NEEDS-ACTION", None
            item.role, item.start_at, item.end_at = person.role, row.start_at, row.end_at
            item.active = active
            session.add(item)
        for gone in existing.values():
            session.delete(gone)
    try:
        session.flush()
    except IntegrityError as exc:
        if CONSTRAINT not in str(exc.orig):
            raise
        session.rollback()
        raise _double_booked(session, wanted, request, coach) from exc


def _double_booked(
    session: Session,
    wanted: list[tuple[Slot, list[Attendee]]],
    request: CoachingRequest,
    coach: Coach,
) -> Conflict:
    """The refusal, naming who is already booked and when (read after the rollback: the
    other booking is committed, that is why this one was refused)."""
    for row, people in wanted:
        for person in people:
            clash = session.exec(
                select(SessionAttendance).where(
                    SessionAttendance.attendee == person.key,
                    col(SessionAttendance.active).is_(True),
                    SessionAttendance.session_id != row.session_id,
                    col(SessionAttendance.start_at) < row.end,
                    col(SessionAttendance.end_at) > row.start,
                )
            ).first()
            if clash is not None:
                return double_booked(
                    session,
                    coach,
                    who=person.role,
                    key=person.key,
                    start=clash.start_at,
                    end=clash.end_at,
                )
    return Conflict(messages.CONFLICT_DB, field="start_at")


def attendee_name(session: Session, coach: Coach, key: str) -> str:
    """The name of attendee `key` of a session with `coach`."""
    if key.startswith("c"):
        return coach.name or ""
    found = session.get(Person, int(key[1:]))
    return found.name if found is not None else ""


def double_booked(
    session: Session, coach: Coach, *, who: str, key: str, start: datetime, end: datetime
) -> Conflict:
    """409: attendee `key` (as `who`) already has a session from `start` to `end`."""
    return Conflict(
        messages.SESSION_DOUBLE_BOOKED.format(
            who=who,
            name=attendee_name(session, coach, key),
            start=start.strftime("%Y-%m-%d %H:%M UTC"),
            end=end.strftime("%Y-%m-%d %H:%M UTC"),
        ),
        field="start_at",
    )
