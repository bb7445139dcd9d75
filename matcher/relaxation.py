"""The linear relaxation of the deciding objective: the round's honest bound, and the
guide of its warm start.

Relaxed: one coach per request, seats, hours, the external budget and pins, with each
pair taken fractionally; maximised: the priority-weighted matches. The ethics rule (a
coach never coaches two people one in the other's line) enters as chain cuts: along
each path of a coach's reporting-line forest, at most one coachee (added only where
the relaxation breaks one, so they tighten it at no cost elsewhere). Its optimum
bounds every matching from above.

Big rounds have hundreds of thousands of pairs, on which the simplex takes tens of
seconds, while an optimum uses a few thousand. So it is solved by column generation:
GLOP on the pairs the warm starts use and each request's lightest ones, then the
pairs whose reduced cost (from the duals, priced for all pairs at once with numpy) is
positive are added, from the last basis, until none is: then the restricted optimum is
the relaxation's. Every round of it also gives a proven bound (the duals' Lagrangian
value), so a relaxation cut short by the work limit still bounds the round.

The restricted master's duals are poor prices at first (their Lagrangian bound is some
45 % above the relaxation on a real-shaped 5,000 x 500 round), where a sample's are
near (0.2 %): pricing uses a mix of the two (Wentges' smoothing, towards the best
prices found so far), and a relaxation cut short hands on the best prices' reduced
costs.
Deterministic: the same instance gives the same pairs, in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.math_opt.python import mathopt

from matcher.instance import Instance

MAX_PAIRS = 50_000  # `relaxed_assignment` (the greedy's own third start) skips bigger rounds
FULL_PAIRS = 30_000  # up to this many pairs, every pair is in the first solve
LIGHTEST = 3  # per request, its lightest pairs (load against the coach's hours) to start
SAMPLE_SHARE = 0.2  # of the requests, for the sample whose prices pick the first pairs
SAMPLE_MAX_PAIRS = 100_000  # a sample solved whole: beyond, a smaller share
SAMPLE_PER_REQUEST = 8  # per request, the pairs of best reduced cost at the sample's prices
PER_REQUEST = 4  # per request and round, the pairs of best reduced cost added
PER_ROUND = 10_000  # pairs added per round at most
EPSILON = 1e-7
DESCENT_STEPS = 300  # subgradient steps on a cut-short relaxation's bound, at most
DESCENT_SHARE = 0.2  # of the relaxation's work, for them at most
NEAR_DONE = 1e-3  # a solve gaining less than this share: the relaxation is nearly solved
NEAR_DONE_SHARE = 1.5  # of its work limit, for a nearly solved relaxation to finish
SMOOTHING = 0.5  # weight of the best prices found in those pricing a round (Wentges)
STALE_STEPS = 10  # steps without a better bound before the step is halved
# Work, in CPU seconds on the reference machine (bench/README.md): per pair priced, per
# pair in a solve (GLOP and reading its basis back), and per solve.
WORK_PER_PRICED = 2e-7
WORK_PER_COLUMN = 2.5e-5
WORK_PER_SOLVE = 0.02
WORK_PER_DESCENT = 2e-8  # per pair and subgradient step
WHOLE_WORK_PER_PAIR = 2.5e-5  # per pair of a small round's whole model
# A sample's whole model costs more per pair as it grows (measured: 0.7 s for 40,000
# pairs, 2.9 s for 93,000).
SAMPLE_WORK_PER_PAIR = 7.4e-6
SAMPLE_PAIRS_DOUBLING = 29_000


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The relaxation's solution: `value` is the restricted optimum; `bound` is proven
    (equal to `value` when `exact`, the relaxation's optimum)."""

    value: float
    bound: float
    x: Mapping[int, float]  # candidate -> value, the non-zero ones
    exact: bool
    cuts: int  # ethics chain cuts added
    work: float  # estimated seconds spent (see WORK_*)
    # Every pair's reduced cost at the last solve (0 for pairs in the basis, negative for
    # those that would lower the objective), or when cut short at the best prices found
    # (less the request's best); empty when not computed.
    reduced: np.ndarray = field(default_factory=lambda: np.zeros(0))


