"""Eligibility rules, each with a scenario just inside and one just outside.

Every scenario has one request r1 and one coach C. "Outside" means the rule is the first
(and here the only) one excluding the pair, and the round leaves r1 unmatched for that
reason; "inside" means no rule excludes the pair and the round matches r1 with C.
"""

from __future__ import annotations

import pytest
from matcher_builders import (
    chain,
    day,
    exclusion_of,
    external,
    internal,
    problem_doc,
    reasons_of,
    request,
    rules_firing,
    solve_checked,
)

from matcher.eligibility import HARD_ETHICS, RULES
from matcher.errors import ProblemError
from matcher.schema import parse_problem


def assert_excluded(doc, code):
    assert rules_firing(doc, "r1", "C") == [code]
    assert exclusion_of(doc, "r1", "C") == code
    result = solve_checked(doc)
    assert result.assignments == ()
    assert reasons_of(result, "r1") == {code: 1}


def assert_eligible(doc):
    assert rules_firing(doc, "r1", "C") == []
    assert exclusion_of(doc, "r1", "C") is None
    result = solve_checked(doc)
    assert [(a.request, a.coach) for a in result.assignments] == [("r1", "C")]


def one(coach, req=None, *, people=(), **sections):
    return problem_doc(
        people=people, coaches=[coach], requests=[req or request("r1", "k")], **sections
    )


def test_rule_codes_and_hard_ethics():
    codes = [code for code, _ in RULES]
    assert codes[0] == "neutrality"
    assert len(set(codes)) == len(codes)
    assert {"neutrality", "conflict_of_interest", "reporting_line_overlap"} <= HARD_ETHICS


# --- Neutrality (hard) ----------------------------------------------------------------

# ceo -> vp -> m -> k -> t  (k is the coachee), s is the sponsor under ceo -> hr -> s -> u;
# "cousin" and "aunt" sit beside the line.
ORG = {
    **chain("ceo", "vp", "m", "k", "t"),
    "t2": "t",
    "hr": "ceo",
    "s": "hr",
    "u": "s",
    "aunt": "vp",
    "cousin": "aunt",
    "out": None,
}


@pytest.mark.parametrize(
    "coach_person",
    [
        "k",  # the coachee
        "s",  # the sponsor
        "m",  # coachee's manager
        "vp",  # coachee's manager's manager
        "ceo",  # top of both lines
        "t",  # coachee's report (coach below)
        "t2",  # two levels below the coachee
        "hr",  # sponsor's manager
        "u",  # sponsor's report
    ],
)
def test_neutrality_excludes_the_parties_and_their_reporting_lines(coach_person):
    doc = one(internal("C", coach_person), request("r1", "k", "s"), people=ORG)
    assert_excluded(doc, "neutrality")


@pytest.mark.parametrize("coach_person", ["aunt", "cousin", "out"])
def test_neutrality_allows_people_beside_the_lines(coach_person):
    doc = one(internal("C", coach_person), request("r1", "k", "s"), people=ORG)
    assert_eligible(doc)


def test_neutrality_without_sponsor_only_checks_the_coachee():
    # "hr" is the sponsor's manager: excluded with the sponsor, eligible without one.
    doc = one(internal("C", "hr"), request("r1", "k"), people=ORG)
    assert_eligible(doc)


def test_neutrality_holds_whatever_the_policies():
    doc = one(
        internal("C", "m"),
        request("r1", "k"),
        people=ORG,
        policy={"exclude_peers": False, "history": "ignore"},
        adjustments=[{"request": "r1", "coach": "C", "bonus": 100}],
    )
    assert_excluded(doc, "neutrality")


def test_external_coaches_are_outside_every_reporting_line():
    doc = one(external("C"), request("r1", "k", "s"), people=ORG)
    assert_eligible(doc)


def test_neutrality_over_a_hundred_thousand_deep_chain():
    # The whole round (parse, eligibility, ethics forests, checker) on a very deep org.
    n = 100_000
    people = chain(*(f"p{i}" for i in range(n)))
    doc = problem_doc(
        people=people,
        coaches=[internal("TOP", "p0"), internal("C", "out")],
        requests=[request("r1", f"p{n - 1}"), request("r2", f"p{n // 2}")],
    )
    result = solve_checked(doc)
    # r1 and r2 are in one line: C can take only one of them; TOP is above both.
    assert len(result.assignments) == 1
    assert result.assignments[0].coach == "C"
    loser = next(r for r in ("r1", "r2") if result.assignment_of(r) is None)
    assert reasons_of(result, loser) == {"neutrality": 1, "reporting_line_conflict": 1}


# --- Peers (policy, default on) ---------------------------------------------------------

PEERS = {"m": None, "k": "m", "c": "m", "m2": None, "cousin": "m2"}


