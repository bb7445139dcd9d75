"""Accounts: sign-in with throttling, sessions, invitations and HR's user management."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from api import messages
from api.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
)
from api.mail import invitation_email
from api.models import Coach, FeedToken, Invitation, LoginSession, LoginThrottle, Person, User
from api.models.enums import Role
from api.outbox import enqueue
from api.security import Passwords, hash_token, new_token
from api.settings import Settings

from .schemas import InvitationCreate, UserUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime
    user: User


def _normal_email(email: str) -> str:
    return email.strip().lower()


def check_password(password: str, settings: Settings) -> None:
    if len(password) < settings.password_min_length:
        raise InvalidInput(
            messages.PASSWORD_TOO_SHORT.format(length=settings.password_min_length),
            field="password",
        )


def _open_session(session: Session, *, user: User, settings: Settings, now: datetime) -> SignedIn:
    token = new_token()
    expires = now + settings.session_ttl
    assert user.id is not None
    session.add(
        LoginSession(
            user_id=user.id, token_hash=hash_token(token), created_at=now, expires_at=expires
        )
    )
    user.last_login_at = now
    session.add(user)
    # Expired sessions of this user are useless: drop them while we are here.
    session.execute(
        delete(LoginSession).where(
            col(LoginSession.user_id) == user.id, col(LoginSession.expires_at) <= now
        )
    )
    return SignedIn(token=token, expires_at=expires, user=user)


def _lockout(settings: Settings, failures: int, limit: int) -> timedelta:
    extra = max(0, failures - limit)
    seconds = settings.login_lockout_base_seconds * 2**extra
    return timedelta(seconds=min(seconds, settings.login_lockout_max_seconds))


def _ensure_throttle(session: Session, scope: str, key: str, now: datetime) -> None:
    """The counter row exists (inserted or left as it is: never a duplicate-key race)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(scope=scope, key=key, failures=0, first_failure_at=now)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )


def _locked_throttle(
    session: Session, *, scope: str, key: str, settings: Settings, now: datetime
) -> LoginThrottle:
    """The counter of `scope`/`key`, read under its lock (failures out of the window
    forgotten): the lock is held until the caller commits."""
    _ensure_throttle(session, scope, key, now)
    where = (col(LoginThrottle.scope) == scope, col(LoginThrottle.key) == key)
    # An UPDATE that changes nothing takes PostgreSQL's row lock, SQLite's write lock.
    session.execute(update(LoginThrottle).where(*where).values(failures=LoginThrottle.failures))
    row = session.exec(
        select(LoginThrottle).where(*where).execution_options(populate_existing=True)
    ).one()
    if now - row.first_failure_at > settings.login_failure_window and (
        row.locked_until is None or row.locked_until <= now
    ):
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    return row


def admit(
    session: Session, *, counters: Sequence[tuple[str, str, int]], settings: Settings, now: datetime
) -> int:
    """Count this attempt on each (scope, key, limit) counter, under their locks, before
    the work it asks for; 0 to go ahead, else the seconds to wait (and nothing is
    counted). The attempt that reaches a limit sets its lock at once, so a burst of
    simultaneous attempts gets at most that many through."""
    limits = [
        (_locked_throttle(session, scope=scope, key=key, settings=settings, now=now), limit)
        for scope, key, limit in counters
    ]
    waits = [
        math.ceil((row.locked_until - now).total_seconds())
        for row, _ in limits
        if row.locked_until is not None and row.locked_until > now
    ]
    if not waits:
        for row, limit in limits:
            row.failures += 1
            if row.failures >= limit:
                row.locked_until = now + _lockout(settings, row.failures, limit)
    for row, _ in limits:
        session.add(row)
    return max([0, *(max(1, w) for w in waits)])


def _settle_success(session: Session, *, email: str, ip: str, settings: Settings) -> None:
    """A correct password: the account's count is cleared; the client's loses this
    attempt (and the lock it may have set)."""
    session.execute(
        delete(LoginThrottle).where(
            col(LoginThrottle.scope) == "account", col(LoginThrottle.key) == email
        )
    )
    row = session.exec(
        select(LoginThrottle)
        .where(col(LoginThrottle.scope) == "client", col(LoginThrottle.key) == ip)
        .execution_options(populate_existing=True)
    ).first()
    if row is not None:
        row.failures = max(0, row.failures - 1)
        if row.failures < settings.login_max_failures_per_client:
            row.locked_until = None
        session.add(row)


