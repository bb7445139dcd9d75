"""Small rounds: who is matched is decided on the whole model, who coaches them on the
matched requests alone, then checked on the whole model; auxiliary variables are hinted
from the chosen pairs, so any valid solution is a complete hint."""

from __future__ import annotations

import pytest
from matcher_builders import (
    assigned,
    external,
    problem_doc,
    request,
    solve_checked,
)
from ortools.sat.python import cp_model

from matcher import model as m
from matcher.greedy import greedy
from matcher.instance import prepare
from matcher.objectives import plan
from matcher.schema import parse_problem
from matcher.synthetic import programme


@pytest.mark.parametrize("fitting", ["r1", "r2"])
def test_the_fit_stage_is_not_held_to_the_set_the_first_stages_happened_to_pick(fitting):
    # One seat, two requests alike in priority and waiting time: either may be matched,
    # and only one shares themes with the coach. The stage that decides who is matched
    # cannot tell them apart (whichever it picks, one of the two cases starts from the
    # other); the fit stage must still pick the fitting one.
    doc = problem_doc(
        coaches=[external("A", max_coachees=1, themes=["x", "y"])],
        requests=[
            request(rid, coachee, priority=2, themes=["x", "y"] if rid == fitting else [])
            for rid, coachee in (("r1", "k"), ("r2", "j"))
        ],
    )
    result = solve_checked(doc)
    assert assigned(result) == {fitting: "A"}
    assert result.status == "optimal"


def test_when_everyone_who_can_be_is_matched_the_later_stages_are_proven():
    doc = problem_doc(
        coaches=[external("A", max_coachees=2, themes=["x"]), external("B", max_coachees=2)],
        requests=[
            request("r1", "k", themes=["x"]),
            request("r2", "j"),
            request("r3", "i", themes=["x"]),
        ],
    )
    result = solve_checked(doc)
    assert len(result.assignments) == 3
    assert result.status == "optimal"
    assert all(s.status == "optimal" and s.bound == s.objective for s in result.stages)


def test_every_auxiliary_variable_is_hinted_from_a_valid_solution():
    # The demo-sized programme has reporting-line chains (auxiliary 'below' variables)
    # and internal coaches (the utilisation peak): a hint from the greedy solution, with
    # every variable fixed to it, must be a solution of the model.
    inst = prepare(parse_problem(programme(requests=60, seed=5))).instance
    model = cp_model.CpModel()
    v = m.DecisionVars(model, inst)
    for rule in m.HARD_RULES:
        rule(model, v)
    for objective in plan(inst):
        objective.expression(model, v)
    assert v.derived, "the round has chains or a peak to hint"
    v.hint(model, greedy(inst))
    hinted = len(model.proto.solution_hint.vars)
    assert hinted == len(model.proto.variables)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
