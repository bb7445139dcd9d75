"""A cheap proven bound on the deciding objective, for rounds too big for the solver to
prove one.

Every solution matches requests whose loads fit in the coaches' hours and seats taken
together, so the linear relaxation of 'fill the programme's total hours and seats',
each request at its smallest load, bounds the priority-weighted matches from above. It
has two rows, so it solves in milliseconds; where most coaches could take most requests
it equals the full assignment relaxation (measured on the bench rounds), elsewhere it
is weaker but still valid.
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp

from matcher.instance import Instance

EPSILON = 1e-6


def capacity_bound(inst: Instance) -> int:
    """The most priority-weighted matches any solution can reach (rounded down)."""
    requests = [r for r, ks in enumerate(inst.by_request) if ks]
    if not requests:
        return 0
    coaches = [c for c, ks in enumerate(inst.by_coach) if ks]
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return sum(inst.priority_weight[r] for r in requests)
    y = [solver.NumVar(0.0, 1.0, "") for _ in requests]
    hours = solver.RowConstraint(0.0, float(sum(inst.capacity_minutes[c] for c in coaches)), "")
    seats = solver.RowConstraint(0.0, float(sum(inst.capacity_count[c] for c in coaches)), "")
    objective = solver.Objective()
    for var, r in zip(y, requests, strict=True):
        hours.SetCoefficient(var, min(inst.candidates[k].minutes for k in inst.by_request[r]))
        seats.SetCoefficient(var, 1.0)
        objective.SetCoefficient(var, inst.priority_weight[r])
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:  # pragma: no cover - always feasible
        return sum(inst.priority_weight[r] for r in requests)
    value: float = objective.Value()
    return math.floor(value + EPSILON)
