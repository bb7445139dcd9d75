"""HR's neutrality inputs for the matcher."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import ClockDep, HRUser, PageDep, SessionDep
from api.schemas import ERRORS, Page
from api.types import RowId

from . import service
from .schemas import ConflictCreate, ConflictPublic, PairAdjustmentCreate, PairAdjustmentPublic

router = APIRouter(tags=["neutrality"], responses=ERRORS)


@router.post("/conflicts", status_code=status.HTTP_201_CREATED)
def create_conflict(
    body: ConflictCreate, user: HRUser, session: SessionDep, clock: ClockDep
) -> ConflictPublic:
    """Declare that a coach must not coach (or be sponsored by) a person."""
    row = service.create_conflict(session=session, data=body, now=clock.now())
    return ConflictPublic.model_validate(row, from_attributes=True)


@router.get("/conflicts")
def list_conflicts(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    coach_id: RowId | None = None,
    person_id: RowId | None = None,
) -> Page[ConflictPublic]:
    rows, total = service.list_conflicts(
        session=session,
        coach_id=coach_id,
        person_id=person_id,
        limit=page.limit,
        offset=page.offset,
    )
    items = [ConflictPublic.model_validate(r, from_attributes=True) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.delete("/conflicts/{conflict_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_conflict(conflict_id: RowId, user: HRUser, session: SessionDep) -> None:
    service.delete_conflict(session=session, conflict_id=conflict_id)


@router.post("/pair-adjustments", status_code=status.HTTP_201_CREATED)
def create_adjustment(
    body: PairAdjustmentCreate, user: HRUser, session: SessionDep, clock: ClockDep
) -> PairAdjustmentPublic:
    """Favour (`bonus` with a weight) or forbid one coach for one request."""
    row = service.create_adjustment(session=session, data=body, now=clock.now())
    return PairAdjustmentPublic.model_validate(row, from_attributes=True)


@router.get("/pair-adjustments")
def list_adjustments(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    coach_id: RowId | None = None,
    request_id: RowId | None = None,
) -> Page[PairAdjustmentPublic]:
    rows, total = service.list_adjustments(
        session=session,
        coach_id=coach_id,
        request_id=request_id,
        limit=page.limit,
        offset=page.offset,
    )
    items = [PairAdjustmentPublic.model_validate(r, from_attributes=True) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.delete("/pair-adjustments/{adjustment_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_adjustment(adjustment_id: RowId, user: HRUser, session: SessionDep) -> None:
    service.delete_adjustment(session=session, adjustment_id=adjustment_id)
