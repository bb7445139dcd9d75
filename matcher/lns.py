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
# and per sub candidate, on the reference machine (measured with `RoundIndex`: 30 ms of
# CPU per neighbourhood at 2,000 x 300, 53 ms at 5,000 x 500, solve included).
STEP_COST = 0.01
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
    at = RoundIndex(inst)
    tried = improved = 0
    while budget > 0 and coaches:
        seed_coach = _seed_coach(inst, current, coaches, rng)
        hood = neighbourhood(inst, current, seed_coach, rng, at)
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


class RoundIndex:
    """What neighbourhoods look up about a coach, computed on first use and kept for the
    search: a neighbourhood of a 5,000 x 500 round is then cut out in 14 ms instead of
    34, and coaches never freed cost nothing. A cache, so not frozen."""

    def __init__(self, inst: Instance) -> None:
        self._inst = inst
        self._pairs: dict[int, dict[int, tuple[int, ...]]] = {}
        self._nodes: dict[int, dict[int, tuple[int, ...]]] = {}

    def pairs(self, coach: int) -> Mapping[int, tuple[int, ...]]:
        """The coach's requests, each with its candidates (one, from `prepare`)."""
        found = self._pairs.get(coach)
        if found is None:
            per: dict[int, list[int]] = {}
            for k in self._inst.by_coach[coach]:
                per.setdefault(self._inst.candidates[k].request, []).append(k)
            found = self._pairs[coach] = {r: tuple(ks) for r, ks in per.items()}
        return found

    def nodes(self, coach: int) -> Mapping[int, tuple[int, ...]]:
        """The coach's candidates, each with its nodes in the coach's forest (a team's
        request sits at one node per top participant)."""
        found = self._nodes.get(coach)
        if found is None:
            per: dict[int, list[int]] = {}
            for n, node in enumerate(self._inst.line_forests[coach]):
                for k in node.candidates:
                    per.setdefault(k, []).append(n)
            found = self._nodes[coach] = {k: tuple(ns) for k, ns in per.items()}
        return found


def neighbourhood(
    inst: Instance,
    chosen: Sequence[int],
    seed_coach: int,
    rng: random.Random,
    at: RoundIndex,
) -> Neighbourhood:
    """Free `seed_coach` and the coaches most able to take its requests (and it theirs),
    with every request they hold and a sample of the unmatched requests they could take."""
    holder: dict[int, int] = {}  # request -> coach holding it now
    held: list[set[int]] = [set() for _ in inst.coach_ids]
    for k in chosen:
        cand = inst.candidates[k]
        holder[cand.request] = cand.coach
        held[cand.coach].add(cand.request)
    # A coach's relatedness, kept as the picked coaches grow: the requests it could take
    # that they hold, and those it holds that they could take.
    related = [0] * len(inst.coach_ids)
    pool: set[int] = set()  # requests the picked coaches hold
    reach: set[int] = set()  # requests the picked coaches could take

    def pick(coach: int) -> None:
        for r in held[coach] - pool:
            pool.add(r)
            for c in {inst.candidates[k].coach for k in inst.by_request[r]}:
                related[c] += 1
        for r in at.pairs(coach).keys() - reach:
            reach.add(r)
            if r in holder:
                related[holder[r]] += 1

    picked = [seed_coach]
    pick(seed_coach)
    while len(picked) < MAX_COACHES:
        best: tuple[int, float, int] | None = None
        for c in range(len(inst.coach_ids)):
            if c not in picked and inst.by_coach[c]:
                key = (related[c], rng.random(), c)  # one draw per coach, in order
                if best is None or key > best:
                    best = key
        if best is None:
            break
        picked.append(best[2])
        pick(best[2])
    unmatched = sorted(r for r in reach if r not in holder)
    rng.shuffle(unmatched)
    unmatched.sort(key=lambda r: -inst.priority_weight[r])  # stable: random among equals
    free = sorted(pool | set(unmatched[:MAX_UNMATCHED]))
    return restrict(inst, chosen, sorted(picked), free, at)


def restrict(
    inst: Instance,
    chosen: Sequence[int],
    coaches: list[int],
    requests: list[int],
    at: RoundIndex | None = None,
) -> Neighbourhood:
    """The round on `coaches` and `requests` (sorted), with the pairs between them;
    `at` only makes it faster."""
    c_new = {c: i for i, c in enumerate(coaches)}
    r_new = {r: i for i, r in enumerate(requests)}
    to_round: list[int] = []
    sub_of: dict[int, int] = {}
    cands: list[Candidate] = []
    among: dict[int, list[int] | None] = {}  # per coach: the forest nodes to look at
    for c in coaches:
        if at is None:
            ks: Sequence[int] = inst.by_coach[c]
            among[c] = None  # every node
        else:  # the same pairs, in the same (candidate) order, and their nodes only
            pairs = at.pairs(c)
            ks = sorted(k for r in requests if r in pairs for k in pairs[r])
            if inst.line_forests:
                nodes = at.nodes(c)
                among[c] = sorted({n for k in ks for n in nodes.get(k, ())})
        for k in ks:
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
        line_forests=tuple(
            _restrict_forest(inst.line_forests[c], sub_of, among[c]) for c in coaches
        )
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


def _restrict_forest(
    forest: Sequence[LineNode], sub_of: Mapping[int, int], among: Sequence[int] | None = None
) -> tuple[LineNode, ...]:
    """The forest over the kept candidates; a node's parent becomes its nearest kept
    ancestor (nodes come in enter order, parents first). `among`: the nodes that may
    hold one, in order (default: all)."""
    new_index: dict[int, int] = {}
    out: list[LineNode] = []
    for n in range(len(forest)) if among is None else among:
        node = forest[n]
        kept = tuple(sub_of[k] for k in node.candidates if k in sub_of)
        if not kept:
            continue
        p = node.parent
        while p >= 0 and p not in new_index:
            p = forest[p].parent
        new_index[n] = len(out)
        out.append(LineNode(kept, new_index[p] if p >= 0 else -1))
    return tuple(out)
