"""The linear relaxation of the priority stage, whose solution guides a warm start.

Rounds with many eligible coaches per request have an almost integral relaxation: the
pairs it takes whole are, for the most part, in the best matchings. GLOP (OR-Tools'
simplex) solves it deterministically in a fraction of a second on rounds of tens of
thousands of pairs; bigger rounds skip it.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp

from matcher.instance import Instance

MAX_PAIRS = 50_000  # beyond, building and solving it costs seconds


def relaxed_assignment(inst: Instance) -> list[float] | None:
    """Each candidate's value in an optimal solution of the relaxation, or None when the
    round is too big or has no solution."""
    if not inst.candidates or len(inst.candidates) > MAX_PAIRS:
        return None
    solved = solve_relaxation(inst)
    return solved[1] if solved is not None else None


def solve_relaxation(inst: Instance) -> tuple[float, list[float]] | None:
    """The relaxation's optimum (priority-weighted matches under one coach per request,
    seats, hours, the external budget and pins) and each candidate's value in it; None
    when it has no solution. Any size (the benchmarks take its bound at 750,000 pairs)."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    x = [solver.NumVar(0.0, 1.0, "") for _ in inst.candidates]
    for ks in inst.by_request:
        if len(ks) > 1:
            row = solver.RowConstraint(0.0, 1.0, "")
            for k in ks:
                row.SetCoefficient(x[k], 1.0)
    for c, ks in enumerate(inst.by_coach):
        seats = solver.RowConstraint(0.0, float(inst.capacity_count[c]), "")
        hours = solver.RowConstraint(0.0, float(inst.capacity_minutes[c]), "")
        for k in ks:
            seats.SetCoefficient(x[k], 1.0)
            hours.SetCoefficient(x[k], float(inst.candidates[k].minutes))
    if inst.budget is not None:
        spend = solver.RowConstraint(0.0, float(inst.budget), "")
        for k, cand in enumerate(inst.candidates):
            if cand.cost:
                spend.SetCoefficient(x[k], float(cand.cost))
    for k in inst.pinned.values():
        x[k].SetLb(1.0)
    objective = solver.Objective()
    for k, cand in enumerate(inst.candidates):
        objective.SetCoefficient(x[k], float(inst.priority_weight[cand.request]))
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None  # e.g. pins beyond a coach's capacity: the solver will say why
    value: float = objective.Value()
    return value, [var.solution_value() for var in x]
