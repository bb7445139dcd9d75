"""Span arithmetic of the planner against minute sets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.slots import intersect_spans, subtract_spans


@st.composite
def spans(draw: st.DrawFn) -> list[tuple[int, int]]:
    points = sorted(draw(st.sets(st.integers(0, 300), max_size=20)))
    points = points[: len(points) // 2 * 2]
    return [(points[k], points[k + 1]) for k in range(0, len(points), 2)]


def minutes(spans: list[tuple[int, int]]) -> set[int]:
    return {m for a, b in spans for m in range(a, b)}


@settings(max_examples=300, deadline=None)
@given(spans(), spans())
def test_intersection_is_the_common_minutes_as_sorted_disjoint_spans(left, right):
    out = intersect_spans(left, right)
    assert minutes(out) == minutes(left) & minutes(right)
    assert all(a < b for a, b in out)
    assert all(out[k][1] <= out[k + 1][0] for k in range(len(out) - 1))


@settings(max_examples=300, deadline=None)
@given(spans(), st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=10))
def test_subtraction_removes_exactly_the_cut_minutes(base, raw_cuts):
    cuts = [(min(a, b), max(a, b)) for a, b in raw_cuts]
    out = subtract_spans(base, cuts)
    assert minutes(out) == minutes(base) - minutes(cuts)
    assert all(a < b for a, b in out)