def sign_in(
    *,
    session: Session,
    passwords: Passwords,
    settings: Settings,
    email: str,
    password: str,
    ip: str,
    now: datetime,
) -> SignedIn:
    """Check the password, throttled per account (the email, known or not) and per client
    address: each attempt is counted first, atomically; past `login_max_failures` for the
    account (or `login_max_failures_per_client` for the address) further attempts wait
    an exponentially longer time (429 with Retry-After), without any password check."""
    email, ip = _normal_email(email)[:254], ip[:254]
    # a correct password then clears the account's count (_settle_success)
    counters = (
        ("account", email, settings.login_max_failures),
        ("client", ip, settings.login_max_failures_per_client),
    )
    wait = admit(session, counters=counters, settings=settings, now=now)
    session.commit()  # the attempt counts (and the locks are released) before any hashing
    if wait:
        log.info("sign-in refused: too many failures for this account or address")
        raise TooManyRequests(messages.THROTTLED.format(seconds=wait), retry_after=wait)

    user = session.exec(select(User).where(User.email == email)).first()
    ok = passwords.verify(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        log.info("failed sign-in")
        raise NotAuthenticated(messages.BAD_CREDENTIALS)

    _settle_success(session, email=email, ip=ip, settings=settings)
    assert user.password_hash is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash(password)
    signed_in = _open_session(session, user=user, settings=settings, now=now)
    session.commit()
    log.info("user %s signed in", user.id)
    return signed_in


def user_for_token(*, session: Session, token: str, now: datetime) -> User:
    row = session.exec(
        select(LoginSession).where(LoginSession.token_hash == hash_token(token))
    ).first()
    if row is None or row.expires_at <= now:
        raise NotAuthenticated(messages.SESSION_EXPIRED)
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated(messages.SESSION_EXPIRED)
    return user


def sign_out(*, session: Session, token: str) -> None:
    session.execute(delete(LoginSession).where(col(LoginSession.token_hash) == hash_token(token)))
    session.commit()


def _check_links(
    session: Session, *, role: Role, person_id: int | None, coach_id: int | None
) -> None:
    if role == Role.hr and (person_id is not None or coach_id is not None):
        raise InvalidInput(messages.ROLE_FORBIDS_LINK, field="person_id")
    if role == Role.coach and coach_id is None:
        raise InvalidInput(messages.ROLE_NEEDS_COACH, field="coach_id")
    if role in (Role.coachee, Role.sponsor) and person_id is None:
        raise InvalidInput(messages.ROLE_NEEDS_PERSON.format(role=role.value), field="person_id")
    if role in (Role.coachee, Role.sponsor) and coach_id is not None:
        raise InvalidInput(messages.COACH_INTERNAL_FORBIDS, field="coach_id")
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None:
            raise InvalidInput(messages.NOT_FOUND.format(what="person"), field="person_id")
        if not person.active:
            raise InvalidInput(messages.PERSON_INACTIVE, field="person_id")
    if coach_id is not None and session.get(Coach, coach_id) is None:
        raise InvalidInput(messages.NOT_FOUND.format(what="coach"), field="coach_id")


@dataclass(frozen=True)
class Binding:
    """Who an account is: its email is the person's own (org chart) or, for an external
    coach, the coach record's. HR can neither choose the address nor open a second account
    for someone, so no account HR creates can read another person's confidential data."""

    email: str
    person_id: int | None
    coach_id: int | None


def bind_account(
    session: Session,
    *,
    role: Role,
    email: str | None,
    person_id: int | None,
    coach_id: int | None,
) -> Binding:
    """The identity an account of `role` must have; InvalidInput or Conflict otherwise."""
    _check_links(session, role=role, person_id=person_id, coach_id=coach_id)
    if role == Role.hr:
        if not email:
            raise InvalidInput(messages.ACCOUNT_EMAIL_REQUIRED, field="email")
        return Binding(_normal_email(email), None, None)
    if coach_id is not None:
        if session.exec(select(User.id).where(User.coach_id == coach_id)).first():
            raise Conflict(messages.COACH_HAS_ACCOUNT, field="coach_id")
        coach = session.get_one(Coach, coach_id)
        if coach.person_id is not None:
            if person_id is not None and person_id != coach.person_id:
                raise InvalidInput(messages.COACH_INTERNAL_FORBIDS, field="person_id")
            person_id = coach.person_id
            own = session.get_one(Person, person_id).email
        elif coach.email:
            own = coach.email
        else:
            raise InvalidInput(messages.ACCOUNT_NO_EMAIL, field="coach_id")
    else:
        assert person_id is not None
        own = session.get_one(Person, person_id).email
    own = _normal_email(own)
    if email and _normal_email(email) != own:
        raise InvalidInput(messages.ACCOUNT_EMAIL_NOT_OWN.format(role=role.value), field="email")
    if (
        person_id is not None
        and session.exec(
            select(User.id).where(User.person_id == person_id, User.role == role)
        ).first()
    ):
        raise Conflict(messages.PERSON_HAS_ACCOUNT.format(role=role.value), field="person_id")
    return Binding(own, person_id, coach_id)


def new_link(
    session: Session, *, user: User, purpose: str, ttl: timedelta, now: datetime
) -> tuple[str, Invitation]:
    """A new one-time link of `purpose` for `user` (their earlier ones of that purpose
    stop working): (the token, its row, which holds only the token's hash)."""
    assert user.id is not None
    session.execute(
        update(Invitation)
        .where(
            col(Invitation.user_id) == user.id,
            col(Invitation.purpose) == purpose,
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )
    token = new_token()
    invitation = Invitation(
        user_id=user.id,
        purpose=purpose,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invitation)
    session.flush()
    return token, invitation


def valid_link(session: Session, *, token: str, purpose: str, now: datetime) -> Invitation | None:
    """The unused, unrevoked, unexpired link of `purpose` with this token, if any."""
    invitation = session.exec(
        select(Invitation).where(
            Invitation.token_hash == hash_token(token), Invitation.purpose == purpose
        )
    ).first()
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= now
    ):
        return None
    return invitation


def _issue_invitation(
    session: Session, *, user: User, settings: Settings, now: datetime
) -> Invitation:
    """A new one-time link for `user` (earlier ones stop working), mailed via the outbox."""
    assert user.id is not None
    token, invitation = new_link(
        session, user=user, purpose="invitation", ttl=settings.invitation_ttl, now=now
    )
    # In the fragment: browsers never send it, so no server or proxy log can hold it.
    link = f"{settings.base_url}/accept-invitation#token={token}"
    message = invitation_email(
        to=user.email,
        name=user.name,
        role=user.role.value,
        language=user.language,
        link=link,
        expires=invitation.expires_at,
    )
    enqueue(
        session,
        kind="invitation",
        dedupe_key=f"invitation:{invitation.id}",
        message=message,
        settings=settings,
        now=now,
    )
    return invitation


def invite_user(
    *, session: Session, settings: Settings, data: InvitationCreate, now: datetime
) -> User:
    binding = bind_account(
        session,
        role=data.role,
        email=data.email,
        person_id=data.person_id,
        coach_id=data.coach_id,
    )
    if session.exec(select(User).where(User.email == binding.email)).first() is not None:
        raise Conflict(messages.EMAIL_TAKEN, field="email")
    name = data.name
    if not name and binding.person_id is not None:
        name = session.get_one(Person, binding.person_id).name
    if not name and binding.coach_id is not None:
        name = session.get_one(Coach, binding.coach_id).name or ""
    user = User(
        email=binding.email,
        role=data.role,
        name=name,
        language=data.language,
        person_id=binding.person_id,
        coach_id=binding.coach_id,
        active=False,
        invited_at=now,
        created_at=now,
    )
    session.add(user)
    session.flush()
    _issue_invitation(session, user=user, settings=settings, now=now)
    session.commit()
    log.info("user %s invited with role %s", user.id, user.role.value)
    return user


def reinvite_user(*, session: Session, settings: Settings, user_id: int, now: datetime) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(messages.NOT_FOUND.format(what="user"))
    if user.password_hash is not None:
        raise Conflict("this user has already set a password")
    user.invited_at = now
    session.add(user)
    _issue_invitation(session, user=user, settings=settings, now=now)
    session.commit()
    return user


def accept_invitation(
    *,
    session: Session,
    passwords: Passwords,
    settings: Settings,
    token: str,
    password: str,
    now: datetime,
) -> SignedIn:
    invitation = valid_link(session, token=token, purpose="invitation", now=now)
    if invitation is None:
        raise NotFound(messages.INVITATION_INVALID, field="token")
    check_password(password, settings)
    user = session.get_one(User, invitation.user_id)
    invitation.used_at = now
    user.password_hash = passwords.hash(password)
    user.active = True
    session.add(invitation)
    signed_in = _open_session(session, user=user, settings=settings, now=now)
    session.commit()
    log.info("user %s accepted the invitation", user.id)
    return signed_in


def create_admin(
    *,
    session: Session,
    passwords: Passwords,
    settings: Settings,
    email: str,
    password: str,
    name: str,
    now: datetime,
) -> User:
    return create_user(
        session=session,
        passwords=passwords,
        settings=settings,
        email=email,
        password=password,
        name=name,
        role=Role.hr,
        now=now,
    )


def create_user(
    *,
    session: Session,
    passwords: Passwords,
    settings: Settings,
    email: str,
    password: str,
    name: str,
    role: Role,
    now: datetime,
    language: str = "en",
    person_id: int | None = None,
    coach_id: int | None = None,
) -> User:
    """An active account with a password set, without an invitation (the CLI's admin, the
    demo's sign-ins). The same links as an invitation's are required."""
    from api.validation import check_email

    try:
        email = check_email(email)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="email") from exc
    check_password(password, settings)
    binding = bind_account(session, role=role, email=email, person_id=person_id, coach_id=coach_id)
    if session.exec(select(User).where(User.email == binding.email)).first() is not None:
        raise Conflict(messages.EMAIL_TAKEN, field="email")
    email, person_id, coach_id = binding.email, binding.person_id, binding.coach_id
    user = User(
        email=email,
        role=role,
        name=name,
        language=language,
        person_id=person_id,
        coach_id=coach_id,
        password_hash=passwords.hash(password),
        active=True,
        created_at=now,
    )
    session.add(user)
    session.commit()
    log.info("user %s created with role %s", user.id, role.value)
    return user


