"""Edge cases found by review: coaches who left, confirmed matches that no longer fit,
infeasible pins, reason order, and what the checker blames on a round."""

from __future__ import annotations

from matcher_builders import (
    assigned,
    chain,
    external,
    internal,
    problem_doc,
    request,
    solve_checked,
)
from test_cli import example_document

from matcher.check import check_solution
from matcher.schema import parse_problem
from matcher.solve import match


def test_history_may_name_a_coach_who_is_no_longer_in_the_round():
    # The issue's own example has history [{"coach": "c2", "coachee": "p12"}] with no
    # coach c2: history is about past coaches, who may have left the programme.
    # Got: ProblemError "$.history[0].coach: unknown coach 'c2'".
    result = solve_checked(example_document(keep_history=True))
    assert assigned(result) == {"r1": "x1"}


def test_unconfirmed_previous_match_with_a_coach_who_left_moves():
    # Issue: "when a coach leaves (remove it from coaches) ... result.moved lists the
    # requests whose coach changed". Got: ProblemError "$.previous[0].coach: unknown
    # coach 'A'" (prepare() even has an unreachable "coach_unknown" path for this).
    doc = problem_doc(
        coaches=[external("B")],
        requests=[request("r1", "k")],
        previous=[{"request": "r1", "coach": "A"}],
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "B"}
    assert result.moved == ("r1",)


def test_confirmed_match_with_a_coach_who_left_is_dropped():
    doc = problem_doc(
        coaches=[external("B")],
        requests=[request("r1", "k")],
        previous=[{"request": "r1", "coach": "A", "confirmed": True}],
    )
    result = solve_checked(doc)
    assert [(d.request, d.coach, d.reason) for d in result.dropped] == [
        ("r1", "A", "coach_unknown")
    ]
    assert assigned(result) == {"r1": "B"}


def test_confirmed_match_that_no_longer_fits_is_dropped_not_the_whole_round():
    # A's hours were cut to 3 h since r1 (4 h) was confirmed with A. Issue: "a confirmed
    # match that became invalid shows up in result.dropped with a reason".
    # Got: status "infeasible", no assignment at all (r2 unmatched too, although B is
    # free), dropped == (), r1's summary "no eligible coach".
    doc = problem_doc(
        coaches=[internal("A", "pa", hours=3), internal("B", "pb")],
        requests=[request("r1", "k"), request("r2", "j")],
        previous=[{"request": "r1", "coach": "A", "confirmed": True}],
    )
    result = match(parse_problem(doc))
    assert result.status == "optimal"
    assert [(d.request, d.coach) for d in result.dropped] == [("r1", "A")]
    assert len(result.assignments) == 2


def test_infeasible_round_does_not_claim_no_eligible_coach():
    # Two HR pins on a one-seat coach make the round infeasible (documented); but each
    # request's explanation then says "no eligible coach" although B is eligible.
    doc = problem_doc(
        coaches=[external("A", max_coachees=1), external("B")],
        requests=[request("r1", "k"), request("r2", "j")],
        pinned=[{"request": "r1", "coach": "A"}, {"request": "r2", "coach": "A"}],
    )
    result = match(parse_problem(doc))
    assert result.status == "infeasible"
    for u in result.unmatched:
        assert u.summary != "no eligible coach", u
        assert u.reasons, u


def test_unmatched_summary_lists_rules_in_rule_order():
    # explain.summary's docstring: "'neutrality: 4, language: 31, capacity full: 6' in
    # rule order". The counts are inserted in coach order instead.
    # Got: "language: 1, neutrality: 1".
    doc = problem_doc(
        people={"m": None, "k": "m"},
        coaches=[external("L", languages=["en"]), internal("N", "m")],
        requests=[request("r1", "k")],
    )
    result = solve_checked(doc)
    assert result.unmatched[0].summary == "neutrality: 1, language: 1"


def test_checker_accepts_a_round_when_only_active_engagements_share_a_line():
    # C already coaches m and k (k reports to m) before the round; the round gives C an
    # unrelated coachee j. The round broke nothing, yet check_solution raises
    # "coach C coaches m and k, one in the other's line".
    doc = problem_doc(
        people={**chain("m", "k"), "j": None},
        coaches=[external("C")],
        requests=[request("r1", "j")],
        active=[
            {"coach": "C", "coachee": "m", "hours": 1},
            {"coach": "C", "coachee": "k", "hours": 1},
        ],
    )
    problem = parse_problem(doc)
    result = match(problem)
    assert assigned(result) == {"r1": "C"}
    check_solution(problem, result)
