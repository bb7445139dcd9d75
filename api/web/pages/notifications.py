"""Each person's notification choices (`api.notifications.preferences`): which optional
messages they receive, and how long before a session they are reminded."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from pydantic import Field
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.notifications import preferences
from api.notifications.preferences import NotificationsIn
from api.web import forms
from api.web.csrf import checked_form
from api.web.page_forms import PageForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import SignedInPage

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
NOTIFICATIONS = "/my/notifications"


@router.get(NOTIFICATIONS)
def notifications_page(request: Request, viewer: SignedInPage, session: SessionDep) -> Response:
    view = preferences.get(session=session, user=viewer.user)
    return render(
        request,
        viewer,
        "my/notifications.html",
        view=view,
        values={
            "on": [k for k in view.optional if k not in view.off],
            "reminder_hours": view.reminder_hours,
        },
    )


class NotificationsForm(PageForm):
    on: list[str] = Field(default_factory=list)  # the ticked kinds (checkboxes)
    reminder_hours: str = ""


@router.post(NOTIFICATIONS)
def save_notifications(
    request: Request,
    viewer: SignedInPage,
    form: Form,
    data: Annotated[NotificationsForm, Fields()],
    session: SessionDep,
) -> Response:
    """The ticked kinds stay on; the optional ones left unticked are turned off."""
    user = viewer.user
    view = preferences.get(session=session, user=user)
    on = {kind for kind in data.on if kind}
    values = {
        "off": [k for k in view.optional if k not in on],
        "reminder_hours": data.reminder_hours or None,
    }
    try:
        forms.attempt(
            lambda: preferences.put(
                session=session,
                user=user,
                data=forms.validate(NotificationsIn, {k: v for k, v in values.items() if v}),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return render(
            request,
            viewer,
            "my/notifications.html",
            status=exc.status,
            view=view,
            errors=exc.errors,
            values={"on": sorted(on), "reminder_hours": data.reminder_hours},
        )
    return redirect(NOTIFICATIONS, flash="flash.notifications_saved")
