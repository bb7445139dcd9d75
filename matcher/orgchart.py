"""Org-chart index: reporting-line and peer queries in O(1) after an O(n) build.

Each person gets enter/exit numbers from one depth-first walk of the manager forest
(an Euler tour). A is under B exactly when B's interval contains A's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matcher.errors import OrgChartError

_MAX_LISTED = 10


def _listed(ids: Iterable[str]) -> str:
    ids = list(ids)
    head = ", ".join(ids[:_MAX_LISTED])
    return head + (f" and {len(ids) - _MAX_LISTED} more" if len(ids) > _MAX_LISTED else "")


@dataclass(frozen=True, slots=True)
class OrgChart:
    """An immutable, validated manager forest."""

    index: Mapping[str, int]
    ids: tuple[str, ...]
    parent: tuple[int, ...]  # -1 for a root
    enter: tuple[int, ...]
    exit: tuple[int, ...]
    depth: tuple[int, ...]

    @classmethod
    def build(cls, links: Iterable[tuple[str, str | None]]) -> OrgChart:
        """Index (person, manager) links; raise OrgChartError naming the people at fault."""
        ids: list[str] = []
        managers: list[str | None] = []
        index: dict[str, int] = {}
        duplicates: list[str] = []
        for person, manager in links:
            if person in index:
                duplicates.append(person)
                continue
            index[person] = len(ids)
            ids.append(person)
            managers.append(manager or None)
        if duplicates:
            raise OrgChartError(
                f"duplicate person id(s): {_listed(sorted(set(duplicates)))}",
                tuple(sorted(set(duplicates))),
            )
        selfs = [p for p, m in zip(ids, managers, strict=True) if m == p]
        if selfs:
            raise OrgChartError(f"person(s) managing themselves: {_listed(selfs)}", tuple(selfs))
        unknown = [
            p for p, m in zip(ids, managers, strict=True) if m is not None and m not in index
        ]
        if unknown:
            pairs = [f"{p} (manager {managers[index[p]]})" for p in unknown]
            raise OrgChartError(f"unknown manager for: {_listed(pairs)}", tuple(unknown))

        n = len(ids)
        parent = [-1 if m is None else index[m] for m in managers]
        children: list[list[int]] = [[] for _ in range(n)]
        for child, par in enumerate(parent):
            if par >= 0:
                children[par].append(child)
        enter = [-1] * n
        exit_ = [-1] * n
        depth = [0] * n
        clock = 0
        for root in range(n):
            if parent[root] != -1:
                continue
            # Iterative DFS: 100,000-deep chains must not hit the recursion limit.
            enter[root] = clock
            clock += 1
            stack = [(root, 0)]
            while stack:
                node, next_child = stack[-1]
                if next_child < len(children[node]):
                    stack[-1] = (node, next_child + 1)
                    child = children[node][next_child]
                    enter[child] = clock
                    depth[child] = depth[node] + 1
                    clock += 1
                    stack.append((child, 0))
                else:
                    exit_[node] = clock
                    clock += 1
                    stack.pop()
        if clock < 2 * n:
            raise OrgChartError(
                f"management cycle among: {_listed(cls._cycle(ids, parent, enter))}",
                tuple(cls._cycle(ids, parent, enter)),
            )
        return cls(index, tuple(ids), tuple(parent), tuple(enter), tuple(exit_), tuple(depth))

    @staticmethod
    def _cycle(ids: list[str], parent: list[int], enter: list[int]) -> list[str]:
        """The people on one cycle among those the walk never reached."""
        start = next(i for i, e in enumerate(enter) if e < 0)
        seen: dict[int, int] = {}
        node = start
        while node not in seen:
            seen[node] = len(seen)
            node = parent[node]
        order = sorted(seen, key=seen.__getitem__)[seen[node] :]
        return [ids[i] for i in order]

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, person: object) -> bool:
        return person in self.index

    def manager(self, person: str) -> str | None:
        par = self.parent[self.index[person]]
        return None if par < 0 else self.ids[par]

    def is_under(self, person: str, boss: str) -> bool:
        """True when `boss` is in `person`'s manager chain (at any depth)."""
        p, b = self.index[person], self.index[boss]
        return p != b and self.enter[b] < self.enter[p] and self.exit[p] < self.exit[b]

    def in_reporting_line(self, a: str, b: str) -> bool:
        """True when A is in B's manager chain or under B, at any depth."""
        return self.is_under(a, b) or self.is_under(b, a)

    def lines_cross(self, a: Iterable[str], b: Iterable[str]) -> bool:
        """True when someone in group A is in the reporting line of someone else in group
        B: the ethics rule between two engagements of one coach (a person in both counts
        as one, as a coachee with two requests does)."""
        bs = tuple(b)
        return any(x != y and self.in_reporting_line(x, y) for x in a for y in bs)

    def tops(self, people: Iterable[str]) -> tuple[str, ...]:
        """The people of a group that are under nobody else of it, in first-seen order.

        Anyone in the line of a member below one of them is in that one's line too (or is
        them), so the tops stand for the whole group in the ethics rule's forest, and no
        two of them are in one line."""
        group = list(dict.fromkeys(people))
        return tuple(x for x in group if not any(self.is_under(x, y) for y in group))

    def are_peers(self, a: str, b: str) -> bool:
        """True when A and B are two people with the same direct manager."""
        pa, pb = self.parent[self.index[a]], self.parent[self.index[b]]
        return a != b and pa >= 0 and pa == pb

    def chain(self, person: str) -> list[str]:
        """The person's managers, nearest first."""
        out = []
        node = self.parent[self.index[person]]
        while node >= 0:
            out.append(self.ids[node])
            node = self.parent[node]
        return out
