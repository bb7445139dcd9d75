"""Secret calendar feeds: one active token per user, stored hashed."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, false, func, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlmodel import Session, col, select

from api import messages
from api.errors import NotFound
from api.models import (
    Coach,
    CoachingRequest,
    CoachingSession,
    Engagement,
    FeedToken,
    Person,
    Site,
    User,
)
from api.models.enums import Role, SessionStatus
from api.requests.participants import requests_joined
from api.security import hash_token, new_token
from api.sessions.invites import organizer, place
from api.settings import Settings
from api.zones import user_zone
from scheduling.feeds import CANCELLED_KEPT

from .render import FeedSession, render_person_feed

log = logging.getLogger(__name__)


def _active(session: Session, user_id: int) -> FeedToken | None:
    return session.exec(
        select(FeedToken).where(FeedToken.user_id == user_id, col(FeedToken.revoked_at).is_(None))
    ).first()


def rotate(*, session: Session, user: User, now: datetime) -> tuple[str, FeedToken]:
    """A new secret; the previous one (if any) stops working."""
    assert user.id is not None
    old = _active(session, user.id)
    if old is not None:
        old.revoked_at = now
        session.add(old)
    token = new_token()
    row = FeedToken(user_id=user.id, token_hash=hash_token(token), created_at=now)
    session.add(row)
    session.commit()
    log.info("user %s has a new feed token", user.id)
    return token, row


def revoke(*, session: Session, user: User, now: datetime) -> None:
    assert user.id is not None
    row = _active(session, user.id)
    if row is None:
        raise NotFound(messages.NO_FEED)
    row.revoked_at = now
    session.add(row)
    session.commit()


def status(*, session: Session, user: User) -> FeedToken | None:
    assert user.id is not None
    return _active(session, user.id)


def lookup(*, session: Session, token: str) -> tuple[FeedToken, User] | None:
    """The feed's token and owner, in one indexed read; None if unknown, revoked or the
    account closed."""
    found = session.exec(
        select(FeedToken, User)
        .join(User, col(User.id) == FeedToken.user_id)
        .where(FeedToken.token_hash == hash_token(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or not user.active:
        return None
    return row, user


FEED_DETAILS = ("title", "names")


def _sessions_of(session: Session, settings: Settings, user: User) -> list[FeedSession]:
    """The sessions the user attends: a coach's, a coachee's, and a sponsor's first
    (tripartite) sessions."""
    query = (
        select(CoachingSession, Engagement, CoachingRequest, Coach)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
    )
    if user.role == Role.coach and user.coach_id is not None:
        query = query.where(Engagement.coach_id == user.coach_id)
    elif user.role == Role.coachee and user.person_id is not None:
        query = query.where(_attends_as_coachee(user.person_id))
    elif user.role == Role.sponsor and user.person_id is not None:
        query = query.where(
            CoachingRequest.sponsor_id == user.person_id, CoachingSession.number == 1
        )
    else:
        return []  # HR attends no session
    rows = session.exec(
        query.order_by(col(CoachingSession.start_at), col(CoachingSession.id))
    ).all()
    totals = dict(
        session.exec(
            select(CoachingSession.engagement_id, func.count())
            .where(col(CoachingSession.engagement_id).in_({e.id for _, e, _, _ in rows}))
            .group_by(col(CoachingSession.engagement_id))
        ).all()
    )
    names: dict[int | None, str] = {}
    if user.feed_detail == "names":
        ids = {r.coachee_id for _, _, r, _ in rows} | {r.sponsor_id for _, _, r, _ in rows}
        ids |= {c.person_id for _, _, _, c in rows}
        names = dict(
            session.exec(select(Person.id, Person.name).where(col(Person.id).in_(ids))).all()
        )
    out = []
    for item, engagement, request, coach in rows:
        where = place(session, settings, request, coach, engagement, create=False)
        out.append(
            FeedSession(
                uid=item.uid,
                start=item.start_at,
                end=item.end_at,
                sequence=item.sequence,
                status=item.status,
                number=item.number,
                total=max(totals.get(engagement.id or 0, 0), request.sessions),
                with_names=_others(user, item, request, coach, names),
                last_change=item.last_change_at,
                location=where.location,
                online_url=where.online_url,
            )
        )
    return out


def _others(
    user: User,
    item: CoachingSession,
    request: CoachingRequest,
    coach: Coach,
    names: dict[int | None, str],
) -> tuple[str, ...]:
    """The other attendees' names, for a feed whose owner chose to show them."""
    if not names:
        return ()
    coach_name = coach.name or names.get(coach.person_id, "")
    people = [("coach", coach_name), ("coachee", names.get(request.coachee_id, ""))]
    if item.number == 1 and request.sponsor_id is not None:
        people.append(("sponsor", names.get(request.sponsor_id, "")))
    return tuple(name for role, name in people if role != user.role.value and name)


