"""Data rights: a person's export (the person, or HR) and their erasure (HR)."""

from __future__ import annotations

from fastapi import APIRouter

from api import messages
from api.deps import ClockDep, HRUser, PartyUser, SessionDep, SettingsDep
from api.errors import NotFound
from api.schemas import ERRORS
from api.types import RowId

from .erase import ErasureReport, erase_person
from .export import export_person
from .schemas import EraseIn, PersonExport

router = APIRouter(tags=["data rights"], responses=ERRORS)


@router.get("/people/{person_id}/export")
def export_for_hr(
    person_id: RowId, user: HRUser, session: SessionDep, clock: ClockDep
) -> PersonExport:
    """Everything the service holds about the person, as HR may read it: the briefs and
    the contracts' objectives are withheld (HR never reads them; `withheld` says so), as
    are secrets and what is the person's own (leave reasons, uploaded calendars)."""
    return PersonExport.model_validate(
        export_person(session=session, person_id=person_id, reader=user, now=clock.now())
    )


@router.get("/me/export")
def export_mine(user: PartyUser, session: SessionDep, clock: ClockDep) -> PersonExport:
    """Everything the service holds about you, your own briefs and objectives included
    (never another person's words, nor secrets)."""
    if user.person_id is None:
        raise NotFound(messages.NOT_FOUND.format(what="person"))
    return PersonExport.model_validate(
        export_person(session=session, person_id=user.person_id, reader=user, now=clock.now())
    )


@router.post("/people/{person_id}/erase")
def erase(
    person_id: RowId,
    body: EraseIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> ErasureReport:
    """Erase the person: a pseudonym instead of their name, email and org id (unit, site
    and manager kept, so the programme's figures stay right); accounts closed; future
    sessions cancelled (CANCEL invites); briefs and objectives erased; every other trace
    of their name or address removed. Again: nothing more happens (`already_erased`)."""
    del body
    return erase_person(
        session=session, settings=settings, person_id=person_id, actor=user, now=clock.now()
    )