def test_peer_is_excluded_by_default():
    assert_excluded(one(internal("C", "c"), people=PEERS), "peer")


def test_peer_is_allowed_when_policy_is_off():
    assert_eligible(one(internal("C", "c"), people=PEERS, policy={"exclude_peers": False}))


def test_cousin_is_not_a_peer():
    assert_eligible(one(internal("C", "cousin"), people=PEERS))


def test_two_roots_are_not_peers():
    assert_eligible(one(internal("C", "c"), people={"k": None, "c": None}))


# --- Same unit (policy, default off) ------------------------------------------------------


def unit_people(coach_unit):
    return [{"id": "k", "unit": "IT"}, {"id": "c", "unit": coach_unit}]


def test_same_unit_is_excluded_when_policy_is_on():
    doc = one(internal("C", "c"), people=unit_people("IT"), policy={"exclude_same_unit": True})
    assert_excluded(doc, "same_unit")


def test_other_unit_is_allowed_when_policy_is_on():
    doc = one(internal("C", "c"), people=unit_people("RH"), policy={"exclude_same_unit": True})
    assert_eligible(doc)


def test_same_unit_is_allowed_by_default():
    assert_eligible(one(internal("C", "c"), people=unit_people("IT")))


# --- Declared conflicts of interest (hard) ------------------------------------------------


@pytest.mark.parametrize("person", ["k", "s"])
def test_conflict_with_coachee_or_sponsor_excludes(person):
    doc = one(
        internal("C", "c"),
        request("r1", "k", "s"),
        conflicts=[{"coach": "C", "person": person}],
    )
    assert_excluded(doc, "conflict_of_interest")


def test_conflict_with_someone_else_does_not_exclude():
    doc = problem_doc(
        coaches=[internal("C", "c"), internal("D", "d")],
        requests=[request("r1", "k", "s")],
        conflicts=[{"coach": "C", "person": "other"}, {"coach": "D", "person": "k"}],
    )
    assert rules_firing(doc, "r1", "C") == []
    assert exclusion_of(doc, "r1", "D") == "conflict_of_interest"
    result = solve_checked(doc)
    assert [(a.request, a.coach) for a in result.assignments] == [("r1", "C")]


# --- Qualification: certification / referencing valid at the request's start -------------


def test_valid_until_the_start_day_is_inclusive():
    assert_eligible(one(internal("C", "c", valid_until=day(0))))


def test_valid_until_the_day_before_the_start_excludes():
    assert_excluded(one(internal("C", "c", valid_until=day(-1))), "qualification")


def test_valid_from_the_start_day_is_inclusive():
    assert_eligible(one(external("C", valid_from=day(0))))


def test_valid_from_the_day_after_the_start_excludes():
    assert_excluded(one(external("C", valid_from=day(1))), "qualification")


def test_the_request_start_overrides_the_horizon_start():
    late = request("r1", "k", start=day(30))
    assert_eligible(one(internal("C", "c", valid_from=day(30)), late))
    assert_excluded(one(internal("C", "c", valid_until=day(29)), late), "qualification")
    assert_excluded(one(internal("C", "c", valid_from=day(31)), late), "qualification")


# --- Type, language, modality, site -------------------------------------------------------


def test_request_type_offered():
    req = request("r1", "k", type="mediation")
    assert_eligible(one(external("C", types=["coaching", "mediation"]), req))
    assert_excluded(one(external("C", types=["coaching", "team_coaching"]), req), "type")


def test_language():
    req = request("r1", "k", language="en")
    assert_eligible(one(internal("C", "c", languages=["fr", "en"]), req))
    assert_excluded(one(internal("C", "c", languages=["fr"]), req), "language")


def test_modality():
    req = request("r1", "k", modality="onsite")
    assert_eligible(one(internal("C", "c", modalities=["onsite"]), req))
    assert_excluded(one(internal("C", "c", modalities=["remote"]), req), "modality")


def lyon_coachee():
    return [{"id": "k", "site": "lyon"}]


def test_onsite_needs_a_coach_serving_the_coachees_site():
    req = request("r1", "k", modality="onsite")
    assert_eligible(one(external("C", sites=["paris", "lyon"]), req, people=lyon_coachee()))
    assert_excluded(one(external("C", sites=["paris"]), req, people=lyon_coachee()), "site")


def test_the_request_site_overrides_the_coachees_site():
    req = request("r1", "k", modality="onsite", site="paris")
    assert_eligible(one(external("C", sites=["paris"]), req, people=lyon_coachee()))
    assert_excluded(one(external("C", sites=["lyon"]), req, people=lyon_coachee()), "site")


def test_remote_requests_ignore_sites():
    req = request("r1", "k", modality="remote")
    assert_eligible(one(external("C", sites=[]), req, people=lyon_coachee()))


