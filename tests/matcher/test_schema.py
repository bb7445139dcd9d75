"""Problem documents: validation errors located by JSON path, defaults, derived fields."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from matcher_builders import external, internal, problem_doc, request

from matcher.errors import MatcherError, ProblemError
from matcher.problem import CoachKind, HistoryPolicy, Modality, RequestType
from matcher.schema import json_path, parse_problem


@pytest.fixture
def base():
    return problem_doc(
        people={"m": None, "k": "m"},
        coaches=[internal("A", "pa"), external("X")],
        requests=[request("r1", "k", "m"), request("r2", "k")],
        travel_minutes=[{"from": "paris", "to": "lyon", "minutes": 10}],
    )


def set_(path, value):
    """A mutation setting doc[path...] = value."""

    def mutate(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def drop(path):
    def mutate(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def append(section, row):
    def mutate(doc):
        doc.setdefault(section, []).append(row)

    return mutate


def people_index(doc, pid):
    return next(i for i, p in enumerate(doc["people"]) if p["id"] == pid)


CASES = [
    # (test id, mutation, expected path, words expected in the message)
    ("wrong type", set_(["requests", 1, "sessions"], "six"), "$.requests[1].sessions", "integer"),
    ("wrong enum", set_(["coaches", 0, "types"], ["coaching", "knitting"]),
     "$.coaches[0].types[1]", "coaching"),
    ("wrong date", set_(["requests", 0, "submitted"], "2027-13-01"),
     "$.requests[0].submitted", "date"),
    ("unknown field", set_(["requests", 1, "foo"], 1), "$.requests[1].foo", "Extra"),
    ("unknown top-level field", set_(["foo"], 1), "$.foo", "Extra"),
    ("unknown policy field", set_(["policy", "budget"], 1), "$.policy.budget", "Extra"),
    ("missing field", drop(["requests", 1, "language"]), "$.requests[1].language", "required"),
    ("missing horizon", drop(["horizon"]), "$.horizon", "required"),
    ("missing aliased field", drop(["travel_minutes", 0, "from"]),
     "$.travel_minutes[0].from", "required"),
    ("unknown coachee", set_(["requests", 1, "coachee"], "ghost"), "$.requests[1].coachee",
     "ghost"),
    ("unknown sponsor", set_(["requests", 1, "sponsor"], "ghost"), "$.requests[1].sponsor",
     "ghost"),
    ("unknown coach person", set_(["coaches", 0, "person"], "ghost"), "$.coaches[0].person",
     "ghost"),
    ("unknown preferred coach",
     set_(["requests", 0, "preferences"], {"prefer_coaches": ["A", "Z"]}),
     "$.requests[0].preferences.prefer_coaches[1]", "Z"),
    ("unknown active coach", append("active", {"coach": "Z", "coachee": "k", "hours": 1}),
     "$.active[0].coach", "Z"),
    ("unknown conflict person", append("conflicts", {"coach": "A", "person": "ghost"}),
     "$.conflicts[0].person", "ghost"),
    ("unknown adjustment request", append("adjustments", {"request": "r9", "coach": "A"}),
     "$.adjustments[0].request", "r9"),
    ("unknown pinned coach", append("pinned", {"request": "r1", "coach": "Z"}),
     "$.pinned[0].coach", "Z"),
    ("duplicate request id", set_(["requests", 1, "id"], "r1"), "$.requests[1].id", "duplicate"),
    ("duplicate coach id", set_(["coaches", 1, "id"], "A"), "$.coaches[1].id", "duplicate"),
    ("duplicate person id", append("people", {"id": "k"}), None, "duplicate"),
    ("duplicate pin", set_(["pinned"], [{"request": "r1", "coach": "A"},
                                        {"request": "r1", "coach": "X"}]),
     "$.pinned[1].request", "duplicate"),
    ("one employee, two coach records", append("coaches", internal("B", "pa")),
     "$.coaches[2].person", "pa"),
    ("internal coach without person", drop(["coaches", 0, "person"]), "$.coaches[0]", "person"),
    ("external coach with person", set_(["coaches", 1, "person"], "m"), "$.coaches[1]", "person"),
    ("horizon backwards", set_(["horizon", "end"], "2026-01-01"), "$.horizon", "before"),
    ("negative hours", set_(["coaches", 0, "hours"], -1), "$.coaches[0].hours", "greater"),
    ("priority out of range", set_(["requests", 0, "priority"], 6), "$.requests[0].priority",
     "less"),
    ("priority weights too short", set_(["policy", "priority_weights"], [1, 2]),
     "$.policy.priority_weights", "5"),
    ("manager of wrong type", set_(["people", 1, "manager"], 5), None, "string"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "path", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_invalid_documents_name_the_json_path(base, mutate, path, words):
    doc = copy.deepcopy(base)
    mutate(doc)
    with pytest.raises(ProblemError) as err:
        parse_problem(doc)
    if path is None:  # paths into people depend on where the builder put them
        assert err.value.path.startswith("$.people[")
    else:
        assert err.value.path == path
    assert words.lower() in err.value.detail.lower()
    assert str(err.value).startswith(err.value.path + ": ")
    assert isinstance(err.value, MatcherError)


def test_unknown_manager_points_at_the_person(base):
    doc = copy.deepcopy(base)
    i = people_index(doc, "k")
    doc["people"][i]["manager"] = "ghost"
    with pytest.raises(ProblemError) as err:
        parse_problem(doc)
    assert err.value.path == f"$.people[{i}].manager"


def test_org_cycle_is_reported_on_people_naming_the_cycle(base):
    doc = copy.deepcopy(base)
    doc["people"][people_index(doc, "m")]["manager"] = "k"
    with pytest.raises(ProblemError) as err:
        parse_problem(doc)
    assert err.value.path == "$.people"
    assert "cycle" in err.value.detail
    assert "m" in err.value.detail and "k" in err.value.detail


def test_self_management_is_reported_naming_the_person(base):
    doc = copy.deepcopy(base)
    doc["people"][people_index(doc, "k")]["manager"] = "k"
    with pytest.raises(ProblemError) as err:
        parse_problem(doc)
    assert err.value.path == "$.people"
    assert "k" in err.value.detail


@pytest.mark.parametrize("document", [[], None, "problem", 3])
def test_a_document_that_is_not_an_object(document):
    with pytest.raises(ProblemError) as err:
        parse_problem(document)
    assert err.value.path == "$"


def test_json_path_formatting():
    assert json_path(("requests", 3, "coachee")) == "$.requests[3].coachee"
    assert json_path(()) == "$"


def test_defaults_are_filled_in():
    doc = problem_doc(
        coaches=[internal("A", "pa")],
        requests=[
            {"id": "r1", "coachee": "k", "language": "fr", "sessions": 2, "session_minutes": 60,
             "submitted": "2026-12-01"}
        ],
    )  # fmt: skip
    doc.pop("policy")
    problem = parse_problem(doc)
    req = problem.requests[0]
    assert req.type is RequestType.COACHING
    assert req.modality is Modality.REMOTE
    assert req.priority == 3
    assert req.sponsor is None and req.start is None and req.site is None
    assert req.preferences.require_kind is None
    policy = problem.policy
    assert policy.exclude_peers is True
    assert policy.exclude_same_unit is False
    assert policy.external_budget is None
    assert policy.proposals == 3
    assert policy.history is HistoryPolicy.AVOID
    assert policy.priority_weights == (16, 8, 4, 2, 1)
    assert problem.active == () and problem.pinned == () and problem.previous == ()


def test_parsed_values_and_home_site_derivation():
    doc = problem_doc(
        people=[{"id": "pa", "site": "lyon", "unit": "IT"}, {"id": "pb", "site": "lille"}],
        coaches=[
            internal("A", "pa", sites=["paris", "lyon"]),  # home: the employee's site
            internal("B", "pb", home_site="nantes"),  # explicit home site wins
            external("X", sites=["toulouse", "lille"]),  # no home: its firm sends someone local
            external("Y", sites=[]),
        ],
        requests=[request("r1", "k", preferences={"require_kind": "external"})],
        history=[{"coach": "A", "coachee": "k"}],
        conflicts=[{"coach": "B", "person": "k"}],
        policy={"history": "prefer", "external_budget": 500},
    )
    problem = parse_problem(doc)
    homes = {c.id: c.home_site for c in problem.coaches}
    assert homes == {"A": "lyon", "B": "nantes", "X": None, "Y": None}
    a = problem.coaches[0]
    assert a.kind is CoachKind.INTERNAL and a.internal
    assert a.sites == frozenset({"paris", "lyon"})
    assert problem.horizon.start == dt.date(2027, 1, 4)
    assert problem.history == frozenset({("A", "k")})
    assert problem.conflicts == frozenset({("B", "k")})
    assert problem.requests[0].preferences.require_kind is CoachKind.EXTERNAL
    assert problem.policy.history is HistoryPolicy.PREFER
    assert problem.policy.external_budget == 500