class _Master:
    """The restricted relaxation: its rows, the pairs in it, and the last basis."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        n = len(inst.candidates)
        cands = inst.candidates
        self.req = np.fromiter((c.request for c in cands), np.int64, n)
        self.coach = np.fromiter((c.coach for c in cands), np.int64, n)
        self.minutes = np.fromiter((c.minutes for c in cands), np.float64, n)
        self.cost = np.fromiter((c.cost for c in cands), np.float64, n)
        self.weight = np.asarray(inst.priority_weight, np.float64)[self.req]
        self.seats = np.asarray(inst.capacity_count, np.float64)
        self.hours = np.asarray(inst.capacity_minutes, np.float64)
        self.model = mathopt.Model()
        self.model.objective.is_maximize = True
        add = self.model.add_linear_constraint
        self.request_rows = [add(ub=1.0) for _ in inst.request_ids]
        self.seat_rows = [add(ub=float(s)) for s in inst.capacity_count]
        self.hour_rows = [add(ub=float(h)) for h in inst.capacity_minutes]
        self.budget_row = None if inst.budget is None else add(ub=float(inst.budget))
        self.cut_rows: list[mathopt.LinearConstraint] = []
        self.cut_members: list[tuple[np.ndarray, np.ndarray]] = []  # candidates, coefficients
        self.cuts_of: dict[int, list[tuple[int, float]]] = {}  # candidate -> (cut, coef)
        self.var: dict[int, mathopt.Variable] = {}
        self.included = np.zeros(n, bool)  # the pairs in `var`, for numpy
        self.basis: mathopt.Basis | None = None
        self.pinned = set(inst.pinned.values())

    def add(self, ks: Sequence[int]) -> None:
        for k in ks:
            if k in self.var:
                continue
            v = self.model.add_variable(lb=1.0 if k in self.pinned else 0.0, ub=1.0)
            self.var[k] = v
            self.included[k] = True
            c = int(self.coach[k])
            self.request_rows[int(self.req[k])].set_coefficient(v, 1.0)
            self.seat_rows[c].set_coefficient(v, 1.0)
            self.hour_rows[c].set_coefficient(v, float(self.minutes[k]))
            if self.budget_row is not None and self.cost[k]:
                self.budget_row.set_coefficient(v, float(self.cost[k]))
            for cut, coef in self.cuts_of.get(k, ()):
                self.cut_rows[cut].set_coefficient(v, coef)
            self.model.objective.set_linear_coefficient(v, float(self.weight[k]))
            if self.basis is not None:
                self.basis.variable_status[v] = mathopt.BasisStatus.AT_LOWER_BOUND

    def add_cut(self, members: Mapping[int, float]) -> None:
        """At most one coachee along a reporting-line path of one coach."""
        row = self.model.add_linear_constraint(ub=1.0)
        index = len(self.cut_rows)
        self.cut_rows.append(row)
        ks = np.fromiter(members, np.int64, len(members))
        self.cut_members.append((ks, np.fromiter(members.values(), np.float64, len(members))))
        for k, coef in members.items():
            self.cuts_of.setdefault(k, []).append((index, coef))
            if k in self.var:
                row.set_coefficient(self.var[k], coef)
        if self.basis is not None:
            self.basis.constraint_status[row] = mathopt.BasisStatus.BASIC

    def solve(self) -> mathopt.SolveResult | None:
        params = mathopt.SolveParameters(presolve=mathopt.Emphasis.OFF)
        model_params = mathopt.ModelSolveParameters(initial_basis=self.basis)
        result = mathopt.solve(
            self.model, mathopt.SolverType.GLOP, params=params, model_params=model_params
        )
        if result.termination.reason is not mathopt.TerminationReason.OPTIMAL:
            return None
        self.basis = mathopt.Basis(
            variable_status=dict(result.variable_status()),
            constraint_status=dict(result.constraint_status()),
        )
        return result

    def reduced_costs(
        self, result: mathopt.SolveResult
    ) -> tuple[np.ndarray, float, _Prices, np.ndarray]:
        """Every pair's reduced cost (positive: it would improve the restricted optimum),
        the Lagrangian bound the coaches' and cuts' duals prove, those duals, and their
        surplus (`surplus`)."""
        dual = result.dual_values()
        prices = _Prices(
            np.array([dual[r] for r in self.seat_rows]),
            np.array([dual[r] for r in self.hour_rows]),
            0.0 if self.budget_row is None else dual[self.budget_row],
            np.array([dual[r] for r in self.cut_rows]),
        )
        rc, bound, best = self._priced(prices)
        request = np.array([dual[r] for r in self.request_rows])
        return rc - request[self.req], bound, prices, rc - best[self.req]

    def lagrangian(self, p: _Prices) -> tuple[np.ndarray, float]:
        """Every pair's weight less its coach's, the budget's and the cuts' prices, and
        the bound those (non-negative) prices prove: the capacities at their prices plus,
        per request, its best pair's surplus (a request takes at most one pair)."""
        rc, bound, _ = self._priced(p)
        return rc, bound

    def _priced(self, p: _Prices) -> tuple[np.ndarray, float, np.ndarray]:
        """`lagrangian`, with each request's best surplus (0 when it has none)."""
        rc = self.weight - p.seat[self.coach] - p.hour[self.coach] * self.minutes
        rc -= p.spend * self.cost
        # Prices learnt before a cut was added have none for it: zero, a valid price.
        for (ks, coefs), pi in zip(self.cut_members, p.cut, strict=False):
            if pi:
                np.subtract.at(rc, ks, pi * coefs)
        best = np.zeros(len(self.request_rows))
        np.maximum.at(best, self.req, rc)
        bound = float(
            (p.seat * self.seats).sum()
            + (p.hour * self.hours).sum()
            + p.spend * (self.inst.budget or 0)
            + p.cut.sum()
            + best.sum()
        )
        return rc, bound, best

    def surplus(self, p: _Prices) -> tuple[np.ndarray, float]:
        """Every pair's reduced cost at prices `p` less its request's best (so at most
        0, 0 for each request's best pairs where they have a surplus), and the bound the
        prices prove."""
        rc, bound, best = self._priced(p)
        return rc - best[self.req], bound

    def descend(self, start: _Prices, target: float, steps: int) -> float:
        """The best Lagrangian bound found by projected subgradient steps on the coaches'
        and the budget's prices from `start` (a cut-short relaxation's duals), Polyak's
        step towards `target` (a value the bound cannot go below): a cut-short column
        generation's duals bound the round some 1 % above the relaxation, a few hundred
        steps of a millisecond each bring most of it back."""
        p = start
        best = self.lagrangian(p)[1]
        theta = 1.0
        stale = 0
        scale = max(1.0, float(self.minutes.mean()))  # hours in units of a mean request
        n_req = len(self.request_rows)
        for _ in range(steps):
            rc, value = self.lagrangian(p)
            if value < best - EPSILON:
                best, stale = value, 0
            else:
                stale += 1
                if stale >= STALE_STEPS:
                    theta, stale = theta / 2, 0
            # Each request's best pair, where it has a surplus: the subgradient's load.
            top = np.full(n_req, -np.inf)
            np.maximum.at(top, self.req, rc)
            taking = (rc >= top[self.req]) & (rc > 0)
            _, first = np.unique(self.req[taking], return_index=True)
            ks = np.nonzero(taking)[0][first]
            seats_used = np.bincount(self.coach[ks], minlength=len(self.seats))
            minutes_used = np.bincount(self.coach[ks], self.minutes[ks], len(self.seats))
            g_seat = self.seats - seats_used
            g_hour = (self.hours - minutes_used) / scale
            g_spend = 0.0
            if self.inst.budget is not None:
                g_spend = (self.inst.budget - float(self.cost[ks].sum())) / scale
            # Projected: a price at zero with room left stays at zero.
            g_seat[(p.seat <= 0) & (g_seat > 0)] = 0
            g_hour[(p.hour <= 0) & (g_hour > 0)] = 0
            if p.spend <= 0 and g_spend > 0:
                g_spend = 0.0
            norm = float((g_seat**2).sum() + (g_hour**2).sum() + g_spend**2)
            if norm <= 0 or value - target <= EPSILON:
                break
            step = theta * (value - target) / norm
            p = _Prices(
                np.maximum(0.0, p.seat - step * g_seat),
                np.maximum(0.0, p.hour - step * g_hour / scale),
                max(0.0, p.spend - step * g_spend / scale),
                p.cut,
            )
        return best


