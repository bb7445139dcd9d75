"""Fit-score breakdown and the load a request puts on its coach (hours and seats)."""

from __future__ import annotations

import pytest
from matcher_builders import (
    assigned,
    external,
    internal,
    problem_doc,
    reasons_of,
    request,
    solve_checked,
)

from matcher.problem import ScoreWeights

W = ScoreWeights()


def only_assignment(doc):
    result = solve_checked(doc)
    assert len(result.assignments) == 1, result.unmatched
    a = result.assignments[0]
    assert a.score == sum(a.breakdown.values())
    return a


def breakdown(coach, req=None, **sections):
    return only_assignment(
        problem_doc(coaches=[coach], requests=[req or request("r1", "k")], **sections)
    ).breakdown


# --- Score breakdown --------------------------------------------------------------------


def test_an_external_coach_with_nothing_in_common_scores_zero():
    a = only_assignment(problem_doc(coaches=[external("X")], requests=[request("r1", "k")]))
    assert a.breakdown == {}
    assert a.score == 0


def test_internal_first():
    assert breakdown(internal("C", "c")) == {"internal_first": W.internal}


@pytest.mark.parametrize(
    ("request_themes", "coach_themes", "points"),
    [
        (["a"], ["b"], 0),
        (["a", "b"], ["b", "c"], W.theme),
        (["a", "b", "c"], ["a", "b", "c"], 3 * W.theme),
        (["a", "b", "c", "d"], ["a", "b", "c", "d", "e"], W.theme_cap * W.theme),  # capped
    ],
)
def test_shared_themes(request_themes, coach_themes, points):
    parts = breakdown(external("X", themes=coach_themes), request("r1", "k", themes=request_themes))
    assert parts.get("themes", 0) == points
    assert ("themes" in parts) == (points > 0)  # zero-valued parts are left out


def test_theme_weights_come_from_the_policy():
    parts = breakdown(
        external("X", themes=["a", "b", "c"]),
        request("r1", "k", themes=["a", "b", "c"]),
        policy={"weights": {"theme": 7, "theme_cap": 2}},
    )
    assert parts == {"themes": 14}


def test_preferred_kind():
    req = request("r1", "k", preferences={"prefer_kind": "external"})
    assert breakdown(external("X"), req) == {"preferred_kind": W.prefer_kind}
    assert breakdown(internal("C", "c"), req) == {"internal_first": W.internal}


def test_preferred_coach():
    req = request("r1", "k", preferences={"prefer_coaches": ["X"]})
    assert breakdown(external("X"), req) == {"preferred_coach": W.prefer_coach}


def test_previous_coach_is_avoided_by_default():
    parts = breakdown(external("X"), history=[{"coach": "X", "coachee": "k"}])
    assert parts == {"previous_coach": -W.history_avoid}


def test_previous_coach_preferred():
    parts = breakdown(
        external("X"), history=[{"coach": "X", "coachee": "k"}], policy={"history": "prefer"}
    )
    assert parts == {"previous_coach": W.history_prefer}


def test_previous_coach_ignored():
    parts = breakdown(
        external("X"), history=[{"coach": "X", "coachee": "k"}], policy={"history": "ignore"}
    )
    assert parts == {}


def test_someone_elses_previous_coach_is_not_penalised():
    assert breakdown(external("X"), history=[{"coach": "X", "coachee": "other"}]) == {}


@pytest.mark.parametrize("bonus", [10, -25])
def test_hr_adjustment(bonus):
    parts = breakdown(
        internal("C", "c"), adjustments=[{"request": "r1", "coach": "C", "bonus": bonus}]
    )
    assert parts == {"internal_first": W.internal, "hr_adjustment": bonus}


def travel_doc(one_way, *, modality="onsite", table=None, coach_site="lyon", **coach_fields):
    """Coach employee based in `coach_site`; coachee in paris; travel lyon<->paris."""
    table = table if table is not None else [{"from": "paris", "to": "lyon", "minutes": one_way}]
    return problem_doc(
        people=[{"id": "c", "site": coach_site}, {"id": "k", "site": "paris"}],
        coaches=[internal("C", "c", sites=["paris"], **coach_fields)],
        requests=[request("r1", "k", modality=modality, sessions=2, session_minutes=60)],
        travel_minutes=table,
    )


def test_onsite_travel_is_a_round_trip_penalty_from_the_home_site():
    a = only_assignment(travel_doc(120))
    round_trip = 240
    assert a.breakdown == {
        "internal_first": W.internal,
        "travel": -round(W.travel_per_hour * round_trip / 60),
    }
    assert a.hours == 2 * (60 + round_trip) / 60


def test_travel_table_is_symmetric():
    table = [{"from": "lyon", "to": "paris", "minutes": 120}]
    assert only_assignment(travel_doc(0, table=table)).hours == 2 * (60 + 240) / 60


def test_remote_sessions_have_no_travel():
    a = only_assignment(travel_doc(120, modality="remote"))
    assert "travel" not in a.breakdown
    assert a.hours == 2.0


def test_no_travel_on_the_coachs_own_site():
    a = only_assignment(travel_doc(120, coach_site="paris"))
    assert "travel" not in a.breakdown
    assert a.hours == 2.0


def test_an_explicit_home_site_is_where_travel_starts():
    a = only_assignment(travel_doc(120, coach_site="paris", home_site="lyon"))
    assert a.hours == 2 * (60 + 240) / 60


