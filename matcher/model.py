"""The CP-SAT model of a matching round, one builder per business rule.

Hard rules add constraints; soft rules return the linear expression the optimiser
ranks solutions by. `optimiser.py` orders the soft rules lexicographically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ortools.sat.python import cp_model

from matcher.instance import Instance, LineNode

PERMILLE = 1000
Derive = Callable[[set[int]], list[int]]  # chosen candidates -> the variables' values


class DecisionVars:
    """One Boolean per candidate pair: is this request given to this coach?"""

    def __init__(self, model: cp_model.CpModel, instance: Instance) -> None:
        self.instance = instance
        self.x = [
            model.new_bool_var(
                f"assign[{instance.request_ids[c.request]},{instance.coach_ids[c.coach]}]"
            )
            for c in instance.candidates
        ]
        # Auxiliary variables whose values follow from the chosen pairs: each group with
        # the rule that computes them, so that any solution gives a complete hint.
        self.derived: list[tuple[list[cp_model.IntVar], Derive]] = []

    def derive(self, variables: list[cp_model.IntVar], rule: Derive) -> None:
        """Declare `variables` as determined by the chosen pairs, through `rule`."""
        self.derived.append((variables, rule))

    def assigned(self, candidate: int) -> cp_model.IntVar:
        return self.x[candidate]

    def of_request(self, request: int) -> list[cp_model.IntVar]:
        return [self.x[k] for k in self.instance.by_request[request]]

    def of_coach(self, coach: int) -> list[cp_model.IntVar]:
        return [self.x[k] for k in self.instance.by_coach[coach]]

    def extract(self, solver: cp_model.CpSolver) -> list[int]:
        """The chosen candidate indices."""
        return [k for k, var in enumerate(self.x) if solver.boolean_value(var)]

    def hint(
        self,
        model: cp_model.CpModel,
        chosen: Sequence[int],
        solver: cp_model.CpSolver | None = None,
    ) -> None:
        """Hint the chosen pairs and the variables derived from them; with the solver that
        found them, every other variable it knows (a complete hint is taken at once, a
        partial one must first be completed)."""
        model.clear_hints()  # type: ignore[no-untyped-call]
        on = set(chosen)
        for k, var in enumerate(self.x):
            model.add_hint(var, k in on)
        hinted = set()
        for variables, rule in self.derived:
            for var, value in zip(variables, rule(on), strict=True):
                model.add_hint(var, value)
                hinted.add(var.index)
        if solver is None:
            return
        known = len(solver.response_proto.solution)
        for i in range(len(self.x), known):
            if i not in hinted:
                var = model.get_int_var_from_proto_index(i)
                model.add_hint(var, solver.value(var))


# --- Hard rules -------------------------------------------------------------------


def add_one_coach_per_request(model: cp_model.CpModel, v: DecisionVars) -> None:
    """Hard: a request gets at most one coach."""
    for r in range(len(v.instance.request_ids)):
        pairs = v.of_request(r)
        if len(pairs) > 1:
            model.add_at_most_one(pairs)


def add_pins(model: cp_model.CpModel, v: DecisionVars) -> None:
    """Hard: HR's pinned assignments are kept."""
    for candidate in v.instance.pinned.values():
        model.add(v.assigned(candidate) == 1)


def add_coachee_capacity(model: cp_model.CpModel, v: DecisionVars) -> None:
    """Hard: a coach takes no more new coachees than their maximum minus those active."""
    inst = v.instance
    for c, cap in enumerate(inst.capacity_count):
        pairs = v.of_coach(c)
        if len(pairs) > cap:
            model.add(sum(pairs) <= cap)


def add_hours_capacity(model: cp_model.CpModel, v: DecisionVars) -> None:
    """Hard: the minutes a coach's new requests take fit in the hours they have left."""
    inst = v.instance
    for c, cap in enumerate(inst.capacity_minutes):
        ks = inst.by_coach[c]
        if sum(inst.candidates[k].minutes for k in ks) > cap:
            model.add(sum(inst.candidates[k].minutes * v.x[k] for k in ks) <= cap)