@dataclass(frozen=True, slots=True)
class _Prices:
    """Duals of the coaches' seats and hours, the budget and the cuts (non-negative)."""

    seat: np.ndarray
    hour: np.ndarray
    spend: float
    cut: np.ndarray


def relax(
    inst: Instance,
    *,
    start: Sequence[int] = (),
    ethics: bool = True,
    max_work: float = math.inf,
) -> Relaxation | None:
    """Solve the relaxation (see the module docstring), starting from the pairs of
    `start`; None when it has no solution (pins beyond a coach's capacity)."""
    if not inst.candidates:
        return Relaxation(0.0, 0.0, {}, True, 0, 0.0)
    n = len(inst.candidates)
    if n <= FULL_PAIRS:
        return _whole(inst, ethics)
    master = _Master(inst)
    master.add(sorted(set(start) | set(inst.pinned.values())))
    share = master.minutes / np.maximum(1.0, master.hours)[master.coach]
    for ks in inst.by_request:
        master.add(sorted(ks, key=lambda k: (share[k], k))[:LIGHTEST])
    # The best prices found so far (the sample's first): their surplus, their bound.
    center, work = _sample_prices(master)
    bound = center_bound = math.inf
    center_gain = np.zeros(0)
    if center is not None:
        center_gain, center_bound = master.surplus(center)
        master.add(
            _best_per_request(np.arange(n), center_gain, master.req, SAMPLE_PER_REQUEST).tolist()
        )
        if not inst.pinned:  # pins' lower bounds are not in the Lagrangian's formula
            bound = center_bound
    cuts = 0
    # A cut-short relaxation ends with the descent: its work is kept aside.
    steps = DESCENT_STEPS
    if math.isfinite(max_work):
        steps = min(steps, int(DESCENT_SHARE * max_work / (WORK_PER_DESCENT * n)))
    descent = 0.0 if inst.pinned else steps * WORK_PER_DESCENT * n
    last = -math.inf  # the restricted optimum of the solve before
    while True:
        result = master.solve()
        work += _solve_work(master, len(master.var))
        if result is None:
            return None
        values = result.variable_values()
        x = {k: values[v] for k, v in master.var.items() if values[v] > EPSILON}
        value = float(result.objective_value())
        new_cuts = _violated_chains(inst, x) if ethics else []
        for members in new_cuts:
            master.add_cut(members)
        cuts += len(new_cuts)
        if new_cuts:
            continue
        gain, lagrangian, prices, surplus = master.reduced_costs(result)
        if center is None or lagrangian < center_bound:
            center, center_gain, center_bound = prices, surplus, lagrangian
        if not inst.pinned:
            bound = min(bound, lagrangian)
        entering = _outside(master, gain)
        if not len(entering):
            return Relaxation(value, value, x, True, cuts, work, gain)
        adding = _entering(entering, gain, master.req)
        if center is not prices:
            # Priced at the mix where it has pairs to add; else at the duals alone.
            mixed = SMOOTHING * center_gain + (1 - SMOOTHING) * gain
            smoothed = _outside(master, mixed)
            if len(smoothed):
                adding = _entering(smoothed, mixed, master.req)
        ahead = work + _solve_work(master, len(master.var) + len(adding)) + descent
        # Nearly there (the last solve moved the optimum by under NEAR_DONE): finishing
        # makes the bound the relaxation's, worth up to half the share again.
        near = value - last < NEAR_DONE * max(1.0, abs(value))
        if ahead > max_work and not (near and ahead <= NEAR_DONE_SHARE * max_work):
            # The next solve would overrun: stop here (one solve of a big round's
            # master takes seconds).
            if not inst.pinned:
                bound = min(bound, master.descend(center, value, steps))
                work += descent
            return Relaxation(value, max(value, bound), x, False, cuts, work, center_gain)
        master.add(adding)
        last = value


