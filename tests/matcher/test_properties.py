"""Property tests on random small synthetic programmes: every result passes the checker,
and, re-derived here independently of `matcher`, every matched pair is eligible, no
capacity or budget is exceeded, no coach has two people of one reporting line, and the
explanations and alternatives are consistent."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_builders import solve_checked

from matcher.check import check_solution
from matcher.greedy import greedy
from matcher.instance import prepare
from matcher.proposals import OFFERS_PER_SEAT
from matcher.result import Assignment, MatchResult
from matcher.schema import parse_problem
from matcher.synthetic import programme

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _chain(managers, pid):
    out = []
    node = managers[pid]
    while node:
        out.append(node)
        node = managers[node]
    return out


def random_round(seed: int, people: int, internal: int, external: int, requests: int) -> dict:
    """A synthetic programme with random extras: active engagements, conflicts, history,
    HR adjustments, unconfirmed previous matches and policy variations."""
    doc = programme(
        people=people,
        internal=internal,
        external=external,
        requests=requests,
        seed=seed,
        time_limit_s=5,
    )
    rng = random.Random(seed)
    ids = [p["id"] for p in doc["people"]]
    coach_ids = [c["id"] for c in doc["coaches"]]
    request_ids = [r["id"] for r in doc["requests"]]
    coachees = [r["coachee"] for r in doc["requests"]]
    if coach_ids and request_ids:
        # Active engagements as they could really be: never two of one coach's
        # coachees in one reporting line (that would break the rule before the round).
        managers = {p["id"]: p["manager"] for p in doc["people"]}

        def line(a, b):
            return a in _chain(managers, b) or b in _chain(managers, a)

        doc["active"] = []
        for _ in range(rng.randint(0, 3)):
            cid, pid = rng.choice(coach_ids), rng.choice(ids)
            if not any(e["coach"] == cid and line(e["coachee"], pid) for e in doc["active"]):
                doc["active"].append({"coach": cid, "coachee": pid, "hours": rng.randint(1, 12)})
        doc["conflicts"] = [
            {"coach": rng.choice(coach_ids), "person": rng.choice(coachees + ids)}
            for _ in range(rng.randint(0, 3))
        ]
        doc["history"] = [
            {"coach": rng.choice(coach_ids), "coachee": rng.choice(coachees)}
            for _ in range(rng.randint(0, 3))
        ]
        doc["adjustments"] = [
            {
                "request": rng.choice(request_ids),
                "coach": rng.choice(coach_ids),
                **({"forbid": True} if rng.random() < 0.3 else {"bonus": rng.randint(-30, 30)}),
            }
            for _ in range(rng.randint(0, 3))
        ]
        doc["previous"] = [
            {"request": r, "coach": rng.choice(coach_ids)}
            for r in rng.sample(request_ids, rng.randint(0, len(request_ids)))
        ]
    # Keep the first adjustment per pair: two rows for one pair are legal but unusual.
    seen, rows = set(), []
    for a in doc.get("adjustments", []):
        if (a["request"], a["coach"]) not in seen:
            seen.add((a["request"], a["coach"]))
            rows.append(a)
    doc["adjustments"] = rows
    doc["policy"].update(
        exclude_peers=rng.random() < 0.8,
        exclude_same_unit=rng.random() < 0.3,
        external_budget=rng.choice((None, 0, 1500, 4000, 25_000)),
        proposals=rng.randint(1, 4),
        history=rng.choice(("avoid", "prefer", "exclude", "ignore")),
    )
    return doc


rounds = st.builds(
    random_round,
    seed=st.integers(min_value=0, max_value=10**6),
    people=st.integers(min_value=12, max_value=60),
    internal=st.integers(min_value=0, max_value=6),
    external=st.integers(min_value=0, max_value=3),
    requests=st.integers(min_value=0, max_value=12),
)


class Reference:
    """The hard rules, re-derived from the document by the obvious slow walks."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc
        self.people = {p["id"]: p for p in doc["people"]}
        self.coaches = {c["id"]: c for c in doc["coaches"]}
        self.requests = {r["id"]: r for r in doc["requests"]}
        self.policy = doc["policy"]
        self.travel = {}
        for row in doc.get("travel_minutes", []):
            self.travel[(row["from"], row["to"])] = row["minutes"]
            self.travel[(row["to"], row["from"])] = row["minutes"]
        self.active = doc.get("active", [])
        self.forbidden = {
            (a["request"], a["coach"]) for a in doc.get("adjustments", []) if a.get("forbid")
        }
        self.conflicts = {(c["coach"], c["person"]) for c in doc.get("conflicts", [])}
        self.history = {(h["coach"], h["coachee"]) for h in doc.get("history", [])}

    def managers(self, pid):
        out = []
        node = self.people[pid].get("manager")
        while node:
            out.append(node)
            node = self.people[node].get("manager")
        return out

    def in_line(self, a, b):
        return a == b or a in self.managers(b) or b in self.managers(a)

    def eligible(self, rid, cid):
        r, c = self.requests[rid], self.coaches[cid]
        person = c.get("person")
        coachee = r["coachee"]
        if person is not None:
            parties = [coachee] + ([r["sponsor"]] if r.get("sponsor") else [])
            if any(self.in_line(person, x) for x in parties):
                return False
            mgr = self.people[person].get("manager")
            if (
                self.policy.get("exclude_peers", True)
                and mgr
                and mgr == self.people[coachee].get("manager")
            ):
                return False
            unit = self.people[coachee].get("unit")
            if (
                self.policy.get("exclude_same_unit")
                and unit
                and self.people[person].get("unit") == unit
            ):
                return False
        sponsor = r.get("sponsor")
        if (cid, coachee) in self.conflicts or (sponsor and (cid, sponsor) in self.conflicts):
            return False
        for e in self.active:
            if (
                e["coach"] == cid
                and e["coachee"] != coachee
                and self.in_line(e["coachee"], coachee)
            ):
                return False
        if (rid, cid) in self.forbidden:
            return False
        start = dt.date.fromisoformat(r.get("start") or self.doc["horizon"]["start"])
        if c.get("valid_from") and start < dt.date.fromisoformat(c["valid_from"]):
            return False
        if c.get("valid_until") and start > dt.date.fromisoformat(c["valid_until"]):
            return False
        if r.get("type", "coaching") not in c["types"]:
            return False
        if r["language"] not in c["languages"]:
            return False
        modality = r.get("modality", "remote")
        if modality not in c["modalities"]:
            return False
        if modality == "onsite" and self.site(r) not in c.get("sites", []):
            return False
        required = (r.get("preferences") or {}).get("require_kind")
        if required and c["kind"] != required:
            return False
        return not (self.policy.get("history") == "exclude" and (cid, coachee) in self.history)

    def site(self, r):
        return r.get("site") or self.people[r["coachee"]].get("site")

    def home(self, c):
        if c.get("home_site"):
            return c["home_site"]
        if c.get("person") and self.people[c["person"]].get("site"):
            return self.people[c["person"]]["site"]
        return None  # an external coach without a home site travels nowhere

    def minutes(self, rid, cid):
        r, c = self.requests[rid], self.coaches[cid]
        trip = 0
        if r.get("modality") == "onsite":
            a, b = self.home(c), self.site(r)
            if a and b and a != b:
                trip = 2 * self.travel.get((a, b), 0)
        return r["sessions"] * (r["session_minutes"] + trip)

    def cost(self, rid, cid):
        c = self.coaches[cid]
        return (
            0
            if c["kind"] == "internal"
            else self.requests[rid]["sessions"] * c.get("cost_per_session", 0)
        )


