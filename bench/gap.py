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
# Best values and lower bounds seen for type D with a plain CP-SAT model, 2 workers, 30 s.
D_FLOOR = {
    "d05100": (6354, 6350),
    "d05200": (12750, 12739),
    "d10100": (6373, 6335),
    "d10200": (12485, 12423),
    "d20100": (6298, 6162),
    "d20200": (12353, 12224),
}
D_NAMES = ("d05100", "d05200", "d10100", "d10200", "d20100", "d20200")


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
