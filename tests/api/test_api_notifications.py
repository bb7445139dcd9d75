"""Notifications (issue 11 item 5): session reminders and lapse reminders sent once
however often their chore runs, at each person's time, in their language, never with
anything confidential; each person turns the optional ones off, never the others."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from api_support import START, fresh
from engaged_support import outbox, sessions_of
from fastapi.testclient import TestClient
from life_support import readable, settings, w
from lifecycle_support import contract_body
from rounds_support import SENTINEL
from sqlmodel import Session

from api.jobs.chores import lapses, reminders_and_proposals
from api.models import Coach, Person
from api.settings import Settings

__all__ = ["settings", "w"]  # the fixtures


def _remind(db: Session, settings: Settings, now: Any) -> int:
    result: int = reminders_and_proposals(session=fresh(db), settings=settings, now=now)
    return result


def _speaks(db: Session, person: Person, language: str) -> None:
    row = fresh(db).get_one(Person, person.id)
    row.language = language
    db.add(row)
    db.commit()


def test_a_session_is_reminded_once_at_each_persons_time_in_their_language(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    _speaks(db, w["people"]["sales"], "fr")
    first = sessions_of(db, w["engagement"])[0]
    put = client.put("/me/notifications", json={"reminder_hours": 48}, headers=w["paul_h"])
    assert put.status_code == 200 and put.json()["reminder_hours"] == 48
    early = _remind(db, settings, first.start_at - timedelta(hours=49))
    assert early == 0, [(m.recipient, m.subject) for m in outbox(db, "notify.reminder")]
    at = first.start_at - timedelta(hours=47)
    assert _remind(db, settings, at) == 1  # Paul asked for two days
    assert _remind(db, settings, at) == 0
    at = first.start_at - timedelta(hours=23)
    assert _remind(db, settings, at) == 2  # Karl and Sacha: the default day before
    assert _remind(db, settings, at + timedelta(hours=1)) == 0
    sent = outbox(db, "notify.reminder")
    assert sorted(m.recipient for m in sent) == [
        "e1@example.org",
        "e3@example.org",
        "e5@example.org",
    ]
    by = {m.recipient: readable(m) for m in sent}
    assert "Rappel" in by["e1@example.org"] and "séance" in by["e1@example.org"]  # Sacha: fr
    assert "Reminder" in by["e3@example.org"]
    for text in by.values():
        assert SENTINEL not in text
    assert _remind(db, settings, first.start_at + timedelta(minutes=5)) == 0  # started


def test_optional_notifications_can_be_turned_off_and_the_others_cannot(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    for bad, field in (
        ({"off": ["nonsense"]}, "off"),
        ({"reminder_hours": 0}, "reminder_hours"),
        ({"reminder_hours": 169}, "reminder_hours"),
        ({"off": "reminder"}, "off"),
        ({"mute": True}, "mute"),
    ):
        refused = client.put("/me/notifications", json=bad, headers=w["paul_h"])
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"].split(".")[0] == field, refused.text
    chosen = client.put(
        "/me/notifications", json={"off": ["reminder", "contract"]}, headers=w["paul_h"]
    ).json()
    assert chosen["off"] == ["reminder"]  # a contract to acknowledge is always told
    assert "contract" not in chosen["optional"] and "reminder" in chosen["optional"]
    assert client.get("/me/notifications", headers=w["paul_h"]).json()["off"] == ["reminder"]
    first = sessions_of(db, w["engagement"])[0]
    _remind(db, settings, first.start_at - timedelta(hours=2))
    assert "e3@example.org" not in {m.recipient for m in outbox(db, "notify.reminder")}
    assert {m.recipient for m in outbox(db, "notify.reminder")} == {
        "e1@example.org",
        "e5@example.org",
    }
    path = f"/me/engagements/{w['engagement']}/contract"
    assert client.put(path, json=contract_body(), headers=w["karl_h"]).status_code == 200
    assert "e3@example.org" in {m.recipient for m in outbox(db, "notify.contract")}


def _lapsing(db: Session, w: dict[str, Any], karl_until: date, xavier_until: date) -> None:
    karl = fresh(db).get_one(Coach, w["karl"].id)
    karl.certified_until = karl_until
    xavier = db.get_one(Coach, w["xavier"].id)
    xavier.referenced_until = xavier_until
    db.add_all([karl, xavier])
    db.commit()


def test_lapse_reminders_go_60_30_and_7_days_before_once_each(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    _speaks(db, w["people"]["karl"], "fr")
    today = START.date()
    _lapsing(db, w, today + timedelta(days=60), today + timedelta(days=61))
    counts = []
    for days in (0, 0, 1, 1, 30, 30, 31, 53, 53, 54, 54, 62):
        counts.append(
            lapses(session=fresh(db), settings=settings, now=START + timedelta(days=days))
        )
    # Karl (fr) and HR at 60, 30 and 7 days; Xavier and HR a day later each time
    assert counts == [2, 0, 2, 0, 2, 0, 2, 2, 0, 2, 0, 0]
    sent = outbox(db, "notify.lapse")
    by_recipient: dict[str, list[str]] = {}
    for message in sent:
        by_recipient.setdefault(message.recipient, []).append(readable(message))
    assert {k: len(v) for k, v in by_recipient.items()} == {
        "e5@example.org": 3,
        "xavier@vendor.example": 3,
        "hr@example.org": 6,
    }
    karl = by_recipient["e5@example.org"]
    assert "certification" in karl[0] and "dans 60 jours" in karl[0]
    assert "dans 7 jours" in karl[2]
    assert "referencing" in by_recipient["xavier@vendor.example"][0]
    assert "Karl Coach" in by_recipient["hr@example.org"][0]


def test_a_certification_already_over_is_not_reminded(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    today = START.date()
    _lapsing(db, w, today - timedelta(days=3), today + timedelta(days=200))
    assert lapses(session=fresh(db), settings=settings, now=START) == 0
    assert outbox(db, "notify.lapse") == []


def test_a_cancelled_session_is_not_reminded_and_a_moved_one_at_its_new_time_only(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    moving, cancelling = sessions_of(db, w["engagement"])[1:3]
    old_start = moving.start_at
    new_start = None
    # The first slot the cadence (days after and before its neighbours) and the coach's
    # week allow.
    shifts = [timedelta(days=d, hours=h) for d in (1, -1, 2, -2, 3, -3) for h in (0, 1, -1)]
    for shift in shifts:
        moved = client.post(
            f"/me/sessions/{moving.id}/reschedule",
            json={"start_at": (old_start + shift).isoformat()},
            headers=w["karl_h"],
        )
        if moved.status_code == 200:
            new_start = old_start + shift
            break
    assert new_start is not None, moved.text
    cancelled = client.post(f"/me/sessions/{cancelling.id}/cancel", headers=w["karl_h"])
    assert cancelled.status_code == 200, cancelled.text
    # The day before each old time: nothing for the moved session nor the cancelled one.
    for start in (old_start, cancelling.start_at):
        _remind(db, settings, start - timedelta(hours=23))
    keys = [m.dedupe_key for m in outbox(db, "notify.reminder")]
    mine = [k for k in keys if f"s{moving.id}:" in k or f"s{cancelling.id}:" in k]
    assert mine == [], keys
    # The day before its new time, the moved session is reminded to its attendees.
    assert _remind(db, settings, new_start - timedelta(hours=23)) >= 2
    keys = [m.dedupe_key for m in outbox(db, "notify.reminder")]
    assert len([k for k in keys if f"s{moving.id}:" in k]) >= 2


def test_hr_gets_the_weekly_digest_once_a_week_in_counts_only(
    client: TestClient, db: Session, settings: Settings, w: dict[str, Any]
) -> None:
    from sqlmodel import select

    from api.jobs.chores import digest
    from api.models import CoachingRequest
    from api.models.enums import RequestStatus

    monday = START + timedelta(days=(7 - START.weekday()) % 7 or 7)
    assert digest(session=fresh(db), settings=settings, now=monday) == 1  # the one HR account
    assert digest(session=fresh(db), settings=settings, now=monday + timedelta(days=2)) == 0
    (sent,) = outbox(db, "notify.digest")
    assert sent.recipient == "hr@example.org"
    text = readable(sent)
    open_requests = fresh(db).exec(
        select(CoachingRequest).where(CoachingRequest.status == RequestStatus.open)
    )
    assert f"Open requests: {len(list(open_requests))}" in text
    assert "Engagements by state: " in text
    # Counts only: no person's or coach's name, no brief.
    for person in w["people"].values():
        assert person.name not in text, person.name
    for coach in (w["karl"], w["xavier"]):
        assert coach.name not in text, coach.name
    assert SENTINEL not in text
    # A new week, a new digest, until HR turns it off.
    assert digest(session=fresh(db), settings=settings, now=monday + timedelta(days=7)) == 1
    off = client.put("/me/notifications", json={"off": ["digest"]}, headers=w["hr"])
    assert off.status_code == 200, off.text
    assert digest(session=fresh(db), settings=settings, now=monday + timedelta(days=14)) == 0
