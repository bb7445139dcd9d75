"""Team coaching and mediation: neutrality and the ethics rule hold for every participant.

Random org charts (hypothesis), with requests whose participants overlap, sit in one
another's lines and share people with other requests. Every rule is re-derived here by
walking manager chains, and the optimum is compared with a brute-force search, so the
matcher neither lets a forbidden coach through nor forbids an allowed one."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_builders import HORIZON, SUBMITTED, external, internal

from matcher.check import check_solution
from matcher.eligibility import HARD_ETHICS, Context, exclusion
from matcher.explain import summary
from matcher.instance import prepare
from matcher.orgchart import OrgChart
from matcher.schema import parse_problem
from matcher.solve import match

KINDS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _above(managers: dict[str, str | None], pid: str) -> set[str]:
    out = set()
    node = managers[pid]
    while node is not None:
        out.add(node)
        node = managers[node]
    return out


def _line(managers: dict[str, str | None], a: str, b: str) -> bool:
    return a == b or a in _above(managers, b) or b in _above(managers, a)


@st.composite
def programmes(draw: st.DrawFn, max_requests: int = 5) -> dict[str, Any]:
    n = draw(st.integers(6, 18))
    ids = [f"p{i}" for i in range(n)]
    managers: list[str | None] = [None]
    for i in range(1, n):
        boss = draw(st.integers(-1, i - 1))
        managers.append(None if boss < 0 else ids[boss])
    people = [{"id": pid, "manager": m} for pid, m in zip(ids, managers, strict=True)]
    coach_people = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))
    types = ["coaching", "team_coaching", "mediation"]
    coaches = [
        internal(f"c{i}", pid, types=types, max_coachees=10, hours=1000)
        for i, pid in enumerate(coach_people)
    ]
    if draw(st.booleans()):
        coaches.append(external("x", types=types, max_coachees=10, hours=1000))
    requests = []
    for r in range(draw(st.integers(1, max_requests))):
        kind = draw(st.sampled_from(types))
        group = draw(
            st.lists(
                st.sampled_from(ids),
                min_size={"coaching": 1, "mediation": 2, "team_coaching": 2}[kind],
                max_size={"coaching": 1, "mediation": 2, "team_coaching": 5}[kind],
                unique=True,
            )
        )
        rest = [pid for pid in ids if pid not in group]
        sponsor = draw(st.none() | st.sampled_from(rest)) if rest else None
        requests.append(_request(f"r{r}", kind, group[0], *group[1:], sponsor=sponsor))
    coach_ids = [c["id"] for c in coaches]
    conflicts = draw(
        st.lists(
            st.fixed_dictionaries(
                {"coach": st.sampled_from(coach_ids), "person": st.sampled_from(ids)}
            ),
            max_size=3,
        )
    )
    active = []
    if draw(st.booleans()):
        group = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        active.append(
            {
                "coach": draw(st.sampled_from(coach_ids)),
                "coachee": group[0],
                "participants": group[1:],
                "hours": 2,
            }
        )
    return {
        "horizon": HORIZON,
        "people": people,
        "coaches": coaches,
        "requests": requests,
        "conflicts": conflicts,
        "active": active,
        # Peers and units are policies, not ethics: off, so the ethics codes come first.
        "policy": {"exclude_peers": False, "time_limit_s": 5, "proposals": 2},
    }


def _unethical(doc: dict[str, Any], request: dict[str, Any], coach: dict[str, Any]) -> bool:
    """The ethics rules re-derived from the document by walking manager chains."""
    managers = {p["id"]: p["manager"] for p in doc["people"]}
    group = [request["coachee"], *request["participants"]]
    parties = group + ([request["sponsor"]] if request["sponsor"] else [])
    if coach.get("person") and any(_line(managers, coach["person"], x) for x in parties):
        return True
    declared = {(c["coach"], c["person"]) for c in doc["conflicts"]}
    if any((coach["id"], x) in declared for x in parties):
        return True
    for a in doc["active"]:
        if a["coach"] == coach["id"]:
            held = [a["coachee"], *a["participants"]]
            if any(x != y and _line(managers, x, y) for x in held for y in group):
                return True
    return False


def _crossing(doc: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> bool:
    managers = {p["id"]: p["manager"] for p in doc["people"]}
    xs = [a["coachee"], *a["participants"]]
    ys = [b["coachee"], *b["participants"]]
    return any(x != y and _line(managers, x, y) for x in xs for y in ys)


def _best_count(doc: dict[str, Any]) -> int:
    """Brute force: the most requests one can match under the ethics rule alone (the
    coaches are roomy and offer every type and language)."""
    options = [
        [None] + [c["id"] for c in doc["coaches"] if not _unethical(doc, r, c)]
        for r in doc["requests"]
    ]
    best = 0
    for pick in itertools.product(*options):
        per_coach: dict[str, list[dict[str, Any]]] = {}
        for r, c in zip(doc["requests"], pick, strict=True):
            if c is not None:
                per_coach.setdefault(c, []).append(r)
        if all(
            not _crossing(doc, a, b)
            for held in per_coach.values()
            for a, b in itertools.combinations(held, 2)
        ):
            best = max(best, sum(c is not None for c in pick))
    return best


@KINDS
@given(programmes())
def test_every_participant_is_protected_and_every_allowed_coach_is_eligible(doc):
    problem = parse_problem(doc)
    ctx = Context.build(problem, OrgChart.build((p.id, p.manager) for p in problem.people))
    for r_doc, request in zip(doc["requests"], problem.requests, strict=True):
        for c_doc, coach in zip(doc["coaches"], problem.coaches, strict=True):
            code = exclusion(ctx, request, coach)
            assert (code in HARD_ETHICS) == _unethical(doc, r_doc, c_doc), (request, coach, code)
    result = match(problem)
    check_solution(problem, result)
    by_id = {r["id"]: r for r in doc["requests"]}
    coaches = {c["id"]: c for c in doc["coaches"]}
    held: dict[str, list[dict[str, Any]]] = {}
    for a in result.assignments:
        assert not _unethical(doc, by_id[a.request], coaches[a.coach])
        held.setdefault(a.coach, []).append(by_id[a.request])
        for alt in a.alternatives:  # an alternative is a coach the request may take
            assert not _unethical(doc, by_id[a.request], coaches[alt.coach])
    for mine in held.values():
        for x, y in itertools.combinations(mine, 2):
            assert not _crossing(doc, x, y), (x["id"], y["id"])
    # Nothing allowed is forbidden: the matcher reaches the brute-force optimum.
    assert result.status == "optimal"
    assert len(result.assignments) == _best_count(doc)


def _org() -> list[dict[str, Any]]:
    # boss -> m1 -> (a, b), boss -> m2 -> (c, d); coach persons k1 under a, k2 under c.
    links = {"boss": None, "m1": "boss", "m2": "boss", "a": "m1", "b": "m1", "c": "m2"}
    links |= {"d": "m2", "k1": "a", "k2": "c", "k3": None}
    return [{"id": pid, "manager": m} for pid, m in links.items()]


def _request(rid: str, kind: str, coachee: str, *others: str, sponsor: str | None = None):
    return {
        "id": rid,
        "coachee": coachee,
        "participants": list(others),
        "sponsor": sponsor,
        "type": kind,
        "language": "fr",
        "sessions": 4,
        "session_minutes": 60,
        "submitted": SUBMITTED,
    }


def _doc(requests, coaches=None, **extra):
    types = ["coaching", "team_coaching", "mediation"]
    return {
        "horizon": HORIZON,
        "people": _org(),
        "coaches": coaches
        or [internal(cid, pid, types=types) for cid, pid in (("K1", "k1"), ("K2", "k2"))],
        "requests": requests,
        "policy": {"exclude_peers": False, "time_limit_s": 5},
        **extra,
    }


def test_a_coach_in_one_mediation_partys_line_is_excluded_and_the_reason_says_participant():
    # K1 is under a; the mediation between c and a: K1 is in the second party's line.
    doc = _doc([_request("r1", "mediation", "c", "a")])
    assert not match(parse_problem(doc)).assignments
    prepared = prepare(parse_problem(doc))
    assert prepared.exclusions[0]["participant_neutrality"] == 1  # K1, for the party a
    assert prepared.exclusions[0]["neutrality"] == 1  # K2, under the coachee c
    assert "neutrality towards a participant: 1" in summary(prepared.exclusions[0])


def test_a_declared_conflict_with_a_participant_excludes_the_coach():
    doc = _doc(
        [_request("r1", "team_coaching", "b", "d")],
        coaches=[internal("K3", "k3", types=["team_coaching"])],
        conflicts=[{"coach": "K3", "person": "d"}],
    )
    result = match(parse_problem(doc))
    assert not result.assignments
    assert result.unmatched[0].reasons == {"participant_conflict_of_interest": 1}
    assert "conflict of interest with a participant: 1" in result.unmatched[0].summary
    # The explanation names the rule, never the person or the request's content.
    assert "d" not in result.unmatched[0].summary.split(": ")[0].split()


def test_a_manager_and_their_report_may_be_one_mediation_but_not_two_engagements():
    coaches = [internal("K3", "k3", types=["coaching", "mediation"])]
    # One mediation between m1 and their report a: allowed.
    one = match(parse_problem(_doc([_request("r1", "mediation", "m1", "a")], coaches)))
    assert [a.coach for a in one.assignments] == ["K3"]
    # The same coach cannot also coach b alone (b is under m1, a party of the mediation).
    two = _doc([_request("r1", "mediation", "m1", "a"), _request("r2", "coaching", "b")], coaches)
    result = match(parse_problem(two))
    check_solution(parse_problem(two), result)
    assert len(result.assignments) == 1


def test_a_shared_person_counts_once_but_their_report_does_not():
    coaches = [internal("K3", "k3", types=["coaching", "team_coaching"])]
    # a alone, and a team of a and b: a is in both (allowed, like a coachee with two
    # requests), and b is nobody's report here, so both fit.
    fine = _doc([_request("r1", "coaching", "a"), _request("r2", "team_coaching", "a", "b")])
    fine["coaches"] = coaches
    assert len(match(parse_problem(fine)).assignments) == 2
    # m1 alone, and a team of m1 and a (m1's report): the coach would coach m1 in one
    # engagement and their report in another.
    clash = _doc([_request("r1", "coaching", "m1"), _request("r2", "team_coaching", "m1", "a")])
    clash["coaches"] = coaches
    problem = parse_problem(clash)
    assert prepare(problem).instance.exclusive
    result = match(problem)
    check_solution(problem, result)
    assert len(result.assignments) == 1


def test_an_active_team_engagement_holds_the_line_of_each_member():
    coaches = [internal("K3", "k3", types=["coaching", "team_coaching"])]
    doc = _doc(
        [_request("r1", "coaching", "d")],
        coaches,
        active=[{"coach": "K3", "coachee": "a", "participants": ["m2"], "hours": 2}],
    )
    result = match(parse_problem(doc))
    assert result.unmatched[0].reasons == {"reporting_line_overlap": 1}


def test_participants_are_validated_with_their_path():
    import pytest

    from matcher.errors import ProblemError

    cases = [
        (_request("r1", "team_coaching", "a", "zz"), "$.requests[0].participants[0]"),
        (_request("r1", "team_coaching", "a", "b", "b"), "$.requests[0]"),
        (_request("r1", "mediation", "a", "a"), "$.requests[0]"),
        (_request("r1", "coaching", "a", "b"), "$.requests[0]"),
        (_request("r1", "team_coaching", "a", "b", sponsor="b"), "$.requests[0]"),
    ]
    for request, path in cases:
        with pytest.raises(ProblemError) as err:
            parse_problem(_doc([request]))
        assert err.value.path == path, (request, err.value)
