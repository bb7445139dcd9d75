"""Alternatives for chemistry meetings, the previous-coach policy, and re-solving a round
with minimal change (confirmed matches kept, unconfirmed ones moved as little as possible)."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from matcher_builders import (
    assigned,
    day,
    external,
    internal,
    problem_doc,
    reasons_of,
    request,
    solve_checked,
    solve_checked_with_problem,
)

from matcher.check import check_solution
from matcher.problem import ScoreWeights
from matcher.proposals import OFFERS_PER_SEAT
from matcher.synthetic import programme

W = ScoreWeights()


def bonus(rid, cid, points):
    return {"request": rid, "coach": cid, "bonus": points}


def alternatives_of(result, rid):
    a = result.assignment_of(rid)
    assert a is not None, f"{rid} unmatched"
    return [x.coach for x in a.alternatives]


# --- Alternatives ---------------------------------------------------------------------------


def ranked_doc(proposals):
    return problem_doc(
        coaches=[external(c) for c in ("A", "B", "C", "D", "E")],
        requests=[request("r1", "k")],
        adjustments=[
            bonus("r1", "A", 50),
            bonus("r1", "D", 10),
            bonus("r1", "B", 30),
            bonus("r1", "C", 20),
            {"request": "r1", "coach": "E", "forbid": True},
        ],
        policy={"proposals": proposals},
    )


@pytest.mark.parametrize(
    ("k", "expected"),
    [(1, []), (2, ["B"]), (3, ["B", "C"]), (4, ["B", "C", "D"]), (6, ["B", "C", "D"])],
)
def test_up_to_k_minus_one_eligible_alternatives_ranked_by_score(k, expected):
    result = solve_checked(ranked_doc(k))
    assert assigned(result) == {"r1": "A"}
    a = result.assignments[0]
    assert [x.coach for x in a.alternatives] == expected  # never A, never forbidden E
    for alt in a.alternatives:
        assert alt.score == sum(alt.breakdown.values())
        assert alt.breakdown == {"hr_adjustment": alt.score}


def test_an_alternative_coach_must_have_a_seat_left():
    # B takes r2 and has no seat left for r1; C has.
    doc = problem_doc(
        coaches=[external("A"), external("B", max_coachees=1), external("C")],
        requests=[request("r1", "k"), request("r2", "j")],
        adjustments=[bonus("r1", "A", 50), bonus("r2", "B", 50), bonus("r1", "B", 30)],
        policy={"proposals": 2},
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "A", "r2": "B"}
    assert alternatives_of(result, "r1") == ["C"]


def test_an_alternative_coach_must_have_the_hours_left():
    # B has a second seat but after r2 (4 h) only 3 h 59 of its 7 h 59 remain.
    def doc(hours):
        return problem_doc(
            coaches=[external("A"), external("B", hours=hours), external("C")],
            requests=[request("r1", "k"), request("r2", "j")],
            adjustments=[bonus("r1", "A", 50), bonus("r2", "B", 50), bonus("r1", "B", 30)],
            policy={"proposals": 2},
        )

    assert alternatives_of(solve_checked(doc(8)), "r1") == ["B"]
    assert alternatives_of(solve_checked(doc(8 - 1 / 60)), "r1") == ["C"]


def test_an_alternative_must_fit_in_the_external_budget():
    # r2's external coach spends 400; swapping r1 (internal, free) to X would add 400.
    def doc(budget):
        return problem_doc(
            coaches=[
                internal("A", "pa"),
                external("X", cost_per_session=100),
                external("Y", cost_per_session=100),
                internal("Z", "pz"),
            ],
            requests=[request("r1", "k"), request("r2", "j")],
            adjustments=[
                bonus("r1", "A", 50),
                bonus("r1", "X", 40),
                bonus("r2", "Y", 80),
                {"request": "r2", "coach": "A", "forbid": True},
                {"request": "r2", "coach": "Z", "forbid": True},
                {"request": "r2", "coach": "X", "forbid": True},
            ],
            policy={"proposals": 2, "external_budget": budget},
        )

    result = solve_checked(doc(800))
    assert assigned(result) == {"r1": "A", "r2": "Y"}
    assert alternatives_of(result, "r1") == ["X"]
    result = solve_checked(doc(799))
    assert assigned(result) == {"r1": "A", "r2": "Y"}
    assert alternatives_of(result, "r1") == ["Z"]


def test_an_alternative_coach_must_not_coach_someone_in_the_line():
    # B coaches m (k's manager) this round: B is no alternative for k.
    doc = problem_doc(
        people={"m": None, "k": "m"},
        coaches=[external("A"), external("B"), external("C")],
        requests=[request("rk", "k"), request("rm", "m")],
        adjustments=[
            bonus("rk", "A", 50),
            bonus("rm", "B", 50),
            bonus("rk", "B", 30),
            {"request": "rm", "coach": "A", "forbid": True},
            {"request": "rm", "coach": "C", "forbid": True},
        ],
        policy={"proposals": 2},
    )
    result = solve_checked(doc)
    assert assigned(result) == {"rk": "A", "rm": "B"}
    assert alternatives_of(result, "rk") == ["C"]


@pytest.mark.parametrize("seats", [1, 2, 3])
def test_a_popular_coach_is_offered_at_most_twice_per_seat_left(seats):
    # Each request has its own favourite coach (one seat each); P fits everyone well
    # but has only `seats` seats.
    n = 4
    coaches = [external(f"C{i}", max_coachees=1) for i in range(n)]
    coaches.append(external("P", max_coachees=seats, themes=["x"]))
    requests = [request(f"r{i}", f"k{i}", themes=["x"]) for i in range(n)]
    adjustments = [bonus(f"r{i}", f"C{i}", 100) for i in range(n)]
    doc = problem_doc(
        coaches=coaches, requests=requests, adjustments=adjustments, policy={"proposals": 3}
    )
    result = solve_checked(doc)
    assert assigned(result) == {f"r{i}": f"C{i}" for i in range(n)}
    offers = Counter(c for i in range(n) for c in alternatives_of(result, f"r{i}"))
    assert offers["P"] == min(n, OFFERS_PER_SEAT * seats)
    # Full favourites are no one else's alternative.
    assert set(offers) == {"P"}


def test_seats_left_count_the_coachs_own_matches_and_active_engagements():
    doc = problem_doc(
        coaches=[external("A"), external("P", max_coachees=3)],
        requests=[request(f"r{i}", f"k{i}") for i in range(4)],
        adjustments=[bonus("r0", "P", 50)] + [bonus(f"r{i}", "A", 50) for i in (1, 2, 3)],
        active=[{"coach": "P", "coachee": "someone", "hours": 1}],
        policy={"proposals": 2},
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r0": "P", "r1": "A", "r2": "A", "r3": "A"}
    # 3 seats - 1 active - 1 matched: one seat left, so two offers.
    offers = Counter(c for i in (1, 2, 3) for c in alternatives_of(result, f"r{i}"))
    assert offers["P"] == OFFERS_PER_SEAT


def test_the_most_urgent_requests_get_the_scarce_alternative_first():
    coaches = [external(c, max_coachees=1) for c in ("A", "B", "C", "P")]
    doc = problem_doc(
        coaches=coaches,
        requests=[
            request("r1", "k", priority=3),
            request("r2", "j", priority=1),
            request("r3", "m", priority=2),
        ],
        adjustments=[bonus("r1", "A", 50), bonus("r2", "B", 50), bonus("r3", "C", 50)],
        policy={"proposals": 2},
    )
    result = solve_checked(doc)
    assert alternatives_of(result, "r2") == ["P"]
    assert alternatives_of(result, "r3") == ["P"]
    assert alternatives_of(result, "r1") == []  # P's one seat is offered twice already


def test_choosing_any_alternative_breaks_no_other_match():
    # Tight round: after the matches, each alternative still fits on its own.
    doc = programme(people=300, internal=12, external=3, requests=40, seed=5, time_limit_s=2)
    problem, result = solve_checked_with_problem(doc)
    assert any(a.alternatives for a in result.assignments)
    for a in result.assignments:
        for alt in a.alternatives:
            switched = dataclasses.replace(
                result,
                assignments=tuple(
                    dataclasses.replace(b, coach=alt.coach, alternatives=())
                    if b.request == a.request
                    else b
                    for b in result.assignments
                ),
            )
            check_solution(problem, switched)  # raises on any broken rule


def test_pinned_requests_get_no_alternatives():
    doc = problem_doc(
        coaches=[external("A"), external("B")],
        requests=[request("r1", "k")],
        pinned=[{"request": "r1", "coach": "A"}],
    )
    result = solve_checked(doc)
    assert result.assignments[0].pinned
    assert result.assignments[0].alternatives == ()


# --- History policy ----------------------------------------------------------------------------


def history_doc(policy, coaches=("A", "B")):
    return problem_doc(
        coaches=[external(c) for c in coaches],
        requests=[request("r1", "k")],
        history=[{"coach": "A", "coachee": "k"}],
        policy={"history": policy, "proposals": 3},
    )


def test_history_avoid_is_the_default_and_prefers_someone_new():
    doc = history_doc("avoid")
    del doc["policy"]["history"]
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "B"}
    alt = result.assignments[0].alternatives
    assert [(x.coach, x.breakdown) for x in alt] == [("A", {"previous_coach": -W.history_avoid})]


def test_history_avoid_is_soft():
    result = solve_checked(history_doc("avoid", coaches=("A",)))
    assert assigned(result) == {"r1": "A"}
    assert result.assignments[0].score == -W.history_avoid


def test_history_prefer():
    result = solve_checked(history_doc("prefer"))
    assert assigned(result) == {"r1": "A"}
    assert result.assignments[0].breakdown == {"previous_coach": W.history_prefer}


def test_history_exclude():
    result = solve_checked(history_doc("exclude"))
    assert assigned(result) == {"r1": "B"}
    assert alternatives_of(result, "r1") == []
    result = solve_checked(history_doc("exclude", coaches=("A",)))
    assert reasons_of(result, "r1") == {"history": 1}


def test_history_ignore():
    result = solve_checked(history_doc("ignore"))
    a = result.assignments[0]
    assert a.breakdown == {}
    assert all(x.breakdown == {} for x in a.alternatives)


# --- Re-solve with minimal change -------------------------------------------------------------


def test_a_confirmed_match_still_valid_is_kept_against_a_better_coach():
    doc = problem_doc(
        coaches=[external("A"), external("B")],
        requests=[request("r1", "k")],
        adjustments=[bonus("r1", "B", 50)],
        previous=[{"request": "r1", "coach": "A", "confirmed": True}],
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "A"}
    assert result.assignments[0].pinned
    assert result.moved == () and result.dropped == ()


def test_a_confirmed_match_outlives_a_soft_rule():
    # Documented: confirmations, like pins, hold against soft rules (here the language).
    doc = problem_doc(
        coaches=[external("A", languages=["en"]), external("B")],
        requests=[request("r1", "k")],
        previous=[{"request": "r1", "coach": "A", "confirmed": True}],
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "A"}
    assert result.dropped == ()


@pytest.mark.parametrize(
    ("sections", "reason"),
    [
        ({"conflicts": [{"coach": "A", "person": "k"}]}, "conflict_of_interest"),
        ({"active": [{"coach": "A", "coachee": "m", "hours": 1}]}, "reporting_line_overlap"),
    ],
)
def test_a_confirmed_match_that_became_unethical_is_dropped_with_its_reason(sections, reason):
    doc = problem_doc(
        people={"m": None, "k": "m"},
        coaches=[external("A"), external("B")],
        requests=[request("r1", "k")],
        previous=[{"request": "r1", "coach": "A", "confirmed": True}],
        **sections,
    )
    result = solve_checked(doc)
    assert [(d.request, d.coach, d.reason) for d in result.dropped] == [("r1", "A", reason)]
    assert assigned(result) == {"r1": "B"}
    assert not result.assignments[0].pinned


def test_a_confirmed_match_whose_coach_joined_the_line_is_dropped():
    # The coach's employee became the coachee's manager since the last round.
    doc = problem_doc(
        people={"pa": None, "k": "pa"},
        coaches=[internal("A", "pa"), external("B")],
        requests=[request("r1", "k")],
        previous=[{"request": "r1", "coach": "A", "confirmed": True}],
    )
    result = solve_checked(doc)
    assert [(d.request, d.coach, d.reason) for d in result.dropped] == [("r1", "A", "neutrality")]
    assert assigned(result) == {"r1": "B"}


def round_of_three(**extra):
    """Three requests matched last round to A, B, C (unconfirmed); the fit now says
    r2 and r3 would be better off swapped."""
    return problem_doc(
        coaches=extra.pop("coaches", None)
        or [external("A"), external("B", max_coachees=1), external("C", max_coachees=1)],
        requests=extra.pop("requests", None)
        or [request("r1", "k1"), request("r2", "k2"), request("r3", "k3")],
        adjustments=[bonus("r2", "C", 30), bonus("r3", "B", 30)],
        previous=[
            {"request": "r1", "coach": "A"},
            {"request": "r2", "coach": "B"},
            {"request": "r3", "coach": "C"},
        ],
        **extra,
    )


def test_unconfirmed_matches_stay_when_nothing_forces_a_move():
    result = solve_checked(round_of_three())
    assert assigned(result) == {"r1": "A", "r2": "B", "r3": "C"}
    assert result.moved == ()
    assert {s.name: s.objective for s in result.stages}["kept_previous"] == 3
    assert not any(a.pinned for a in result.assignments)


def test_a_coach_who_can_no_longer_take_a_request_moves_only_that_request():
    # A's certification now ends before the round: r1 must move, to D; r2 and r3 stay
    # although swapping them would score better.
    doc = round_of_three(
        coaches=[
            external("A", valid_until=day(-1)),
            external("B", max_coachees=1),
            external("C", max_coachees=1),
            external("D"),
        ]
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "D", "r2": "B", "r3": "C"}
    assert result.moved == ("r1",)


def test_a_coach_leaving_moves_only_its_requests():
    # A left the programme (and its earlier match was removed from `previous`).
    doc = round_of_three(coaches=[external("B", max_coachees=2), external("C", max_coachees=1)])
    doc["previous"] = [p for p in doc["previous"] if p["coach"] != "A"]
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "B", "r2": "B", "r3": "C"}
    assert result.moved == ()


def test_a_new_request_moves_as_few_earlier_matches_as_possible():
    # New r4 can only be coached by A (English). A has one seat: r1 has to move to D;
    # r2 and r3 stay put.
    doc = round_of_three(
        coaches=[
            external("A", max_coachees=1, languages=["fr", "en"]),
            external("B", max_coachees=1),
            external("C", max_coachees=1),
            external("D"),
        ],
        requests=[
            request("r1", "k1"),
            request("r2", "k2"),
            request("r3", "k3"),
            request("r4", "k4", language="en"),
        ],
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "D", "r2": "B", "r3": "C", "r4": "A"}
    assert result.moved == ("r1",)
    assert {s.name: s.objective for s in result.stages}["kept_previous"] == 2


def test_an_unconfirmed_match_left_unmatched_counts_as_moved():
    doc = problem_doc(
        coaches=[external("A", languages=["en"])],
        requests=[request("r1", "k")],
        previous=[{"request": "r1", "coach": "A"}],
    )
    result = solve_checked(doc)
    assert result.assignments == ()
    assert result.moved == ("r1",)
