"""OR-Library generalised assignment problems as matcher instances.

Agents are coaches with an hours capacity, jobs are requests; every job must be placed.
The matcher's first stage (requests matched) forces every job in, and its fit-score stage
maximises total c (or minimises it, as a negated score, for types A-D).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from matcher.instance import Candidate, Instance

DATA = Path(__file__).resolve().parent / "data" / "gap"

# Published optima (maximisation) for gap1..gap12, problems 1..5.
OPTIMA = {
    1: (336, 327, 339, 341, 326),
    2: (434, 436, 420, 419, 428),
    3: (580, 564, 573, 570, 564),
    4: (656, 644, 673, 647, 664),
    5: (563, 558, 564, 568, 559),
    6: (761, 759, 758, 752, 747),
    7: (942, 949, 968, 945, 951),
    8: (1133, 1134, 1141, 1117, 1127),
    9: (709, 717, 712, 723, 706),
    10: (958, 963, 960, 947, 947),
    11: (1139, 1178, 1195, 1171, 1171),
    12: (1451, 1449, 1433, 1447, 1446),
}
# Types C and D (minimisation): the published table of best values, optimal as later
# proven (Chu & Beasley, Computers & OR 24, 1997, for C; exact methods since, e.g. Posta,
# Ferland & Michelon 2012, for D). The benchmark checks each against its own proven bound.
TABLE = {
    "c05100": 1931,
    "c05200": 3456,
    "c10100": 1402,
    "c10200": 2806,
    "c20100": 1243,
    "c20200": 2391,
    "d05100": 6353,
    "d05200": 12742,
    "d10100": 6347,
    "d10200": 12430,
    "d20100": 6185,
    "d20200": 12235,
}
LARGE_NAMES = ("05100", "05200", "10100", "10200", "20100", "20200")


@dataclass(frozen=True)
class Gap:
    name: str
    cost: list[list[int]]  # [agent][job]
    resource: list[list[int]]
    capacity: list[int]

    @property
    def agents(self) -> int:
        return len(self.capacity)

    @property
    def jobs(self) -> int:
        return len(self.cost[0])


def read(path: Path, prefix: str) -> Iterator[Gap]:
    numbers = iter(int(x) for x in path.read_text().split())
    count = next(numbers)
    for i in range(count):
        m, n = next(numbers), next(numbers)
        cost = [[next(numbers) for _ in range(n)] for _ in range(m)]
        resource = [[next(numbers) for _ in range(n)] for _ in range(m)]
        capacity = [next(numbers) for _ in range(m)]
        yield Gap(f"{prefix}-{i + 1}", cost, resource, capacity)


def to_instance(gap: Gap, maximise: bool) -> Instance:
    sign = 1 if maximise else -1
    candidates = tuple(
        Candidate(
            request=j, coach=i, minutes=gap.resource[i][j], score=sign * gap.cost[i][j], cost=0
        )
        for j in range(gap.jobs)
        for i in range(gap.agents)
        if gap.resource[i][j] <= gap.capacity[i]
    )
    return Instance(
        request_ids=tuple(f"j{j}" for j in range(gap.jobs)),
        coach_ids=tuple(f"a{i}" for i in range(gap.agents)),
        candidates=candidates,
        capacity_minutes=tuple(gap.capacity),
        capacity_count=(gap.jobs,) * gap.agents,
        total_minutes=tuple(gap.capacity),
        internal=(False,) * gap.agents,
        priority_weight=(1,) * gap.jobs,
        waiting_days=(0,) * gap.jobs,
        priority=(3,) * gap.jobs,
    )
