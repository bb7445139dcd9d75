"""Org-chart index: validation errors naming the people, reporting-line and peer queries
checked against a brute-force walk of manager chains, and very deep chains."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from matcher.errors import OrgChartError
from matcher.orgchart import OrgChart


def managers_chain(managers: dict[str, str | None], person: str) -> list[str]:
    """Reference: walk the manager links, nearest first."""
    out = []
    node = managers[person]
    while node is not None:
        out.append(node)
        node = managers[node]
    return out


# --- Validation ---------------------------------------------------------------------


def test_a_valid_forest_builds():
    org = OrgChart.build([("a", None), ("b", "a"), ("c", "b"), ("z", None)])
    assert len(org) == 4
    assert "c" in org and "nobody" not in org
    assert org.manager("c") == "b"
    assert org.manager("a") is None


def test_cycle_is_rejected_naming_its_people():
    with pytest.raises(OrgChartError) as err:
        OrgChart.build([("root", None), ("a", "b"), ("b", "c"), ("c", "a")])
    assert set(err.value.people) == {"a", "b", "c"}
    for pid in ("a", "b", "c"):
        assert pid in str(err.value)
    assert "cycle" in str(err.value)


def test_cycle_error_names_only_the_cycle_not_the_people_hanging_off_it():
    # t reports into the a <-> b loop but is not on it.
    with pytest.raises(OrgChartError) as err:
        OrgChart.build([("t", "a"), ("a", "b"), ("b", "a")])
    assert set(err.value.people) == {"a", "b"}


def test_two_person_cycle_without_any_root():
    with pytest.raises(OrgChartError) as err:
        OrgChart.build([("a", "b"), ("b", "a")])
    assert set(err.value.people) == {"a", "b"}


def test_unknown_manager_is_rejected_naming_the_person():
    with pytest.raises(OrgChartError) as err:
        OrgChart.build([("a", None), ("b", "ghost")])
    assert err.value.people == ("b",)
    assert "b" in str(err.value) and "ghost" in str(err.value)


def test_self_management_is_rejected_naming_the_person():
    with pytest.raises(OrgChartError) as err:
        OrgChart.build([("a", None), ("b", "b")])
    assert err.value.people == ("b",)
    assert "b" in str(err.value)


def test_duplicate_ids_are_rejected_naming_them():
    with pytest.raises(OrgChartError) as err:
        OrgChart.build([("a", None), ("b", "a"), ("a", None), ("c", "a")])
    assert err.value.people == ("a",)
    assert "a" in str(err.value)


def test_long_error_lists_are_shortened_but_people_attribute_is_complete():
    links = [("root", None)] + [(f"p{i}", f"ghost{i}") for i in range(25)]
    with pytest.raises(OrgChartError) as err:
        OrgChart.build(links)
    assert len(err.value.people) == 25
    assert "and 15 more" in str(err.value)


def test_empty_manager_string_means_no_manager():
    org = OrgChart.build([("a", ""), ("b", "a")])
    assert org.manager("a") is None
    assert org.is_under("b", "a")


# --- Queries ------------------------------------------------------------------------


@pytest.fixture
def org() -> OrgChart:
    #        ceo
    #       /    \
    #     vp1     vp2
    #    /   \      \
    #  m1    m2      m3
    #  / \    |
    # e1 e2  e3
    return OrgChart.build(
        [
            ("e1", "m1"),
            ("ceo", None),
            ("vp1", "ceo"),
            ("vp2", "ceo"),
            ("m1", "vp1"),
            ("m2", "vp1"),
            ("m3", "vp2"),
            ("e2", "m1"),
            ("e3", "m2"),
            ("loner", None),
        ]
    )


def test_reporting_line_both_directions_any_depth(org):
    assert org.in_reporting_line("e1", "m1")  # direct report
    assert org.in_reporting_line("m1", "e1")  # direct manager
    assert org.in_reporting_line("e1", "ceo")  # three levels
    assert org.in_reporting_line("ceo", "e3")
    assert org.in_reporting_line("vp1", "e2")  # grandparent


def test_not_in_reporting_line(org):
    assert not org.in_reporting_line("e1", "e2")  # siblings
    assert not org.in_reporting_line("e1", "m2")  # uncle
    assert not org.in_reporting_line("e3", "m1")
    assert not org.in_reporting_line("e1", "vp2")
    assert not org.in_reporting_line("e1", "loner")
    assert not org.in_reporting_line("ceo", "loner")  # two roots
    assert not org.in_reporting_line("e1", "e1")  # a person is not in their own line


def test_is_under_is_directional(org):
    assert org.is_under("e1", "vp1")
    assert not org.is_under("vp1", "e1")


def test_peers_share_the_direct_manager(org):
    assert org.are_peers("e1", "e2")
    assert org.are_peers("vp1", "vp2")
    assert org.are_peers("m1", "m2")
    assert not org.are_peers("e1", "e3")  # cousins
    assert not org.are_peers("e1", "m2")  # uncle
    assert not org.are_peers("e1", "m1")  # manager
    assert not org.are_peers("e1", "e1")
    assert not org.are_peers("ceo", "loner")  # roots have no manager in common


def test_chain_nearest_first(org):
    assert org.chain("e3") == ["m2", "vp1", "ceo"]
    assert org.chain("ceo") == []


@st.composite
def forests(draw):
    """A random forest: person i's manager is an earlier person or nobody; links are
    given in shuffled order so managers may come after their reports."""
    n = draw(st.integers(min_value=1, max_value=40))
    managers: dict[str, str | None] = {}
    for i in range(n):
        m = draw(st.integers(min_value=-1, max_value=i - 1))
        managers[f"p{i}"] = None if m < 0 else f"p{m}"
    order = draw(st.permutations(list(managers)))
    return managers, [(pid, managers[pid]) for pid in order]


@settings(max_examples=50, deadline=None)
@given(forests())
def test_queries_match_brute_force_on_random_forests(forest):
    managers, links = forest
    org = OrgChart.build(links)
    chains = {pid: managers_chain(managers, pid) for pid in managers}
    for a in managers:
        assert org.chain(a) == chains[a]
        assert org.manager(a) == managers[a]
        for b in managers:
            a_under_b = b in chains[a]
            assert org.is_under(a, b) == a_under_b, (a, b)
            expected_line = b in chains[a] or a in chains[b]
            assert org.in_reporting_line(a, b) == expected_line, (a, b)
            expected_peers = a != b and managers[a] is not None and managers[a] == managers[b]
            assert org.are_peers(a, b) == expected_peers, (a, b)


@settings(max_examples=30, deadline=None)
@given(forests(), st.data())
def test_a_cycle_added_to_a_random_forest_is_found(forest, data):
    managers, _ = forest
    ids = list(managers)
    # Re-point one person's manager to someone in their own subtree (or themselves
    # via a two-step loop): this always closes a cycle.
    bosses = [p for p in ids if any(p in managers_chain(managers, q) for q in ids)]
    assume(bosses)
    victim = data.draw(st.sampled_from(bosses))
    below = [p for p in ids if victim in managers_chain(managers, p)]
    new_boss = data.draw(st.sampled_from(below))
    managers = dict(managers)
    managers[victim] = new_boss
    with pytest.raises(OrgChartError) as err:
        OrgChart.build(list(managers.items()))
    cycle = set(err.value.people)
    # Every person named is on the cycle: following managers from one of them returns.
    assert victim in cycle
    assert new_boss in cycle
    for pid in cycle:
        assert managers[pid] in cycle


def test_hundred_thousand_deep_chain_does_not_hit_recursion_limit():
    n = 100_000
    links = [("p0", None)] + [(f"p{i}", f"p{i - 1}") for i in range(1, n)]
    random.Random(1).shuffle(links)
    org = OrgChart.build(links)
    leaf, root = f"p{n - 1}", "p0"
    assert org.is_under(leaf, root)
    assert org.in_reporting_line(root, leaf)
    assert not org.is_under(root, leaf)
    assert org.are_peers(leaf, leaf) is False
    assert org.depth[org.index[leaf]] == n - 1
    assert len(org.chain(leaf)) == n - 1


def test_hundred_thousand_deep_cycle_is_reported_without_recursion():
    n = 100_000
    links = [(f"p{i}", f"p{(i - 1) % n}") for i in range(n)]
    with pytest.raises(OrgChartError) as err:
        OrgChart.build(links)
    assert len(err.value.people) == n
