"""The coach's profile as the coachees who choose read it (issue 14 item 4): the coach
writes their bio and uploads a photo (`/coach/profile`); HR edits the bio on the coach's
page (`/hr/coaches/{id}/profile`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, UploadFile
from fastapi import Form as Fields
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.coaches.schemas import CoachProfileIn
from api.db import get_or_404
from api.deps import ClockDep, SessionDep
from api.models import Coach
from api.profiles import service
from api.types import RowId
from api.uploads import read_limited
from api.web import forms
from api.web.confirm import ask_first
from api.web.csrf import checked_form
from api.web.page_forms import ConfirmForm, PageForm
from api.web.render import redirect, render
from api.web.route import page_router
from api.web.viewer import CoachPage, HRPage, SignedIn

router = page_router()
Form = Annotated[FormData, Depends(checked_form)]
MINE = "/coach/profile"


def _here(coach_id: int, hr: bool) -> str:
    return f"/hr/coaches/{coach_id}/profile" if hr else MINE


def _page(
    request: Request,
    viewer: SignedIn,
    session: Session,
    coach_id: int,
    *,
    hr: bool,
    status: int = 200,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Response:
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    return render(
        request,
        viewer,
        "coach/profile.html",
        status=status,
        coach=coach,
        hr=hr,
        here=_here(coach_id, hr),
        has_photo=bool(service.with_photo(session, [coach_id])),
        max_bytes=service.PHOTO_MAX_BYTES,
        errors=errors or {},
        values=values or {},
    )


def _mine(viewer: SignedIn) -> int:
    assert viewer.user.coach_id is not None
    return viewer.user.coach_id


class BioForm(PageForm):
    """The coach's bio (`CoachProfileIn` checks its length); empty clears it."""

    bio: str = ""


class PhotoForm(PageForm):
    """The photo uploaded (none when no file was chosen)."""

    photo: UploadFile | None = None


def _save_bio(
    request: Request,
    viewer: SignedIn,
    form: FormData,
    data: BioForm,
    session: Session,
    coach_id: int,
    clock: ClockDep,
    *,
    hr: bool,
) -> Response:
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    try:
        forms.attempt(
            lambda: service.set_bio(
                session=session,
                coach=coach,
                bio=forms.validate(CoachProfileIn, {"bio": data.bio}).bio,
                now=clock.now(),
            ),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return _page(
            request, viewer, session, coach_id, hr=hr, **forms.section_refusal("bio", exc, form)
        )
    return redirect(_here(coach_id, hr), flash="flash.profile_saved")


@router.get(MINE)
def my_profile(request: Request, viewer: CoachPage, session: SessionDep) -> Response:
    return _page(request, viewer, session, _mine(viewer), hr=False)


@router.post(MINE + "/bio")
def my_bio(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[BioForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    return _save_bio(request, viewer, form, data, session, _mine(viewer), clock, hr=False)


@router.post(MINE + "/photo")
def my_photo(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[PhotoForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    coach_id = _mine(viewer)
    coach: Coach = get_or_404(session, Coach, coach_id, "coach")
    file = data.photo
    try:
        if file is None:
            raise forms.invalid("photo", "invalid.file_required", viewer.lang)
        image = forms.attempt(
            lambda: read_limited(
                file, limit=service.PHOTO_MAX_BYTES, what="the photo", field="photo"
            ),
            viewer.lang,
        )
        forms.attempt(
            lambda: service.set_photo(session=session, coach=coach, data=image, now=clock.now()),
            viewer.lang,
        )
    except forms.FormInvalid as exc:
        session.rollback()
        return _page(
            request,
            viewer,
            session,
            coach_id,
            hr=False,
            **forms.section_refusal("photo", exc, form),
        )
    return redirect(MINE, flash="flash.photo_saved")


@router.post(MINE + "/photo/delete")
def my_photo_delete(
    request: Request,
    viewer: CoachPage,
    form: Form,
    data: Annotated[ConfirmForm, Fields()],
    session: SessionDep,
) -> Response:
    """Only with its confirmation (the photo's bytes are gone once deleted)."""
    coach: Coach = get_or_404(session, Coach, _mine(viewer), "coach")
    if not data.confirmed:
        return ask_first(MINE)
    service.delete_photo(session=session, coach=coach)
    return redirect(MINE, flash="flash.photo_deleted")


@router.get("/hr/coaches/{coach_id}/profile")
def hr_profile(request: Request, viewer: HRPage, session: SessionDep, coach_id: RowId) -> Response:
    return _page(request, viewer, session, coach_id, hr=True)


@router.post("/hr/coaches/{coach_id}/profile/bio")
def hr_bio(
    request: Request,
    viewer: HRPage,
    form: Form,
    data: Annotated[BioForm, Fields()],
    session: SessionDep,
    clock: ClockDep,
    coach_id: RowId,
) -> Response:
    return _save_bio(request, viewer, form, data, session, coach_id, clock, hr=True)
