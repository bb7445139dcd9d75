"""The coach edits their profile (bio, photo); whoever may see the coach reads the photo."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from api.coaches.schemas import CoachProfileIn, CoachPublic
from api.db import get_or_404
from api.deps import ClockDep, CoachUser, CurrentUser, SessionDep
from api.models import Coach
from api.schemas import ERRORS
from api.types import RowId
from api.uploads import read_limited

from . import service

router = APIRouter(tags=["coaches"], responses=ERRORS)


def _mine(session: SessionDep, user: CoachUser) -> Coach:
    assert user.coach_id is not None
    coach: Coach = get_or_404(session, Coach, user.coach_id, "coach")
    return coach


@router.put("/me/coach/profile")
def set_my_profile(
    body: CoachProfileIn, user: CoachUser, session: SessionDep, clock: ClockDep
) -> CoachPublic:
    """Your short presentation (600 characters at most), shown to the coachees you are
    proposed to; empty clears it."""
    coach = service.set_bio(
        session=session, coach=_mine(session, user), bio=body.bio, now=clock.now()
    )
    return CoachPublic.model_validate(coach, from_attributes=True)


@router.put("/me/coach/photo", status_code=status.HTTP_204_NO_CONTENT)
def set_my_photo(
    photo: Annotated[UploadFile, File(description="PNG, JPEG or WebP, 1 MB at most")],
    user: CoachUser,
    session: SessionDep,
    clock: ClockDep,
) -> None:
    """Your photo, shown to the coachees you are proposed to (422 naming `photo` when it
    is not an image or too large)."""
    data = read_limited(
        photo, limit=service.PHOTO_MAX_BYTES, what="the photo", field=service.PHOTO_FIELD
    )
    service.set_photo(session=session, coach=_mine(session, user), data=data, now=clock.now())


@router.delete("/me/coach/photo", status_code=status.HTTP_204_NO_CONTENT)
def delete_my_photo(user: CoachUser, session: SessionDep) -> None:
    service.delete_photo(session=session, coach=_mine(session, user))


@router.get("/coaches/{coach_id}/photo", response_class=Response)
def coach_photo(coach_id: RowId, user: CurrentUser, session: SessionDep) -> Response:
    """The coach's photo, for HR, the coach and the coachees the coach is proposed to
    (403 for anyone else, 404 when there is none). Never cached by a shared cache."""
    photo = service.photo_for(session=session, user=user, coach_id=coach_id)
    return Response(
        content=photo.data,
        media_type=photo.content_type,
        headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
