"""Small-group suppression over a whole set of related tables, pure.

A report is a slice of a fixed lattice of cells (every published period and grouping of
a year): each cell counts contributions (events: requests, sessions, answers), each
made by one person, and its value is computed from them. The attacker is whoever reads
every report: they see the visible cells and know how cells relate (a total is the sum
of its parts, a quarter the sum of its months, a parent unit the sum of its teams).

`suppress` hides, until nothing changes:

- **primary**: a cell describing 1 to k-1 people;
- **complementary** (visible parent): the hidden non-empty parts of a visible total are
  none, or at least two describing together at least k people (so the total minus the
  visible parts is never one hidden cell, nor a group below k); otherwise the smallest
  visible part is hidden too (the total itself when no part is left);
- **complementary** (hidden parent): a hidden total keeps a hidden non-empty part (else
  it is the sum of visible parts);
- **differences**: for every visible cell, what is left of it once one, two disjoint, or
  all the visible cells of one partition inside it are taken away describes none or at
  least k people; otherwise the smallest of those taken away is hidden.

Every rule only hides, so it ends; the order of cells is fixed, so the same lattice and
data give the same cells, in every process. The same function serves any table whose
cells are sets of contributions by people (indicators, weak-signal themes, testimonial
batches).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

MIN_K = 3


@dataclass(frozen=True)
class Cell:
    """One published number: the contributions it is computed from (ids of events), and
    the families of disjoint cells it belongs to (the rows of one report; the months of
    one group), which an attacker may subtract from a larger cell all at once."""

    key: Hashable
    contributions: frozenset[int]
    partitions: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class Relation:
    """`parent` is the sum of `parts`, whose contributions do not overlap."""

    parent: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Lattice:
    cells: tuple[Cell, ...]
    relations: tuple[Relation, ...]
    # contribution id -> the person it describes
    owners: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Suppression:
    k: int
    hidden: frozenset[Hashable]
    primary: frozenset[Hashable]

    def shows(self, key: Hashable) -> bool:
        return key not in self.hidden


def people(contributions: Iterable[int], owners: Mapping[int, int]) -> int:
    """How many people the contributions describe (an unknown owner is its own person)."""
    return len({owners.get(c, -1 - c) for c in contributions})


def small(n: int, k: int) -> bool:
    return 0 < n < k


def few(contributions: Iterable[int], owners: Mapping[int, int], k: int) -> bool:
    """The contributions describe 1 to k-1 people (stops counting at k)."""
    seen: set[int] = set()
    for c in contributions:
        seen.add(owners.get(c, -1 - c))
        if len(seen) >= k:
            return False
    return bool(seen)


def suppress(lattice: Lattice, k: int) -> Suppression:
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    order = {cell.key: i for i, cell in enumerate(lattice.cells)}
    cells = {cell.key: cell.contributions for cell in lattice.cells}
    owners = lattice.owners
    size = {key: people(c, owners) for key, c in cells.items()}
    hidden = {key for key, n in size.items() if small(n, k)}
    primary = frozenset(hidden)
    relations = [r for r in lattice.relations if r.parent in cells]
    partitions = {cell.key: cell.partitions for cell in lattice.cells}
    inside = _containment(cells, order)

    def bad(rest: frozenset[int]) -> bool:
        return few(rest, owners, k)

    def _leak(big: Hashable, parts: list[Hashable]) -> Hashable | None:
        """A cell (of `parts`, inside `big`) whose removal from `big`, alone, with one
        other, or with its partition, leaves a group below k; None when there is none."""
        whole = cells[big]
        for part in parts:
            if size[big] - size[part] < k and bad(whole - cells[part]):
                return part
        for i, first in enumerate(parts):
            for second in parts[i + 1 :]:
                if size[big] - size[first] - size[second] >= k:
                    continue  # at least k people are left, whatever the overlap
                if cells[first] & cells[second]:
                    continue
                if bad(whole - cells[first] - cells[second]):
                    return min((first, second), key=lambda key: (size[key], order[key]))
        groups: defaultdict[Hashable, list[Hashable]] = defaultdict(list)
        for part in parts:
            for name in partitions[part]:
                groups[name].append(part)
        for members in groups.values():
            if len(members) > 2 and bad(whole.difference(*(cells[m] for m in members))):
                return min(members, key=lambda key: (size[key], order[key]))
        return None

    def smallest(keys: Iterable[Hashable]) -> Hashable | None:
        candidates = [key for key in keys if key not in hidden and cells[key]]
        if not candidates:
            return None
        return min(candidates, key=lambda key: (size[key], len(cells[key]), order[key]))

    changed = True
    while changed:
        changed = False
        for relation in relations:
            parts = [p for p in relation.parts if p in cells]
            hidden_parts = [p for p in parts if p in hidden and cells[p]]
            if relation.parent not in hidden:
                if not hidden_parts:
                    continue
                union = frozenset().union(*(cells[p] for p in hidden_parts))
                if len(hidden_parts) >= 2 and not few(union, owners, k):
                    continue
                extra = smallest(parts)
                hidden.add(extra if extra is not None else relation.parent)
                changed = True
            elif cells[relation.parent] and not hidden_parts:
                extra = smallest(parts)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
        for big in inside:
            if big in hidden:
                continue
            culprit = _leak(big, [c for c in inside[big] if c not in hidden])
            if culprit is not None:
                hidden.add(culprit)
                changed = True
    return Suppression(k=k, hidden=frozenset(hidden), primary=primary)


def _containment(
    cells: Mapping[Hashable, frozenset[int]], order: Mapping[Hashable, int]
) -> dict[Hashable, list[Hashable]]:
    """For every non-empty cell, the cells strictly inside it (every contribution of
    theirs is its own, and it has more), found through each smaller cell's least
    contribution so only cells sharing it are compared; in the lattice's order."""
    by_contribution: defaultdict[int, list[Hashable]] = defaultdict(list)
    for key, contributions in cells.items():
        for c in contributions:
            by_contribution[c].append(key)
    inside: defaultdict[Hashable, list[Hashable]] = defaultdict(list)
    for key, contributions in cells.items():
        if not contributions:
            continue
        for other in by_contribution[min(contributions)]:
            other_set = cells[other]
            if len(other_set) > len(contributions) and contributions <= other_set:
                inside[other].append(key)
    return {
        big: sorted(parts, key=order.__getitem__)
        for big, parts in sorted(inside.items(), key=lambda item: order[item[0]])
    }