def add_external_budget(model: cp_model.CpModel, v: DecisionVars) -> None:
    """Hard: the round's external coaching costs stay within the budget."""
    inst = v.instance
    if inst.budget is None:
        return
    costly = [(c.cost, v.x[k]) for k, c in enumerate(inst.candidates) if c.cost]
    if sum(cost for cost, _ in costly) > inst.budget:
        model.add(sum(cost * x for cost, x in costly) <= inst.budget)


def add_reporting_line_ethics(model: cp_model.CpModel, v: DecisionVars) -> None:
    """Hard: a coach never coaches, at the same time, two people one of whom is in the
    other's reporting line.

    Works on each coach's forest of candidate coachees (parent = nearest candidate
    coachee above in the org chart). Where coachees of one line are few, one clause per
    pair is smallest and propagates best; where lines are deep and dense, the pairs grow
    with the square of the line, so the rule is said along the chain instead, with one
    'someone below is taken' variable per coachee: linear in the round's size.
    """
    for c, forest in enumerate(v.instance.line_forests):
        if _ancestor_pairs(forest) <= _chain_size(forest):
            _line_by_pairs(model, v, forest)
        else:
            _line_by_chain(model, v, c, forest)
    for a, b in v.instance.exclusive:  # two requests of one person the forests let through
        model.add_bool_or([v.x[a].Not(), v.x[b].Not()])


def _chain_size(forest: Sequence[LineNode]) -> int:
    """How many constraints `_line_by_chain` adds for this forest."""
    has_child = [False] * len(forest)
    for node in forest:
        if node.parent >= 0:
            has_child[node.parent] = True
    size = 0
    for n, node in enumerate(forest):
        if node.parent < 0:
            continue
        size += len(forest[node.parent].candidates)  # parent taken => nobody below
        if has_child[n] or len(node.candidates) > 1:
            size += len(node.candidates)  # taken => below
        if forest[node.parent].parent >= 0:
            size += 1  # below => parent's below
    return size


def _ancestor_pairs(forest: Sequence[LineNode]) -> int:
    """How many (candidate, candidate above it) clauses the pairwise form would need."""
    above = [0] * len(forest)
    total = 0
    for n, node in enumerate(forest):  # parents come before their children
        if node.parent >= 0:
            above[n] = above[node.parent] + len(forest[node.parent].candidates)
        total += above[n] * len(node.candidates)
    return total


def _line_by_pairs(model: cp_model.CpModel, v: DecisionVars, forest: Sequence[LineNode]) -> None:
    for node in forest:
        p = node.parent
        while p >= 0:
            for a in node.candidates:
                for b in forest[p].candidates:
                    model.add_bool_or([v.x[a].Not(), v.x[b].Not()])
            p = forest[p].parent


def _line_by_chain(
    model: cp_model.CpModel, v: DecisionVars, c: int, forest: Sequence[LineNode]
) -> None:
    children: list[list[int]] = [[] for _ in forest]
    for n, node in enumerate(forest):
        if node.parent >= 0:
            children[node.parent].append(n)
    # below[n]: the coach takes n or someone under n. Roots need none: nobody is above.
    below: list[cp_model.IntVar | None] = [None] * len(forest)
    made: list[int] = []  # nodes with a variable of their own
    made_vars: list[cp_model.IntVar] = []
    for n in range(len(forest) - 1, -1, -1):  # children before parents
        node = forest[n]
        if node.parent < 0:
            continue
        xs = [v.x[k] for k in node.candidates]
        if not children[n] and len(xs) == 1:
            below[n] = xs[0]
            continue
        b = model.new_bool_var(f"below[{v.instance.coach_ids[c]},{n}]")
        for x in xs:
            model.add_implication(x, b)
        for ch in children[n]:
            child_b = below[ch]
            assert child_b is not None
            model.add_implication(child_b, b)
        below[n] = b
        made.append(n)
        made_vars.append(b)

    def taken_below(on: set[int]) -> list[int]:
        under = [False] * len(forest)
        for n in range(len(forest) - 1, -1, -1):
            under[n] = under[n] or any(k in on for k in forest[n].candidates)
            if under[n] and forest[n].parent >= 0:
                under[forest[n].parent] = True
        return [int(under[n]) for n in made]

    if made:
        v.derive(made_vars, taken_below)
    for n, node in enumerate(forest):
        if node.parent >= 0:
            child_b = below[n]
            assert child_b is not None
            for k in forest[node.parent].candidates:
                model.add_bool_or([v.x[k].Not(), child_b.Not()])


