"""Sign-in, sign-out, /me, invitations and HR's user management."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from api import messages
from api.deps import (
    SESSION_COOKIE,
    ClientIP,
    ClockDep,
    CurrentUser,
    HRUser,
    PageDep,
    PasswordsDep,
    SessionDep,
    SettingsDep,
    session_token,
)
from api.models.enums import Role
from api.schemas import ERRORS, Page
from api.settings import Settings
from api.types import RowId

from . import password_reset, service
from .schemas import (
    InvitationAccept,
    InvitationCreate,
    LoginIn,
    LoginOut,
    PasswordResetConfirm,
    PasswordResetRequest,
    PasswordResetSent,
    UserPublic,
    UserUpdate,
)

router = APIRouter(tags=["accounts"], responses=ERRORS)


def _public(user: object) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


def set_session_cookie(response: Response, signed_in: service.SignedIn, settings: Settings) -> None:
    """The sign-in cookie, for the API and the web pages alike."""
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        max_age=int(settings.session_ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


def _signed_in(signed_in: service.SignedIn, response: Response, settings: Settings) -> LoginOut:
    set_session_cookie(response, signed_in, settings)
    return LoginOut(
        token=signed_in.token, expires_at=signed_in.expires_at, user=_public(signed_in.user)
    )


@router.post(
    "/auth/login",
    responses={429: {"description": "too many failed attempts; see Retry-After"}},
)
def login(
    body: LoginIn,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    clock: ClockDep,
    ip: ClientIP,
) -> LoginOut:
    """Sign in with email and password; returns an opaque bearer token (also set as a
    cookie). Repeated failures for one email and address are slowed down (429)."""
    signed_in = service.sign_in(
        session=session,
        passwords=passwords,
        settings=settings,
        email=body.email,
        password=body.password,
        ip=ip,
        now=clock.now(),
    )
    return _signed_in(signed_in, response, settings)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    token: Annotated[str | None, Depends(session_token)],
) -> None:
    """Sign out: the token stops working at once."""
    assert token is not None  # CurrentUser guarantees it
    service.sign_out(session=session, token=token)
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me")
def me(user: CurrentUser) -> UserPublic:
    """The signed-in account."""
    return _public(user)


@router.post("/invitations/accept")
def accept_invitation(
    body: InvitationAccept,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    clock: ClockDep,
) -> LoginOut:
    """Set the password with the one-time token from the invitation email; signs in."""
    signed_in = service.accept_invitation(
        session=session,
        passwords=passwords,
        settings=settings,
        token=body.token,
        password=body.password,
        now=clock.now(),
    )
    return _signed_in(signed_in, response, settings)


@router.post(
    "/auth/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    responses={429: {"description": "too many requests; see Retry-After"}},
)
def request_password_reset(
    body: PasswordResetRequest,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    ip: ClientIP,
) -> PasswordResetSent:
    """Forgotten password: email a one-time link to choose a new one to the active
    account with this address. The same answer whether or not there is one; requests for
    one address (known or not) and from one client are slowed down (429)."""
    password_reset.request_reset(
        session=session, settings=settings, email=body.email, ip=ip, now=clock.now()
    )
    return PasswordResetSent(detail=messages.RESET_SENT)


@router.post("/auth/password-reset/confirm")
def confirm_password_reset(
    body: PasswordResetConfirm,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    clock: ClockDep,
) -> LoginOut:
    """Choose a new password with the token of a reset link (it works once, until it
    expires); signs in and ends every other sign-in of the account."""
    signed_in = password_reset.reset_password(
        session=session,
        passwords=passwords,
        settings=settings,
        token=body.token,
        password=body.password,
        now=clock.now(),
    )
    return _signed_in(signed_in, response, settings)


@router.post("/users/invitations", status_code=status.HTTP_201_CREATED)
def invite_user(
    body: InvitationCreate,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> UserPublic:
    """Open an account and email a one-time link to set its password."""
    return _public(
        service.invite_user(session=session, settings=settings, data=body, now=clock.now())
    )


@router.post("/users/{user_id}/invitation", status_code=status.HTTP_201_CREATED)
def reinvite_user(
    user_id: RowId, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> UserPublic:
    """Send a new invitation link (the previous one stops working)."""
    return _public(
        service.reinvite_user(session=session, settings=settings, user_id=user_id, now=clock.now())
    )


@router.get("/users")
def list_users(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    role: Annotated[Role | None, Query()] = None,
) -> Page[UserPublic]:
    rows, total = service.list_users(
        session=session, role=role, limit=page.limit, offset=page.offset
    )
    return Page(items=[_public(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


@router.patch("/users/{user_id}")
def update_user(
    user_id: RowId, body: UserUpdate, user: HRUser, session: SessionDep, clock: ClockDep
) -> UserPublic:
    """Rename, change language, or (de)activate an account; deactivating signs it out and
    revokes its feed URL and invitation links for good."""
    return _public(
        service.update_user(
            session=session, user_id=user_id, data=body, actor=user, now=clock.now()
        )
    )
