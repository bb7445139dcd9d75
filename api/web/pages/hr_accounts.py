"""HR's accounts: the list of users and the invitation form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.accounts import service as accounts
from api.accounts.schemas import InvitationCreate
from api.deps import ClockDep, SessionDep, SettingsDep
from api.models.enums import Role
from api.web import forms, lookups
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.paging import pager, with_total
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]


def _accounts_page(
    request: Request, viewer: SignedIn, session: Session, page: int, **extra: Any
) -> Response:
    p = pager(page, {})
    rows, total = accounts.list_users(session=session, role=None, limit=p.limit, offset=p.offset)
    return render(
        request,
        viewer,
        "hr/accounts.html",
        users=rows,
        pager=with_total(p, total),
        roles=list(Role),
        external=lookups.external_ids(session, [u.person_id for u in rows]),
        names=lookups.person_names(session, [u.person_id for u in rows]),
        coach_names=lookups.coach_names(session, [u.coach_id for u in rows]),
        **extra,
    )


@router.get("/hr/accounts")
def accounts_page(request: Request, viewer: HRPage, session: SessionDep, page: int = 1) -> Response:
    return _accounts_page(request, viewer, session, page)


class InviteForm(PageForm):
    """The invitation (`InvitationCreate` validates it); the person is named by org id."""

    email: str = ""
    role: str = ""
    name: str = ""
    language: str = ""
    person_id: str = ""
    coach_id: str = ""


@router.post("/hr/accounts")
def invite(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[InviteForm, Fields()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    values: dict[str, Any] = data.filled("email", "role", "name", "language", "coach_id")
    try:
        if data.person_id:
            values["person_id"] = lookups.person_id(
                session, data.person_id, "person_id", viewer.lang
            )
        forms.attempt(
            lambda: accounts.invite_user(
                session=session,
                settings=settings,
                data=forms.validate(InvitationCreate, values),
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        return _accounts_page(
            request,
            viewer,
            session,
            1,
            status=exc.status,
            errors=exc.errors,
            values=forms.shown(form),
        )
    return redirect("/hr/accounts", flash="flash.invited")