HARD_RULES = (
    add_one_coach_per_request,
    add_pins,
    add_coachee_capacity,
    add_hours_capacity,
    add_external_budget,
    add_reporting_line_ethics,
)


# --- Soft rules (objective terms) ---------------------------------------------------
# Each linear soft rule gives one weight per candidate pair: its objective is the sum of
# the chosen pairs' weights, so a solution's value can also be computed without CP-SAT.


def kept_confirmed(inst: Instance) -> list[int]:
    """Soft, before all: on a re-solve, every confirmed match that still fits is kept.

    An objective rather than a constraint, so that confirmed matches that no longer fit
    together (a coach's hours cut, say) leave the fewest out instead of no answer."""
    return _indicator(inst, inst.confirmed.values())


def matched_by_priority(inst: Instance) -> list[int]:
    """Soft, first: the priority-weighted number of requests matched."""
    return [inst.priority_weight[c.request] for c in inst.candidates]


def matched_by_waiting(inst: Instance) -> list[int]:
    """Soft, second: among equally weighted matchings, the longest-waiting requests.

    A separate stage rather than one scaled sum: big mixed coefficients made CP-SAT's
    optimality proofs far slower (8 s instead of 0.6 s on the demo round)."""
    return [inst.waiting_days[c.request] for c in inst.candidates]


def kept_previous(inst: Instance) -> list[int]:
    """Soft, third: on a re-solve, as many earlier (unconfirmed) matches kept as possible."""
    return _indicator(inst, inst.previous.values())


def total_fit(inst: Instance) -> list[int]:
    """Soft, fourth: the total fit score."""
    return [c.score for c in inst.candidates]


def external_spend(inst: Instance) -> list[int]:
    """Soft, fifth (minimised): the external cost."""
    return [c.cost for c in inst.candidates]


def _indicator(inst: Instance, ks: Iterable[int]) -> list[int]:
    on = set(ks)
    return [1 if k in on else 0 for k in range(len(inst.candidates))]


def _utilisation_rows(inst: Instance) -> list[tuple[int, int, int]]:
    """(coach, total minutes, active minutes) of the internal coaches the round can load."""
    return [
        (c, total, inst.active_minutes[c])
        for c, total in enumerate(inst.total_minutes)
        if inst.internal[c] and total > 0 and inst.by_coach[c]
    ]


def peak_utilisation(inst: Instance, chosen: Iterable[int]) -> int:
    """The peak_internal_utilisation objective's value for a solution, without CP-SAT."""
    load = [0] * len(inst.coach_ids)
    for k in chosen:
        load[inst.candidates[k].coach] += inst.candidates[k].minutes
    return max(
        [0]
        + [
            -(-PERMILLE * (active + load[c]) // total)
            for c, total, active in _utilisation_rows(inst)
        ]
    )


def peak_internal_utilisation(model: cp_model.CpModel, v: DecisionVars) -> cp_model.IntVar:
    """Soft, last (minimised): the busiest internal coach's utilisation, in per mille,
    so that work spreads evenly over internal coaches."""
    inst = v.instance
    rows = _utilisation_rows(inst)
    # Active engagements alone may already exceed a coach's hours.
    top = max([PERMILLE] + [-(-PERMILLE * active // total) for _, total, active in rows])
    peak = model.new_int_var(0, top, "peak_internal_utilisation")
    for c, total, active in rows:
        load = sum(inst.candidates[k].minutes * v.x[k] for k in inst.by_coach[c])
        model.add(PERMILLE * (active + load) <= peak * total)
    v.derive([peak], lambda on: [min(top, peak_utilisation(inst, on))])
    return peak
