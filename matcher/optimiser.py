"""Lexicographic CP-SAT optimisation of a prepared instance.

Stages, best first: confirmed matches kept (on a re-solve), priority-weighted matches,
waiting time, earlier matches kept, fit score, external cost, peak internal utilisation.
Each stage is solved with the earlier stages' values fixed, so a match is never given
up for a better score. The time limit is in CP-SAT's deterministic time, so the same
input and settings give the same result whatever the machine's load.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from matcher import lns
from matcher import model as m
from matcher.bounds import capacity_bound
from matcher.greedy import greedy
from matcher.instance import Instance

log = logging.getLogger(__name__)

MIN_STAGE_TIME = 0.05
LNS_MIN_PAIRS = 3000  # rounds with more candidate pairs also get a neighbourhood search
FULL_MODEL_SHARE = 0.5  # of the time limit, for the full model on such rounds
FULL_MODEL_MAX_PAIRS = 50_000  # beyond, the search starts from the greedy solution
LEAD_STAGES = ("kept_confirmed", "matched_priority")  # searched alone first
PRESOLVE_SUB = False  # neighbourhoods are small: presolving them costs more than it saves
LEAD_SHARE = 0.75  # of the search's time, for the leading stages


@dataclass(frozen=True, slots=True)
class SolverSettings:
    time_limit_s: float = 10.0  # deterministic seconds, over all stages
    seed: int = 0
    workers: int = 1


@dataclass(frozen=True, slots=True)
class Stage:
    """One objective of the lexicographic order, with its result."""

    name: str
    maximise: bool
    status: str  # optimal | feasible | unknown (nothing found in time; bound None)
    objective: float
    bound: float | None  # None: the value comes from a heuristic, nothing was proven
    seconds: float

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        if self.objective == self.bound:
            return 0.0
        return abs(self.bound - self.objective) / max(1.0, abs(self.objective))


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # optimal | feasible | infeasible
    chosen: tuple[int, ...]  # candidate indices
    stages: tuple[Stage, ...]
    seconds: float


Weights = Callable[[Instance], list[int]]
StageSpec = tuple[str, bool, Weights | None, int]

# (name, maximise?, weights per candidate or None for the utilisation peak, share of the
# time limit). Time a stage leaves unused flows to the next ones; the first stage
# matters most.
STAGES: tuple[StageSpec, ...] = (
    ("kept_confirmed", True, m.kept_confirmed, 1),
    ("matched_priority", True, m.matched_by_priority, 4),
    ("matched_waiting", True, m.matched_by_waiting, 2),
    ("kept_previous", True, m.kept_previous, 1),
    ("fit_score", True, m.total_fit, 2),
    ("external_cost", False, m.external_spend, 1),
    ("peak_internal_utilisation", False, None, 1),
)


def _relevant(name: str, inst: Instance) -> bool:
    """False for stages whose objective cannot tell solutions apart: they are skipped."""
    if name == "matched_waiting":
        return len(set(inst.waiting_days)) > 1
    if name == "kept_confirmed":
        return bool(inst.confirmed)
    if name == "kept_previous":
        return bool(inst.previous)
    if name == "external_cost":
        return any(c.cost for c in inst.candidates)
    if name == "peak_internal_utilisation":
        return any(inst.internal[c.coach] for c in inst.candidates)
    return True


def optimise(
    instance: Instance,
    settings: SolverSettings,
    stages: Sequence[str] | None = None,
    start: Sequence[int] | None = None,
) -> Outcome:
    """Solve the instance lexicographically; `stages` restricts the objectives used and
    `start` replaces the greedy warm start.

    On a big round, the full model gets part of the time limit (none on the biggest) and
    a large-neighbourhood search the rest, when the full model has not proven every
    stage: first on the deciding stages alone, then on all of them. The priority stage's
    bound is tightened with the programme's capacity bound."""
    started = time.perf_counter()
    plan = [s for s in STAGES if (stages is None or s[0] in stages) and _relevant(s[0], instance)]
    big = len(instance.candidates) > LNS_MIN_PAIRS
    if len(instance.candidates) > FULL_MODEL_MAX_PAIRS and not instance.pinned:
        # Building and presolving the full model costs seconds here and proves nothing
        # in time; the greedy start (which keeps every hard rule without pins) goes
        # straight to the search.
        chosen = list(start) if start is not None else greedy(instance)
        outcome, used = Outcome("feasible", tuple(chosen), (), 0.0), 0.0
    else:
        share = FULL_MODEL_SHARE if big else 1.0
        outcome, used = _staged(
            instance, settings, plan, settings.time_limit_s * share, start, hand_over=big
        )
    left = settings.time_limit_s - used
    if not big or outcome.status != "feasible" or left < MIN_STAGE_TIME:
        return _with_capacity_bound(outcome, instance)

    # First the deciding stages alone (one small solve per neighbourhood, so many more
    # neighbourhoods), then every stage on what is left.
    lead = [s for s in plan if s[0] in LEAD_STAGES]
    chosen = list(outcome.chosen)
    for phase, budget in ((lead, left * LEAD_SHARE), (plan, left * (1 - LEAD_SHARE))):
        if phase and budget >= MIN_STAGE_TIME:
            chosen = _search(instance, settings, phase, chosen, budget)
    score = _scorer(instance, plan)
    values = score(chosen)
    reports = []
    for i, (name, maximise, _, _) in enumerate(plan):
        value = float(values[i] if maximise else -values[i])
        if i < len(outcome.stages):
            # Stages the full model could not solve now hold the search's value.
            st = outcome.stages[i]
            status = "feasible" if st.status == "unknown" else st.status
            reports.append(replace(st, objective=value, status=status))
        else:  # left to the search alone: a value, no bound
            reports.append(Stage(name, maximise, "feasible", value, None, 0.0))
    found = Outcome(outcome.status, tuple(chosen), tuple(reports), time.perf_counter() - started)
    return _with_capacity_bound(found, instance)


