"""Forgotten password: a one-time link by email, then a new password.

Asking for a link gives the same answer whether or not an account has the address, and
is throttled per address asked for (known or not) and per client like the sign-in, so
the answer tells nothing and the mailbox cannot be flooded. The link is an `Invitation`
row of purpose "reset" (only its hash is stored), mailed through the outbox with the
token in the URL's fragment (never sent to a server, so never in a log); it works once,
for `password_reset_ttl`, and only the newest one works. Using it sets the password,
ends every other sign-in of the account and clears its failed sign-ins.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from api import messages
from api.errors import NotFound, TooManyRequests
from api.mail import password_reset_email
from api.models import Invitation, LoginSession, LoginThrottle, Person, User
from api.outbox import enqueue
from api.security import Passwords
from api.settings import Settings

from .service import (
    SignedIn,
    _normal_email,
    _open_session,
    admit,
    check_password,
    new_link,
    valid_link,
)

log = logging.getLogger(__name__)

PURPOSE = "reset"
# Throttle scopes (LoginThrottle.scope holds 10 characters), apart from the sign-in's.
ACCOUNT_SCOPE, CLIENT_SCOPE = "reset-acct", "reset-ip"


def _language(session: Session, user: User) -> str:
    """The person's language (org chart), else the account's: as the pages read it."""
    person = session.get(Person, user.person_id) if user.person_id is not None else None
    return person.language if person is not None else user.language


def issue_reset(session: Session, *, user: User, settings: Settings, now: datetime) -> str:
    """A new reset link for `user`, queued in the outbox (the caller commits); its token."""
    token, link_row = new_link(
        session, user=user, purpose=PURPOSE, ttl=settings.password_reset_ttl, now=now
    )
    message = password_reset_email(
        to=user.email,
        name=user.name,
        language=_language(session, user),
        link=f"{settings.base_url}/reset-password#token={token}",
        expires=link_row.expires_at,
    )
    enqueue(
        session,
        kind="password-reset",
        dedupe_key=f"password-reset:{link_row.id}",
        message=message,
        settings=settings,
        now=now,
    )
    return token


def request_reset(
    *, session: Session, settings: Settings, email: str, ip: str, now: datetime
) -> None:
    """Mail a reset link to the active account with this address, if there is one.
    TooManyRequests past the limits; otherwise the same outcome for any address."""
    email, ip = _normal_email(email)[:254], ip[:254]
    counters = (
        (ACCOUNT_SCOPE, email, settings.password_reset_max_per_account),
        (CLIENT_SCOPE, ip, settings.password_reset_max_per_client),
    )
    wait = admit(session, counters=counters, settings=settings, now=now)
    session.commit()  # counted (and the counters' locks released) whatever follows
    if wait:
        log.info("password reset refused: too many requests for this address or client")
        raise TooManyRequests(messages.RESET_THROTTLED.format(seconds=wait), retry_after=wait)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.active or user.password_hash is None:
        log.info("password reset asked for an address without an active account")
        return
    issue_reset(session, user=user, settings=settings, now=now)
    session.commit()
    log.info("user %s: password reset link queued", user.id)


def reset_password(
    *,
    session: Session,
    passwords: Passwords,
    settings: Settings,
    token: str,
    password: str,
    now: datetime,
) -> SignedIn:
    """Set a new password with a reset link's token (once), sign out everywhere else,
    and sign in. NotFound naming token when the link is unknown, used, revoked, expired
    or its account was closed."""
    link_row = valid_link(session, token=token, purpose=PURPOSE, now=now)
    user = session.get(User, link_row.user_id) if link_row is not None else None
    if link_row is None or user is None or not user.active:
        raise NotFound(messages.RESET_INVALID, field="token")
    check_password(password, settings)
    # Used at once, conditionally: of two requests racing with one link, one wins.
    used = session.execute(
        update(Invitation)
        .where(col(Invitation.id) == link_row.id, col(Invitation.used_at).is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise NotFound(messages.RESET_INVALID, field="token")
    user.password_hash = passwords.hash(password)
    session.add(user)
    session.execute(delete(LoginSession).where(col(LoginSession.user_id) == user.id))
    session.execute(
        delete(LoginThrottle).where(
            col(LoginThrottle.scope) == "account", col(LoginThrottle.key) == user.email
        )
    )
    signed_in = _open_session(session, user=user, settings=settings, now=now)
    session.commit()
    log.info("user %s chose a new password with a reset link", user.id)
    return signed_in
