"""Evaluations: the coachee and the sponsor answer theirs; a coach reads their own sum."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ClockDep, CoacheeOrSponsorUser, CoachUser, SessionDep, SettingsDep
from api.schemas import ERRORS
from api.types import RowId

from . import service
from .schemas import (
    CoachEvaluationSummary,
    EvaluationIn,
    EvaluationInvitationView,
    EvaluationRecorded,
)

router = APIRouter(tags=["evaluations"], responses=ERRORS)


@router.get("/me/evaluations")
def my_evaluations(
    user: CoacheeOrSponsorUser, session: SessionDep, clock: ClockDep
) -> list[EvaluationInvitationView]:
    """The evaluations open to you (an engagement you took part in is over)."""
    return service.open_evaluations(session=session, user=user, now=clock.now())


@router.post("/me/evaluations/{invitation_id}", status_code=201)
def answer_evaluation(
    invitation_id: RowId,
    body: EvaluationIn,
    user: CoacheeOrSponsorUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> EvaluationRecorded:
    """Answer an evaluation (voluntary, once). The answer is stored detached: nothing of
    it names you or the engagement; it reaches reports with at least k others alike."""
    service.answer(
        session=session,
        settings=settings,
        user=user,
        invitation_id=invitation_id,
        data=body,
        now=clock.now(),
    )
    return EvaluationRecorded()


@router.get("/me/coach/evaluations")
def my_coach_evaluations(
    user: CoachUser, session: SessionDep, settings: SettingsDep
) -> CoachEvaluationSummary:
    """Your evaluations summed, once at least k answers are released (then in steps of
    k); nothing before."""
    return service.coach_summary(session=session, settings=settings, user=user)
