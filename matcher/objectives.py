"""The round's objectives, in their lexicographic order, declared once.

Each stage of the optimiser maximises or minimises one objective with the earlier ones
held at their values, so a match is never given up for a better score. The optimiser,
the explanations (stage labels) and the README's objective list all read `OBJECTIVES`;
the hard rules live in `model.HARD_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matcher import model as m
from matcher.instance import Instance

Weights = Callable[[Instance], list[int]]


@dataclass(frozen=True, slots=True)
class Objective:
    """One objective of the lexicographic order.

    A linear objective gives one weight per candidate pair (`weights`): its value is the
    sum of the chosen pairs' weights, computed without CP-SAT by the neighbourhood
    search. The others (the utilisation peak) bring their own CP-SAT expression and
    solver-free value."""

    name: str  # stage name in results and the API
    maximise: bool
    share: int  # share of the time limit; time a stage leaves unused flows to the next
    label: str  # what the stage decides, in words (explanations, README)
    applies: Callable[[Instance], bool]  # False: it cannot tell solutions apart, skipped
    weights: Weights | None = None
    per_request: bool = False  # its value counts only which requests are matched
    build: Callable[[cp_model.CpModel, m.DecisionVars], cp_model.LinearExprT] | None = None
    value_of: Callable[[Instance, Sequence[int]], int] | None = None

    def expression(self, model: cp_model.CpModel, v: m.DecisionVars) -> cp_model.LinearExprT:
        """The objective as a CP-SAT expression over the decision variables."""
        if self.weights is not None:
            return cp_model.LinearExpr.weighted_sum(v.x, self.weights(v.instance))
        assert self.build is not None
        return self.build(model, v)

    def evaluator(self, inst: Instance) -> Callable[[Sequence[int]], int]:
        """The objective's value of a solution (chosen candidates), without CP-SAT."""
        if self.weights is not None:
            ws = self.weights(inst)
            return lambda chosen: sum(ws[k] for k in chosen)
        assert self.value_of is not None
        value = self.value_of
        return lambda chosen: value(inst, chosen)


def _always(inst: Instance) -> bool:
    return True


OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        "kept_confirmed",
        True,
        1,
        "on a re-solve, the most confirmed matches kept",
        lambda inst: bool(inst.confirmed),
        weights=m.kept_confirmed,
    ),
    Objective(
        "matched_priority",
        True,
        4,
        "the priority-weighted number of requests matched",
        _always,
        weights=m.matched_by_priority,
        per_request=True,
    ),
    Objective(
        "matched_waiting",
        True,
        2,
        "among those, the longest-waiting requests",
        lambda inst: len(set(inst.waiting_days)) > 1,
        weights=m.matched_by_waiting,
        per_request=True,
    ),
    Objective(
        "kept_previous",
        True,
        1,
        "on a re-solve, the most earlier matches kept",
        lambda inst: bool(inst.previous),
        weights=m.kept_previous,
    ),
    Objective(
        "fit_score",
        True,
        2,
        "the total fit score",
        _always,
        weights=m.total_fit,
    ),
    Objective(
        "external_cost",
        False,
        1,
        "the lowest external cost",
        lambda inst: any(c.cost for c in inst.candidates),
        weights=m.external_spend,
    ),
    Objective(
        "peak_internal_utilisation",
        False,
        1,
        "the most even use of internal coaches",
        lambda inst: any(inst.internal[c.coach] for c in inst.candidates),
        build=m.peak_internal_utilisation,
        value_of=m.peak_utilisation,
    ),
)

# The objective that decides a round's quality: its bound and gap are the result's.
DECIDING = "matched_priority"
BY_NAME = {o.name: o for o in OBJECTIVES}


def plan(inst: Instance, names: Sequence[str] | None = None) -> list[Objective]:
    """The objectives that apply to this instance, in order (only `names`, if given)."""
    return [o for o in OBJECTIVES if (names is None or o.name in names) and o.applies(inst)]