@PROPERTY_SETTINGS
@given(rounds)
def test_random_rounds_respect_every_hard_rule(doc):
    result = solve_checked(doc)  # the solver-free checker passes
    assert result.status == "optimal"
    assert_hard_rules(doc, result)


@PROPERTY_SETTINGS
@given(rounds)
def test_the_greedy_fallback_respects_every_hard_rule(doc):
    # The optimiser's warm start, and its answer when the solver finds nothing in time.
    problem = parse_problem(doc)
    inst = prepare(problem).instance
    assignments = []
    for k in greedy(inst):
        cand = inst.candidates[k]
        assignments.append(
            Assignment(
                request=inst.request_ids[cand.request],
                coach=inst.coach_ids[cand.coach],
                score=cand.score,
                breakdown=dict(cand.breakdown),
                alternatives=(),
                hours=round(cand.minutes / 60, 2),
                cost=cand.cost,
            )
        )
    matched = {a.request for a in assignments}
    result = MatchResult(
        status="feasible",
        objective=0.0,
        bound=0.0,
        gap=0.0,
        solve_seconds=0.0,
        assignments=tuple(assignments),
        unmatched=(),
        external_cost=sum(a.cost for a in assignments),
    )
    check_solution(problem, result)
    assert_hard_rules(doc, result, [r for r in inst.request_ids if r not in matched])


