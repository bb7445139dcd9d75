"""The other people a request is about (`RequestParticipant`): a team's members beside
the coachee (team coaching), or the mediation's second party. Coaching and tutoring have
none. The coachee stays the first participant; every rule that protects the coachee
(neutrality, conflicts, the ethics rule, invites, feeds, double booking) covers them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, delete, select

from api import messages
from api.errors import InvalidInput
from api.models import CoachingRequest, Person, RequestParticipant
from api.models.enums import RequestType

FIELD = "participant_ids"
# Others beside the coachee, per kind: (fewest, most). Kinds not listed take none.
BOUNDS: dict[RequestType, tuple[int, int]] = {
    RequestType.TEAM_COACHING: (1, 30),
    RequestType.MEDIATION: (1, 1),
}
MAX_PARTICIPANTS = max(most for _, most in BOUNDS.values())
# Kept here rather than in api.messages while that file is being changed elsewhere.
CANCEL_COACHEE_ONLY = "only the coachee withdraws the request, not another participant"


def check_participants(
    session: Session,
    *,
    kind: RequestType,
    coachee_id: int,
    sponsor_id: int | None,
    participant_ids: Sequence[int],
) -> None:
    """Raise InvalidInput naming `participant_ids` unless the list fits the kind: each an
    active person, neither the coachee nor the sponsor (the schema drops repeats)."""
    bounds = BOUNDS.get(kind)
    if bounds is None:
        if participant_ids:
            raise InvalidInput(messages.PARTICIPANTS_NOT_ALLOWED, field=FIELD)
        return
    fewest, most = bounds
    if kind is RequestType.MEDIATION and len(participant_ids) != 1:
        raise InvalidInput(messages.PARTICIPANTS_MEDIATION, field=FIELD)
    if len(participant_ids) < fewest:
        raise InvalidInput(messages.PARTICIPANTS_TEAM, field=FIELD)
    if len(participant_ids) > most:
        raise InvalidInput(
            messages.TOO_MANY_ITEMS.format(count=len(participant_ids), limit=most), field=FIELD
        )
    for i, person_id in enumerate(participant_ids):
        if person_id in (coachee_id, sponsor_id):
            raise InvalidInput(messages.PARTICIPANT_IS_PARTY, field=f"{FIELD}.{i}")
        person = session.get(Person, person_id)
        if person is None:
            raise InvalidInput(messages.NOT_FOUND.format(what="person"), field=f"{FIELD}.{i}")
        if not person.active:
            raise InvalidInput(messages.PERSON_INACTIVE, field=f"{FIELD}.{i}")


def set_participants(session: Session, request_id: int, participant_ids: Iterable[int]) -> None:
    """Replace the request's participants (in the caller's transaction)."""
    session.exec(delete(RequestParticipant).where(col(RequestParticipant.request_id) == request_id))
    for person_id in participant_ids:
        session.add(RequestParticipant(request_id=request_id, person_id=person_id))


def participants_of(session: Session, request_ids: Iterable[int]) -> dict[int, list[int]]:
    """Request id -> its participants' person ids, in the order HR gave them."""
    ids = list(request_ids)
    out: defaultdict[int, list[int]] = defaultdict(list)
    if not ids:
        return {}
    for row in session.exec(
        select(RequestParticipant)
        .where(col(RequestParticipant.request_id).in_(ids))
        .order_by(col(RequestParticipant.id))
    ):
        out[row.request_id].append(row.person_id)
    return dict(out)


def people_of(session: Session, request: CoachingRequest) -> list[int]:
    """Everyone the coach works with on `request`: the coachee, then the participants."""
    assert request.id is not None
    return [request.coachee_id, *participants_of(session, [request.id]).get(request.id, [])]


def requests_joined(person_id: int) -> ColumnElement[bool]:
    """A filter: the requests `person_id` takes part in as a participant."""
    return col(CoachingRequest.id).in_(
        select(RequestParticipant.request_id).where(RequestParticipant.person_id == person_id)
    )
