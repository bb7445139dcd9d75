"""The confidentiality sweep (issue 12): every endpoint and page HR may open (the
authorization and page-access tables, so a new route is swept once it has its line
there), with every id of the database in its path, every report in every grouping and
format, and every log line the service wrote while the programme ran: no brief, no
objective, no leave or time-away reason, and nothing that ties a testimonial to its
author (the author's name or address never beside a text, no trace in HR's export that
a person gave one)."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from api_support import add_engagement, add_person, add_request, add_user, fresh, login
from fastapi.testclient import TestClient
from life_support import settings, w
from rounds_support import SENTINEL, post_round
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel
from test_api_authorization import SPEC
from test_api_data_rights import BRIEF, OBJECTIVE, OTHER_BRIEF, _everything_about_paul
from test_web_access import HR, PAGES

from api.deps import SESSION_COOKIE
from api.models.enums import EngagementStatus, RequestStatus, Role
from api.reports import periods
from api.settings import Settings

FIXTURES = (settings, w)  # the life world's, for pytest
AWAY = "KARL-AWAY-REASON"  # why the coach is away: the coach's own, HR sees only when
SECRETS = (BRIEF, OBJECTIVE, OTHER_BRIEF, SENTINEL, "PAUL-LEAVE-REASON", AWAY)
MARKER = "TESTIMONY-MARK"  # in every testimonial text: where HR reads one
AUTHORS = ("Wilhelmina Quarrington", "Barnaby Oakenshaw", "Clementine Ravensworth",
           "Desmond Fairweather", "Evangeline Thistlewood", "Ferdinand Blackwater")  # fmt: skip
# a path parameter -> the table whose every id fills it (a new parameter needs a line)
FILL = {
    "person_id": "person",
    "coach_id": "coach",
    "request_id": "coaching_request",
    "engagement_id": "engagement",
    "round_id": "matching_round",
    "note_id": "synthesis_note",
}
BYS = (None, "unit", "site", "type", "coach_kind", "coach")


def _authors(client: TestClient, db: Session, settings: Settings, w: dict[str, Any]) -> None:
    """More coachees than k, each with an engagement with Karl that is over, give a
    testimonial naming themselves; Karl approves them all: HR has a batch."""
    sales = w["people"]["sales"]
    w["authors"] = []
    for n, name in enumerate(AUTHORS):
        person = add_person(db, f"A{n}", manager=sales, name=name, unit="Sales")
        request = add_request(db, person, sponsor=sales, description=BRIEF,
                              status=RequestStatus.closed)  # fmt: skip
        engagement = add_engagement(db, request, w["karl"], status=EngagementStatus.completed)
        headers = login(client, add_user(db, settings, Role.coachee, person=person).email)
        text = f"{MARKER} {n}: I am {name} ({person.email}) and coaching helped me."
        body = {"engagement_id": engagement.id, "text": text, "quotable": True}
        response = client.post("/me/testimonials", json=body, headers=headers)
        assert response.status_code == 201, response.text
        w["authors"].append(person)
        w.setdefault("author_h", []).append(headers)
    queue = client.get("/testimonials/review", headers=w["karl_h"]).json()["testimonials"]
    assert len(queue) >= settings.report_k
    for item in queue:
        response = client.post(f"/testimonials/{item['id']}/approve", json={},
                               headers=w["karl_h"])  # fmt: skip
        assert response.status_code == 200, response.text
    assert client.get("/testimonials", headers=w["hr"]).json()["batches"]


def _weak_signals(client: TestClient, w: dict[str, Any]) -> None:
    """HR's themes, Karl's tags on Paul's engagement, a published synthesis note."""
    for code in ("workload", "change"):
        body = {"code": code, "label_en": code.title(), "label_fr": code.upper()}
        assert client.post("/themes", json=body, headers=w["hr"]).status_code == 201
    tags = {"themes": ["workload", "change"]}
    put = client.put(f"/me/engagements/{w['engagement']}/themes", json=tags, headers=w["karl_h"])
    assert put.status_code == 200, put.text
    note = {"title": "February", "from": "2026-02-01", "to": "2026-02-28",
            "body": "Nothing to report yet.", "published": True}  # fmt: skip
    assert client.post("/syntheses", json=note, headers=w["karl_h"]).status_code == 201


def _ids(db: Session, table: str) -> list[str]:
    found = SQLModel.metadata.tables[table]
    return [str(i) for i in fresh(db).execute(sa_select(found.c.id)).scalars()]


def _expand(db: Session, template: str) -> list[str]:
    names = re.findall(r"{(\w+)}", template)
    missing = [n for n in names if n not in FILL]
    if missing:
        pytest.fail(f"{template}: no ids for {missing}: add the parameter to FILL")
    paths = []
    for values in itertools.product(*(_ids(db, FILL[n]) for n in names)):
        path = template
        for name, value in zip(names, values, strict=True):
            path = path.replace("{" + name + "}", value)
        paths.append(path)
    return paths


