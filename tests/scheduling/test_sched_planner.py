import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.availability import Availability, DateException, WeeklyWindow
from scheduling.errors import InvalidProblemError, PlanViolationError
from scheduling.intervals import Interval
from scheduling.plan_types import (
    Engagement,
    PlacedSession,
    PlanningConfig,
    PlanningProblem,
    PlanningResult,
)
from scheduling.planner import first_fit_baseline, plan_sessions
from scheduling.replan import replan
from scheduling.validate import check_plan, plan_violations

U = dt.UTC
T = dt.time
START = dt.datetime(2026, 3, 2, 0, tzinfo=U)  # Monday
CFG = PlanningConfig(coach_buffer_minutes=15, coach_max_sessions_per_day=2)


def eng(eid="E1", coach="c", coachee="e", n=3, minutes=60, lo=7, hi=14, within=14, **kw):
    return Engagement(eid, coach, coachee, n, minutes, lo, hi, START, within, **kw)


def problem(engagements, availability, weeks=8, booked=None, start=START, end=None):
    end = end or start + dt.timedelta(weeks=weeks)
    return PlanningProblem(start, end, tuple(engagements), availability, booked or {})


def weekly(zone, *spec):
    return Availability(zone, weekly=tuple(WeeklyWindow(d, a, b) for d, a, b in spec))


def solve(p, cfg=CFG):
    result = plan_sessions(p, cfg)
    check_plan(p, cfg, result)
    return result


def test_simple_plan_is_valid_and_tripartite_first():
    av = {
        "c": weekly("Europe/Paris", (1, T(9), T(12))),
        "e": Availability.working_hours("Europe/Paris"),
        "s": Availability.working_hours("Europe/Paris"),
    }
    r = solve(problem([eng(sponsor_id="s")], av))
    assert [s.index for s in r.sessions] == [1, 2, 3]
    assert [s.tripartite for s in r.sessions] == [True, False, False]
    assert r.sessions[0].start == dt.datetime(2026, 3, 3, 8, tzinfo=U)  # first Tuesday 09:00
    assert not r.unplaced


@pytest.mark.parametrize("minutes, placed", [(60, True), (75, False)])
def test_session_must_fit_the_common_window(minutes, placed):
    av = {
        "c": weekly("UTC", (0, T(9), T(12))),
        "e": weekly("UTC", (0, T(11), T(15))),
    }
    r = solve(problem([eng(minutes=minutes)], av))
    assert bool(r.sessions) is placed
    if not placed:
        assert r.unplaced[0].code == "common_too_short"
        assert "longest common window: 60 minutes" in r.unplaced[0].reason


def test_no_common_window_reason():
    av = {
        "c": weekly("Europe/Paris", (0, T(9), T(12))),
        "e": weekly("Asia/Tokyo", (0, T(9), T(12))),
    }
    r = solve(problem([eng()], av))
    assert r.unplaced[0].code == "no_common_window"
    assert r.unplaced[0].reason.startswith("no common window with the coachee between 2026-03-02")


def test_coach_capacity_reason_gives_hours():
    av = {"c": weekly("UTC", (0, T(9), T(10))), "e": Availability.working_hours("UTC")}
    r = solve(problem([eng(n=12)], av, weeks=3))
    assert r.unplaced[0].code == "coach_capacity"
    assert (
        r.unplaced[0].reason == "coach has 3 h free between 2026-03-02 and 2026-03-22; 12 h needed"
    )


@pytest.mark.parametrize("buffer, both", [(60, True), (75, False)])
def test_coach_buffer_between_sessions(buffer, both):
    # one Monday window of 3 h: two 1 h sessions fit only with a buffer of at most 1 h
    av = {
        "c": weekly("UTC", (0, T(9), T(12))),
        "e1": Availability.working_hours("UTC"),
        "e2": Availability.working_hours("UTC"),
    }
    es = [eng("E1", coachee="e1", n=1, within=7), eng("E2", coachee="e2", n=1, within=7)]
    cfg = dataclasses.replace(CFG, coach_buffer_minutes=buffer)
    r = solve(problem(es, av, weeks=1), cfg)
    assert len(r.sessions) == (2 if both else 1)