def _with_capacity_bound(outcome: Outcome, instance: Instance) -> Outcome:
    """Tighten the priority stage's bound with the programme's capacity bound: on big
    rounds the solver proves none, and a value that reaches it is optimal."""
    if outcome.status == "infeasible":
        return outcome
    stages = list(outcome.stages)
    for i, st in enumerate(stages):
        if st.name != "matched_priority" or st.status == "optimal":
            continue
        cap = float(capacity_bound(instance))
        bound = cap if st.bound is None else min(st.bound, cap)
        status = "optimal" if st.status == "feasible" and st.objective >= bound else st.status
        stages[i] = replace(st, bound=bound, status=status)
    return replace(outcome, stages=tuple(stages))


def _scorer(instance: Instance, plan: Sequence[StageSpec]) -> lns.Score:
    """The objective vector of a solution under `plan`, each entry to maximise."""
    weights = [w(instance) if w else None for _, _, w, _ in plan]

    def score(chosen: Sequence[int]) -> tuple[int, ...]:
        out = []
        for (_, maximise, _, _), ws in zip(plan, weights, strict=True):
            value = sum(ws[k] for k in chosen) if ws else m.peak_utilisation(instance, chosen)
            out.append(value if maximise else -value)
        return tuple(out)

    return score


def _search(
    instance: Instance,
    settings: SolverSettings,
    plan: Sequence[StageSpec],
    chosen: Sequence[int],
    budget: float,
) -> list[int]:
    """Large-neighbourhood search on the stages of `plan`, from `chosen`."""

    def solve(sub: Instance, sub_start: Sequence[int], limit: float) -> tuple[Sequence[int], float]:
        sub_plan = [s for s in plan if _relevant(s[0], sub)]
        sub_settings = SolverSettings(limit, settings.seed, 1)
        found, sub_used = _staged(
            sub, sub_settings, sub_plan, limit, sub_start, presolve=PRESOLVE_SUB
        )
        return (found.chosen if found.status != "infeasible" else sub_start), sub_used

    found, tried, improved = lns.improve(
        instance,
        chosen,
        score=_scorer(instance, plan),
        solve=solve,
        budget=budget,
        seed=settings.seed,
    )
    log.info(
        "neighbourhood search on %s: %d tried, %d improved",
        ", ".join(s[0] for s in plan),
        tried,
        improved,
    )
    return found


