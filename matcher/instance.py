"""Prepare a Problem for the optimiser: eligible candidate pairs with their load, score
and cost, remaining capacities, and the reporting-line forest each coach must respect.

The optimiser sees only this prepared instance, so benchmarks (e.g. OR-Library GAP) can
build one directly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from matcher.eligibility import HARD_ETHICS, Context, exclusion
from matcher.orgchart import OrgChart
from matcher.problem import Problem, Request
from matcher.scoring import TravelTable, external_cost, fit_score, load_minutes, travel_minutes

MAX_WAIT_DAYS = 365


@dataclass(frozen=True, slots=True)
class Candidate:
    """An eligible (request, coach) pair."""

    request: int
    coach: int
    minutes: int
    score: int
    cost: int
    breakdown: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LineNode:
    """A coachee in one coach's reporting-line forest: the candidates that would coach
    them, and the nearest coachee above them in the org chart (-1 for none)."""

    candidates: tuple[int, ...]
    parent: int


@dataclass(frozen=True, slots=True)
class Instance:
    """Everything the optimiser needs, as indices into `request_ids` and `coach_ids`."""

    request_ids: tuple[str, ...]
    coach_ids: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    capacity_minutes: tuple[int, ...]  # left after active engagements
    capacity_count: tuple[int, ...]
    total_minutes: tuple[int, ...]  # before active engagements (for utilisation)
    internal: tuple[bool, ...]
    priority_weight: tuple[int, ...]
    waiting_days: tuple[int, ...]
    priority: tuple[int, ...] = ()
    active_minutes: tuple[int, ...] = ()  # held by active engagements
    budget: int | None = None
    proposals: int = 3  # coaches proposed per request: the match and its alternatives
    pinned: Mapping[int, int] = field(default_factory=dict)  # request -> candidate, hard
    confirmed: Mapping[int, int] = field(default_factory=dict)  # kept first, where they fit
    previous: Mapping[int, int] = field(default_factory=dict)  # request -> candidate
    line_forests: tuple[tuple[LineNode, ...], ...] = ()  # per coach
    # Pairs of candidates (one coach, two requests sharing a person) the forests cannot
    # tell apart but the ethics rule forbids together; none without participants.
    exclusive: tuple[tuple[int, int], ...] = ()
    by_request: tuple[tuple[int, ...], ...] = ()
    by_coach: tuple[tuple[int, ...], ...] = ()

    def __post_init__(self) -> None:
        if not self.active_minutes:
            object.__setattr__(self, "active_minutes", (0,) * len(self.coach_ids))
        if not self.by_request:
            per_r: list[list[int]] = [[] for _ in self.request_ids]
            per_c: list[list[int]] = [[] for _ in self.coach_ids]
            for k, cand in enumerate(self.candidates):
                per_r[cand.request].append(k)
                per_c[cand.coach].append(k)
            object.__setattr__(self, "by_request", tuple(map(tuple, per_r)))
            object.__setattr__(self, "by_coach", tuple(map(tuple, per_c)))


@dataclass(frozen=True, slots=True)
class Prepared:
    """The instance plus what explanations need: why pairs were excluded."""

    instance: Instance
    exclusions: tuple[Mapping[str, int], ...]  # per request: rule code -> coaches
    dropped: tuple[tuple[str, str, str], ...]  # (request, coach, reason) pins/confirmations lost
    context: Context


def prepare(problem: Problem, org: OrgChart | None = None) -> Prepared:
    """Run eligibility, scoring and load on every pair; build the optimiser's instance."""
    org = org or OrgChart.build((x.id, x.manager) for x in problem.people)
    ctx = Context.build(problem, org)
    policy = problem.policy
    travel = TravelTable.build(problem.travel_minutes)
    bonus = {(a.request, a.coach): a.bonus for a in problem.adjustments if not a.forbid}
    coach_index = {c.id: i for i, c in enumerate(problem.coaches)}

    used_minutes: Counter[str] = Counter()
    used_count: Counter[str] = Counter()
    for a in problem.active:
        used_minutes[a.coach] += round(a.hours * 60)
        used_count[a.coach] += 1
    total = [round(c.hours * 60) for c in problem.coaches]
    cap_minutes = [
        max(0, t - used_minutes[c.id]) for t, c in zip(total, problem.coaches, strict=True)
    ]
    cap_count = [max(0, c.max_coachees - used_count[c.id]) for c in problem.coaches]

    pins = dict(problem.pinned)
    keep = {x.request: x.coach for x in problem.previous if x.confirmed} | pins
    soft_previous = {x.request: x.coach for x in problem.previous if not x.confirmed}

    candidates: list[Candidate] = []
    exclusions: list[Counter[str]] = []
    dropped: list[tuple[str, str, str]] = []
    pinned: dict[int, int] = {}
    confirmed: dict[int, int] = {}
    previous: dict[int, int] = {}
    for r_idx, request in enumerate(problem.requests):
        counts: Counter[str] = Counter()
        site = ctx.request_site(request)
        kept = keep.get(request.id)
        for c_idx, coach in enumerate(problem.coaches):
            reason = exclusion(ctx, request, coach)
            is_kept = kept == coach.id
            # A pin or confirmed match outlives soft rules (HR decided), never ethics.
            if reason is not None and not (is_kept and reason not in HARD_ETHICS):
                counts[reason] += 1
                if is_kept:
                    dropped.append((request.id, coach.id, reason))
                continue
            trip = travel_minutes(request, coach, site, travel)
            minutes = load_minutes(request, trip)
            if not is_kept and (cap_count[c_idx] < 1 or minutes > cap_minutes[c_idx]):
                counts["capacity"] += 1
                continue
            parts = fit_score(
                request,
                coach,
                policy=policy,
                travel_per_session=trip,
                had_before=(coach.id, request.coachee) in problem.history,
                hr_bonus=bonus.get((request.id, coach.id), 0),
            )
            k = len(candidates)
            candidates.append(
                Candidate(
                    r_idx, c_idx, minutes, sum(parts.values()), external_cost(request, coach), parts
                )
            )
            if is_kept and pins.get(request.id) == coach.id:
                pinned[r_idx] = k
            elif is_kept:
                confirmed[r_idx] = k
            elif soft_previous.get(request.id) == coach.id:
                previous[r_idx] = k
        exclusions.append(counts)
    for request_id, coach_id in keep.items():
        if coach_id not in coach_index:
            dropped.append((request_id, coach_id, "coach_unknown"))

    start = problem.today or problem.horizon.start
    weights = policy.priority_weights
    instance = Instance(
        request_ids=tuple(r.id for r in problem.requests),
        coach_ids=tuple(c.id for c in problem.coaches),
        candidates=tuple(candidates),
        capacity_minutes=tuple(cap_minutes),
        capacity_count=tuple(cap_count),
        total_minutes=tuple(total),
        active_minutes=tuple(used_minutes[c.id] for c in problem.coaches),
        internal=tuple(c.internal for c in problem.coaches),
        priority_weight=tuple(weights[r.priority - 1] for r in problem.requests),
        waiting_days=tuple(
            min(MAX_WAIT_DAYS, max(0, (start - r.submitted).days)) for r in problem.requests
        ),
        priority=tuple(r.priority for r in problem.requests),
        budget=policy.external_budget,
        proposals=policy.proposals,
        pinned=pinned,
        confirmed=confirmed,
        previous=previous,
        line_forests=line_forests(
            org, [ethics_people(org, r) for r in problem.requests], candidates, len(problem.coaches)
        ),
        exclusive=exclusive_pairs(org, problem.requests, candidates),
    )
    return Prepared(instance, tuple(exclusions), tuple(dropped), ctx)


