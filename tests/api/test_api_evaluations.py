"""Evaluations (issue 11 item 3): voluntary, once, released in cells of at least k, a
coach's own sum from k answers; and detached: a test tries to link the answers back to
their authors from every table and from every page of the API HR can read."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from api_support import START, add_engagement, add_person, add_request, add_user, fresh, login
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rounds_support import build_programme, fast
from sqlalchemy import DateTime, text
from sqlmodel import Session, SQLModel, select

from api.clock import FixedClock
from api.jobs.chores import evaluations as release
from api.models import EvaluationAnswer, EvaluationInvitation, PendingEvaluation
from api.models.enums import RequestStatus, Role
from api.settings import Settings

K = 3
ANSWER = {"satisfaction": 4, "recommend": True}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings, session_ttl=timedelta(days=400), evaluation_k=K)


@pytest.fixture
def ended(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """Karl coached five of Sacha Sales's team; each engagement ended early by him: an
    evaluation is open to each coachee and five to Sacha."""
    w = build_programme(db, settings, client)
    sales = w["people"]["sales"]
    w["sales_h"] = login(client, add_user(db, settings, Role.sponsor, person=sales).email)
    w["team"] = []
    for n in range(5):
        person = add_person(db, f"T{n}", manager=sales, name=f"Teammate {n}", unit="Sales")
        request = add_request(db, person, sponsor=sales, status=RequestStatus.matched)
        engagement = add_engagement(db, request, w["karl"])
        headers = login(client, add_user(db, settings, Role.coachee, person=person).email)
        ended = client.post(
            f"/me/engagements/{engagement.id}/end",
            json={"reason": "objectives_reached"},
            headers=w["karl_h"],
        )
        assert ended.status_code == 200, ended.text
        w["team"].append({"headers": headers, "engagement": engagement.id, "person": person.id})
    return w


def _open(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/me/evaluations", headers=headers)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def _answer(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> Any:
    (invitation,) = _open(client, headers)
    return client.post(f"/me/evaluations/{invitation['id']}", json=body, headers=headers)


def _release(db: Session, settings: Settings, now: datetime) -> int:
    result: int = release(session=fresh(db), settings=settings, now=now)
    return result


def test_answers_are_voluntary_given_once_and_released_k_at_a_time(
    client: TestClient, db: Session, settings: Settings, ended: dict[str, Any]
) -> None:
    team = ended["team"]
    invitation = _open(client, team[0]["headers"])[0]
    assert invitation["engagement_id"] == team[0]["engagement"] and invitation["role"] == "coachee"
    assert len(_open(client, ended["sales_h"])) == 5  # the sponsor's, one per engagement
    path = f"/me/evaluations/{invitation['id']}"
    for body, field in (
        ({**ANSWER, "objectives": [3]}, "objectives"),  # no contract: no objective to rate
        ({**ANSWER, "satisfaction": 6}, "satisfaction"),
        ({"satisfaction": 4}, "recommend"),
        ({**ANSWER, "testimonial": "x" * 1001}, "testimonial"),
        ({**ANSWER, "author": "me"}, "author"),
    ):
        refused = client.post(path, json=body, headers=team[0]["headers"])
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    # somebody else's invitation is not theirs to answer
    assert client.post(path, json=ANSWER, headers=team[1]["headers"]).status_code == 404
    assert client.post(path, json=ANSWER, headers=ended["karl_h"]).status_code == 403
    assert client.post(path, json=ANSWER, headers=team[0]["headers"]).status_code == 201
    twice = client.post(path, json=ANSWER, headers=team[0]["headers"])
    assert twice.status_code == 404 and _open(client, team[0]["headers"]) == []

    summary = "/me/coach/evaluations"
    assert _answer(client, team[1]["headers"], {**ANSWER, "satisfaction": 2}).status_code == 201
    assert _release(db, settings, START) == 0  # two answers: below k
    assert client.get(summary, headers=ended["karl_h"]).json()["answers"] is None
    assert fresh(db).exec(select(EvaluationAnswer)).all() == []
    # the sponsor's answers are a cell of their own: they do not complete the coachees'
    sponsor_open = _open(client, ended["sales_h"])
    client.post(f"/me/evaluations/{sponsor_open[0]['id']}", json=ANSWER, headers=ended["sales_h"])
    # the coach's own tally holds k answers (two coachees, the sponsor): he sees their sum
    assert _release(db, settings, START) == 0  # but no cell of the pool reached k
    first = client.get(summary, headers=ended["karl_h"]).json()
    assert first == {
        "k": K,
        "answers": 3,
        "satisfaction": round((4 + 2 + 4) / 3, 2),
        "recommend_share": 1.0,
        "objectives": None,
    }
    # a third coachee answers: the coachees' cell is released; the coach's sum moves on
    # only in steps of k, so his fourth answer cannot be told apart
    body = {**ANSWER, "satisfaction": 3, "recommend": False}
    assert _answer(client, team[2]["headers"], body).status_code == 201
    assert _release(db, settings, START) == 3
    assert client.get(summary, headers=ended["karl_h"]).json() == first
    assert {r.respondent for r in fresh(db).exec(select(EvaluationAnswer))} == {"coachee"}
    # the two who did not answer still can, until the invitation expires
    assert len(_open(client, team[3]["headers"])) == 1
    assert _release(db, settings, START + timedelta(days=settings.evaluation_days)) == 0
    assert _open(client, team[3]["headers"]) == []
    assert fresh(db).exec(select(EvaluationInvitation)).all() == []


def _hr_pages(app: FastAPI) -> list[str]:
    """Every GET of the API without a path parameter (HR's lists and reports)."""
    skip = {"/metrics", "/health", "/ready"}
    return sorted(
        path
        for path, operations in app.openapi()["paths"].items()
        if "get" in operations and "{" not in path and path not in skip
    )


def _read_all(client: TestClient, hr: dict[str, str], paths: list[str]) -> dict[str, str]:
    seen = {}
    for path in paths:
        response = client.get(path, headers=hr)
        if response.status_code == 200:
            seen[path] = response.text
    return seen


def _rows(db: Session) -> dict[str, list[dict[str, Any]]]:
    fresh(db)
    return {
        table.name: [dict(r._mapping) for r in db.execute(table.select())]
        for table in SQLModel.metadata.sorted_tables
    }


def _physical_order(db: Session, name: str) -> list[str]:
    """The pool's testimonials in the order the database keeps the rows."""
    fresh(db)
    key = "rowid" if db.get_bind().dialect.name == "sqlite" else "ctid"
    return list(db.execute(text(f"SELECT testimonial FROM {name} ORDER BY {key}")).scalars())


def test_no_table_and_no_page_of_hr_links_an_answer_to_its_author(
    client: TestClient,
    db: Session,
    settings: Settings,
    ended: dict[str, Any],
    clock: FixedClock,
    app: FastAPI,
) -> None:
    team = ended["team"]
    pages = _hr_pages(app)
    assert "/engagements" in pages and "/outbox" in pages
    before = _read_all(client, ended["hr"], pages)
    # answered at distinctive instants, in the reverse order of their content
    instants = [START + timedelta(days=n + 1, minutes=17, seconds=13) for n in range(4)]
    authors = {}
    for n, instant in enumerate(instants):
        clock.set(instant)
        secret = f"TESTIMONIAL-{n}-{team[n]['person']}"
        authors[secret] = team[n]
        # not quotable: a quotable one becomes a testimonial (test_api_testimonials.py)
        body = {"satisfaction": 5 - n, "recommend": True, "testimonial": secret, "quotable": False}
        assert _answer(client, team[n]["headers"], body).status_code == 201
    assert _read_all(client, ended["hr"], pages) == before  # HR reads nothing new

    rows = _rows(db)
    for table in SQLModel.metadata.sorted_tables:
        holding = [r for r in rows[table.name] if any(s in str(r) for s in authors)]
        if not holding:
            continue
        assert table.name in ("pending_evaluation", "evaluation_answer"), table.name
        assert not table.foreign_keys, table.name
        assert not [c.name for c in table.columns if isinstance(c.type, DateTime)], table.name
    stamped = [
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, DateTime)
        for r in rows[table.name]
        if r[column.name] is not None and abs(r[column.name] - instants[-1]) < timedelta(hours=1)
    ]
    assert stamped == []  # no row was written at an answer's time
    assert len(rows["pending_evaluation"]) == 4
    answered = {r["engagement_id"] for r in rows["evaluation_invitation"]}
    assert {m["engagement"] for m in team[:4]} <= answered  # the sponsor's are still open
    # the pool keeps no trace of the order the answers came in
    content_order = sorted(authors, key=lambda s: 5 - int(s.split("-")[1]))
    assert _physical_order(db, "pending_evaluation") == content_order
    assert [r.testimonial for r in fresh(db).exec(select(PendingEvaluation))] != list(authors)

    assert _release(db, settings, instants[-1]) == 4
    released = list(fresh(db).exec(select(EvaluationAnswer).order_by(EvaluationAnswer.id)))  # type: ignore[arg-type]
    assert [r.testimonial for r in released] == content_order
    assert {r.batch for r in released} == {instants[-1].date()}
    assert {(r.period, r.unit, r.respondent, r.coach_kind) for r in released} == {
        ("2026-Q1", "Sales", "coachee", "internal")
    }
    after = _read_all(client, ended["hr"], pages)
    for path, body in after.items():
        for secret, author in authors.items():
            if secret in body:  # a report quoting a testimonial: never with its author
                assert f'"engagement_id":{author["engagement"]}' not in body, path
