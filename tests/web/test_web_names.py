"""No page shows a raw id where a name exists, nor a catalog key instead of its text.

Every GET page, opened by every role allowed on it (in English and French), in a world
whose people have names: the visible text (tags, scripts and attribute values left out)
names people, requests and engagements by name, never as "P1", "#3" or "nav.requests".
An org-chart id may show only beside its person's name (HR's people list, a picker's
hint), the way the issue asked: "names not ids"."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from api_support import build_world
from fastapi.testclient import TestClient
from test_web_access import PAGES, PUBLIC, _call

from api.i18n import CATALOGS
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

KEY_LIKE = re.compile(r"\b[a-z_]+(?:\.[a-z_0-9]+)+\b")
HASH_NUMBER = re.compile(r"(?<![\w&])#\d+\b")
# The world's people (tests/api/api_support.py): org-chart id -> name.
PEOPLE = {"B1": "Beatrice Boss", "P1": "Paul Coachee", "P2": "Olga Other", "K1": "Karl Coach"}
NAMES = (*PEOPLE.values(), "External 1", "External 2", "External 3")
NEAR = 120  # characters: an org id this close to its person's name goes with it
BESIDE = 16  # characters: a "#12" this close to a name is that person's reference


class _Visible(HTMLParser):
    """The text a reader sees: no tags, no attribute values, no script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(text: str) -> list[str]:
    """What in `text` is an id or a key instead of words."""
    found: list[str] = []
    keys = CATALOGS["en"].keys()
    found += [f"catalog key {k}" for k in KEY_LIKE.findall(text) if k in keys]
    for m in HASH_NUMBER.finditer(text):
        # a reference number may go with the name it belongs to ("Karl Coach (#4)")
        beside = text[max(0, m.start() - BESIDE) : m.end() + BESIDE]
        if not any(name in beside for name in NAMES):
            found.append(f"number {m.group(0)}: …{text[max(0, m.start() - 50) : m.end() + 30]}…")
    for person_id, name in PEOPLE.items():
        for match in re.finditer(rf"\b{person_id}\b", text):
            around = text[max(0, match.start() - NEAR) : match.end() + NEAR]
            if name not in around:
                found.append(f"org id {person_id} without {name}: …{around}…")
    return found


def test_the_checker_finds_what_it_looks_for() -> None:
    assert problems("Responsable P1, Accompagnement #3, nav.requests") == [
        "catalog key nav.requests",
        "number #3: …Responsable P1, Accompagnement #3, nav.requests…",
        "org id P1 without Paul Coachee: …Responsable P1, Accompagnement #3, nav.requests…",
    ]
    assert problems("Paul Coachee (P1) · Karl Coach (#4) · e.g. 0,1 · 14 h 00") == []
    assert visible("<p title='P2'>Hi <script>var x = 'P2';</script><b>there</b></p>") == "Hi there"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_page_shows_an_id_where_a_name_exists(
    lang: str, client: TestClient, db: Any, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    client.cookies.set(LANG_COOKIE, lang)
    seen, failures = 0, []
    for method, path in sorted(k for k in PAGES if k[0] == "GET"):
        spec = PAGES[(method, path)]
        if spec.prepare is not None:
            spec.prepare(world, db)
        roles: list[str | None] = [None] if spec.roles == PUBLIC else sorted(spec.roles)
        for role in roles:
            response = _call(client, method, path, spec, world, role, spec.mine.get(role))
            if response.status_code != 200 or "text/html" not in response.headers.get(
                "content-type", ""
            ):
                continue
            seen += 1
            for problem in problems(visible(response.text)):
                failures.append(f"{path} as {role}: {problem}")
    assert seen > 60
    assert failures == [], "\n".join(failures)
