"""FastAPI dependencies, as `Annotated` aliases: a route's signature shows who may call it.

    def list_requests(user: HRUser, session: SessionDep) -> ...

Anonymous callers get 401, signed-in callers with another role 403.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import Depends, Query, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api import messages
from api.clock import Clock
from api.errors import Forbidden, NotAuthenticated
from api.models import User
from api.models.enums import Role
from api.security import Passwords
from api.settings import Settings
from api.types import MAX_ROW_ID

SESSION_COOKIE = "coachmatch_session"
T = TypeVar("T")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def database_slots(app: Any) -> anyio.CapacityLimiter:
    """The web process's database admission: a request takes a slot before its session
    and gives it back once the session is closed, and no more requests hold one than
    the pool has connections for them (`api.app.create_app` sizes both).

    A session holds its connection from its first query until it closes, and meanwhile
    its request waits for a request thread several times (each sync dependency, the
    endpoint, the response's validation, a background task). Unbounded, a crowd of
    requests deadlocks the process: every connection held by a request waiting for a
    thread, every thread in another request waiting for a connection (0 requests/s at
    100 connections, then the pool's 30-second timeouts). Bounded, a thread never waits
    for a connection (the pool has one for every slot), so every thread finishes and
    every slot holder gets its threads; the crowd waits here, on the event loop, holding
    nothing. A capacity limiter, not a semaphore: a request taking a second slot (a
    second session or connection) while it holds one fails at once instead of
    deadlocking under load."""
    slots: anyio.CapacityLimiter = app.state.database_slots
    return slots


async def in_database(app: Any, function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a request thread, for work opening its own session or
    connection on the app's engine outside a request's session (readiness, metrics)."""
    async with database_slots(app):
        return await anyio.to_thread.run_sync(function, *args)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's database session, in one of the process's database slots
    (`database_slots`); the queries run in the endpoint's threads. A session whose
    transaction is still open (a read) is closed in a thread too: its rollback is a
    round trip to PostgreSQL, which on the event loop would stall every other request."""
    async with database_slots(request.app):
        session = Session(request.app.state.engine, expire_on_commit=False)
        try:
            audit_request(session, request)
            yield session
        finally:
            if session.in_transaction():
                with anyio.CancelScope(shield=True):  # a cancelled request still closes it
                    await anyio.to_thread.run_sync(session.close)
            else:
                session.close()


def audit_request(session: Session, request: Request) -> None:
    """Where the session's changes come from, for the audit log: the route and the
    client's address (the signed-in account is added by `current_user`)."""
    from api.audit.context import bind_request

    route = request.scope.get("route")
    template = getattr(route, "path", None) or request.url.path
    bind_request(
        session,
        via=f"{request.method} {template}",
        ip=client_ip(request),
        clock=getattr(request.app.state, "clock", None),
    )


def get_passwords(request: Request) -> Passwords:
    passwords: Passwords = request.app.state.passwords
    return passwords


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SessionDep = Annotated[Session, Depends(get_session)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]

_bearer = HTTPBearer(auto_error=False, description="the token returned by POST /auth/login")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="set by sign-in")


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _same_origin(request: Request) -> bool:
    """The browser says the request comes from this service's own pages."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site") == "same-origin"
    settings: Settings = request.app.state.settings
    base = urlsplit(settings.base_url)
    own = {f"{base.scheme}://{base.netloc}"}
    if host := request.headers.get("host"):
        own.add(f"{request.url.scheme}://{host}")
    return origin in own


def _csrf_checked(request: Request, cookie: str) -> None:
    """A cookie alone never authorises a change: another site can make a browser send it.
    Unsafe methods signed in by cookie need the page's CSRF token (`X-CSRF-Token`, the
    forms' HMAC of the cookie) or a same-origin `Origin`. Bearer tokens are unaffected:
    a browser never adds them by itself."""
    if request.method not in UNSAFE_METHODS:
        return
    from api.web.csrf import token_for

    header = request.headers.get("x-csrf-token")
    if header and hmac.compare_digest(header, token_for(cookie)):
        return
    if _same_origin(request):
        return
    raise Forbidden(messages.CSRF_REFUSED)


def session_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> str | None:
    if credentials is not None and credentials.credentials:
        return credentials.credentials
    if cookie:
        _csrf_checked(request, cookie)
        return cookie
    return None


def current_user(
    token: Annotated[str | None, Depends(session_token)], session: SessionDep, clock: ClockDep
) -> User:
    from api.accounts.service import user_for_token
    from api.audit.context import bind_user

    if token is None:
        raise NotAuthenticated(messages.NOT_AUTHENTICATED)
    user = user_for_token(session=session, token=token, now=clock.now())
    bind_user(session, user)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require(*roles: Role) -> Callable[[User], User]:
    """A dependency letting only `roles` through (after sign-in)."""

    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden(messages.FORBIDDEN)
        return user

    check.__name__ = "require_" + "_or_".join(r.value for r in roles)
    return check


HRUser = Annotated[User, Depends(require(Role.hr))]
CoachUser = Annotated[User, Depends(require(Role.coach))]
CoacheeUser = Annotated[User, Depends(require(Role.coachee))]
SponsorUser = Annotated[User, Depends(require(Role.sponsor))]
# The people a request is about: they may read its confidential fields.
PartyUser = Annotated[User, Depends(require(Role.coachee, Role.sponsor, Role.coach))]
CoacheeOrSponsorUser = Annotated[User, Depends(require(Role.coachee, Role.sponsor))]
# Sponsors follow their engagements but not the session calendar.
EngagementMember = Annotated[User, Depends(require(Role.coach, Role.coachee, Role.sponsor))]
SessionMember = Annotated[User, Depends(require(Role.coach, Role.coachee))]


class PageParams:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=500, description="page size")] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="items to skip")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[PageParams, Depends()]


def client_ip(request: Request) -> str:
    """The caller's address: the peer's, unless the peer is a configured proxy
    (`trusted_proxies`); then the nearest X-Forwarded-For hop that is not one. A
    forwarded header from anyone else is ignored, so nobody picks the address they are
    throttled under."""
    peer = request.client.host if request.client else "unknown"
    settings: Settings = request.app.state.settings
    if not settings.trusted_proxies or not _trusted(peer, settings.trusted_proxies):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, settings.trusted_proxies):
            return hop
    return peer


def _trusted(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


ClientIP = Annotated[str, Depends(client_ip)]