def ethics_people(org: OrgChart, request: Request) -> tuple[str, ...]:
    """Who stands for the request in the ethics rule's forests: the coachee alone, or the
    participants under nobody else of the request (see `OrgChart.tops`)."""
    return (request.coachee,) if not request.participants else org.tops(request.people)


def exclusive_pairs(
    org: OrgChart, requests: Sequence[Request], candidates: Sequence[Candidate]
) -> tuple[tuple[int, int], ...]:
    """Candidate pairs of one coach whose requests share a person yet break the ethics
    rule (one has that person's report among its participants, say): the forests hold
    one node per person, so they let two requests of one person through."""
    groups = [r.people for r in requests]
    with_others = [i for i, r in enumerate(requests) if r.participants]
    if not with_others:
        return ()
    of_person: defaultdict[str, list[int]] = defaultdict(list)
    for i, people in enumerate(groups):
        for who in people:
            of_person[who].append(i)
    clashing: set[tuple[int, int]] = set()
    for a in with_others:
        for who in groups[a]:
            for b in of_person[who]:
                if b != a and org.lines_cross(groups[a], groups[b]):
                    clashing.add((min(a, b), max(a, b)))
    if not clashing:
        return ()
    at: defaultdict[int, defaultdict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for k, cand in enumerate(candidates):
        at[cand.request][cand.coach].append(k)
    out: list[tuple[int, int]] = []
    for a, b in sorted(clashing):
        for c, kas in sorted(at[a].items()):
            out.extend((ka, kb) for ka in kas for kb in at[b].get(c, ()))
    return tuple(out)


def line_forests(
    org: OrgChart,
    people: Sequence[Sequence[str]],
    candidates: Sequence[Candidate],
    n_coaches: int,
) -> tuple[tuple[LineNode, ...], ...]:
    """Per coach, the forest of its candidate coachees under the 'is above' order.

    `people` gives each request's persons in the rule (`ethics_people`): the coachee, or
    a team's tops, none of whom is above another, so a candidate sits at one node per
    person and never twice on one path. Each node's parent is the nearest candidate
    person above it in the org chart, found with one stack walk over enter times:
    O(k log k) for k candidates, so the ethics rule stays linear in size instead of one
    constraint per pair of coachees.
    """
    per_coach: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in range(n_coaches)]
    for k, cand in enumerate(candidates):
        for who in people[cand.request]:
            per_coach[cand.coach][who].append(k)
    forests: list[tuple[LineNode, ...]] = []
    for groups in per_coach:
        order = sorted(groups, key=lambda pid: org.enter[org.index[pid]])
        nodes: list[LineNode] = []
        stack: list[int] = []  # node indices whose subtree is still open
        for pid in order:
            i = org.index[pid]
            while stack and org.exit[org.index[order[stack[-1]]]] < org.enter[i]:
                stack.pop()
            nodes.append(LineNode(tuple(groups[pid]), stack[-1] if stack else -1))
            stack.append(len(nodes) - 1)
        forests.append(tuple(nodes))
    return tuple(forests)
