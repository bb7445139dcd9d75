"""HR's table of travel minutes between sites (`api.travel.service`), on one page: every
pair with what rounds charge, HR's value or the default, set or reset per pair."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClockDep, SessionDep
from api.travel import default, service
from api.travel.schemas import TravelIn
from api.web import forms
from api.web.confirm import ask_first
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
TRAVEL = "/hr/travel"
RULE = {
    "ends": default.ENDS_MINUTES,
    "speed": round(default.SPEED_KMH),
    "same": default.SAME_CITY_MINUTES,
    "near": round(default.SAME_CITY_KM),
    "max": default.MAX_MINUTES,
}


def _decimal(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fr" else text


def _page(
    request: Request, viewer: SignedIn, session: Session, *, status: int = 200, **extra: Any
) -> Response:
    return render(
        request,
        viewer,
        "hr/travel.html",
        status=status,
        here=TRAVEL,
        table=service.travel_table(session=session),
        rule=RULE | {"factor": _decimal(default.ROAD_FACTOR, viewer.lang)},
        **({"errors": {}, "failed": None, "values": {}} | extra),
    )


@router.get(TRAVEL)
def travel_page(request: Request, viewer: HRPage, session: SessionDep) -> Response:
    return _page(request, viewer, session)


class TravelForm(ConfirmForm):
    """One pair of sites: its minutes saved (`action=save`), or reset to the default
    (`action=reset`, with its confirmation)."""

    a: str = ""
    b: str = ""
    action: str = ""
    minutes: str = ""


@router.post(TRAVEL)
def set_travel(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[TravelForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """One pair's minutes (`action=save`) or back to its default (`action=reset`)."""
    a, b = data.a, data.b
    reset = data.action == "reset"
    if reset and not data.confirmed:  # HR's value would go: the inline confirmation
        return ask_first(TRAVEL)
    try:
        if reset:
            forms.attempt(lambda: service.reset_travel(session=session, a=a, b=b), viewer.lang)
        else:
            values = {"minutes": data.minutes}
            forms.attempt(
                lambda: service.set_travel(
                    session=session,
                    a=a,
                    b=b,
                    minutes=forms.validate(TravelIn, values).minutes,
                    now=clock.now(),
                ),
                viewer.lang,
            )
    except forms.FormInvalid as exc:
        session.rollback()
        return _page(
            request,
            viewer,
            session,
            status=exc.status,
            errors=exc.errors,
            failed=service.ordered(a, b),
            values=forms.shown(form),
        )
    return redirect(TRAVEL, flash="flash.travel_reset" if reset else "flash.travel_saved")
