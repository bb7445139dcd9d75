"""Planning a confirmed pair's sessions around the first session its proposal promised.

A round promises each proposal a first session. Confirming books exactly that slot while
it is still free for everyone who attends (coach, coachee, the other participants, the
sponsor), with the later sessions planned after it; only when it is gone (or too close to
now for the notice) does the planner choose the first session again. The proposal views
run the same function, so what they announce is what confirming books.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from api.models import Coach, CoachingRequest
from api.sessions.availability import Pair, PlanningData, planning_config
from api.settings import Settings
from scheduling.plan_types import PlacedSession
from scheduling.planner import plan_sessions

KEY = "new"


@dataclass(frozen=True)
class FirstPlan:
    """The sessions to book (empty when none can be planned, ``reason`` says why), and
    whether they start at the promised time (None when nothing was promised)."""

    sessions: tuple[PlacedSession, ...]
    promised_kept: bool | None
    reason: str | None = None

    @property
    def first_start(self) -> datetime | None:
        return self.sessions[0].start if self.sessions else None


def plan_pair(
    data: PlanningData,
    *,
    settings: Settings,
    request: CoachingRequest,
    coach: Coach,
    now: datetime,
    promised: datetime | None = None,
    sessions: int | None = None,
    polish: bool = True,
) -> FirstPlan:
    """All the sessions of ``request`` with ``coach`` (or the ``sessions`` left), from now
    with the notice: the first at ``promised`` when it is still free, else wherever the
    planner puts it (polished, as confirming books it). ``polish=False`` is enough to
    tell whether the promised slot holds: placing does not depend on polishing, only the
    later sessions' days do."""
    earliest = now + timedelta(hours=settings.session_notice_hours)
    config = planning_config(settings, polish=polish)
    if promised is not None and promised >= earliest:
        pair = Pair(KEY, request, coach, earliest, sessions=sessions, first_at=promised)
        result = plan_sessions(data.problem([pair]), config)
        if not result.unplaced:
            return FirstPlan(result.for_engagement(KEY), True)
    pair = Pair(KEY, request, coach, earliest, sessions=sessions)
    result = plan_sessions(data.problem([pair]), planning_config(settings))
    kept = None if promised is None else False
    if result.unplaced:
        return FirstPlan((), kept, result.unplaced[0].reason)
    return FirstPlan(result.for_engagement(KEY), kept)
