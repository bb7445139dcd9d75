"""Accounts: sign-in with throttling, sessions, invitations and HR's user management."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
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
from api.models import Coach, Invitation, LoginAttempt, LoginSession, Person, User
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


def _lockout(settings: Settings, failures: int) -> timedelta:
    extra = failures - settings.login_max_failures
    seconds = settings.login_lockout_base_seconds * 2**extra
    return timedelta(seconds=min(seconds, settings.login_lockout_max_seconds))


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
    """Check the password; after `login_max_failures` failures for this email and IP, every
    further attempt waits an exponentially longer time (429 with Retry-After)."""
    email = _normal_email(email)
    attempt = session.exec(
        select(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.ip == ip)
    ).first()
    if attempt is not None and now - attempt.last_failure_at > settings.login_failure_window:
        session.delete(attempt)
        session.flush()
        attempt = None
    if attempt is not None and attempt.locked_until is not None and attempt.locked_until > now:
        wait = math.ceil((attempt.locked_until - now).total_seconds())
        raise TooManyRequests(messages.THROTTLED.format(seconds=wait), retry_after=wait)

    user = session.exec(select(User).where(User.email == email)).first()
    ok = passwords.verify(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        if attempt is None:
            attempt = LoginAttempt(email=email, ip=ip, failures=0, last_failure_at=now)
        attempt.failures += 1
        attempt.last_failure_at = now
        if attempt.failures >= settings.login_max_failures:
            attempt.locked_until = now + _lockout(settings, attempt.failures)
        session.add(attempt)
        session.commit()  # the failure must count even though the request fails
        log.info("failed sign-in (%d in a row for this account and address)", attempt.failures)
        raise NotAuthenticated(messages.BAD_CREDENTIALS)

    if attempt is not None:
        session.delete(attempt)
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
    if person_id is not None and session.get(Person, person_id) is None:
        raise InvalidInput(messages.NOT_FOUND.format(what="person"), field="person_id")
    if coach_id is not None and session.get(Coach, coach_id) is None:
        raise InvalidInput(messages.NOT_FOUND.format(what="coach"), field="coach_id")


def _issue_invitation(
    session: Session, *, user: User, settings: Settings, now: datetime
) -> Invitation:
    """A new one-time link for `user` (earlier ones stop working), mailed via the outbox."""
    assert user.id is not None
    for old in session.exec(
        select(Invitation).where(
            Invitation.user_id == user.id,
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
    ):
        old.revoked_at = now
        session.add(old)
    token = new_token()
    invitation = Invitation(
        user_id=user.id,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + settings.invitation_ttl,
    )
    session.add(invitation)
    session.flush()
    link = f"{settings.base_url}/accept-invitation?token={token}"
    message = invitation_email(
        to=user.email,
        name=user.name,
        role=user.role.value,
        language=user.language,
        link=link,
        expires=invitation.expires_at.strftime("%Y-%m-%d %H:%M"),
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
    email = _normal_email(data.email)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise Conflict(messages.EMAIL_TAKEN, field="email")
    _check_links(session, role=data.role, person_id=data.person_id, coach_id=data.coach_id)
    if (
        data.coach_id is not None
        and session.exec(select(User.id).where(User.coach_id == data.coach_id)).first()
    ):
        raise Conflict(messages.COACH_HAS_ACCOUNT, field="coach_id")
    person_id = data.person_id
    if data.role == Role.coach and person_id is None and data.coach_id is not None:
        coach = session.get_one(Coach, data.coach_id)
        person_id = coach.person_id
    name = data.name
    if not name and person_id is not None:
        name = session.get_one(Person, person_id).name
    user = User(
        email=email,
        role=data.role,
        name=name,
        language=data.language,
        person_id=person_id,
        coach_id=data.coach_id,
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
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    ).first()
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= now
    ):
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
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise Conflict(messages.EMAIL_TAKEN, field="email")
    _check_links(session, role=role, person_id=person_id, coach_id=coach_id)
    if coach_id is not None:
        if session.exec(select(User.id).where(User.coach_id == coach_id)).first():
            raise Conflict(messages.COACH_HAS_ACCOUNT, field="coach_id")
        if person_id is None:
            person_id = session.get_one(Coach, coach_id).person_id
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


def list_users(
    *, session: Session, role: Role | None, limit: int, offset: int
) -> tuple[list[User], int]:
    query = select(User)
    if role is not None:
        query = query.where(User.role == role)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(User.id)).limit(limit).offset(offset)).all()
    return list(rows), total


def update_user(*, session: Session, user_id: int, data: UserUpdate, actor: User) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(messages.NOT_FOUND.format(what="user"))
    changes = data.model_dump(exclude_unset=True)
    if changes.get("active") is False and user.id == actor.id:
        raise Forbidden("you cannot deactivate your own account", field="active")
    for key, value in changes.items():
        if value is not None:
            setattr(user, key, value)
    if changes.get("active") is False:
        session.execute(delete(LoginSession).where(col(LoginSession.user_id) == user.id))
    session.add(user)
    session.commit()
    return user
