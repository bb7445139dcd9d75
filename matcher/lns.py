"""Large-neighbourhood search for big rounds.

On a round with tens of thousands of candidate pairs, one CP-SAT model cannot improve
its later stages in reasonable time: every move must keep the earlier stages' values,
and the whole model is presolved again for each stage. Here a few coaches at a time are
freed (with every request they hold, and the unmatched requests they could take) and
re-optimised with the same lexicographic stages on that small model; the new solution
is kept when the round's objective vector does not get worse. A seeded RNG and
deterministic time limits keep it repeatable.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from matcher.instance import Candidate, Instance, LineNode

MAX_COACHES = 8  # per neighbourhood: 7–8 beat 5 and 10 on the bench rounds at equal time
MAX_UNMATCHED = 40  # unmatched requests offered to a neighbourhood
# Seconds charged per neighbourhood beyond its solve (choosing it, building its model),
# and per sub candidate, on the reference machine.
STEP_COST = 0.03
STEP_COST_PER_PAIR = 1e-5
SLACK_SEEDED = 0.8  # share of neighbourhoods seeded at a coach with hours left
STEP_LIMIT = 0.03  # deterministic seconds per neighbourhood: many small steps beat few long ones


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """A sub-instance over some coaches, and its candidates' indices in the round."""

    instance: Instance
    to_round: tuple[int, ...]  # sub candidate -> round candidate
    start: tuple[int, ...]  # the current solution, as sub candidates


# Solve a sub-instance from a start, within a deterministic time limit; returns the
# chosen sub candidates and the deterministic time used.
SubSolve = Callable[[Instance, Sequence[int], float], tuple[Sequence[int], float]]
Score = Callable[[Sequence[int]], tuple[int, ...]]


def improve(
    inst: Instance,
    chosen: Sequence[int],
    *,
    score: Score,
    solve: SubSolve,
    budget: float,
    seed: int,
    step_limit: float = STEP_LIMIT,
) -> tuple[list[int], int, int]:
    """Improve `chosen` within `budget` deterministic seconds.

    Returns the solution, the number of neighbourhoods tried and of improvements."""
    rng = random.Random(seed)
    current = list(chosen)
    best = score(current)
    coaches = [c for c in range(len(inst.coach_ids)) if inst.by_coach[c]]
    eligible = [{inst.candidates[k].request for k in ks} for ks in inst.by_coach]
    tried = improved = 0
    while budget > 0 and coaches:
        hood = neighbourhood(inst, current, _seed_coach(inst, current, coaches, rng), rng, eligible)
        sub_chosen, used = solve(hood.instance, hood.start, min(step_limit, budget))
        budget -= used + STEP_COST + STEP_COST_PER_PAIR * len(hood.to_round)
        tried += 1
        freed = set(hood.to_round)
        candidate = [k for k in current if k not in freed]
        candidate += [hood.to_round[k] for k in sub_chosen]
        value = score(candidate)
        if value >= best:
            improved += value > best
            best, current = value, sorted(candidate)
    return current, tried, improved


def _seed_coach(
    inst: Instance, chosen: Sequence[int], coaches: Sequence[int], rng: random.Random
) -> int:
    """Often a coach with hours left, weighted by them: room is what a better solution
    needs, gathered from coaches who share requests; otherwise any coach."""
    if rng.random() < SLACK_SEEDED:
        left = list(inst.capacity_minutes)
        for k in chosen:
            left[inst.candidates[k].coach] -= inst.candidates[k].minutes
        weights = [max(0, left[c]) for c in coaches]
        if sum(weights) > 0:
            return rng.choices(coaches, weights)[0]
    return rng.choice(coaches)


def neighbourhood(
    inst: Instance,
    chosen: Sequence[int],
    seed_coach: int,
    rng: random.Random,
    eligible: Sequence[set[int]],
) -> Neighbourhood:
    """Free `seed_coach` and the coaches most able to take its requests (and it theirs),
    with every request they hold and a sample of the unmatched requests they could take."""
    holder: dict[int, int] = {}  # request -> coach holding it now
    held: list[set[int]] = [set() for _ in inst.coach_ids]
    for k in chosen:
        cand = inst.candidates[k]
        holder[cand.request] = cand.coach
        held[cand.coach].add(cand.request)
    picked = [seed_coach]
    pool = set(held[seed_coach])  # requests the picked coaches hold
    reach = set(eligible[seed_coach])  # requests the picked coaches could take
    while len(picked) < MAX_COACHES:
        related = [
            (len(eligible[c] & pool) + len(held[c] & reach), rng.random(), c)
            for c in range(len(inst.coach_ids))
            if c not in picked and inst.by_coach[c]
        ]
        if not related:
            break
        _, _, coach = max(related)
        picked.append(coach)
        pool |= held[coach]
        reach |= eligible[coach]
    unmatched = sorted(r for r in reach if r not in holder)
    rng.shuffle(unmatched)
    unmatched.sort(key=lambda r: -inst.priority_weight[r])  # stable: random among equals
    free = sorted(pool | set(unmatched[:MAX_UNMATCHED]))
    return restrict(inst, chosen, sorted(picked), free)


