"""What HR's lists share (issue 14 item 2): the query string's search, filters, sort and
page checked once (a wrong value is reported by field, never raised), the accent-folded
search, the pages and the CSV export (UTF-8 with a BOM, formula-safe cells).

The request pipeline (`api.web.pipeline`) and the lists of people, coaches, engagements,
sessions and the outbox all read their rows once and filter them here in plain Python:
a programme holds hundreds of rows, not millions.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.clock import Clock
from api.deps import ClockDep, SessionDep
from api.i18n import t
from api.reports.service import spreadsheet_safe
from api.web.paging import Pager, pager, with_total
from api.web.viewer import HRPage, SignedIn

MAX_SEARCH = 200
R = TypeVar("R")


@dataclass(frozen=True)
class Spec:
    """A list's GET parameters beyond `q`, `sort`, `order` and `page`; refusals are the
    catalog keys `<prefix>.choice`, `<prefix>.date`, `<prefix>.range` and `<prefix>.<name>`
    for the search, the page and each number."""

    sorts: type[StrEnum]
    sort: StrEnum  # the default
    choices: Mapping[str, type[StrEnum]] = field(default_factory=dict)
    texts: tuple[str, ...] = ()  # matched whole, case and accents folded
    numbers: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    dates: tuple[str, str] | None = None  # (from, to) of one range
    descending: bool = True
    prefix: str = "lists.invalid"

    @property
    def params(self) -> tuple[str, ...]:
        dates = self.dates or ()
        return ("q", *self.choices, *self.texts, *self.numbers, *dates, "sort", "order", "page")


@dataclass(frozen=True)
class Query:
    """The parameters as checked: `chosen` holds the given filters' values (enum member,
    number, date or text), `values` what was typed (for the form), `errors` field -> key."""

    q: str
    chosen: dict[str, Any]
    sort: str
    descending: bool
    page: int
    values: dict[str, str]
    errors: dict[str, str]

    def kept(self, *dropped: str) -> dict[str, str | None]:
        """The parameters to keep in the pager's links (and tabs, without `dropped`)."""
        return {k: v for k, v in self.values.items() if k != "page" and k not in dropped}

    def link(self, path: str) -> str:
        """The same list elsewhere, e.g. its CSV export."""
        return f"{path}?{urlencode(self.kept())}"


def parse(params: Mapping[str, str], spec: Spec) -> Query:
    values = {k: params.get(k, "").strip() for k in spec.params}
    errors: dict[str, str] = {}
    chosen: dict[str, Any] = {}
    for name, enum in (*spec.choices.items(), ("sort", spec.sorts)):
        if values[name]:
            try:
                chosen[name] = enum(values[name])
            except ValueError:
                errors[name] = f"{spec.prefix}.choice"
    for name in spec.texts:
        if values[name]:
            chosen[name] = folded(values[name])
    for name, (low, high) in (*spec.numbers.items(), ("page", (1, 10**9))):
        text = values[name]
        if text and (not text.isascii() or not text.isdigit() or not low <= int(text) <= high):
            errors[name] = f"{spec.prefix}.{name}"
        elif text:
            chosen[name] = int(text)
    for name in spec.dates or ():
        if values[name]:
            try:
                chosen[name] = date.fromisoformat(values[name])
            except ValueError:
                errors[name] = f"{spec.prefix}.date"
    if spec.dates and not errors.keys() & set(spec.dates):
        start, end = (chosen.get(n) for n in spec.dates)
        if start and end and start > end:
            errors[spec.dates[1]] = f"{spec.prefix}.range"
    if values["order"] not in ("", "asc", "desc"):
        errors["order"] = f"{spec.prefix}.choice"
    if len(values["q"]) > MAX_SEARCH:
        errors["q"] = f"{spec.prefix}.q"
    return Query(
        q=values["q"] if "q" not in errors else "",
        chosen=chosen,
        sort=str(chosen.pop("sort", spec.sort)),
        descending=values["order"] == "desc" if values["order"] else spec.descending,
        page=chosen.pop("page", 1),
        values={k: v for k, v in values.items() if v},
        errors=errors,
    )


def folded(text: str) -> str:
    """Lower case without accents: "Hélène" and "helene" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def found(needle: str, *haystacks: str) -> bool:
    """Whether the search (empty: anything) is in one of the texts, accents folded."""
    wanted = folded(needle)
    return not wanted or any(wanted in folded(h) for h in haystacks)


def same(query: Query, name: str, value: str) -> bool:
    """Whether a text filter (unset: anything) names the value, accents folded."""
    wanted = query.chosen.get(name)
    return wanted is None or wanted == folded(value)


def sorted_rows(rows: Iterable[R], query: Query, keys: Mapping[Any, Callable[[R], Any]]) -> list[R]:
    return sorted(rows, key=keys[query.sort], reverse=query.descending)


def page_of(rows: Sequence[R], query: Query) -> tuple[Pager, Sequence[R]]:
    """The query's page of the rows, with a pager keeping its filters."""
    p = with_total(pager(query.page, query.kept()), len(rows))
    return p, rows[p.offset : p.offset + p.limit]


def shown(query: Query, rows: Sequence[R], csv_path: str, lang: str) -> dict[str, Any]:
    """What a list's template reads: its page of rows, the pager, the filters as typed,
    the refusals in the reader's language (422) and the link to the same list as CSV."""
    p, page = page_of(rows, query)
    return {
        "status": 422 if query.errors else 200,
        "rows": page,
        "pager": p,
        "filters": query.values,
        "list_errors": {k: t(v, lang) for k, v in query.errors.items()},
        "csv_link": query.link(csv_path),
    }


@dataclass(frozen=True)
class Export(Generic[R]):
    """A list's CSV: the file name's stem, the header (catalog keys), a row's cells."""

    stem: str
    header: tuple[str, ...]
    cells: Callable[[R, SignedIn], Sequence[object]]


Found = Callable[[Session, SignedIn, Query, datetime], Sequence[R]]
Page = Callable[[Request, SignedIn, Session, Clock], Response]


def csv_route(
    router: APIRouter, path: str, spec: Spec, export: Export[R], found: Found[R], page: Page
) -> None:
    """GET `path`: the page's filtered list (same parameters, every page) as CSV, or the
    page with its refusals (422) when a parameter is wrong."""

    def download(
        request: Request, viewer: HRPage, session: SessionDep, clock: ClockDep
    ) -> Response:
        query = parse(request.query_params, spec)
        if query.errors:
            return page(request, viewer, session, clock)
        now = clock.now()
        header = [t(c, viewer.lang) for c in export.header]
        rows = (export.cells(r, viewer) for r in found(session, viewer, query, now))
        return csv_response(as_csv(header, rows), export.stem, now.date())

    router.get(path, name=f"{export.stem}_csv")(download)


def as_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with a BOM (Excel reads the accents right); a text cell a spreadsheet
    would run as a formula gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(c) if isinstance(c, str) else c for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_response(body: bytes, stem: str, today: date) -> Response:
    name = f"{stem}-{today.isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: str | None) -> E | None:
    """A form's choice, or None for "all" (and for anything not in the list)."""
    try:
        return enum(value) if value else None
    except ValueError:
        return None