def test_either_modality_takes_a_remote_coach_anywhere():
    req = request("r1", "k", modality="any")
    remote = external("C", modalities=["remote"], sites=[])
    assert_eligible(one(remote, req, people=lyon_coachee()))


def test_either_modality_takes_an_onsite_only_coach_only_where_it_serves():
    req = request("r1", "k", modality="any")
    onsite = {"modalities": ["onsite"]}
    assert_eligible(one(external("C", sites=["lyon"], **onsite), req, people=lyon_coachee()))
    assert_excluded(
        one(external("C", sites=["paris"], **onsite), req, people=lyon_coachee()), "site"
    )


def test_coaches_cannot_declare_the_either_modality():
    with pytest.raises(ProblemError) as err:
        parse_problem(one(external("C", modalities=["any"])))
    assert err.value.path == "$.coaches[0].modalities[0]"


# --- Coachee's hard preference, HR bans, history policy ----------------------------------


def test_required_kind_internal():
    req = request("r1", "k", preferences={"require_kind": "internal"})
    assert_eligible(one(internal("C", "c"), req))
    assert_excluded(one(external("C"), req), "preference")


def test_required_kind_external():
    req = request("r1", "k", preferences={"require_kind": "external"})
    assert_eligible(one(external("C"), req))
    assert_excluded(one(internal("C", "c"), req), "preference")


def test_preferred_kind_is_soft_not_a_rule():
    req = request("r1", "k", preferences={"prefer_kind": "external"})
    assert_eligible(one(internal("C", "c"), req))


def test_hr_forbid_excludes_the_pair():
    doc = one(internal("C", "c"), adjustments=[{"request": "r1", "coach": "C", "forbid": True}])
    assert_excluded(doc, "forbidden")


def test_hr_adjustment_without_forbid_does_not_exclude():
    doc = one(internal("C", "c"), adjustments=[{"request": "r1", "coach": "C", "bonus": -50}])
    assert_eligible(doc)


def test_hr_forbid_on_another_request_does_not_exclude():
    doc = problem_doc(
        coaches=[internal("C", "c")],
        requests=[request("r1", "k"), request("r2", "j")],
        adjustments=[{"request": "r2", "coach": "C", "forbid": True}],
    )
    assert exclusion_of(doc, "r1", "C") is None
    assert exclusion_of(doc, "r2", "C") == "forbidden"


def test_history_policy_exclude_excludes_the_previous_coach():
    doc = one(
        internal("C", "c"),
        history=[{"coach": "C", "coachee": "k"}],
        policy={"history": "exclude"},
    )
    assert_excluded(doc, "history")


def test_history_policy_exclude_keeps_other_coachees_coaches():
    doc = one(
        internal("C", "c"),
        history=[{"coach": "C", "coachee": "someone_else"}],
        policy={"history": "exclude"},
    )
    assert_eligible(doc)


@pytest.mark.parametrize("policy", ["avoid", "prefer", "ignore"])
def test_other_history_policies_do_not_exclude(policy):
    doc = one(
        internal("C", "c"), history=[{"coach": "C", "coachee": "k"}], policy={"history": policy}
    )
    assert_eligible(doc)


# --- Active engagements in the coachee's reporting line -----------------------------------

LINE = {**chain("g", "m", "k", "t"), "sib": "m", "nephew": "sib"}


@pytest.mark.parametrize("active_coachee", ["m", "g", "t"])
def test_active_engagement_in_the_coachees_line_excludes(active_coachee):
    doc = one(
        internal("C", "c"),
        people=LINE,
        active=[{"coach": "C", "coachee": active_coachee, "hours": 1}],
    )
    assert_excluded(doc, "reporting_line_overlap")


@pytest.mark.parametrize("active_coachee", ["sib", "nephew", "k"])
def test_active_engagement_outside_the_coachees_line_does_not_exclude(active_coachee):
    doc = one(
        internal("C", "c"),
        people=LINE,
        active=[{"coach": "C", "coachee": active_coachee, "hours": 1}],
    )
    assert_eligible(doc)


def test_another_coachs_active_engagement_does_not_exclude():
    doc = problem_doc(
        people=LINE,
        coaches=[internal("C", "c"), internal("D", "d")],
        requests=[request("r1", "k")],
        active=[{"coach": "D", "coachee": "m", "hours": 1}],
    )
    assert exclusion_of(doc, "r1", "C") is None
    assert exclusion_of(doc, "r1", "D") == "reporting_line_overlap"


# --- Several rules at once ------------------------------------------------------------------


def test_the_first_rule_in_order_gives_the_reason():
    doc = one(internal("C", "m", languages=["en"]), people=ORG)
    assert rules_firing(doc, "r1", "C") == ["neutrality", "language"]
    assert exclusion_of(doc, "r1", "C") == "neutrality"
    assert reasons_of(solve_checked(doc), "r1") == {"neutrality": 1}