def restrict(
    inst: Instance, chosen: Sequence[int], coaches: list[int], requests: list[int]
) -> Neighbourhood:
    c_new = {c: i for i, c in enumerate(coaches)}
    r_new = {r: i for i, r in enumerate(requests)}
    to_round: list[int] = []
    sub_of: dict[int, int] = {}
    cands: list[Candidate] = []
    for c in coaches:
        for k in inst.by_coach[c]:
            cand = inst.candidates[k]
            if cand.request in r_new:
                sub_of[k] = len(cands)
                to_round.append(k)
                cands.append(
                    Candidate(r_new[cand.request], c_new[c], cand.minutes, cand.score, cand.cost)
                )
    outside_spend = sum(
        inst.candidates[k].cost for k in chosen if inst.candidates[k].request not in r_new
    )
    budget = None if inst.budget is None else inst.budget - outside_spend

    def remap(pairs: dict[int, int]) -> dict[int, int]:
        return {r_new[r]: sub_of[k] for r, k in pairs.items() if k in sub_of}

    sub = Instance(
        request_ids=tuple(inst.request_ids[r] for r in requests),
        coach_ids=tuple(inst.coach_ids[c] for c in coaches),
        candidates=tuple(cands),
        capacity_minutes=tuple(inst.capacity_minutes[c] for c in coaches),
        capacity_count=tuple(inst.capacity_count[c] for c in coaches),
        total_minutes=tuple(inst.total_minutes[c] for c in coaches),
        active_minutes=tuple(inst.active_minutes[c] for c in coaches),
        internal=tuple(inst.internal[c] for c in coaches),
        priority_weight=tuple(inst.priority_weight[r] for r in requests),
        waiting_days=tuple(inst.waiting_days[r] for r in requests),
        priority=tuple(inst.priority[r] for r in requests) if inst.priority else (),
        budget=budget,
        proposals=inst.proposals,
        pinned=remap(dict(inst.pinned)),
        confirmed=remap(dict(inst.confirmed)),
        previous=remap(dict(inst.previous)),
        line_forests=tuple(_restrict_forest(inst.line_forests[c], sub_of) for c in coaches)
        if inst.line_forests
        else (),
        exclusive=tuple(
            (sub_of[a], sub_of[b]) for a, b in inst.exclusive if a in sub_of and b in sub_of
        ),
    )
    start = tuple(sub_of[k] for k in chosen if k in sub_of)
    return Neighbourhood(sub, tuple(to_round), start)


def restrict_pairs(inst: Instance, chosen: Sequence[int], keep: Sequence[int]) -> Neighbourhood:
    """The round on the pairs of `keep` only (every request and coach): a solution of
    it is one of the round. `chosen`, the pins and the confirmed pairs must be in `keep`."""
    kept = sorted(set(keep))
    sub_of = {k: i for i, k in enumerate(kept)}

    def remap(pairs: Mapping[int, int]) -> dict[int, int]:
        return {r: sub_of[k] for r, k in pairs.items() if k in sub_of}

    sub = replace(
        inst,
        candidates=tuple(inst.candidates[k] for k in kept),
        pinned=remap(inst.pinned),
        confirmed=remap(inst.confirmed),
        previous=remap(inst.previous),
        line_forests=tuple(_restrict_forest(f, sub_of) for f in inst.line_forests),
        exclusive=tuple(
            (sub_of[a], sub_of[b]) for a, b in inst.exclusive if a in sub_of and b in sub_of
        ),
        by_request=(),
        by_coach=(),
    )
    return Neighbourhood(sub, tuple(kept), tuple(sub_of[k] for k in chosen))


def _restrict_forest(forest: Sequence[LineNode], sub_of: dict[int, int]) -> tuple[LineNode, ...]:
    """The forest over the kept candidates; a node's parent becomes its nearest kept
    ancestor (nodes come in enter order, parents first)."""
    new_index: list[int] = [-1] * len(forest)
    out: list[LineNode] = []
    for n, node in enumerate(forest):
        kept = tuple(sub_of[k] for k in node.candidates if k in sub_of)
        if not kept:
            continue
        p = node.parent
        while p >= 0 and new_index[p] < 0:
            p = forest[p].parent
        new_index[n] = len(out)
        out.append(LineNode(kept, new_index[p] if p >= 0 else -1))
    return tuple(out)
