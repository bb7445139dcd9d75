"""Look-ups for HR's people pickers (static/picker.js): people and coaches by a few letters
of a name, an email, a unit, an org-chart id or a coach's number, as JSON.

HR only: the only role that chooses people by org-chart id on its forms. The answer holds
who a person is (name, email, unit, org-chart id), never anything of a request. Matching
ignores case and accents ("helene" finds "Hélène"); it runs in Python over the active
people's four short columns, as SQLite and PostgreSQL fold accents differently (or not at
all without an extension)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlmodel import Session, col, select

from api.deps import SessionDep
from api.errors import Forbidden, NotAuthenticated
from api.models import Coach, Person
from api.models.enums import Role
from api.web.viewer import Viewer, ViewerDep

# A JSON route, not a page: a refusal is a JSON 401/403 (api.handlers), never a redirect.
router = APIRouter(include_in_schema=False)
PEOPLE = "/hr/lookup/people"
COACHES = "/hr/lookup/coaches"
SHORTEST = 2  # letters before a search: one letter would list half the org chart
MOST = 20


def _hr(viewer: ViewerDep) -> Viewer:
    if viewer.user is None:
        raise NotAuthenticated("sign in first")
    if viewer.user.role != Role.hr:
        raise Forbidden("only HR may look people up")
    return viewer


HRLookup = Annotated[Viewer, Depends(_hr)]
Search = Annotated[str, Query(max_length=200)]
Limit = Annotated[int, Query(ge=1, le=MOST)]


# The combining diacritical marks (Latin, Greek, Cyrillic, Vietnamese...) that NFKD splits
# off a letter; dropped by one regular expression, several times faster than testing each
# character (every row is folded on every search).
MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: "Hélène Ørsted" -> "helene ørsted"."""
    if text.isascii():
        return text.lower()
    return MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()


@dataclass(frozen=True, slots=True)
class Found:
    value: str  # what the form submits: the org-chart id, or the coach's number
    name: str
    detail: str  # shown under the name to tell two namesakes apart


def _answer(found: list[Found], limit: int, too_short: bool = False) -> JSONResponse:
    answer = {
        "results": [asdict(f) for f in found[:limit]],
        "more": len(found) > limit,  # more matched than were sent: the user should type more
        "too_short": too_short,
    }
    # who someone is: not for shared caches, nor kept by the browser
    return JSONResponse(answer, headers={"Cache-Control": "no-store"})


def _words(q: str) -> list[str] | None:
    """The query's words, folded; None when it is too short to search (a number is never
    too short: a coach's number may be one digit)."""
    words = fold(q).split()
    if sum(len(w) for w in words) >= SHORTEST or (len(words) == 1 and words[0].isdigit()):
        return words
    return None


# A match before it is sent: (folded name, name, value, the detail's parts).
Match = tuple[str, str, str, tuple[str | None, ...]]


def _first(matched: list[Match], limit: int) -> list[Found]:
    """By name as a reader sorts them (accents aside, the same on every database); at most
    `limit` + 1, the extra one telling that there are more."""
    matched.sort(key=lambda m: m[:3])
    return [
        Found(value=value, name=name, detail=" · ".join(p for p in parts if p))
        for _, name, value, parts in matched[: limit + 1]
    ]


def find_people(session: Session, words: list[str], limit: int) -> list[Found]:
    """Active people (never an erased one) whose name, email, unit or org-chart id hold
    every word."""
    rows = session.exec(
        select(Person.external_id, Person.name, Person.email, Person.unit).where(
            col(Person.active).is_(True), col(Person.erased_at).is_(None)
        )
    )
    matched: list[Match] = []
    for external_id, name, email, unit in rows:
        text = fold(f"{name}\n{email}\n{unit}\n{external_id}")
        if all(w in text for w in words):
            matched.append((text.partition("\n")[0], name, external_id, (email, unit, external_id)))
    return _first(matched, limit)


def find_coaches(session: Session, words: list[str], limit: int) -> list[Found]:
    """Active coaches whose name, firm or email hold every word; a word of digits is a
    coach's number, matched whole."""
    rows = session.exec(
        select(Coach.id, Coach.name, Coach.vendor, Coach.email).where(col(Coach.active).is_(True))
    )
    matched: list[Match] = []
    for number, name, vendor, email in rows:
        text = fold(f"{name or ''}\n{vendor or ''}\n{email or ''}")
        if all(w == str(number) if w.isdigit() else w in text for w in words):
            shown = name or f"#{number}"
            matched.append((fold(shown), shown, str(number), (vendor, email, f"#{number}")))
    return _first(matched, limit)


def _look_up(
    find: Callable[[Session, list[str], int], list[Found]], session: Session, q: str, limit: int
) -> JSONResponse:
    words = _words(q)
    if words is None:
        return _answer([], limit, too_short=True)
    return _answer(find(session, words, limit), limit)


@router.get(PEOPLE)
def look_up_people(
    viewer: HRLookup, session: SessionDep, q: Search = "", limit: Limit = MOST
) -> JSONResponse:
    return _look_up(find_people, session, q, limit)


@router.get(COACHES)
def look_up_coaches(
    viewer: HRLookup, session: SessionDep, q: Search = "", limit: Limit = MOST
) -> JSONResponse:
    return _look_up(find_coaches, session, q, limit)
