"""FastAPI dependencies, as `Annotated` aliases: a route's signature shows who may call it.

    def list_requests(user: HRUser, session: SessionDep) -> ...

Anonymous callers get 401, signed-in callers with another role 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api import messages
from api.clock import Clock
from api.db import session_scope
from api.errors import Forbidden, NotAuthenticated
from api.models import User
from api.models.enums import Role
from api.security import Passwords
from api.settings import Settings

SESSION_COOKIE = "coachmatch_session"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.engine)


def get_passwords(request: Request) -> Passwords:
    passwords: Passwords = request.app.state.passwords
    return passwords


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SessionDep = Annotated[Session, Depends(get_session)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]

_bearer = HTTPBearer(auto_error=False, description="the token returned by POST /auth/login")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="set by sign-in")


def session_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> str | None:
    if credentials is not None and credentials.credentials:
        return credentials.credentials
    return cookie or None


def current_user(
    token: Annotated[str | None, Depends(session_token)], session: SessionDep, clock: ClockDep
) -> User:
    from api.accounts.service import user_for_token

    if token is None:
        raise NotAuthenticated(messages.NOT_AUTHENTICATED)
    return user_for_token(session=session, token=token, now=clock.now())


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
        offset: Annotated[int, Query(ge=0, description="items to skip")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[PageParams, Depends()]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]
