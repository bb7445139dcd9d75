"""HR manages coaches; a coach reads their own record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.db import get_or_404
from api.deps import ClockDep, CoachUser, HRUser, PageDep, SessionDep, SettingsDep
from api.models import Coach
from api.models.enums import CoachKind
from api.schemas import ERRORS, Page
from api.types import RowId

from . import service
from .schemas import CoachCreate, CoachPublic, CoachUpdate

router = APIRouter(tags=["coaches"], responses=ERRORS)


def _public(coach: Coach) -> CoachPublic:
    return CoachPublic.model_validate(coach, from_attributes=True)


@router.post("/coaches", status_code=status.HTTP_201_CREATED)
def create_coach(
    body: CoachCreate, user: HRUser, session: SessionDep, clock: ClockDep
) -> CoachPublic:
    """Add an internal coach (an employee: `person_id`) or an external one (`vendor`, rate,
    referencing dates)."""
    return _public(service.create_coach(session=session, data=body, now=clock.now()))


@router.get("/coaches")
def list_coaches(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    kind: CoachKind | None = None,
    active: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="in name or vendor")] = None,
) -> Page[CoachPublic]:
    rows, total = service.list_coaches(
        session=session, kind=kind, active=active, q=q, limit=page.limit, offset=page.offset
    )
    return Page(items=[_public(c) for c in rows], total=total, limit=page.limit, offset=page.offset)


@router.get("/coaches/{coach_id}")
def get_coach(coach_id: RowId, user: HRUser, session: SessionDep) -> CoachPublic:
    return _public(get_or_404(session, Coach, coach_id, "coach"))


@router.patch("/coaches/{coach_id}")
def update_coach(
    coach_id: RowId,
    body: CoachUpdate,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> CoachPublic:
    """Edit a coach. A new email of an external coach moves their account to it and is
    mailed to the previous address."""
    return _public(
        service.update_coach(
            session=session, settings=settings, coach_id=coach_id, data=body, now=clock.now()
        )
    )


@router.delete("/coaches/{coach_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_coach(coach_id: RowId, user: HRUser, session: SessionDep) -> None:
    """Delete a coach that was never proposed or engaged (else 409: deactivate instead)."""
    service.delete_coach(session=session, coach_id=coach_id)


@router.get("/me/coach")
def my_coach_record(user: CoachUser, session: SessionDep) -> CoachPublic:
    """The signed-in coach's own record."""
    assert user.coach_id is not None
    return _public(get_or_404(session, Coach, user.coach_id, "coach"))
