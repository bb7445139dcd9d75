"""Coaching requests: submitted by HR or the coachee, edited, cancelled, and read by the
people they concern. Confidential fields are never logged."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from api import messages
from api.db import get_or_404
from api.errors import Conflict, Forbidden, InvalidInput, NotFound
from api.models import CoachingRequest, Engagement, Person, User
from api.models.enums import RequestStatus, RequestType, Role
from api.rounds.live import supersede_live

from .participants import check_participants, participants_of, requests_joined, set_participants
from .schemas import OwnRequestCreate, RequestBriefUpdate, RequestCreate, RequestUpdate

log = logging.getLogger(__name__)

EDITABLE = (RequestStatus.open,)
CANCELLABLE = (RequestStatus.open, RequestStatus.proposed)
BRIEF_EDITABLE = (RequestStatus.open, RequestStatus.proposed, RequestStatus.matched)


def _check_state(request: CoachingRequest, allowed: Iterable[RequestStatus]) -> None:
    allowed = tuple(allowed)
    if request.status not in allowed:
        raise Conflict(
            messages.REQUEST_STATE.format(
                status=request.status.value, allowed=" or ".join(s.value for s in allowed)
            ),
            field="status",
        )


def _active_person(session: Session, person_id: int, field: str) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise InvalidInput(messages.NOT_FOUND.format(what="person"), field=field)
    if not person.active:
        raise InvalidInput(messages.PERSON_INACTIVE, field=field)
    return person


def _check_people(session: Session, coachee_id: int, sponsor_id: int | None) -> None:
    _active_person(session, coachee_id, "coachee_id")
    if sponsor_id is not None:
        if sponsor_id == coachee_id:
            raise InvalidInput(messages.REQUEST_SELF_SPONSOR, field="sponsor_id")
        _active_person(session, sponsor_id, "sponsor_id")


def _store(
    session: Session,
    values: dict[str, Any],
    actor: User,
    now: datetime,
    participant_ids: list[int] | None = None,
) -> CoachingRequest:
    request = CoachingRequest(
        **values,
        status=RequestStatus.open,
        submitted_at=now,
        updated_at=now,
        submitted_by_id=actor.id,
    )
    session.add(request)
    if participant_ids:
        session.flush()
        assert request.id is not None
        set_participants(session, request.id, participant_ids)
    session.commit()
    log.info("request %s submitted by user %s", request.id, actor.id)
    return request


def create_request(
    *, session: Session, data: RequestCreate, actor: User, now: datetime
) -> CoachingRequest:
    _check_people(session, data.coachee_id, data.sponsor_id)
    # Sent, the participants must fit the kind; left out (a team or mediation request as
    # the demo or a coachee files it), HR completes them later with an edit.
    if "participant_ids" in data.model_fields_set:
        check_participants(
            session,
            kind=data.coaching_type,
            coachee_id=data.coachee_id,
            sponsor_id=data.sponsor_id,
            participant_ids=data.participant_ids,
        )
    values = data.model_dump(exclude={"participant_ids"})
    return _store(session, values, actor, now, data.participant_ids)


def create_own_request(
    *, session: Session, data: OwnRequestCreate, actor: User, now: datetime
) -> CoachingRequest:
    if actor.person_id is None:
        raise Forbidden(messages.REQUEST_NOT_YOURS)
    _check_people(session, actor.person_id, data.sponsor_id)
    return _store(session, data.model_dump() | {"coachee_id": actor.person_id}, actor, now)


def update_request(
    *, session: Session, request_id: int, data: RequestUpdate, now: datetime
) -> CoachingRequest:
    request: CoachingRequest = get_or_404(session, CoachingRequest, request_id, "request")
    _check_state(request, EDITABLE)
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field != "sponsor_id":
            raise InvalidInput("must not be null", field=field)
    if "sponsor_id" in changes:
        _check_people(session, request.coachee_id, changes["sponsor_id"])
    assert request.id is not None
    current = participants_of(session, [request.id]).get(request.id, [])
    participant_ids = changes.pop("participant_ids", None)
    if participant_ids is not None or current:
        # A new list, or a kind or sponsor change under the list already there.
        check_participants(
            session,
            kind=RequestType(changes.get("coaching_type", request.coaching_type)),
            coachee_id=request.coachee_id,
            sponsor_id=changes.get("sponsor_id", request.sponsor_id),
            participant_ids=current if participant_ids is None else participant_ids,
        )
    if participant_ids is not None:
        set_participants(session, request.id, participant_ids)
    for field, value in changes.items():
        setattr(request, field, value)
    request.updated_at = now
    session.add(request)
    session.commit()
    return request


def cancel_request(
    *, session: Session, request: CoachingRequest, now: datetime, reason: str | None = None
) -> CoachingRequest:
    """Withdraw an open or proposed request; its proposals still waiting for a decision
    become superseded in the same transaction. The status it had and HR's reason stay
    on the row (`restore_request`)."""
    _check_state(request, CANCELLABLE)
    assert request.id is not None
    request.status_before_cancel = request.status
    request.status = RequestStatus.cancelled
    request.cancel_reason = reason or None
    request.updated_at = now
    session.add(request)
    superseded = supersede_live(session=session, request_ids=[request.id], now=now)
    session.commit()
    log.info("request %s cancelled (%d proposals superseded)", request.id, superseded)
    return request


UNDO_WINDOW = timedelta(minutes=10)


def restorable(request: CoachingRequest, *, cancelled_at: datetime, now: datetime) -> bool:
    """Whether the cancel made at `cancelled_at` can still be undone: the request is as
    that cancel left it (nothing changed since), it was open before (a proposed request's
    proposals were superseded and the round has moved on: they are not brought back),
    and the cancel is less than `UNDO_WINDOW` old."""
    return (
        request.status == RequestStatus.cancelled
        and request.status_before_cancel == RequestStatus.open
        and request.updated_at == cancelled_at
        and now - cancelled_at <= UNDO_WINDOW
    )


def restore_request(
    *, session: Session, request: CoachingRequest, cancelled_at: datetime, now: datetime
) -> CoachingRequest:
    """Undo the cancel made at `cancelled_at` (see `restorable`): the request is open again."""
    if not restorable(request, cancelled_at=cancelled_at, now=now):
        raise Conflict(messages.REQUEST_NOT_RESTORABLE, field="status")
    request.status = RequestStatus.open
    request.status_before_cancel = None
    request.cancel_reason = None
    request.updated_at = now
    session.add(request)
    session.commit()
    log.info("request %s restored after its cancel", request.id)
    return request


def list_requests(
    *,
    session: Session,
    status: RequestStatus | None,
    coachee_id: int | None,
    sponsor_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[CoachingRequest], int]:
    query = select(CoachingRequest)
    if status is not None:
        query = query.where(CoachingRequest.status == status)
    if coachee_id is not None:
        query = query.where(CoachingRequest.coachee_id == coachee_id)
    if sponsor_id is not None:
        query = query.where(CoachingRequest.sponsor_id == sponsor_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(CoachingRequest.id)).limit(limit).offset(offset))
    return list(rows), total


def _party_filter(user: User) -> Any:
    """The requests `user` is party to: as coachee or sponsor, or as their coach."""
    if user.role == Role.coach:
        return col(CoachingRequest.id).in_(
            select(Engagement.request_id).where(Engagement.coach_id == user.coach_id)
        )
    if user.person_id is None:
        return False
    if user.role == Role.coachee:
        return or_(
            col(CoachingRequest.coachee_id) == user.person_id, requests_joined(user.person_id)
        )
    return or_(
        col(CoachingRequest.sponsor_id) == user.person_id,
        col(CoachingRequest.coachee_id) == user.person_id,
        requests_joined(user.person_id),
    )


Party = Literal["coachee", "sponsor", "participant", "coach"]


def party_of(user: User, request: CoachingRequest) -> Party:
    """How `user` (already known to be party to `request`) takes part: "coachee",
    "sponsor", "participant" (a team's other member, a mediation's other party) or
    "coach". It decides what they read of the brief: the coachee and the coach read it,
    the sponsor and the participants do not (it is the coachee's words), only the coachee
    writes it."""
    if user.role == Role.coach:
        return "coach"
    if user.person_id is not None and request.coachee_id == user.person_id:
        return "coachee"
    if user.person_id is not None and request.sponsor_id == user.person_id:
        return "sponsor"
    return "participant"


def my_requests(
    *, session: Session, user: User, limit: int, offset: int
) -> tuple[list[CoachingRequest], int]:
    query = select(CoachingRequest).where(_party_filter(user))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(CoachingRequest.id)).limit(limit).offset(offset))
    return list(rows), total


def my_request(*, session: Session, user: User, request_id: int) -> CoachingRequest:
    """The request if `user` is party to it; 404 otherwise (its existence is not revealed)."""
    request = session.exec(
        select(CoachingRequest).where(CoachingRequest.id == request_id, _party_filter(user))
    ).first()
    if request is None:
        raise NotFound(messages.NOT_FOUND.format(what="request"))
    return request


def update_brief(
    *, session: Session, user: User, request_id: int, data: RequestBriefUpdate, now: datetime
) -> CoachingRequest:
    """The coachee edits their brief; the sponsor and the coach may not (403)."""
    request = my_request(session=session, user=user, request_id=request_id)
    if party_of(user, request) != "coachee":
        raise Forbidden(messages.BRIEF_COACHEE_ONLY, field="description")
    _check_state(request, BRIEF_EDITABLE)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(request, field, value)
    request.updated_at = now
    session.add(request)
    session.commit()
    return request
