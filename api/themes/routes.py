"""Weak signals: HR keeps the list of themes; coaches tag their engagements from it and
write the synthesis notes; HR reads the published notes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import ClockDep, CoachUser, HRUser, SessionDep, SettingsDep, require
from api.models import User
from api.models.enums import Role
from api.reports.service import zone
from api.schemas import ERRORS
from api.types import RowId

from . import service, synthesis
from .schemas import NoteIn, NoteView, TagsIn, TagsView, ThemeIn, ThemeUpdate, ThemeView

router = APIRouter(tags=["weak signals"], responses=ERRORS)
HRorCoach = Annotated[User, Depends(require(Role.hr, Role.coach))]


@router.get("/themes")
def list_themes(user: HRorCoach, session: SessionDep) -> list[ThemeView]:
    """HR's list of themes (coaches tag their engagements with the active ones)."""
    return service.list_themes(session=session)


@router.post("/themes", status_code=201)
def create_theme(body: ThemeIn, user: HRUser, session: SessionDep, clock: ClockDep) -> ThemeView:
    return service.create_theme(session=session, data=body, now=clock.now())


@router.patch("/themes/{theme_id}")
def update_theme(
    theme_id: RowId, body: ThemeUpdate, user: HRUser, session: SessionDep
) -> ThemeView:
    """Relabel a theme, or (de)activate it; its code, the report's column, stays."""
    return service.update_theme(session=session, theme_id=theme_id, data=body)


@router.delete("/themes/{theme_id}", status_code=204)
def delete_theme(theme_id: RowId, user: HRUser, session: SessionDep) -> None:
    """Remove a theme no engagement is tagged with (409 otherwise: deactivate it)."""
    service.delete_theme(session=session, theme_id=theme_id)


@router.get("/me/engagements/{engagement_id}/themes")
def my_engagement_themes(engagement_id: RowId, user: CoachUser, session: SessionDep) -> TagsView:
    return service.my_tags(session=session, user=user, engagement_id=engagement_id)


@router.put("/me/engagements/{engagement_id}/themes")
def tag_engagement(
    engagement_id: RowId, body: TagsIn, user: CoachUser, session: SessionDep
) -> TagsView:
    """The themes you see in one of your engagements, from HR's list only. Only the
    theme report shows them, in groups of at least k."""
    return service.set_tags(
        session=session, user=user, engagement_id=engagement_id, codes=body.themes
    )


@router.get("/syntheses")
def list_notes(user: HRorCoach, session: SessionDep) -> list[NoteView]:
    """The synthesis notes: every one for coaches, the published ones for HR."""
    return synthesis.list_notes(session=session, user=user)


@router.get("/syntheses/{note_id}")
def get_note(note_id: RowId, user: HRorCoach, session: SessionDep) -> NoteView:
    return synthesis.get_note(session=session, user=user, note_id=note_id)


@router.post("/syntheses", status_code=201)
def create_note(
    body: NoteIn, user: CoachUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> NoteView:
    """Write a note from the theme report of a published period. Every figure in it must
    be a visible cell of that report: a number below k, or one that is not a visible
    cell, is refused (422 on `body`, with the `figure`)."""
    now = clock.now()
    return synthesis.create_note(
        session=session,
        settings=settings,
        data=body,
        now=now,
        today=now.astimezone(zone(settings)).date(),
    )


@router.put("/syntheses/{note_id}")
def update_note(
    note_id: RowId,
    body: NoteIn,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> NoteView:
    """Rewrite a note (checked again, as when written)."""
    now = clock.now()
    return synthesis.update_note(
        session=session,
        settings=settings,
        note_id=note_id,
        data=body,
        now=now,
        today=now.astimezone(zone(settings)).date(),
    )