@pytest.mark.parametrize("daily_max, placed", [(3, 3), (2, 2)])
def test_coach_daily_maximum(daily_max, placed):
    av = {"c": weekly("UTC", (0, T(8), T(18)))}
    es = []
    for i in range(3):
        av[f"e{i}"] = Availability.working_hours("UTC")
        es.append(eng(f"E{i}", coachee=f"e{i}", n=1, within=7))
    cfg = dataclasses.replace(CFG, coach_max_sessions_per_day=daily_max)
    r = solve(problem(es, av, weeks=1), cfg)
    assert len(r.sessions) == placed


def test_daily_maximum_counts_existing_bookings():
    av = {"c": weekly("UTC", (0, T(8), T(18))), "e": Availability.working_hours("UTC")}
    booked = {"c": (Interval(START + dt.timedelta(hours=8), START + dt.timedelta(hours=9)),) * 1}
    cfg = dataclasses.replace(CFG, coach_max_sessions_per_day=1)
    r = solve(problem([eng(n=1, within=7)], av, weeks=1, booked=booked), cfg)
    assert not r.sessions


@pytest.mark.parametrize("end_minute, placed", [(600, True), (585, False)])
def test_cadence_needs_enough_horizon(end_minute, placed):
    # 4 Monday sessions at least 14 days apart: Mar 2, 16, 30, Apr 13 09:00–10:00
    av = {"c": weekly("UTC", (0, T(9), T(12))), "e": Availability.working_hours("UTC")}
    end = dt.datetime(2026, 4, 13, tzinfo=U) + dt.timedelta(minutes=end_minute)
    r = solve(problem([eng(n=4, lo=14, hi=21, within=7)], av, end=end))
    assert bool(r.sessions) is placed
    if not placed:
        assert r.unplaced[0].code.startswith("cadence")


@pytest.mark.parametrize("within, placed", [(10, True), (9, False)])
def test_first_session_deadline(within, placed):
    # the only window in the first weeks is on Wednesday 2026-03-11 (day 9 after Mar 2)
    av = {
        "c": Availability(
            "UTC",
            weekly=(WeeklyWindow(2, T(9), T(12)),),
            exceptions=(DateException(dt.date(2026, 3, 4)),),
        ),
        "e": Availability.working_hours("UTC"),
    }
    r = solve(problem([eng(n=1, within=within)], av))
    assert bool(r.sessions) is placed
    if not placed:
        assert r.unplaced[0].code == "first_session_deadline"


def test_sponsor_must_be_free_for_first_session_only():
    av = {
        "c": weekly("UTC", (0, T(9), T(12)), (2, T(9), T(12))),
        "e": Availability.working_hours("UTC"),
        "s": weekly("UTC", (2, T(10), T(11))),
    }
    r = solve(problem([eng(sponsor_id="s", n=3)], av))
    first = r.sessions[0]
    assert first.start.weekday() == 2 and first.start.hour == 10 and first.tripartite
    assert all(s.sponsor_id is None for s in r.sessions[1:])
    av["s"] = weekly("UTC", (4, T(10), T(11)))
    r = solve(problem([eng(sponsor_id="s", n=3)], av))
    assert r.unplaced[0].code == "no_sponsor_window"


def test_holiday_exception_is_avoided():
    av = {
        "c": Availability(
            "UTC",
            weekly=(WeeklyWindow(0, T(9), T(12)),),
            exceptions=(DateException(dt.date(2026, 3, 2)),),
        ),
        "e": Availability.working_hours("UTC"),
    }
    r = solve(problem([eng(n=1)], av))
    assert r.sessions[0].start.date() == dt.date(2026, 3, 9)