def test_score_is_the_sum_of_every_part():
    doc = problem_doc(
        people=[{"id": "c", "site": "lyon"}, {"id": "k", "site": "paris"}],
        coaches=[internal("C", "c", themes=["a", "b"])],
        requests=[
            request(
                "r1",
                "k",
                modality="onsite",
                themes=["a", "b"],
                preferences={"prefer_kind": "internal", "prefer_coaches": ["C"]},
            )
        ],
        history=[{"coach": "C", "coachee": "k"}],
        adjustments=[{"request": "r1", "coach": "C", "bonus": 3}],
        travel_minutes=[{"from": "paris", "to": "lyon", "minutes": 60}],
        policy={"history": "prefer"},
    )
    a = only_assignment(doc)
    assert a.breakdown == {
        "themes": 2 * W.theme,
        "internal_first": W.internal,
        "preferred_kind": W.prefer_kind,
        "preferred_coach": W.prefer_coach,
        "travel": -round(W.travel_per_hour * 120 / 60),
        "previous_coach": W.history_prefer,
        "hr_adjustment": 3,
    }
    assert a.score == sum(a.breakdown.values())


def test_external_cost_is_sessions_times_rate():
    doc = problem_doc(
        coaches=[external("X", cost_per_session=350)],
        requests=[request("r1", "k", sessions=6)],
    )
    result = solve_checked(doc)
    assert result.assignments[0].cost == 6 * 350
    assert result.external_cost == 6 * 350


def test_internal_coaches_cost_nothing():
    doc = problem_doc(
        coaches=[internal("C", "c", cost_per_session=350)], requests=[request("r1", "k")]
    )
    assert solve_checked(doc).assignments[0].cost == 0


# --- Load and capacity ----------------------------------------------------------------------


def capacity_doc(*, hours, max_coachees=5, active=(), requests=None, **req_fields):
    return problem_doc(
        coaches=[internal("C", "c", hours=hours, max_coachees=max_coachees)],
        requests=requests or [request("r1", "k", **req_fields)],
        active=[{"coach": "C", "coachee": f"a{i}", "hours": h} for i, h in enumerate(active)],
    )


def test_hours_exactly_enough():
    # 4 sessions x 60 min = 240 min = 4 h.
    result = solve_checked(capacity_doc(hours=4))
    assert assigned(result) == {"r1": "C"}
    assert result.assignments[0].hours == 4.0


def test_hours_one_minute_short():
    result = solve_checked(capacity_doc(hours=239 / 60))
    assert result.assignments == ()
    assert reasons_of(result, "r1") == {"capacity": 1}


def test_onsite_travel_counts_against_hours():
    def doc(hours):
        return problem_doc(
            people=[{"id": "c", "site": "lyon"}, {"id": "k", "site": "paris"}],
            coaches=[internal("C", "c", hours=hours, sites=["paris"])],
            requests=[request("r1", "k", modality="onsite", sessions=2, session_minutes=60)],
            travel_minutes=[{"from": "paris", "to": "lyon", "minutes": 30}],
        )

    # 2 x (60 + 2 x 30) = 240 minutes.
    assert assigned(solve_checked(doc(4))) == {"r1": "C"}
    assert solve_checked(doc(239 / 60)).assignments == ()


def test_active_hours_count_against_hours():
    # 10 h - 6 h active = 240 min left: exactly enough; one more active minute is not.
    assert assigned(solve_checked(capacity_doc(hours=10, active=[6]))) == {"r1": "C"}
    result = solve_checked(capacity_doc(hours=10, active=[6 + 1 / 60]))
    assert reasons_of(result, "r1") == {"capacity": 1}


def test_several_requests_share_the_hours():
    two = [request("r1", "k", sessions=2), request("r2", "j", sessions=2)]  # 120 min each
    assert len(solve_checked(capacity_doc(hours=4, requests=two)).assignments) == 2
    result = solve_checked(capacity_doc(hours=239 / 60, requests=two))
    assert len(result.assignments) == 1
    loser = "r1" if result.assignment_of("r1") is None else "r2"
    assert reasons_of(result, loser) == {"capacity_full": 1}


def test_max_coachees_exactly_reached():
    two = [request("r1", "k"), request("r2", "j")]
    assert (
        len(solve_checked(capacity_doc(hours=100, max_coachees=2, requests=two)).assignments) == 2
    )
    result = solve_checked(capacity_doc(hours=100, max_coachees=1, requests=two))
    assert len(result.assignments) == 1


def test_active_engagements_count_against_max_coachees():
    two = [request("r1", "k"), request("r2", "j")]
    result = solve_checked(capacity_doc(hours=100, max_coachees=3, active=[1], requests=two))
    assert len(result.assignments) == 2
    result = solve_checked(capacity_doc(hours=100, max_coachees=2, active=[1], requests=two))
    assert len(result.assignments) == 1
    result = solve_checked(capacity_doc(hours=100, max_coachees=1, active=[1]))
    assert reasons_of(result, "r1") == {"capacity": 1}


def test_a_coach_with_no_seats_takes_nothing():
    result = solve_checked(capacity_doc(hours=100, max_coachees=0))
    assert reasons_of(result, "r1") == {"capacity": 1}


def test_utilisation_report_counts_active_and_new_work():
    doc = problem_doc(
        coaches=[internal("C", "c", hours=20, max_coachees=4), external("X", max_coachees=0)],
        requests=[request("r1", "k", sessions=3, session_minutes=90)],
        active=[{"coach": "C", "coachee": "a", "hours": 2.5}],
    )
    result = solve_checked(doc)
    loads = {u.coach: u for u in result.utilisation}
    assert loads["C"].coachees == 2
    assert loads["C"].max_coachees == 4
    assert loads["C"].hours_used == 2.5 + 3 * 90 / 60
    assert loads["C"].hours == 20
    assert loads["X"].coachees == 0 and loads["X"].hours_used == 0
