"""Session invites (iTIP) into the outbox: one email per recipient per change, each in the
recipient's language and zone, queued in the caller's transaction.

Nothing confidential can reach an invite: `scheduling.invites.SessionInvite` has no field
for a request's description or objectives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session, select

from api.models import Coach, CoachingRequest, CoachingSession, Person, User
from api.models.enums import Modality
from api.outbox import enqueue
from api.sessions.availability import coach_key, person_key
from api.settings import Settings
from scheduling.ical_common import Mailbox
from scheduling.invites import Attendee, Method, SessionInvite
from scheduling.messages import KINDS
from scheduling.mime import build_invite_email

ORGANIZER_NAME = {"en": "Coaching programme", "fr": "Programme de coaching"}


@dataclass(frozen=True)
class Recipient:
    key: str  # p<person id> or c<coach id>: names the recipient in the dedupe key
    mailbox: Mailbox
    zone: str
    language: str


def uid_domain(settings: Settings) -> str:
    return urlsplit(settings.base_url).hostname or "coachmatch"


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


def person_recipient(session: Session, person_id: int) -> Recipient:
    person = session.get(Person, person_id)
    assert person is not None
    return Recipient(
        person_key(person_id), Mailbox(person.email, person.name), person.timezone, person.language
    )


def attendees(
    session: Session, row: CoachingSession, request: CoachingRequest, coach: Coach
) -> list[Recipient]:
    """Coach, coachee and, for the first (tripartite) session, the sponsor."""
    out = [coach_recipient(session, coach), person_recipient(session, request.coachee_id)]
    if row.number == 1 and request.sponsor_id is not None:
        out.append(person_recipient(session, request.sponsor_id))
    return out


def location(session: Session, request: CoachingRequest, coach: Coach) -> str | None:
    """The coachee's site for an on-site engagement; None when held remotely."""
    remote = Modality.REMOTE.value
    if request.modality == Modality.REMOTE or (
        request.modality == Modality.ANY and remote in coach.modalities
    ):
        return None
    person = session.get(Person, request.coachee_id)
    return (person.site or None) if person is not None else None


def queue_invites(
    *,
    session: Session,
    settings: Settings,
    row: CoachingSession,
    request: CoachingRequest,
    coach: Coach,
    method: Method,
    now: datetime,
) -> int:
    """Queue the invite of ``row`` at its current SEQUENCE for every attendee; the caller
    commits. A change is never queued twice (dedupe key per session, sequence and
    recipient). Returns how many were queued."""
    people = attendees(session, row, request, coach)
    kind = request.coaching_type if request.coaching_type in KINDS else "coaching"
    place = location(session, request, coach)
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
            organizer=Mailbox(
                settings.programme_mailbox, ORGANIZER_NAME.get(language, ORGANIZER_NAME["en"])
            ),
            attendees=tuple(Attendee(p.mailbox) for p in people),
            kind=kind,
            location=place,
            language=language,
        )
        message = build_invite_email(
            invite,
            method,
            recipients=[Mailbox(recipient.mailbox.email)],  # a bare address: short To
            update=method is Method.REQUEST and row.sequence > 0,
            date=now,
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
