"""The coach's professional record: HR keeps it, the coach reads it and logs supervision."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import ClockDep, CoachUser, HRUser, SessionDep, SettingsDep
from api.schemas import ERRORS
from api.types import RowId

from . import service
from .schemas import CertificationIn, RecordIn, RecordView, ReferencingIn, SupervisionIn

router = APIRouter(tags=["coaches"], responses=ERRORS)


@router.get("/coaches/{coach_id}/record")
def coach_record(
    coach_id: RowId, user: HRUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> RecordView:
    """Certifications, supervision this year against the minimum (with `short`),
    accreditation, peer group, referencing, and whether the coach has lapsed."""
    return service.get_record(
        session=session, settings=settings, coach_id=coach_id, now=clock.now()
    )


@router.put("/coaches/{coach_id}/record")
def update_coach_record(
    coach_id: RowId,
    body: RecordIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> RecordView:
    return service.update_record(
        session=session, settings=settings, coach_id=coach_id, data=body, now=clock.now()
    )


@router.post("/coaches/{coach_id}/certifications", status_code=201)
def add_certification(
    coach_id: RowId,
    body: CertificationIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> RecordView:
    """Record a certification; an internal coach's `certified_until` follows them."""
    return service.add_certification(
        session=session, settings=settings, coach_id=coach_id, data=body, now=clock.now()
    )


@router.delete("/coaches/{coach_id}/certifications/{certification_id}", status_code=204)
def delete_certification(
    coach_id: RowId, certification_id: RowId, user: HRUser, session: SessionDep, clock: ClockDep
) -> Response:
    service.delete_certification(
        session=session, coach_id=coach_id, certification_id=certification_id, now=clock.now()
    )
    return Response(status_code=204)


@router.post("/coaches/{coach_id}/referencing", responses={409: {"description": "state"}})
def move_referencing(
    coach_id: RowId,
    body: ReferencingIn,
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> RecordView:
    """An external coach's referencing: `propose`, `review` (proposed or lapsed -> under
    review), `reference` (until a date), `lapse`. Only referenced coaches are matched."""
    return service.move_referencing(
        session=session, settings=settings, coach_id=coach_id, data=body, now=clock.now()
    )


@router.get("/me/coach/record")
def my_record(
    user: CoachUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> RecordView:
    assert user.coach_id is not None
    return service.get_record(
        session=session, settings=settings, coach_id=user.coach_id, now=clock.now()
    )


@router.post("/me/coach/supervision", status_code=201)
def log_supervision(
    body: SupervisionIn,
    user: CoachUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> RecordView:
    """Log supervision hours (the programme asks a yearly minimum)."""
    assert user.coach_id is not None
    return service.log_supervision(
        session=session, settings=settings, coach_id=user.coach_id, data=body, now=clock.now()
    )