def set_detail(*, session: Session, user: User, detail: str) -> None:
    user.feed_detail = detail
    session.add(user)
    session.commit()


@dataclass(frozen=True)
class Validator:
    """What a feed's bytes depend on, read in one aggregate query: its strong ETag and its
    Last-Modified. A calendar app's poll is answered from it (304) without rendering."""

    etag: str
    last_modified: datetime


def _attends_as_coachee(person_id: Any) -> Any:
    """Every session of the requests the person is the coachee or a participant of."""
    return or_(col(CoachingRequest.coachee_id) == person_id, requests_joined(person_id))


def _owner(user: User) -> tuple[Role | None, int | None]:
    """Whose sessions the feed shows: (the role they attend as, the coach's or person's
    id); (None, None) for an account attending none (HR)."""
    if user.role == Role.coach and user.coach_id is not None:
        return Role.coach, user.coach_id
    if user.role in (Role.coachee, Role.sponsor) and user.person_id is not None:
        return user.role, user.person_id
    return None, None


@functools.cache
def _version_query(role: Role | None) -> Any:
    """The validator's one query for a feed of `role`, built once: building its joins
    and aliases costs more than running them, and calendar apps poll all day. The owner,
    the moment a cancelled session stops being kept and the ids the owner's zone comes
    from (as in `api.zones.user_zone`) are parameters."""
    coachee, sponsor, coach_person = aliased(Person), aliased(Person), aliased(Person)
    owner: BindParameter[int] = bindparam("owner")
    mine: ColumnElement[bool]
    if role == Role.coach:
        mine = col(Engagement.coach_id) == owner
    elif role == Role.coachee:
        mine = _attends_as_coachee(owner)
    elif role == Role.sponsor:
        mine = and_(col(CoachingRequest.sponsor_id) == owner, col(CoachingSession.number) == 1)
    else:
        mine = false()  # HR attends no session
    kept = or_(
        col(CoachingSession.status) != SessionStatus.cancelled,
        col(CoachingSession.last_change_at) >= bindparam("kept_since"),
    )
    return (
        sa_select(  # sqlmodel's select is typed for four columns at most
            func.count(col(CoachingSession.id)),
            func.max(CoachingSession.last_change_at),
            func.coalesce(func.sum(CoachingSession.sequence), 0),
            func.max(Engagement.updated_at),
            func.max(Coach.updated_at),
            func.max(CoachingRequest.updated_at),
            func.max(coachee.updated_at),
            func.max(sponsor.updated_at),
            func.max(coach_person.updated_at),
            select(func.max(Site.updated_at)).scalar_subquery(),
            select(Coach.timezone).where(Coach.id == bindparam("zone_coach")).scalar_subquery(),
            select(Person.timezone).where(Person.id == bindparam("zone_person")).scalar_subquery(),
        )
        .select_from(CoachingSession)
        .join(Engagement, col(Engagement.id) == CoachingSession.engagement_id)
        .join(CoachingRequest, col(CoachingRequest.id) == Engagement.request_id)
        .join(Coach, col(Coach.id) == Engagement.coach_id)
        .join(coachee, col(coachee.id) == CoachingRequest.coachee_id)
        .outerjoin(sponsor, col(sponsor.id) == CoachingRequest.sponsor_id)
        .outerjoin(coach_person, col(coach_person.id) == Coach.person_id)
        .where(mine, kept)
    )