def test_montreal_coach_and_paris_coachee_across_both_dst_changes():
    # North America changes on 2026-03-08, Europe on 2026-03-29: the common window moves.
    av = {
        "c": weekly("America/Montreal", *[(d, T(8), T(12)) for d in range(5)]),
        "e": weekly("Europe/Paris", *[(d, T(13), T(17)) for d in range(5)]),
    }
    p = problem([eng(n=6, lo=7, hi=7, within=3)], av, weeks=8)
    r = solve(p)
    assert len(r.sessions) == 6
    from zoneinfo import ZoneInfo

    for s in r.sessions:
        mtl = s.start.astimezone(ZoneInfo("America/Montreal"))
        par = s.start.astimezone(ZoneInfo("Europe/Paris"))
        assert (
            T(8) <= mtl.time() and T(13) <= par.time() and s.end - s.start == dt.timedelta(hours=1)
        )


def test_same_input_same_output():
    av = {"c": weekly("Europe/Paris", (1, T(9), T(12)), (3, T(14), T(17)))}
    es = []
    for i in range(4):
        av[f"e{i}"] = Availability.working_hours("Europe/Paris")
        es.append(eng(f"E{i}", coachee=f"e{i}", n=4))
    p = problem(es, av, weeks=10)
    assert plan_sessions(p, CFG) == plan_sessions(p, CFG)


def test_planner_places_more_than_first_fit_when_order_matters():
    # E1 listed first could take the only slot E2 can use; the planner keeps both.
    av = {
        "c": weekly("UTC", (0, T(9), T(10)), (1, T(9), T(10))),
        "e1": Availability.working_hours("UTC"),
        "e2": weekly("UTC", (0, T(9), T(10))),
    }
    es = [eng("E1", coachee="e1", n=1, within=2), eng("E2", coachee="e2", n=1, within=2)]
    p = problem(es, av, weeks=1)
    assert len(solve(p).sessions) == 2
    base = first_fit_baseline(p, CFG)
    check_plan(p, CFG, base)
    assert len(base.sessions) == 1


def test_competition_reason():
    av = {
        "c": weekly("UTC", (0, T(9), T(10))),
        "e1": Availability.working_hours("UTC"),
        "e2": Availability.working_hours("UTC"),
    }
    es = [eng("E1", coachee="e1", n=1, within=2), eng("E2", coachee="e2", n=1, within=2)]
    r = solve(problem(es, av, weeks=1))
    assert len(r.unplaced) == 1 and r.unplaced[0].code in ("coach_busy", "coach_overbooked")
    assert r.proven


def test_validator_catches_violations():
    av = {"c": weekly("UTC", (0, T(9), T(12))), "e": Availability.working_hours("UTC")}
    p = problem([eng(n=2)], av)
    good = solve(p)
    moved = dataclasses.replace(
        good.sessions[1],
        start=good.sessions[0].start + dt.timedelta(days=1),
        end=good.sessions[0].end + dt.timedelta(days=1),
    )
    with pytest.raises(PlanViolationError) as err:
        check_plan(p, CFG, PlanningResult((good.sessions[0], moved), ()))
    text = str(err.value)
    assert "days after the previous session" in text and "outside the free windows of c" in text
    assert plan_violations(p, CFG, PlanningResult((), ())) == [
        "E1: neither placed nor reported unplaced"
    ]


def test_bad_problem_input():
    with pytest.raises(InvalidProblemError) as err:
        problem([eng()], {"c": Availability.working_hours("UTC")})
    assert "no availability for person 'e'" in str(err.value)
    with pytest.raises(InvalidProblemError):
        eng(lo=10, hi=5)


def test_replan_moves_only_the_cancelled_session():
    av = {"c": Availability.working_hours("UTC")}
    es = []
    for i in range(3):
        av[f"e{i}"] = Availability.working_hours("UTC")
        es.append(eng(f"E{i}", coachee=f"e{i}", n=4, lo=7, hi=14))
    p = problem(es, av, weeks=10)
    plan = solve(p)
    target = plan.for_engagement("E1")[2]
    now = plan.for_engagement("E1")[1].start + dt.timedelta(hours=2)
    p_now = dataclasses.replace(p, start=now)
    out = replan(p_now, plan.sessions, [target.ref], CFG)
    assert [(m.engagement_id, m.index, m.cancelled) for m in out.moves] == [("E1", 3, True)]
    new = {s.ref: s for s in out.result.sessions}
    assert new[target.ref].start != target.start
    assert not new[target.ref].interval.overlaps(target.interval)
    unchanged = [s for s in plan.sessions if s.ref != target.ref]
    assert all(new[s.ref] == s for s in unchanged)
    check_plan(p_now, CFG, out.result, held=unchanged, first_session_deadline=False)


