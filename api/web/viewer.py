"""Who is looking at a page: the signed-in user (by session cookie), their language and
time zone, and the CSRF token for the page's forms. Role checks for page routes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from api.deps import SESSION_COOKIE, ClockDep, SessionDep
from api.errors import NotAuthenticated
from api.i18n import language_of, negotiate
from api.models import Person, User
from api.models.enums import Role
from api.web import csrf
from api.zones import user_zone

LANG_COOKIE = "coachmatch_lang"


class SignInRequired(Exception):
    """An anonymous visitor on a page that needs a sign-in: sent to /signin."""


class PageForbidden(Exception):
    """A signed-in user whose role may not open the page."""


@dataclass(frozen=True)
class Viewer:
    user: User | None
    lang: str
    zone: str
    csrf_token: str
    # A pre-session CSRF secret to set as a cookie with the response (anonymous, first visit).
    new_csrf_secret: str | None = None

    @property
    def role(self) -> Role | None:
        return self.user.role if self.user else None


@dataclass(frozen=True)
class SignedIn(Viewer):
    """A viewer who is signed in: what every page behind a sign-in receives."""

    user: User


def signed_in(viewer: Viewer) -> SignedIn:
    """`viewer` as signed in (else to /signin)."""
    if viewer.user is None:
        raise SignInRequired
    return SignedIn(
        user=viewer.user,
        lang=viewer.lang,
        zone=viewer.zone,
        csrf_token=viewer.csrf_token,
        new_csrf_secret=viewer.new_csrf_secret,
    )


def _language(session: Session, user: User) -> str:
    """The person's language (org chart), else the account's."""
    person = session.get(Person, user.person_id) if user.person_id is not None else None
    return person.language if person is not None else user.language


def viewer_of(request: Request, session: Session | None, now_user: User | None) -> Viewer:
    """Times are shown in the user's zone; HR (no person) and visitors read them in the
    configured default zone."""
    zone: str = request.app.state.settings.default_timezone
    lang = None
    if now_user is not None and session is not None:
        zone = user_zone(session=session, user=now_user, default=zone)
        lang = _language(session, now_user)
    chosen = language_of(request.cookies.get(LANG_COOKIE))
    lang = chosen or language_of(lang) or negotiate(request.headers.get("accept-language"))
    session_cookie = request.cookies.get(SESSION_COOKIE) if now_user is not None else None
    secret = session_cookie or request.cookies.get(csrf.CSRF_COOKIE)
    fresh = None
    if secret is None:
        secret = fresh = csrf.new_secret()
    return Viewer(
        user=now_user,
        lang=lang,
        zone=zone,
        csrf_token=csrf.token_for(secret),
        new_csrf_secret=fresh,
    )


def current_viewer(request: Request, session: SessionDep, clock: ClockDep) -> Viewer:
    from api.accounts.service import user_for_token

    user = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            user = user_for_token(session=session, token=token, now=clock.now())
        except NotAuthenticated:
            user = None
    if user is not None:
        from api.audit.context import bind_user

        bind_user(session, user)
    viewer = viewer_of(request, session, user)
    request.state.viewer = viewer  # error pages speak the viewer's language
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def need(*roles: Role) -> Callable[[Viewer], SignedIn]:
    """A dependency: signed in (else to /signin), with one of `roles` (else 403) if given."""

    def check(viewer: ViewerDep) -> SignedIn:
        page = signed_in(viewer)
        if roles and page.user.role not in roles:
            raise PageForbidden
        return page

    return check


SignedInPage = Annotated[SignedIn, Depends(need())]
HRPage = Annotated[SignedIn, Depends(need(Role.hr))]
CoachPage = Annotated[SignedIn, Depends(need(Role.coach))]
# The people a request is about (the coach reads the brief, only the others edit it).
PartyPage = Annotated[SignedIn, Depends(need(Role.coachee, Role.sponsor, Role.coach))]
EngagementPage = Annotated[SignedIn, Depends(need(Role.coach, Role.coachee, Role.sponsor))]
SessionPage = Annotated[SignedIn, Depends(need(Role.coach, Role.coachee))]
