"""Page numbers for long lists (`?page=2`), 50 rows a page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from api.types import MAX_ROW_ID

SIZE = 50
# Beyond, the offset would not fit the database's integers: such a page is simply empty.
MAX_PAGE = MAX_ROW_ID // SIZE


@dataclass(frozen=True)
class Pager:
    number: int  # 1-based
    total: int
    params: tuple[tuple[str, str], ...] = ()  # the list's filters, kept in the links

    @property
    def offset(self) -> int:
        return (self.number - 1) * SIZE

    @property
    def limit(self) -> int:
        return SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // SIZE))

    def link(self, number: int) -> str:
        return "?" + urlencode([*self.params, ("page", str(number))])

    @property
    def previous(self) -> str | None:
        return self.link(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.link(self.number + 1) if self.number < self.pages else None


def pager(page: int, params: dict[str, str | None]) -> Pager:
    kept = tuple((k, v) for k, v in params.items() if v)
    return Pager(number=min(max(1, page), MAX_PAGE), total=0, params=kept)


def with_total(p: Pager, total: int) -> Pager:
    return Pager(number=p.number, total=total, params=p.params)