def _solve_work(master: _Master, columns: int) -> float:
    """The estimated work of one solve of the restricted master with `columns` pairs and
    of pricing every pair after it. A pivot costs more as rows grow: measured, 0.9× the
    per-column rate at 2,600 rows and 1.25× at 6,000 (bench/README.md)."""
    rows = len(master.request_rows) + 2 * len(master.seat_rows) + 1
    per_column = WORK_PER_COLUMN * (0.6 + rows / 10_000)
    return WORK_PER_SOLVE + per_column * columns + WORK_PER_PRICED * len(master.req)


def _whole(inst: Instance, ethics: bool) -> Relaxation | None:
    """Every pair at once (small rounds: one GLOP model, built through the faster
    linear-solver wrapper), then the chain cuts it breaks, until it breaks none."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    n = len(inst.candidates)
    pinned = set(inst.pinned.values())
    x = [solver.NumVar(1.0 if k in pinned else 0.0, 1.0, "") for k in range(n)]
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
    objective = solver.Objective()
    for k, cand in enumerate(inst.candidates):
        objective.SetCoefficient(x[k], float(inst.priority_weight[cand.request]))
    objective.SetMaximization()
    cuts = solves = 0
    while True:
        solves += 1
        if solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None  # e.g. pins beyond a coach's capacity: the solver will say why
        values = {k: v.solution_value() for k, v in enumerate(x) if v.solution_value() > EPSILON}
        new_cuts = _violated_chains(inst, values) if ethics else []
        for members in new_cuts:
            row = solver.RowConstraint(0.0, 1.0, "")
            for k, coef in members.items():
                row.SetCoefficient(x[k], coef)
        cuts += len(new_cuts)
        if not new_cuts:
            value: float = objective.Value()
            # A re-solve after cuts starts from the last basis: a tenth of the first.
            work = (1 + 0.1 * (solves - 1)) * (WORK_PER_SOLVE + WHOLE_WORK_PER_PAIR * n)
            reduced = np.fromiter((v.reduced_cost() for v in x), np.float64, n)
            return Relaxation(value, value, values, True, cuts, work, reduced)


def _sample_prices(master: _Master) -> tuple[_Prices | None, float]:
    """The coaches' and the budget's prices in a sample: every fifth request (by
    index, so it is deterministic; fewer where that would exceed SAMPLE_MAX_PAIRS pairs)
    against the same share of each coach's seats, hours and of the budget, solved
    whole. The sample's coach prices are close to the round's, so the pairs they favour
    are mostly those the round's optimum uses: column generation starting from them
    ends in fewer rounds (2,000 x 300: 8 rounds and 6 s instead of 17 and 10 s).
    Returns None when there are no prices to learn (no pair in the sample), with the
    work spent."""
    step = max(round(1 / SAMPLE_SHARE), math.ceil(len(master.req) / SAMPLE_MAX_PAIRS))
    ks = np.nonzero(master.req % step == 0)[0]
    if not len(ks):
        return None, 0.0
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None, 0.0
    inf = solver.infinity()
    share = 1 / step
    requests = {int(r): solver.RowConstraint(-inf, 1.0, "") for r in np.unique(master.req[ks])}
    seats = [solver.RowConstraint(-inf, float(s) * share, "") for s in master.seats]
    hours = [solver.RowConstraint(-inf, float(h) * share, "") for h in master.hours]
    budget = master.inst.budget
    spend = None if budget is None else solver.RowConstraint(-inf, budget * share, "")
    objective = solver.Objective()
    objective.SetMaximization()
    for k in ks.tolist():
        x = solver.NumVar(0.0, 1.0, "")
        c = int(master.coach[k])
        requests[int(master.req[k])].SetCoefficient(x, 1.0)
        seats[c].SetCoefficient(x, 1.0)
        hours[c].SetCoefficient(x, float(master.minutes[k]))
        if spend is not None and master.cost[k]:
            spend.SetCoefficient(x, float(master.cost[k]))
        objective.SetCoefficient(x, float(master.weight[k]))
    work = WORK_PER_SOLVE + SAMPLE_WORK_PER_PAIR * len(ks) * (1 + len(ks) / SAMPLE_PAIRS_DOUBLING)
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None, work
    seat = np.array([row.dual_value() for row in seats])
    hour = np.array([row.dual_value() for row in hours])
    price = 0.0 if spend is None else spend.dual_value()
    return _Prices(seat, hour, price, np.zeros(0)), work + WORK_PER_PRICED * len(master.req)


def _outside(master: _Master, gain: np.ndarray) -> np.ndarray:
    """The pairs of positive `gain` not in the master yet."""
    return np.nonzero((gain > EPSILON) & ~master.included)[0]


def _best_per_request(
    entering: np.ndarray, gain: np.ndarray, req: np.ndarray, per: int | None = None
) -> np.ndarray:
    """Of `entering`, the pairs of best `gain`, `per` (PER_REQUEST) per request (ties:
    lower index)."""
    per = PER_REQUEST if per is None else per
    order = entering[np.lexsort((entering, -gain[entering], req[entering]))]
    first = np.r_[True, req[order][1:] != req[order][:-1]]
    index = np.arange(len(order))
    rank = index - np.maximum.accumulate(np.where(first, index, 0))
    return order[rank < per]


def _entering(entering: np.ndarray, gain: np.ndarray, req: np.ndarray) -> list[int]:
    """The pairs to add in one round of pricing: PER_REQUEST per request, PER_ROUND at
    most, best reduced cost first."""
    picked = _best_per_request(entering, gain, req)
    picked = picked[np.lexsort((picked, -gain[picked]))][:PER_ROUND]
    return sorted(int(k) for k in picked)


def core(inst: Instance, relaxed: Relaxation, keep: Sequence[int], per_request: int) -> list[int]:
    """The round's core: per request, the `per_request` pairs of best reduced cost, with
    every pair the relaxation uses, those of `keep` (a solution), the pins, confirmed
    and previous matches. The relaxation's optimum lies in it, and near-optimal
    matchings mostly do: a pair priced far below zero would cost the bound to take."""
    n = len(inst.candidates)
    picked: set[int] = {*relaxed.x, *keep, *inst.pinned.values()}
    picked |= {*inst.confirmed.values(), *inst.previous.values()}
    if len(relaxed.reduced) != n:  # no prices: every pair
        return list(range(n))
    req = np.fromiter((c.request for c in inst.candidates), np.int64, n)
    picked.update(
        int(k) for k in _best_per_request(np.arange(n), relaxed.reduced, req, per_request)
    )
    return sorted(picked)


def _violated_chains(inst: Instance, x: Mapping[int, float]) -> list[dict[int, float]]:
    """Chain cuts the solution breaks: per coach, a path of its reporting-line forest
    holding more than one coachee. A coachee with several requests (several pairs at one
    node) counts each at 1/their number, so taking all of one person's requests counts
    one. Only the deepest breaking nodes give a cut (their path holds the others')."""
    if not inst.line_forests:
        return []
    positive: dict[int, list[int]] = {}
    for k in x:
        positive.setdefault(inst.candidates[k].coach, []).append(k)
    out: list[dict[int, float]] = []
    for c, ks in sorted(positive.items()):
        forest = inst.line_forests[c]
        if len(ks) < 2 or not forest:
            continue
        load = [0.0] * len(forest)
        at: dict[int, int] = {}
        for n, node in enumerate(forest):
            for k in node.candidates:
                at[k] = n
        for k in ks:
            load[at[k]] += x[k] / len(forest[at[k]].candidates)
        path = [0.0] * len(forest)
        breaking: list[int] = []
        for n, node in enumerate(forest):  # parents come first
            path[n] = load[n] + (path[node.parent] if node.parent >= 0 else 0.0)
            if path[n] > 1.0 + 1e-6 and load[n] > 0:
                breaking.append(n)
        inner = set()  # breaking nodes with a breaking node below: their path is in its
        for n in breaking:
            p = forest[n].parent
            while p >= 0:
                inner.add(p)
                p = forest[p].parent
        for n in breaking:
            if n in inner:
                continue
            members: dict[int, float] = {}
            p = n
            while p >= 0:
                for k in forest[p].candidates:
                    members[k] = 1.0 / len(forest[p].candidates)
                p = forest[p].parent
            out.append(members)
    return out


def relaxed_assignment(inst: Instance) -> list[float] | None:
    """Each candidate's value in an optimal solution of the relaxation, or None when the
    round is too big (over MAX_PAIRS) or has no solution."""
    if not inst.candidates or len(inst.candidates) > MAX_PAIRS:
        return None
    solved = solve_relaxation(inst)
    return solved[1] if solved is not None else None


def solve_relaxation(inst: Instance, *, ethics: bool = False) -> tuple[float, list[float]] | None:
    """The relaxation's optimum and each candidate's value in it (any size); None when
    it has no solution. Without `ethics`, the plain weighted relaxation."""
    found = relax(inst, ethics=ethics)
    if found is None:
        return None
    values = [0.0] * len(inst.candidates)
    for k, v in found.x.items():
        values[k] = v
    return found.value, values
