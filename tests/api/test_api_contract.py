"""The tripartite contract (issue 11 item 1): the coach writes it, every change is a new
version the others acknowledge again, nothing is overwritten; the objectives reach the
three parties only (never HR, invites, feeds, logs or mails)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from api_support import fresh, row_counts
from engaged_support import outbox
from fastapi.testclient import TestClient
from life_support import readable, settings, state_of, w
from lifecycle_support import FRAME, contract_body
from sqlmodel import Session, col, select

from api.clock import FixedClock
from api.models import ContractVersion
from api.models.enums import EngagementStatus

__all__ = ["settings", "w"]  # the fixtures
SECRET = "SENTINEL-OBJECTIVE-c0ffee"


def _write(client: TestClient, w: dict[str, Any], body: dict[str, Any], who: str = "karl_h") -> Any:
    return client.put(f"/me/engagements/{w['engagement']}/contract", json=body, headers=w[who])


def _ack(client: TestClient, w: dict[str, Any], who: str, version: int | None = None) -> Any:
    body = {"version": version} if version is not None else None
    path = f"/me/engagements/{w['engagement']}/contract/acknowledge"
    return client.post(path, json=body, headers=w[who])


def test_a_change_is_a_new_version_the_others_acknowledge_again(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    from datetime import timedelta

    e = w["engagement"]
    assert _write(client, w, contract_body("Lead the yearly reviews")).status_code == 200
    assert _ack(client, w, "paul_h", 1).status_code == 200
    assert _ack(client, w, "sales_h", 1).status_code == 200
    assert state_of(db, e) == EngagementStatus.contracted
    assert len(outbox(db, "notify.contract")) == 2  # the coachee and the sponsor

    clock.advance(timedelta(days=1))
    changed = _write(client, w, contract_body("Lead the yearly reviews", "Delegate"))
    assert changed.status_code == 200, changed.text
    contract = changed.json()["contract"]
    assert contract["version"] == 2
    assert contract["objectives"] == ["Lead the yearly reviews", "Delegate"]
    assert [a["role"] for a in contract["acknowledgements"]] == ["coach"]
    assert contract["pending"] == ["coachee", "sponsor"] and not contract["complete"]
    (first,) = contract["history"]
    assert first["version"] == 1 and first["objectives"] == ["Lead the yearly reviews"]
    assert [a["role"] for a in first["acknowledgements"]] == ["coach", "coachee", "sponsor"]
    told = outbox(db, "notify.contract")
    assert len(told) == 4
    assert sorted(m.recipient for m in told[2:]) == ["e1@example.org", "e3@example.org"]
    rows = list(fresh(db).exec(select(ContractVersion).order_by(col(ContractVersion.version))))
    assert [(r.version, r.objectives) for r in rows] == [
        (1, ["Lead the yearly reviews"]),
        (2, ["Lead the yearly reviews", "Delegate"]),
    ]

    stale = _ack(client, w, "paul_h", 1)
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    assert _ack(client, w, "paul_h", 2).status_code == 200
    again = _ack(client, w, "paul_h")  # acknowledging twice changes nothing
    assert [a["role"] for a in again.json()["contract"]["acknowledgements"]] == ["coach", "coachee"]

    before = row_counts(db)
    same = _write(client, w, contract_body("Lead the yearly reviews", "Delegate"))
    assert same.status_code == 200 and same.json()["contract"]["version"] == 2
    assert row_counts(db) == before  # the same content is no new version, no mail
    frame = {**FRAME, "sessions": 6, "expected_end": "2026-06-01"}
    longer = _write(
        client, w, {"objectives": ["Lead the yearly reviews", "Delegate"], "frame": frame}
    )
    assert longer.json()["contract"]["version"] == 3
    assert longer.json()["contract"]["frame"]["sessions"] == 6
    assert len(longer.json()["contract"]["history"]) == 2


def test_only_the_coach_writes_and_only_the_parties_acknowledge(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    before = row_counts(db)
    for who, status in (("paul_h", 403), ("sales_h", 403), ("hr", 403), ("xavier_h", 404)):
        response = _write(client, w, contract_body("Overwritten"), who)
        assert response.status_code == status, (who, response.text)
    assert row_counts(db) == before
    assert _write(client, w, contract_body("Agreed")).status_code == 200
    assert _ack(client, w, "hr").status_code == 403
    assert _ack(client, w, "olga_h").status_code == 404
    assert _ack(client, w, "xavier_h").status_code == 404
    seen = client.get(f"/me/engagements/{w['engagement']}", headers=w["olga_h"])
    assert seen.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"objectives": [], "frame": FRAME}, "objectives"),
        ({"objectives": ["x" * 301], "frame": FRAME}, "objectives"),
        ({"objectives": ["ok"] * 11, "frame": FRAME}, "objectives"),
        ({"objectives": ["   "], "frame": FRAME}, "objectives"),
        ({"objectives": ["ok"]}, "frame"),
        ({"objectives": ["ok"], "frame": {**FRAME, "expected_end": "2026-03-01"}}, "expected_end"),
        ({"objectives": ["ok"], "frame": {**FRAME, "sessions": 0}}, "sessions"),
        ({"objectives": ["ok"], "frame": {**FRAME, "modality": "telepathy"}}, "modality"),
        ({"objectives": ["ok"], "frame": {**FRAME, "start": "someday"}}, "start"),
        ({"objectives": ["ok"], "frame": FRAME, "notes": "x"}, "notes"),
        ({"objectives": "ok", "frame": FRAME}, "objectives"),
    ],
)
def test_bad_contracts_are_refused_naming_the_field(
    client: TestClient, db: Session, w: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    before = row_counts(db)
    response = _write(client, w, body)
    assert response.status_code == 422, response.text
    assert field in response.json()["field"], response.json()
    assert row_counts(db) == before


def test_bad_acknowledgements_name_the_field(client: TestClient, w: dict[str, Any]) -> None:
    _write(client, w, contract_body())
    path = f"/me/engagements/{w['engagement']}/contract/acknowledge"
    for body in ({"version": 0}, {"version": "one"}, {"version": 1, "extra": True}):
        response = client.post(path, json=body, headers=w["paul_h"])
        assert response.status_code == 422, response.text
        assert response.json()["field"] in ("version", "extra")
    missing = client.post("/me/engagements/2147483647/contract/acknowledge", headers=w["paul_h"])
    assert missing.status_code == 404


def test_the_objectives_reach_the_three_parties_and_nothing_else(
    client: TestClient,
    db: Session,
    w: dict[str, Any],
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    e = w["engagement"]
    assert _write(client, w, contract_body(SECRET, f"{SECRET} again")).status_code == 200
    _ack(client, w, "paul_h")
    _ack(client, w, "sales_h")
    assert _write(client, w, contract_body(f"{SECRET} v2")).status_code == 200  # a new version
    # the sentinel really reached the contract: the three parties read it
    for who in ("karl_h", "paul_h", "sales_h"):
        assert SECRET in client.get(f"/me/engagements/{e}", headers=w[who]).text
    # the sessions move on and the engagement ends: invites, reminders, evaluations
    sessions = client.get("/me/sessions", headers=w["karl_h"]).json()["items"]
    client.post(f"/me/sessions/{sessions[1]['id']}/reschedule", json={}, headers=w["karl_h"])
    client.post(f"/me/engagements/{e}/end", json={"reason": "other"}, headers=w["paul_h"])
    assert SECRET in client.get("/me/evaluations", headers=w["paul_h"]).text  # the coachee's own

    hr_reads = [
        f"/engagements/{e}",
        "/engagements",
        "/sessions",
        f"/requests/{w['requests']['paul'].id}",
        "/requests",
        "/outbox",
        "/replies",
    ]
    for path in hr_reads:
        response = client.get(path, headers=w["hr"])
        assert response.status_code == 200, (path, response.text)
        assert SECRET not in response.text, path
    hr_view = client.get(f"/engagements/{e}", headers=w["hr"]).json()
    assert "contract" not in hr_view and "objectives" not in hr_view
    for who in ("karl_h", "paul_h", "sales_h"):
        url = client.post("/me/feed", headers=w[who]).json()["url"]
        feed = client.get(url.removeprefix("http://testserver"))
        assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
        assert SECRET not in feed.text
        other = client.get("/me/engagements", headers=w[who]).text  # the list has no contract
        assert SECRET not in other
    mails = outbox(db)
    assert {m.kind for m in mails} >= {
        "invite.request",
        "invite.cancel",
        "notify.contract",
        "notify.evaluation",
    }, {m.kind for m in mails}
    for message in mails:
        assert SECRET not in readable(message), message.kind
    assert caplog.records and SECRET not in caplog.text


@pytest.mark.parametrize(("kind", "template"), [("tutoring", "tutoring"), ("coaching", "coaching")])
def test_a_tutoring_engagement_gets_the_tutoring_contract(
    client: TestClient, db: Session, settings: Any, kind: str, template: str
) -> None:
    """Tutoring (a tutor and a newcomer) has its own contract template and clause; other
    kinds keep theirs (issue 11 item 6)."""
    from life_support import life

    from api.deps import SESSION_COOKIE

    w = life(client, db, settings, coaching_type=kind)
    written = _write(client, w, contract_body("Find one's way in the team"))
    assert written.status_code == 200, written.text
    assert written.json()["contract"]["template"] == template
    seen = client.get(f"/me/engagements/{w['engagement']}", headers=w["paul_h"]).json()
    assert seen["contract"]["template"] == template
    client.cookies.set(SESSION_COOKIE, w["paul_h"]["Authorization"].removeprefix("Bearer "))
    response = client.get(f"/my/engagements/{w['engagement']}/contract")
    client.cookies.clear()
    assert response.status_code == 200, response.text
    page = response.text
    tutor_clause = "The exchanges between tutor and newcomer stay between them"
    assert (tutor_clause in page) == (kind == "tutoring")
