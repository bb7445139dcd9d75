"""Home, sign-in, sign-out, invitation acceptance, forgotten password and the language
switch."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Protocol

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from pydantic import StringConstraints
from sqlmodel import Session
from starlette.datastructures import FormData

from api.accounts import password_reset, service
from api.accounts.routes import set_session_cookie
from api.accounts.schemas import PasswordResetRequest
from api.deps import SESSION_COOKIE, ClientIP, ClockDep, PasswordsDep, SessionDep, SettingsDep
from api.i18n import language_of
from api.models.enums import Role
from api.security import Passwords
from api.settings import Settings
from api.web import forms
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.render import local_path, redirect, render, set_language_cookie
from api.web.route import page_router
from api.web.viewer import SignedInPage, ViewerDep

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]

HOME = {
    Role.hr: "/hr",
    Role.coach: "/coach",
    Role.coachee: "/my",
    Role.sponsor: "/my",
}


@router.get("/")
def home(viewer: ViewerDep) -> Response:
    if viewer.user is None:
        return redirect("/signin")
    return redirect(HOME[viewer.user.role])


@router.get("/signin")
def signin_page(request: Request, viewer: ViewerDep, next: str = "") -> Response:
    return render(request, viewer, "signin.html", next=local_path(next, ""))


Password = Annotated[str, StringConstraints(strip_whitespace=False)]  # kept as typed


class SignInForm(PageForm):
    email: str = ""
    password: Password = ""
    next: str = ""  # where to go once signed in (a local path)


@router.post("/signin")
def signin(
    request: Request,
    viewer: ViewerDep,
    form: Form,
    data: Annotated[SignInForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    clock: ClockDep,
    ip: ClientIP,
) -> Response:
    try:
        signed_in = forms.attempt(
            lambda: service.sign_in(
                session=session,
                passwords=passwords,
                settings=settings,
                email=data.email,
                password=data.password,
                ip=ip,
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return render(
            request,
            viewer,
            "signin.html",
            status=exc.status,
            errors=exc.errors,
            values={"email": data.email},
            next=local_path(data.next, ""),
        )
    response = redirect(local_path(data.next, HOME[signed_in.user.role]))
    set_session_cookie(response, signed_in, settings)
    return response


@router.post("/signout")
def signout(request: Request, viewer: SignedInPage, form: Form, session: SessionDep) -> Response:
    service.sign_out(session=session, token=request.cookies[SESSION_COOKIE])
    response = redirect("/signin", flash="flash.signed_out")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/accept-invitation")
def invitation_page(request: Request, viewer: ViewerDep, token: str = "") -> Response:
    return render(request, viewer, "accept_invitation.html", token=token)


class LinkForm(PageForm):
    """A one-time link's form: its token and the new password twice."""

    token: str = ""
    password: Password = ""
    password_again: Password = ""


class PasswordSetter(Protocol):
    def __call__(
        self,
        *,
        session: Session,
        passwords: Passwords,
        settings: Settings,
        token: str,
        password: str,
        now: datetime,
    ) -> service.SignedIn: ...


def _link_form(path: str, *, template: str, setter: PasswordSetter, flash: str) -> None:
    """POST `path`: a one-time link's form (invitation, password reset), the token and
    the password twice; signs in and goes home, or shows the form again with the
    refusal."""

    def submit(
        request: Request,
        viewer: ViewerDep,
        form: Form,
        data: Annotated[LinkForm, Fields()],
        session: SessionDep,
        settings: SettingsDep,
        passwords: PasswordsDep,
        clock: ClockDep,
    ) -> Response:
        token, password = data.token, data.password
        try:
            if password != data.password_again:
                raise forms.invalid("password_again", "invalid.passwords_differ", viewer.lang)
            signed_in = forms.attempt(
                lambda: setter(
                    session=session,
                    passwords=passwords,
                    settings=settings,
                    token=token,
                    password=password,
                    now=clock.now(),
                ),
                viewer.lang,
            )
        except forms.FormInvalid as exc:
            return render(
                request, viewer, template, status=exc.status, errors=exc.errors, token=token
            )
        response = redirect(HOME[signed_in.user.role], flash=flash)
        set_session_cookie(response, signed_in, settings)
        return response

    router.add_api_route(path, submit, methods=["POST"], name=template.removesuffix(".html"))


_link_form(
    "/accept-invitation",
    template="accept_invitation.html",
    setter=service.accept_invitation,
    flash="flash.welcome",
)


@router.get("/forgot-password")
def forgot_password_page(request: Request, viewer: ViewerDep) -> Response:
    return render(request, viewer, "forgot_password.html")


class EmailForm(PageForm):
    email: str = ""


@router.post("/forgot-password")
def forgot_password(
    request: Request,
    viewer: ViewerDep,
    form: Form,
    data: Annotated[EmailForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    ip: ClientIP,
) -> Response:
    """The same answer for any address (the API's): back to sign-in, told to look at
    their mail."""
    email = data.email
    try:
        forms.attempt(
            lambda: password_reset.request_reset(
                session=session,
                settings=settings,
                email=PasswordResetRequest(email=email).email,
                ip=ip,
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return render(
            request,
            viewer,
            "forgot_password.html",
            status=exc.status,
            errors=exc.errors,
            values={"email": email},
        )
    return redirect("/signin", flash="flash.reset_sent")


@router.get("/reset-password")
def reset_password_page(request: Request, viewer: ViewerDep) -> Response:
    return render(request, viewer, "reset_password.html", token="")


_link_form(
    "/reset-password",
    template="reset_password.html",
    setter=password_reset.reset_password,
    flash="flash.password_changed",
)


class LanguageForm(PageForm):
    lang: str = ""
    next: str = ""  # the page to go back to


@router.post("/language")
def switch_language(
    viewer: ViewerDep, form: Form, data: Annotated[LanguageForm, Fields()]
) -> Response:
    response = redirect(local_path(data.next))
    lang = language_of(data.lang)
    if lang is not None:
        set_language_cookie(response, lang)
    return response
