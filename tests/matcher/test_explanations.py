"""Explanations: each match's score breakdown; for each unmatched request, how many
coaches each rule excluded and what finally kept it unmatched, with a readable summary."""

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

from matcher.explain import LABELS, summary


def unmatched(result, rid):
    return next(u for u in result.unmatched if u.request == rid)


def test_every_match_carries_its_breakdown():
    doc = problem_doc(
        coaches=[internal("C", "c", themes=["x"]), external("X", themes=["x", "y"])],
        requests=[request("r1", "k", themes=["x"]), request("r2", "j", themes=["x", "y"])],
        adjustments=[{"request": "r2", "coach": "X", "bonus": 5}],
    )
    result = solve_checked(doc)
    assert assigned(result) == {"r1": "C", "r2": "X"}
    by_request = {a.request: a for a in result.assignments}
    assert by_request["r1"].breakdown == {"themes": 10, "internal_first": 15}
    assert by_request["r2"].breakdown == {"themes": 20, "hr_adjustment": 5}
    for a in result.assignments:
        assert a.score == sum(a.breakdown.values())


def test_each_rule_counts_the_coaches_it_excluded():
    doc = problem_doc(
        people={"m": None, "k": "m", "peer": "m"},
        coaches=[
            internal("boss", "m"),
            external("en1", languages=["en"]),
            internal("peer", "peer"),
            external("en2", languages=["en"]),
            external("banned"),
            external("remote", modalities=["remote"]),
        ],
        requests=[request("r1", "k", modality="onsite")],
        adjustments=[{"request": "r1", "coach": "banned", "forbid": True}],
    )
    result = solve_checked(doc)
    u = unmatched(result, "r1")
    assert u.reasons == {"neutrality": 1, "language": 2, "peer": 1, "forbidden": 1, "modality": 1}
    for part in (
        "neutrality: 1",
        "language: 2",
        "coachee's peer: 1",
        "forbidden by HR: 1",
        "modality: 1",
    ):
        assert part in u.summary


def test_no_room_before_the_round():
    doc = problem_doc(
        coaches=[external("X", hours=1), external("Y", max_coachees=0)],
        requests=[request("r1", "k")],
    )
    u = unmatched(solve_checked(doc), "r1")
    assert u.reasons == {"capacity": 2}
    assert u.summary == "no room left: 2"


def test_capacity_full_at_equal_priority():
    doc = problem_doc(
        coaches=[external("X", max_coachees=1)],
        requests=[request("old", "k", submitted="2026-10-01"), request("new", "j")],
    )
    result = solve_checked(doc)
    assert assigned(result) == {"old": "X"}
    u = unmatched(result, "new")
    assert u.reasons == {"capacity_full": 1}
    assert u.summary == "capacity full: 1"


def test_lost_to_a_higher_priority_request():
    doc = problem_doc(
        coaches=[external("X", max_coachees=1)],
        requests=[request("urgent", "k", priority=1), request("later", "j", priority=4)],
    )
    result = solve_checked(doc)
    u = unmatched(result, "later")
    assert u.reasons == {"lost_to_higher_priority": 1}
    assert "lost to higher-priority requests: 1" in u.summary


def test_external_budget_spent():
    doc = problem_doc(
        coaches=[external("X", cost_per_session=100)],
        requests=[request("urgent", "k", priority=1), request("later", "j", priority=2)],
        policy={"external_budget": 500},
    )
    result = solve_checked(doc)
    assert assigned(result) == {"urgent": "X"}
    u = unmatched(result, "later")
    assert u.reasons == {"external_budget": 1}
    assert u.summary == "external budget spent: 1"


def test_reporting_line_conflict():
    doc = problem_doc(
        people=chain("g", "m", "k"),
        coaches=[external("X")],
        requests=[request("rg", "g", priority=1), request("rk", "k", priority=2)],
    )
    result = solve_checked(doc)
    u = unmatched(result, "rk")
    assert u.reasons == {"reporting_line_conflict": 1}
    assert u.summary == "would coach two people in one reporting line: 1"


def test_rules_and_final_blockers_add_up_to_every_coach():
    doc = problem_doc(
        people={"m": None, "k": "m"},
        coaches=[
            internal("boss", "m"),
            external("en", languages=["en"]),
            external("full", max_coachees=1),
            external("full2", max_coachees=1),
        ],
        requests=[
            request("r1", "k", priority=4),
            request("a", "a", priority=1),
            request("b", "b", priority=1),
        ],
        adjustments=[
            {"request": "a", "coach": "full2", "forbid": True},
            {"request": "b", "coach": "full", "forbid": True},
            {"request": "a", "coach": "boss", "forbid": True},
            {"request": "b", "coach": "boss", "forbid": True},
        ],
    )
    result = solve_checked(doc)
    assert assigned(result) == {"a": "full", "b": "full2"}
    u = unmatched(result, "r1")
    assert u.reasons == {"neutrality": 1, "language": 1, "lost_to_higher_priority": 2}
    assert sum(u.reasons.values()) == len(doc["coaches"])


def test_no_coaches_at_all():
    u = unmatched(solve_checked(problem_doc(requests=[request("r1", "k")])), "r1")
    assert u.reasons == {"no_coaches": 1}
    assert u.summary == "no coaches: 1"


def test_summary_of_nothing():
    assert summary({}) == "no eligible coach"


def test_every_reason_code_has_a_label():
    from matcher.eligibility import RULES

    codes = {code for code, _ in RULES} | {
        "capacity",
        "capacity_full",
        "lost_to_higher_priority",
        "external_budget",
        "reporting_line_conflict",
        "no_coaches",
    }
    assert codes <= set(LABELS)
    assert summary({"language": 31, "capacity_full": 6}) == "language: 31, capacity full: 6"
