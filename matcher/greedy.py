"""A fast greedy matching: the optimiser's warm start and its fallback when the solver
finds nothing in time. Requests by priority, then waiting time; each takes a coach that
still has room and keeps every hard rule: the best-scoring one, or the one whose hours
and seats stay most in step (so that neither runs out while the other is left over).
A third start first takes the pairs the linear relaxation takes (at least half), where
the round is small enough to solve it. The best, objectives in order, is kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matcher.instance import Instance
from matcher.relaxation import relaxed_assignment


def greedy(
    inst: Instance, *, relax: bool = True, relaxed: Mapping[int, float] | None = None
) -> list[int]:
    """Chosen candidate indices: pins, confirmed matches that fit, then by urgency.

    The third start follows `relaxed` (the relaxation's values of the pairs it takes),
    or, with `relax` and no `relaxed`, solves the relaxation itself on small rounds."""
    starts = [_greedy(inst, balance=False), _greedy(inst, balance=True)]
    if relaxed is None and relax:
        values = relaxed_assignment(inst)
        relaxed = None if values is None else {k: v for k, v in enumerate(values) if v > 0}
    if relaxed is not None:
        starts.append(rounding(inst, relaxed))
    return best(inst, starts)


def rounding(inst: Instance, relaxed: Mapping[int, float]) -> list[int]:
    """The third start alone: the pairs the relaxation takes at least half, largest
    first, where they fit; then the greedy in step."""
    taken = sorted((k for k, v in relaxed.items() if v >= 0.5), key=lambda k: (-relaxed[k], k))
    return _greedy(inst, balance=True, first=taken)


def best(inst: Instance, starts: Sequence[list[int]]) -> list[int]:
    """The best of `starts`, the leading objectives in order (the first on ties)."""
    found = starts[0]
    for chosen in starts[1:]:
        if _value(inst, chosen) > _value(inst, found):
            found = chosen
    return list(found)


def _value(inst: Instance, chosen: Sequence[int]) -> tuple[int, int, int]:
    """The leading objectives: priority-weighted matches, waiting, fit."""
    weight = waiting = fit = 0
    for k in chosen:
        cand = inst.candidates[k]
        weight += inst.priority_weight[cand.request]
        waiting += inst.waiting_days[cand.request]
        fit += cand.score
    return weight, waiting, fit


def _greedy(inst: Instance, *, balance: bool, first: Sequence[int] = ()) -> list[int]:
    count = list(inst.capacity_count)
    minutes = list(inst.capacity_minutes)
    budget = inst.budget
    # Where each candidate sits in its coach's reporting-line forest (a team's request
    # at one node per top participant).
    node_of: dict[int, list[int]] = {}
    for forest in inst.line_forests:
        for n, node in enumerate(forest):
            for k in node.candidates:
                node_of.setdefault(k, []).append(n)
    clash: dict[int, list[int]] = {}
    for a, b in inst.exclusive:
        clash.setdefault(a, []).append(b)
        clash.setdefault(b, []).append(a)
    picked: set[int] = set()
    taken: list[list[bool]] = [[False] * len(f) for f in inst.line_forests]
    below: list[list[int]] = [[0] * len(f) for f in inst.line_forests]

    def ethics_ok(c: int, n: int) -> bool:
        forest = inst.line_forests[c]
        if below[c][n] - taken[c][n] > 0:
            return False  # someone under this coachee is taken
        p = forest[n].parent
        while p >= 0:
            if taken[c][p]:
                return False
            p = forest[p].parent
        return True

    def take(k: int) -> None:
        nonlocal budget
        cand = inst.candidates[k]
        c = cand.coach
        count[c] -= 1
        minutes[c] -= cand.minutes
        if budget is not None:
            budget -= cand.cost
        picked.add(k)
        for n in node_of.get(k, ()) if inst.line_forests else ():
            if not taken[c][n]:
                taken[c][n] = True
                p = n
                while p >= 0:
                    below[c][p] += 1
                    p = inst.line_forests[c][p].parent

    def fits(k: int) -> bool:
        cand = inst.candidates[k]
        c = cand.coach
        return (
            count[c] >= 1
            and minutes[c] >= cand.minutes
            and (budget is None or cand.cost <= budget)
            and (not inst.line_forests or all(ethics_ok(c, n) for n in node_of[k]))
            and not any(other in picked for other in clash.get(k, ()))
        )

    chosen: list[int] = []
    for k in inst.pinned.values():
        take(k)
        chosen.append(k)
    for k in inst.confirmed.values():
        if fits(k):
            take(k)
            chosen.append(k)
    done = {inst.candidates[k].request for k in chosen}
    for k in first:  # the relaxation's pairs, where they still fit
        if inst.candidates[k].request not in done and fits(k):
            take(k)
            chosen.append(k)
            done.add(inst.candidates[k].request)
    order = sorted(
        (r for r in range(len(inst.request_ids)) if r not in done),
        key=lambda r: (-inst.priority_weight[r], -inst.waiting_days[r], inst.request_ids[r]),
    )
    loads = [inst.candidates[ks[0]].minutes for ks in inst.by_request if ks]
    mean_load = sum(loads) / max(1, len(loads))

    def imbalance(k: int) -> float:
        """How far the coach's hours left, after taking k, are from what their seats
        left would use at the mean load."""
        cand = inst.candidates[k]
        return abs(minutes[cand.coach] - cand.minutes - mean_load * (count[cand.coach] - 1))

    for r in order:
        fitting = (k for k in _by_score(inst, inst.by_request[r]) if fits(k))
        # By score, the first that fits; in step, every one that fits is compared (ties
        # go to the better score).
        pick = min(fitting, key=imbalance, default=None) if balance else next(fitting, None)
        if pick is not None:
            take(pick)
            chosen.append(pick)
    return sorted(chosen)


def _by_score(inst: Instance, ks: Sequence[int]) -> list[int]:
    return sorted(
        ks, key=lambda k: (-inst.candidates[k].score, inst.coach_ids[inst.candidates[k].coach])
    )
