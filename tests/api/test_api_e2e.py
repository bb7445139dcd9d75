"""The whole programme over HTTP, with a real SMTP server on localhost: HR imports the org
chart and adds coaches, coaches publish their availability, HR submits requests, previews
and commits a round, confirms; sessions are planned, invites arrive by SMTP, feeds show the
sessions, a coach reschedules (the next SEQUENCE arrives) and cancels (METHOD:CANCEL)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import add_user, login
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rounds_support import SENTINEL, fast
from sqlmodel import Session
from test_api_outbox import Server

from api.app import create_app
from api.clock import FixedClock
from api.models.enums import Role
from api.settings import Settings
from matcher.orgchart import OrgChart

ORG = """id,name,email,manager_id,unit,site,timezone,language
E0,Claire Ceo,claire@corp.example,,DG,Paris,Europe/Paris,fr
E1,Sacha Sales,sacha@corp.example,E0,Sales,Paris,Europe/Paris,fr
E2,Ivan It,ivan@corp.example,E0,IT,Paris,Europe/Paris,en
E3,Paul Coachee,paul@corp.example,E1,Sales,Paris,Europe/Paris,en
E4,Olga Other,olga@corp.example,E1,Sales,Lyon,Europe/Paris,fr
E5,Karl Coach,karl@corp.example,E2,IT,Paris,Europe/Paris,fr
E6,Ines Peer,ines@corp.example,E2,IT,Paris,Europe/Paris,en
"""
PASSWORD = "a long enough password"


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(settings: Settings, clock: FixedClock, smtp: Server) -> FastAPI:
    return create_app(fast(settings, smtp_url=smtp.url), clock=clock)


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _calendars(server: Server) -> list[tuple[str, str]]:
    """(To, text/calendar body) of every invite received so far."""
    out = []
    for message in server.recorder.messages:
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                out.append((str(message["To"]), str(part.get_content())))
    return out


def _unfolded(ics: str) -> str:
    return ics.replace("\r\n ", "").replace("\n ", "")


def _invite(client: TestClient, hr: dict[str, str], smtp: Server, body: dict[str, Any]) -> Any:
    """HR invites someone; the link arrives by email; they choose a password."""
    _ok(client.post("/users/invitations", json=body, headers=hr), 201)
    _ok(client.post("/outbox/deliver", headers=hr))
    mail = next(m for m in reversed(smtp.recorder.messages) if m["To"] == body["email"])
    token = mail.get_content().split("token=")[1].split()[0]
    accepted = _ok(client.post("/invitations/accept", json={"token": token, "password": PASSWORD}))
    return {"Authorization": f"Bearer {accepted['token']}"}


def test_the_whole_programme_over_http(
    client: TestClient, db: Session, settings: Settings, smtp: Server
) -> None:
    hr = login(client, add_user(db, settings, Role.hr, email="hr@corp.example").email)
    report = _ok(
        client.post(
            "/people/import", files={"file": ("org.csv", ORG.encode(), "text/csv")}, headers=hr
        )
    )
    assert report["created"] == 7, report
    people = {p["external_id"]: p for p in _ok(client.get("/people", headers=hr))["items"]}
    pid = {ext: p["id"] for ext, p in people.items()}

    karl = _ok(
        client.post(
            "/coaches",
            json={
                "kind": "internal",
                "person_id": pid["E5"],
                "certified_until": "2027-12-31",
                "languages": ["fr", "en"],
                "themes": ["leadership"],
                "modalities": ["remote"],
                "max_coachees": 3,
                "timezone": "Europe/Paris",
            },
            headers=hr,
        ),
        201,
    )
    xavier = _ok(
        client.post(
            "/coaches",
            json={
                "kind": "external",
                "name": "Xavier External",
                "email": "xavier@vendor.example",
                "vendor": "Cabinet X",
                "rate_per_session_cents": 30000,
                "currency": "EUR",
                "languages": ["en", "fr"],
                "modalities": ["remote"],
                "max_coachees": 3,
                "timezone": "Europe/Paris",
            },
            headers=hr,
        ),
        201,
    )
    karl_h = _invite(
        client, hr, smtp, {"email": "karl@corp.example", "role": "coach", "coach_id": karl["id"]}
    )
    xavier_h = _invite(
        client,
        hr,
        smtp,
        {"email": "xavier@vendor.example", "role": "coach", "coach_id": xavier["id"]},
    )
    paul_h = _invite(
        client, hr, smtp, {"email": "paul@corp.example", "role": "coachee", "person_id": pid["E3"]}
    )
    for headers in (karl_h, xavier_h):
        for weekday in range(5):
            window = {
                "weekday": weekday,
                "start_time": "09:00",
                "end_time": "17:00",
                "timezone": "Europe/Paris",
            }
            _ok(client.post("/me/availability/weekly", json=window, headers=headers), 201)

    requests = {}
    for coachee, sponsor in (("E3", "E1"), ("E4", "E1"), ("E6", "E2")):
        body = {
            "coachee_id": pid[coachee],
            "sponsor_id": pid[sponsor],
            "coaching_type": "coaching",
            "themes": ["leadership"],
            "language": "en",
            "modality": "remote",
            "sessions": 4,
            "cadence_days": 14,
            "description": SENTINEL,
        }
        requests[coachee] = _ok(client.post("/requests", json=body, headers=hr), 201)["id"]

    # Preview (a job: follow its Location), then commit it as shown.
    started = client.post("/rounds/preview", json={"proposals": 2}, headers=hr)
    assert started.status_code in (200, 202), started.text
    preview = started.json()
    for _ in range(1200):  # a minute at most
        if preview["status"] not in ("queued", "running"):
            break
        time.sleep(0.05)
        preview = _ok(client.get(started.headers["location"], headers=hr))
    assert preview["status"] == "done" and preview["committed_at"] is None
    stored = _ok(client.post(f"/rounds/{preview['id']}/commit", headers=hr))
    for key in ("matches", "unmatched", "objective", "reason_totals"):
        assert stored[key] == preview[key]
    assert stored["matched_count"] == 3 and SENTINEL not in str(stored)

    # Neutrality, checked against the imported org chart.
    org = OrgChart.build(
        (str(p["id"]), str(pid[p["manager_external_id"]]) if p["manager_external_id"] else None)
        for p in people.values()
    )
    coach_person = {karl["id"]: pid["E5"], xavier["id"]: None}
    request_rows = {r["id"]: r for r in _ok(client.get("/requests", headers=hr))["items"]}
    for match in stored["matches"]:
        request = request_rows[match["request_id"]]
        for coach_id in [match["coach_id"], *(a["coach_id"] for a in match["alternatives"])]:
            person = coach_person[coach_id]
            for party in (request["coachee_id"], request["sponsor_id"]):
                assert person is None or not (
                    person == party or org.in_reporting_line(str(person), str(party))
                )

    # HR confirms Paul's first proposal (Karl, internal first).
    proposals = _ok(client.get(f"/requests/{requests['E3']}/proposals", headers=hr))
    assert proposals[0]["rank"] == 1 and proposals[0]["coach_id"] == karl["id"]
    engagement = _ok(client.post(f"/proposals/{proposals[0]['id']}/confirm", headers=hr))
    sessions = _ok(client.get("/sessions", params={"engagement_id": engagement["id"]}, headers=hr))[
        "items"
    ]
    assert [s["number"] for s in sessions] == [1, 2, 3, 4]

    # The invites reach the SMTP server.
    smtp.recorder.messages.clear()
    _ok(client.post("/outbox/deliver", headers=hr))
    invites = _calendars(smtp)
    assert len(invites) == 2 * 4 + 1
    for to, ics in invites:
        text = _unfolded(ics)
        assert "METHOD:REQUEST" in text and "SEQUENCE:0" in text and SENTINEL not in text
        attendees = {line.rsplit("mailto:", 1)[1] for line in text.splitlines()
                     if line.startswith("ATTENDEE")}  # fmt: skip
        uid = next(line for line in text.splitlines() if line.startswith("UID:"))[4:]
        first = uid == sessions[0]["uid"]
        expected = {"karl@corp.example", "paul@corp.example"}
        assert attendees == (expected | {"sacha@corp.example"} if first else expected)
        assert to in attendees
    for message in smtp.recorder.messages:
        assert SENTINEL not in message.as_string()

    # The coach's and the coachee's feeds show the sessions.
    for headers in (karl_h, paul_h):
        url = _ok(client.post("/me/feed", headers=headers), 201)["url"]
        feed = client.get(url.removeprefix("http://testserver"))
        assert feed.status_code == 200
        body = _unfolded(feed.text)
        assert all(f"UID:{s['uid']}" in body for s in sessions) and SENTINEL not in body

    # Karl reschedules session 2: the next SEQUENCE arrives.
    second = sessions[1]
    moved = _ok(client.post(f"/me/sessions/{second['id']}/reschedule", json={}, headers=karl_h))
    assert second["id"] in {m["id"] for m in moved}
    smtp.recorder.messages.clear()
    _ok(client.post("/outbox/deliver", headers=hr))
    updates = [_unfolded(ics) for _, ics in _calendars(smtp)]
    mine = [u for u in updates if f"UID:{second['uid']}" in u]
    assert len(mine) == 2 and all("SEQUENCE:1" in u and "METHOD:REQUEST" in u for u in mine)
    # Xavier cannot touch Karl's sessions.
    third = sessions[2]
    assert client.post(f"/me/sessions/{third['id']}/cancel", headers=xavier_h).status_code == 404

    # Karl cancels session 3: METHOD:CANCEL arrives.
    _ok(client.post(f"/me/sessions/{third['id']}/cancel", headers=karl_h))
    smtp.recorder.messages.clear()
    _ok(client.post("/outbox/deliver", headers=hr))
    cancels = [_unfolded(ics) for _, ics in _calendars(smtp)]
    assert len(cancels) == 2
    for text in cancels:
        assert "METHOD:CANCEL" in text and "STATUS:CANCELLED" in text
        assert f"UID:{third['uid']}" in text and "SEQUENCE:1" in text
    feed = _unfolded(client.get(url.removeprefix("http://testserver")).text)
    event = (
        feed.split(f"UID:{third['uid']}")[0].rsplit("BEGIN:VEVENT", 1)[1]
        + feed.split(f"UID:{third['uid']}")[1].split("END:VEVENT", 1)[0]
    )
    assert "STATUS:CANCELLED" in event