def validator(
    *, session: Session, settings: Settings, token_row: FeedToken, user: User, now: datetime
) -> Validator:
    """The feed's version: its sessions (count, latest change, SEQUENCEs), the rows its
    events show (engagement rooms, coaches, requests, the people named, the sites), the
    cancelled sessions still kept (30 days), and the owner's choices (zone, language,
    detail). Any change to what the body shows changes it. One query."""
    role, owner = _owner(user)
    *row, coach_zone, person_zone = session.execute(
        _version_query(role),
        {
            "owner": owner,
            "kept_since": now - CANCELLED_KEPT,
            "zone_coach": user.coach_id,
            "zone_person": user.person_id,
        },
    ).one()
    zone = coach_zone or person_zone or settings.default_timezone
    key = (
        *row,
        token_row.created_at,
        user.name,
        user.language,
        user.feed_detail,
        zone,
        settings.base_url,
        settings.programme_mailbox,
    )
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    moments = [m for m in (token_row.created_at, *row[1:2], *row[3:]) if isinstance(m, datetime)]
    return Validator(etag=f'"{digest}"', last_modified=max(moments))


def render(*, session: Session, settings: Settings, user: User, now: datetime) -> bytes:
    """The feed body. Times are in the owner's zone (the default zone for a user without
    a coach or person)."""
    sessions = _sessions_of(session, settings, user)
    return render_person_feed(
        sessions=sessions,
        zone=user_zone(session=session, user=user, default=settings.default_timezone),
        owner_name=user.name,
        language=user.language,
        now=now,
        organizer=organizer(settings, user.language),
    )


class FeedBodies:
    """Rendered feed bodies by (owner, version), the least recently served dropped first
    past a byte budget; one per app (`app.state.feed_bodies`), so per database. A
    version names every row and choice its bytes depend on (the 304s rely on it
    already), so a body is rendered once per version and process."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[int, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[int, str], body: bytes) -> None:
        with self._lock:
            if key in self._items or len(body) > self.max_bytes:
                return
            self._items[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


def body(
    *,
    session: Session,
    settings: Settings,
    bodies: FeedBodies,
    user: User,
    version: Validator,
    now: datetime,
) -> bytes:
    """The feed's bytes at `version`: rendered when the feed changed, else from memory."""
    key = (user.id or 0, version.etag)
    found = bodies.get(key)
    if found is None:
        found = render(session=session, settings=settings, user=user, now=now)
        bodies.put(key, found)
    return found


# "Last fetched" is bookkeeping: written at most this often, after the answer is sent.
TOUCH_EVERY = timedelta(minutes=10)


_touched: dict[str, datetime] = {}  # token hash -> last touch this process queued
_touched_lock = threading.Lock()


def needs_touch(token_row: FeedToken, now: datetime) -> bool:
    """Whether this fetch should write "last fetched": not when it is recent, nor when
    this process already queued it (a burst of polls reads the old value at once)."""
    if token_row.id is None:
        return False
    stored = token_row.last_used_at
    if stored is not None and now - stored < TOUCH_EVERY:
        return False
    with _touched_lock:
        queued = _touched.get(token_row.token_hash)
        if queued is not None and now - queued < TOUCH_EVERY:
            return False
        if len(_touched) > 100_000:  # bounded: forget the oldest half
            for key in sorted(_touched, key=_touched.__getitem__)[: len(_touched) // 2]:
                del _touched[key]
        _touched[token_row.token_hash] = now
    return True


def touch(session: Session, token_id: int, now: datetime) -> None:
    """Record the fetch in a transaction of its own, once the answer is sent (a
    background task). On the request's session, its read over: a second session would
    take a second connection while the request holds the first."""
    session.rollback()
    session.execute(update(FeedToken).where(col(FeedToken.id) == token_id).values(last_used_at=now))
    session.commit()