def _staged(
    instance: Instance,
    settings: SolverSettings,
    plan: Sequence[StageSpec],
    budget: float,
    start: Sequence[int] | None,
    *,
    hand_over: bool = False,
    presolve: bool = True,
) -> tuple[Outcome, float]:
    """The stages on one CP-SAT model; returns the outcome and the deterministic time used.

    With `hand_over`, stop at the first stage not proven optimal: on a big model the later
    stages rarely improve on their hint, and the search does better with the time."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    v = m.DecisionVars(model, instance)
    for add_rule in m.HARD_RULES:
        add_rule(model, v)

    # The warm start seeds the first stage and stands if the solver finds nothing.
    chosen: list[int] = list(start) if start is not None else greedy(instance)
    last: cp_model.CpSolver | None = None  # the solver that found `chosen`
    results: list[Stage] = []
    used = 0.0
    overall = "optimal"
    for i, (name, maximise, weights_of, share) in enumerate(plan):
        if not instance.candidates:
            break
        weights = weights_of(instance) if weights_of else None
        expr: cp_model.LinearExprT = (
            cp_model.LinearExpr.weighted_sum(v.x, weights)
            if weights is not None
            else m.peak_internal_utilisation(model, v)
        )
        model.maximize(expr) if maximise else model.minimize(expr)
        v.hint(model, chosen, last)
        limit = (budget - used) * share / sum(s[3] for s in plan[i:])
        solver = _solver(settings, max(MIN_STAGE_TIME, limit))
        solver.parameters.cp_model_presolve = presolve
        t0 = time.perf_counter()
        status = solver.solve(model)
        seconds = time.perf_counter() - t0
        used += solver.response_proto.deterministic_time
        if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
            log.warning("matching model is %s", solver.status_name(status))
            return Outcome("infeasible", (), tuple(results), time.perf_counter() - started), used
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Nothing better found in time: hold this stage at the current solution's
            # value and go on, so later objectives still improve what they can.
            results.append(Stage(name, maximise, "unknown", 0.0, None, seconds))
            overall = "feasible"
            if weights is None or hand_over:
                break
            value = sum(weights[k] for k in chosen)
            model.add(expr >= value) if maximise else model.add(expr <= value)
            continue
        value = round(solver.objective_value)
        optimal = status == cp_model.OPTIMAL
        overall = overall if optimal else "feasible"
        results.append(
            Stage(
                name,
                maximise,
                "optimal" if optimal else "feasible",
                float(value),
                float(round(solver.best_objective_bound)),
                seconds,
            )
        )
        chosen = v.extract(solver)
        last = solver
        if hand_over and not optimal:
            break
        # Keep this stage's value while the next ones improve on the rest.
        model.add(expr >= value) if maximise else model.add(expr <= value)
        if name == "matched_priority" and len(chosen) == len(instance.request_ids):
            # Everyone is matched: say it as exactly-one rows, which CP-SAT presolves far
            # better than the equivalent weighted sum.
            for r in range(len(instance.request_ids)):
                model.add_exactly_one(v.of_request(r))
    return Outcome(overall, tuple(chosen), tuple(results), time.perf_counter() - started), used


def _solver(settings: SolverSettings, limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_deterministic_time = limit
    params.random_seed = settings.seed
    params.num_workers = settings.workers
    if settings.workers > 1:
        # Interleaved search is CP-SAT's deterministic parallel mode.
        params.interleave_search = True
    params.log_search_progress = False
    # These presolve passes spend up to 1 deterministic s each, on every stage, and gain
    # nothing on assignment models (measured on the bench rounds).
    params.find_big_linear_overlap = False
    return solver