def _hr_may(roles: frozenset[str] | str) -> bool:
    return roles == "public" or HR in roles


def _reports() -> Iterator[str]:
    """Every report HR can ask for the closed periods of the world's year, and the
    last year's: in every grouping, as JSON and as CSV."""
    chosen = [periods.year(2025), *periods.closed(periods.of_year(2026), date(2026, 3, 2))]
    for period, fmt in itertools.product(chosen, ("json", "csv")):
        query = f"from={period.start}&to={period.end}&format={fmt}"
        for by in BYS:
            yield f"/reports/indicators?{query}" + (f"&by={by}" if by else "")
        for by in (None, "unit"):
            yield f"/reports/themes?{query}" + (f"&by={by}" if by else "")


def test_nothing_hr_can_reach_holds_a_secret_or_ties_a_testimonial_to_its_author(
    client: TestClient,
    db: Session,
    w: dict[str, Any],
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    w["settings"] = settings
    _everything_about_paul(client, db, w)
    _weak_signals(client, w)
    _authors(client, db, settings, w)
    away = {"start_at": "2026-03-09T00:00:00Z", "end_at": "2026-03-13T00:00:00Z", "reason": AWAY}
    added = client.post("/me/availability/exceptions", json=away, headers=w["karl_h"])
    assert added.status_code == 201, added.text
    post_round(client, w["hr"], commit=True)
    png = b"\x89PNG\r\n\x1a\n" + bytes(32)  # the coaches' photos, for HR to open too
    for coach in ("karl_h", "xavier_h"):
        photo = {"photo": ("me.png", png, "image/png")}
        uploaded = client.put("/me/coach/photo", files=photo, headers=w[coach])
        assert uploaded.status_code == 204, uploaded.text
    feed = client.post("/me/feed", headers=w["hr"]).json()["url"]
    w["hr_feed"] = feed.split("/feeds/")[1]
    hr_token = w["hr"]["Authorization"].removeprefix("Bearer ")
    api = [p for (m, p), s in SPEC.items() if m == "GET" and _hr_may(s.roles)]
    pages = [p for (m, p), s in PAGES.items() if m == "GET" and _hr_may(s.roles)]
    for must in ("/testimonials", "/syntheses/{note_id}", "/reports/themes"):
        assert must in api, must  # the sweep reaches the new endpoints...
    for must in ("/hr/testimonials", "/hr/themes", "/hr/syntheses"):
        assert must in pages, must  # ...and pages
    urls = [("api", u) for p in api if "{token}" not in p for u in _expand(db, p)]
    urls += [("api", f"/feeds/{w['hr_feed']}"), ("api", "/audit?limit=500")]
    urls += [("api", u) for u in _reports()]
    urls += [("page", u) for p in pages for u in _expand(db, p)]
    urls += [("page", "/hr?year=2025"), ("page", "/hr?year=2026")]
    names = {a.id: (a.name, a.email) for a in w["authors"]}
    words = {part for name, _ in names.values() for part in name.split()}
    read: dict[str, str] = {}
    for kind, url in urls:
        client.cookies.clear()
        if kind == "page":
            client.cookies.set(SESSION_COOKIE, hr_token)
        response = client.get(url, headers=w["hr"] if kind == "api" else {})
        if response.status_code == 200:
            read[url] = response.text
    client.cookies.clear()
    # everything answered (a 4xx would hide it from the sweep) but the reports asked
    # without their period, which the loop asks in every period and grouping instead
    assert sorted(u for _, u in urls if u not in read) == ["/reports/indicators", "/reports/themes"]
    assert len(read) > 150 and sum(kind == "page" for kind, _ in urls) > 50
    for url, text in read.items():
        for secret in SECRETS:
            assert secret not in text, (url, secret)
    # the texts are read where HR reads testimonials, and nowhere else...
    quoting = {url for url, text in read.items() if MARKER in text}
    assert quoting == {"/testimonials", "/hr/testimonials"}, quoting
    # ...with no author's name or address beside them
    for url in quoting:
        for word in words | {email for _, email in names.values()}:
            assert word not in read[url], (url, word)
    # HR does read the authors' names elsewhere (so the check above could fail)...
    assert all(name in read["/people"] for name, _ in names.values())
    # ...but nothing there says who gave a testimonial: HR's export and data page of
    # an author hold no trace of it (the person's own export does)
    for person_id in names:
        exported = client.get(f"/people/{person_id}/export", headers=w["hr"]).json()
        assert exported["tables"].get("testimonial_given", []) == [], person_id
        assert 'id="table-testimonial_given"' not in read[f"/hr/people/{person_id}/data"]
    own = client.get("/me/export", headers=w["author_h"][0]).json()
    assert len(own["tables"]["testimonial_given"]) == 1
    # nor does any log line the service wrote while all this happened
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # the service did log
    for secret in (*SECRETS, MARKER, *words, *(email for _, email in names.values())):
        assert secret not in logged, secret
