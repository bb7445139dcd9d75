"""A chemistry call's invite (iTIP) to the coach and the coachee, through the outbox.

Built from the call's times and the two people's addresses only: `SessionInvite` has no
field for a request's description or objectives, so none can reach the invite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from api.i18n import t
from api.models import Coach, Person
from api.models.chemistry import ChemistryCall
from api.outbox import enqueue
from api.sessions.invites import Recipient, coach_recipient, organizer, person_recipient
from api.settings import Settings
from scheduling.ical_common import Mailbox
from scheduling.invites import Attendee, Method, SessionInvite
from scheduling.mime import EmailDetails, build_invite_email

PROPOSALS_PAGE = "/my/proposals"
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class CallInvite(SessionInvite):
    """A session invite whose title says what the call is, not "session 1 of 1"."""

    summary: str = ""

    @property
    def title(self) -> str:
        return self.summary


def _recipients(session: Session, call: ChemistryCall) -> list[Recipient]:
    """Coach and coachee, but an erased person (no address any more)."""
    coach = session.get_one(Coach, call.coach_id)
    out = []
    coach_person = session.get(Person, coach.person_id) if coach.person_id else None
    if coach_person is None or coach_person.erased_at is None:
        out.append(coach_recipient(session, coach))
    coachee = session.get_one(Person, call.coachee_id)
    if coachee.erased_at is None:
        out.append(person_recipient(session, call.coachee_id, "coachee"))
    return out


def queue(
    *,
    session: Session,
    settings: Settings,
    call: ChemistryCall,
    method: Method,
    now: datetime,
    by: str | None = None,
) -> int:
    """Queue the call's invite (or its cancellation, `by` whom) to each; the caller
    commits. Never queued twice (dedupe key per call, sequence and recipient)."""
    people = _recipients(session, call)
    attendees = tuple(Attendee(p.mailbox) for p in people)
    minutes = int((call.end_at - call.start_at).total_seconds() // 60)
    for recipient in people:
        base = recipient.language.split("-", 1)[0].lower()
        language = base if base in LANGUAGES else LANGUAGES[0]
        invite = CallInvite(
            uid=call.uid,
            sequence=call.sequence,
            stamp=now,
            start=call.start_at,
            end=call.end_at,
            zone=recipient.zone,
            index=1,
            total=1,
            organizer=organizer(settings, language),
            attendees=attendees,
            language=language,
            summary=t("chemistry.invite_title", language, minutes=minutes),
        )
        manage = settings.base_url + PROPOSALS_PAGE if recipient.role == "coachee" else None
        message = build_invite_email(
            invite,
            method,
            recipients=[Mailbox(recipient.mailbox.email)],  # a bare address: short To
            date=now,
            details=EmailDetails(manage_url=manage, cancelled_by=by),
        )
        enqueue(
            session,
            kind=f"invite.{method.value.lower()}",
            dedupe_key=f"chemistry:{call.id}:seq:{call.sequence}:{recipient.key}",
            message=message,
            settings=settings,
            now=now,
        )
    return len(people)
