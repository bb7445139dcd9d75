"""The planner with a request's other participants (team members, a mediation's second
party) and with a promised first session (``first_at``)."""

import dataclasses
import datetime as dt

import pytest

from scheduling.availability import Availability, WeeklyWindow
from scheduling.errors import InvalidProblemError
from scheduling.intervals import Interval
from scheduling.plan_types import Engagement, PlanningConfig, PlanningProblem
from scheduling.planner import plan_sessions
from scheduling.validate import check_plan, plan_violations

U = dt.UTC
T = dt.time
START = dt.datetime(2026, 3, 2, 0, tzinfo=U)  # Monday
CFG = PlanningConfig(coach_buffer_minutes=15, coach_max_sessions_per_day=4)
WORK = Availability.working_hours("UTC")


def eng(eid="E1", coach="c", coachee="e", n=3, **kw):
    return Engagement(eid, coach, coachee, n, 60, 7, 14, START, 14, **kw)


def problem(engagements, availability, booked=None):
    return PlanningProblem(
        START, START + dt.timedelta(weeks=8), tuple(engagements), availability, booked or {}
    )


def solve(p):
    result = plan_sessions(p, CFG)
    check_plan(p, CFG, result)
    return result


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=U)


def test_a_member_booked_at_the_first_free_slot_moves_the_session():
    av = {"c": WORK, "e": WORK, "m": WORK}
    alone = solve(problem([eng(members=("m",))], av))
    first = alone.sessions[0]
    assert first.start == at(2, 9) and first.members == ("m",)
    busy = {"m": (Interval(at(2, 9), at(2, 10)),)}
    moved = solve(problem([eng(members=("m",))], av, busy))
    assert moved.sessions[0].start == at(2, 10)  # the member's next free hour
    assert all(s.members == ("m",) for s in moved.sessions)


def test_every_members_windows_count_for_every_session():
    morning = Availability("UTC", weekly=(WeeklyWindow(0, T(9), T(12)),))
    later = Availability("UTC", weekly=(WeeklyWindow(0, T(11), T(17)),))
    av = {"c": WORK, "e": WORK, "m1": morning, "m2": later}
    r = solve(problem([eng(members=("m1", "m2"))], av))
    assert [s.start for s in r.sessions] == [at(2, 11), at(16, 11), at(30, 11)]


def test_a_member_without_the_time_makes_the_engagement_unplaceable():
    away = Availability("UTC", weekly=(WeeklyWindow(5, T(9), T(9, 15)),))  # 2 h in 8 weeks
    r = solve(problem([eng(members=("m",))], {"c": WORK, "e": WORK, "m": away}))
    assert not r.sessions
    assert r.unplaced[0].code == "participant_capacity"


def test_two_teams_sharing_a_member_never_overlap():
    av = {"c1": WORK, "c2": WORK, "e1": WORK, "e2": WORK, "m": WORK}
    r = solve(
        problem(
            [eng("A", "c1", "e1", members=("m",)), eng("B", "c2", "e2", members=("m",))],
            av,
        )
    )
    assert not r.unplaced
    starts = {s.start for s in r.sessions if s.index == 1}
    assert len(starts) == 2  # the same first morning, one after the other


def test_validator_catches_a_session_without_its_members():
    av = {"c": WORK, "e": WORK, "m": WORK}
    p = problem([eng(members=("m",))], av)
    r = plan_sessions(p, CFG)
    stripped = dataclasses.replace(
        r, sessions=tuple(dataclasses.replace(s, members=()) for s in r.sessions)
    )
    assert any("every member" in v for v in plan_violations(p, CFG, stripped))


@pytest.mark.parametrize("members", [("e",), ("m", "m"), ("s",)])
def test_members_are_other_people(members):
    with pytest.raises(InvalidProblemError) as err:
        eng(members=members, sponsor_id="s")
    assert err.value.field == "engagements[E1].members"


def test_the_promised_first_session_is_booked_exactly():
    av = {"c": WORK, "e": WORK}
    promised = at(4, 14, 30)  # later than the first free slot (Monday 9:00)
    r = solve(problem([eng(first_at=promised)], av))
    assert r.sessions[0].start == promised
    assert len(r.sessions) == 3


@pytest.mark.parametrize(
    "promised", [at(4, 14, 30), at(4, 14, 40), at(7, 10)], ids=["taken", "off-grid", "weekend"]
)
def test_a_promised_slot_that_is_gone_is_said(promised):
    busy = {"e": (Interval(at(4, 14), at(4, 16)),)}
    r = solve(problem([eng(first_at=promised)], {"c": WORK, "e": WORK}, busy))
    assert not r.sessions
    assert r.unplaced[0].code == "first_at_taken"
    assert promised.isoformat() in r.unplaced[0].reason