def assert_hard_rules(doc, result, unmatched_ids=None):
    ref = Reference(doc)

    # Every request exactly once, matched or unmatched.
    matched = [a.request for a in result.assignments]
    assert len(matched) == len(set(matched))
    if unmatched_ids is None:
        unmatched_ids = [u.request for u in result.unmatched]
    assert sorted(matched + list(unmatched_ids)) == sorted(ref.requests)

    count, minutes, people = Counter(), Counter(), defaultdict(list)
    for e in doc.get("active", []):
        count[e["coach"]] += 1
        minutes[e["coach"]] += round(60 * e["hours"])
        people[e["coach"]].append(e["coachee"])
    spend = 0
    for a in result.assignments:
        assert ref.eligible(a.request, a.coach), (a.request, a.coach)
        assert a.score == sum(a.breakdown.values())
        assert math.isclose(a.hours, ref.minutes(a.request, a.coach) / 60, abs_tol=0.01)
        assert a.cost == ref.cost(a.request, a.coach)
        count[a.coach] += 1
        minutes[a.coach] += ref.minutes(a.request, a.coach)
        people[a.coach].append(ref.requests[a.request]["coachee"])
        spend += a.cost
    assert spend == result.external_cost
    budget = doc["policy"].get("external_budget")
    assert budget is None or spend <= budget

    new = Counter(a.coach for a in result.assignments)
    for cid in new:
        c = ref.coaches[cid]
        assert count[cid] <= c["max_coachees"], cid
        assert minutes[cid] <= round(60 * c["hours"]), cid
        group = people[cid]
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                assert x == y or not ref.in_line(x, y), (cid, x, y)


@PROPERTY_SETTINGS
@given(rounds)
def test_random_rounds_explanations_and_alternatives_are_consistent(doc):
    result = solve_checked(doc)
    ref = Reference(doc)
    n_coaches = len(ref.coaches)
    k = doc["policy"]["proposals"]

    for u in result.unmatched:
        # Every coach is accounted for once: by the rule excluding it or what blocked it.
        if n_coaches:
            assert sum(u.reasons.values()) == n_coaches, u
        # At the optimum, an eligible coach with room would have been used.
        assert "not_selected" not in u.reasons
        assert u.summary
        for code, n in u.reasons.items():
            assert n > 0 and code

    seats_left = {
        cid: c["max_coachees"]
        - sum(e["coach"] == cid for e in doc.get("active", []))
        - sum(a.coach == cid for a in result.assignments)
        for cid, c in ref.coaches.items()
    }
    offers = Counter()
    for a in result.assignments:
        coaches = [x.coach for x in a.alternatives]
        assert len(coaches) <= k - 1
        assert len(set(coaches)) == len(coaches)
        assert a.coach not in coaches
        for x in a.alternatives:
            assert ref.eligible(a.request, x.coach)
            assert x.score == sum(x.breakdown.values())
            offers[x.coach] += 1
    for cid, n in offers.items():
        # Each offer fits beside the matches; a seat is offered OFFERS_PER_SEAT times at most.
        assert seats_left[cid] >= 1 and n <= OFFERS_PER_SEAT * seats_left[cid], cid