def own_email(session: Session, user: User) -> str | None:
    """The address `user` must have: their person's (org chart) or external coach's."""
    if user.role == Role.hr:
        return None
    if user.person_id is not None:
        person = session.get(Person, user.person_id)
        return _normal_email(person.email) if person is not None else ""
    coach = session.get(Coach, user.coach_id) if user.coach_id is not None else None
    return _normal_email(coach.email) if coach is not None and coach.email else ""


def _check_still_bound(session: Session, user: User) -> None:
    """An account comes back only for its own person, at that person's own address."""
    own = own_email(session, user)
    if own is None:
        return
    if user.role in (Role.coachee, Role.sponsor) and user.person_id is None:
        raise Conflict(messages.ROLE_NEEDS_PERSON.format(role=user.role.value), field="active")
    person = session.get(Person, user.person_id) if user.person_id is not None else None
    if person is not None and not person.active:
        raise Conflict(messages.PERSON_INACTIVE, field="active")
    if own != _normal_email(user.email):
        raise Conflict(messages.ACCOUNT_EMAIL_NOT_OWN.format(role=user.role.value), field="email")


def list_users(
    *, session: Session, role: Role | None, limit: int, offset: int
) -> tuple[list[User], int]:
    query = select(User)
    if role is not None:
        query = query.where(User.role == role)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(User.id)).limit(limit).offset(offset)).all()
    return list(rows), total


def close_access(session: Session, *, user_ids: list[int], now: datetime) -> None:
    """Everything that lets these accounts in stops working for good: sign-ins end, feed
    URLs and pending invitation links are revoked (reactivating an account later brings
    none of them back; the person makes a new feed URL). The caller commits."""
    if not user_ids:
        return
    session.execute(delete(LoginSession).where(col(LoginSession.user_id).in_(user_ids)))
    session.execute(
        update(FeedToken)
        .where(col(FeedToken.user_id).in_(user_ids), col(FeedToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(Invitation)
        .where(
            col(Invitation.user_id).in_(user_ids),
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )


def update_user(
    *, session: Session, user_id: int, data: UserUpdate, actor: User, now: datetime
) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(messages.NOT_FOUND.format(what="user"))
    changes = data.model_dump(exclude_unset=True)
    if changes.get("active") is False and user.id == actor.id:
        raise Forbidden("you cannot deactivate your own account", field="active")
    if changes.get("active") is True and not user.active:
        _check_still_bound(session, user)
    for key, value in changes.items():
        if value is not None:
            setattr(user, key, value)
    if changes.get("active") is False:
        assert user.id is not None
        close_access(session, user_ids=[user.id], now=now)
    session.add(user)
    session.commit()
    return user
