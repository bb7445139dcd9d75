"""Home, sign-in, sign-out, invitation acceptance and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.accounts import service
from api.accounts.routes import set_session_cookie
from api.deps import SESSION_COOKIE, ClientIP, ClockDep, PasswordsDep, SessionDep, SettingsDep
from api.i18n import language_of
from api.models.enums import Role
from api.web import forms
from api.web.csrf import checked_form
from api.web.render import local_path, redirect, render, set_language_cookie
from api.web.route import page_router
from api.web.viewer import SignedInPage, ViewerDep

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]

HOME = {
    Role.hr: "/hr",
    Role.coach: "/coach/availability",
    Role.coachee: "/my/requests",
    Role.sponsor: "/my/requests",
}


@router.get("/")
def home(viewer: ViewerDep) -> Response:
    if viewer.user is None:
        return redirect("/signin")
    return redirect(HOME[viewer.user.role])


@router.get("/signin")
def signin_page(request: Request, viewer: ViewerDep, next: str = "") -> Response:
    return render(request, viewer, "signin.html", next=local_path(next, ""))


@router.post("/signin")
def signin(
    request: Request,
    viewer: ViewerDep,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    clock: ClockDep,
    ip: ClientIP,
) -> Response:
    email = forms.text(form, "email")
    try:
        signed_in = forms.attempt(
            lambda: service.sign_in(
                session=session,
                passwords=passwords,
                settings=settings,
                email=email,
                password=str(form.get("password") or ""),
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
            values={"email": email},
            next=local_path(forms.text(form, "next"), ""),
        )
    response = redirect(local_path(forms.text(form, "next"), HOME[signed_in.user.role]))
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


@router.post("/accept-invitation")
def accept_invitation(
    request: Request,
    viewer: ViewerDep,
    form: Form,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    clock: ClockDep,
) -> Response:
    token = forms.text(form, "token")
    password = str(form.get("password") or "")
    try:
        if password != str(form.get("password_again") or ""):
            raise forms.invalid("password_again", "invalid.passwords_differ", viewer.lang)
        signed_in = forms.attempt(
            lambda: service.accept_invitation(
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
            request,
            viewer,
            "accept_invitation.html",
            status=exc.status,
            errors=exc.errors,
            token=token,
        )
    response = redirect(HOME[signed_in.user.role], flash="flash.welcome")
    set_session_cookie(response, signed_in, settings)
    return response


@router.post("/language")
def switch_language(viewer: ViewerDep, form: Form) -> Response:
    response = redirect(local_path(forms.text(form, "next")))
    lang = language_of(forms.text(form, "lang"))
    if lang is not None:
        set_language_cookie(response, lang)
    return response