def test_replan_moves_a_neighbour_only_when_cadence_forces_it():
    # Mondays 09:00 only, 7–14 days apart; session 1 is past, session 2 is cancelled:
    # 2 can only go one week later, which pushes 3 by a week too.
    av = {"c": weekly("UTC", (0, T(9), T(10))), "e": Availability.working_hours("UTC")}
    p = problem([eng(n=3, lo=7, hi=14, within=2)], av, weeks=8)
    current = tuple(
        PlacedSession(
            "E1",
            i + 1,
            START + dt.timedelta(days=7 * i, hours=9),
            START + dt.timedelta(days=7 * i, hours=10),
            "c",
            "e",
        )
        for i in range(3)
    )
    check_plan(p, CFG, PlanningResult(current, ()))
    now = dataclasses.replace(p, start=START + dt.timedelta(days=1))
    out = replan(now, current, [current[1].ref], CFG)
    assert [(m.index, m.cancelled, m.new_start.day) for m in out.moves] == [
        (2, True, 16),
        (3, False, 23),
    ]
    assert out.result.sessions[0] == current[0]
    check_plan(now, CFG, out.result, held=[current[0]], first_session_deadline=False)


ZONE_NAMES = ["UTC", "Europe/Paris", "America/Toronto", "Asia/Tokyo"]


@st.composite
def problems(draw):
    coaches = draw(st.integers(1, 2))
    av: dict[str, Availability] = {}
    es = []
    for c in range(coaches):
        spec = draw(
            st.lists(
                st.tuples(st.integers(0, 4), st.integers(7, 15), st.integers(1, 6)),
                min_size=1,
                max_size=4,
            )
        )
        av[f"c{c}"] = Availability(
            draw(st.sampled_from(ZONE_NAMES)),
            weekly=tuple(WeeklyWindow(d, T(h), T(min(h + n, 23))) for d, h, n in spec),
        )
    for i in range(draw(st.integers(1, 5))):
        av[f"e{i}"] = Availability.working_hours(draw(st.sampled_from(ZONE_NAMES)))
        sponsor = None
        if draw(st.booleans()):
            sponsor = f"s{i % 2}"
            av.setdefault(sponsor, Availability.working_hours("Europe/Paris"))
        lo = draw(st.integers(0, 7))
        es.append(
            Engagement(
                f"E{i}",
                f"c{draw(st.integers(0, coaches - 1))}",
                f"e{i}",
                draw(st.integers(1, 4)),
                draw(st.sampled_from([30, 45, 60, 90])),
                lo,
                lo + draw(st.integers(0, 10)),
                START + dt.timedelta(days=draw(st.integers(0, 10)), hours=draw(st.integers(0, 23))),
                draw(st.integers(1, 14)),
                sponsor_id=sponsor,
            )
        )
    cfg = PlanningConfig(
        coach_buffer_minutes=draw(st.sampled_from([0, 10, 15, 30])),
        coach_max_sessions_per_day=draw(st.integers(1, 3)),
        solver_deterministic_limit=0.2,
    )
    return problem(es, av, weeks=6), cfg


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_property_every_plan_respects_every_rule(case):
    p, cfg = case
    result = plan_sessions(p, cfg)
    # no overlap for anyone, inside everyone's windows, buffers, daily maxima, cadence
    check_plan(p, cfg, result)
    baseline = first_fit_baseline(p, cfg)
    check_plan(p, cfg, baseline)
    # The planner never places fewer engagements than first fit, proven or not.
    assert len(result.placed_engagements) >= len(baseline.placed_engagements)
