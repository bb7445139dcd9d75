"""Session invites (iTIP) into the outbox: one email per recipient per change, each in the
recipient's language and zone, queued in the caller's transaction.

Nothing confidential can reach an invite: `scheduling.invites.SessionInvite` has no field
for a request's description or objectives.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from icalendar.enums import PARTSTAT
from sqlmodel import Session, select

from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    Person,
    SessionAttendance,
    Site,
    User,
)
from api.models.enums import Modality
from api.outbox import enqueue
from api.requests.participants import participants_of
from api.sessions.attendance import attendees_of
from api.sessions.availability import coach_key, person_key
from api.settings import Settings
from scheduling.ical_common import Mailbox
from scheduling.invites import Attendee, Method, SessionInvite
from scheduling.mime import EmailDetails, build_invite_email

ORGANIZER_NAME = {"en": "Coaching programme", "fr": "Programme de coaching"}
SESSIONS_PAGE = "/my/sessions"


@dataclass(frozen=True)
class Recipient:
    key: str  # p<person id> or c<coach id>: names the recipient in the dedupe key
    mailbox: Mailbox
    zone: str
    language: str
    role: str = "coach"


@dataclass(frozen=True)
class Place:
    """Where a session is held: an on-site place, or an online room's join link."""

    location: str | None = None
    online_url: str | None = None


def uid_domain(settings: Settings) -> str:
    return urlsplit(settings.base_url).hostname or "coachmatch"


def organizer(settings: Settings, language: str) -> Mailbox:
    base = language.split("-", 1)[0].lower()
    return Mailbox(settings.programme_mailbox, ORGANIZER_NAME.get(base, ORGANIZER_NAME["en"]))


def coach_recipient(session: Session, coach: Coach) -> Recipient:
    if coach.person_id is not None:
        person = session.get(Person, coach.person_id)
        assert person is not None
        return Recipient(
            coach_key(coach), Mailbox(person.email, person.name), coach.timezone, person.language
        )
    account = session.exec(select(User).where(User.coach_id == coach.id)).first()
    return Recipient(
        coach_key(coach),
        Mailbox(coach.email or "", coach.name or ""),
        coach.timezone,
        account.language if account is not None else "en",
    )


def person_recipient(session: Session, person_id: int, role: str) -> Recipient:
    person = session.get(Person, person_id)
    assert person is not None
    return Recipient(
        person_key(person_id),
        Mailbox(person.email, person.name),
        person.timezone,
        person.language,
        role,
    )


def attendees(
    session: Session, row: CoachingSession, request: CoachingRequest, coach: Coach
) -> list[Recipient]:
    """Coach, coachee, the other participants and, for the first (tripartite) session,
    the sponsor; an erased person is none of them any more (no address, no name)."""
    out = [coach_recipient(session, coach)] if not _erased(session, coach.person_id) else []
    others = participants_of(session, [request.id]).get(request.id, []) if request.id else []
    for item in attendees_of(row, request, coach, others)[1:]:
        if not _erased(session, int(item.key[1:])):
            out.append(person_recipient(session, int(item.key[1:]), item.role))
    return out


def _erased(session: Session, person_id: int | None) -> bool:
    person = session.get(Person, person_id) if person_id is not None else None
    return person is not None and person.erased_at is not None


def is_remote(request: CoachingRequest, coach: Coach) -> bool:
    return request.modality == Modality.REMOTE or (
        request.modality == Modality.ANY and Modality.REMOTE.value in coach.modalities
    )


def join_url(
    settings: Settings, engagement: Engagement, coach: Coach, *, create: bool = True
) -> str | None:
    """The coach's own room, else a room made from the template with the engagement's
    random id (made on first use, by an invite; the caller commits)."""
    if coach.room_url:
        return coach.room_url
    if settings.meeting_url_template is None:
        return None
    if engagement.meeting_id is None:
        if not create:
            return None
        # Random, not derived from anything: nobody can guess another engagement's room.
        engagement.meeting_id = secrets.token_hex(16)
    return settings.meeting_url_template.format(uid=engagement.meeting_id)


def place(
    session: Session,
    settings: Settings,
    request: CoachingRequest,
    coach: Coach,
    engagement: Engagement,
    *,
    create: bool = True,
) -> Place:
    """A remote session's join link; an on-site one's room (the coach's choice), site and
    the site's address (org data). ``create=False`` reads only (a feed)."""
    if is_remote(request, coach):
        return Place(online_url=join_url(settings, engagement, coach, create=create))
    person = session.get(Person, request.coachee_id)
    site_name = person.site if person is not None else ""
    parts = [engagement.room or ""]
    if site_name:
        site = session.exec(select(Site).where(Site.name == site_name)).first()
        parts += [site_name, site.address if site is not None else ""]
    text = ", ".join(p for p in parts if p)
    return Place(location=text or None)


def partstats(session: Session, row: CoachingSession) -> dict[str, str]:
    """Each attendee's current answer (attendance key -> PARTSTAT)."""
    return {
        a.attendee: a.partstat
        for a in session.exec(
            select(SessionAttendance).where(SessionAttendance.session_id == row.id)
        )
    }


def queue_invites(
    *,
    session: Session,
    settings: Settings,
    row: CoachingSession,
    request: CoachingRequest,
    coach: Coach,
    engagement: Engagement,
    method: Method,
    now: datetime,
    previous: tuple[datetime, datetime] | None = None,
    cancelled_by: str | None = None,
) -> int:
    """Queue the invite of ``row`` at its current SEQUENCE for every attendee; the caller
    commits. A change is never queued twice (dedupe key per session, sequence and
    recipient). ``previous`` is the old time of a move, ``cancelled_by`` the role of who
    cancelled. Returns how many were queued."""
    people = attendees(session, row, request, coach)
    where = place(session, settings, request, coach, engagement)
    answers = partstats(session, row)
    invited = tuple(
        Attendee(p.mailbox, partstat=PARTSTAT(answers.get(p.key, PARTSTAT.NEEDS_ACTION)))
        for p in people
    )
    for recipient in people:
        language = recipient.language.split("-", 1)[0].lower()
        invite = SessionInvite(
            uid=row.uid,
            sequence=row.sequence,
            stamp=now,
            start=row.start_at,
            end=row.end_at,
            zone=recipient.zone,
            index=row.number,
            total=max(request.sessions, row.number),
            organizer=organizer(settings, language),
            attendees=invited,
            location=where.location,
            online_url=where.online_url,
            language=language,
        )
        details = EmailDetails(
            manage_url=settings.base_url + SESSIONS_PAGE,
            previous=previous,
            cancelled_by=cancelled_by,
        )
        message = build_invite_email(
            invite,
            method,
            recipients=[Mailbox(recipient.mailbox.email)],  # a bare address: short To
            update=method is Method.REQUEST and row.sequence > 0,
            date=now,
            details=details,
        )
        enqueue(
            session,
            kind=f"invite.{method.value.lower()}",
            dedupe_key=f"session:{row.id}:seq:{row.sequence}:{recipient.key}",
            message=message,
            settings=settings,
            now=now,
        )
    return len(people)
