"""Replies to the invites (issue 13 item 2): `coachmatch mail-in` reads one email as an
MTA delivers it; REPLYs shaped as Outlook, Google, Apple and Thunderbird send them set
the attendee's PARTSTAT (shown to the session's attendees and in later invites); a
decline is told to the coach (and HR for a first session); a COUNTER becomes a
reschedule request the coach accepts in one call; anything that does not match a known
UID, attendee and SEQUENCE is quarantined and changes nothing."""

from __future__ import annotations

import io
import sys
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from api_support import fresh, row_counts
from engaged_support import engage, ical_js, outbox, sessions_of
from fastapi.testclient import TestClient
from reply_samples import CLIENTS, outlook
from rounds_support import fast
from sqlmodel import Session, select

from api.cli import main
from api.models import CoachingSession, InboundReply, RescheduleRequest, SessionAttendance
from api.settings import Settings, load_settings

PROGRAMME = "coaching@example.org"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings, session_ttl=timedelta(days=200))


@pytest.fixture
def engaged(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    return engage(client, db, settings)


def mail_in(
    raw: bytes, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> tuple[int, str]:
    """`coachmatch mail-in` as the MTA runs it: the message on standard input."""
    monkeypatch.setenv("COACHMATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("COACHMATCH_BASE_URL", settings.base_url)
    load_settings.cache_clear()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    try:
        code = main(["mail-in"])
    finally:
        load_settings.cache_clear()
    return code, capsys.readouterr().err


def _reply(client_name: str, row: CoachingSession, who: Any, answer: str, **kw: Any) -> bytes:
    values: dict[str, Any] = dict(
        uid=row.uid,
        sequence=row.sequence,
        attendee=who.email,
        name=who.name,
        partstat=answer,
        organizer=PROGRAMME,
        start=row.start_at,
        end=row.end_at,
        message_id=f"<{client_name}-{answer}-{row.id}-{row.sequence}@corp.example>",
    )
    values.update(kw)
    return CLIENTS[client_name](**values)


def _answers(client: TestClient, row: CoachingSession, headers: dict[str, str]) -> dict[str, str]:
    response = client.get(f"/me/sessions/{row.id}/answers", headers=headers)
    assert response.status_code == 200, response.text
    return {a["role"]: a["partstat"] for a in response.json()}


@pytest.mark.parametrize(
    ("client_name", "partstat"),
    [
        ("outlook", "ACCEPTED"),
        ("google", "ACCEPTED"),
        ("apple", "TENTATIVE"),
        ("thunderbird", "ACCEPTED"),
    ],
)
def test_each_clients_reply_sets_the_attendees_answer(
    client_name: str,
    partstat: str,
    client: TestClient,
    db: Session,
    settings: Settings,
    engaged: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    w = engaged
    second = w["sessions"][1]
    paul = w["people"]["paul"]
    code, said = mail_in(_reply(client_name, second, paul, partstat), settings, monkeypatch, capsys)
    assert code == 0 and "applied" in said
    assert _answers(client, second, w["karl_h"]) == {"coach": "NEEDS-ACTION", "coachee": partstat}
    assert _answers(client, second, w["paul_h"])["coachee"] == partstat
    # the next invite (a move) asks again: a new time is a new question
    moved = client.post(f"/me/sessions/{second.id}/reschedule", json={}, headers=w["karl_h"])
    assert moved.status_code == 200, moved.text
    assert _answers(client, second, w["karl_h"])["coachee"] == "NEEDS-ACTION"


def test_later_invites_carry_the_answer(
    client: TestClient,
    db: Session,
    settings: Settings,
    engaged: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    """A change that keeps the time (the room) sends the answers already given."""
    w = engaged
    second = w["sessions"][1]
    paul = w["people"]["paul"]
    assert (
        mail_in(_reply("outlook", second, paul, "ACCEPTED"), settings, monkeypatch, capsys)[0] == 0
    )
    from api.models import Engagement
    from api.places.service import resend_future

    engagement = fresh(db).get(Engagement, w["engagement"])
    from api.models import CoachingRequest

    request = db.get(CoachingRequest, engagement.request_id)
    resend_future(
        session=db,
        settings=settings,
        engagement=engagement,
        request=request,
        coach=db.get(type(w["karl"]), w["karl"].id),
        now=second.start_at - timedelta(days=5),
    )
    db.commit()
    row = fresh(db).get(CoachingSession, second.id)
    latest = [
        m for m in outbox(db) if m.dedupe_key.startswith(f"session:{row.id}:seq:{row.sequence}:")
    ]
    assert latest
    message = message_from_bytes(latest[0].raw_mime, policy=policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    (js,) = ical_js(part.get_payload(decode=True))
    answers = {a["email"]: a["partstat"] for a in js["events"][0]["attendees"]}
    assert answers[paul.email] == "ACCEPTED"


def test_a_decline_reaches_the_coach_and_hr_for_a_first_session(
    client: TestClient,
    db: Session,
    settings: Settings,
    engaged: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    w = engaged
    first, second = w["sessions"][:2]
    sponsor = w["people"]["sales"]
    paul = w["people"]["paul"]
    assert (
        mail_in(_reply("thunderbird", first, sponsor, "DECLINED"), settings, monkeypatch, capsys)[0]
        == 0
    )
    notices = outbox(db, "reply.declined")
    recipients = sorted(n.recipient for n in notices)
    assert recipients == sorted(["hr@example.org", w["people"]["karl"].email])
    body = message_from_bytes(notices[0].raw_mime, policy=policy.default).get_body().get_content()
    assert "Sacha Sales" in body and "sponsor" in body
    assert _answers(client, first, w["karl_h"])["sponsor"] == "DECLINED"
    # a later session: the coach only
    assert (
        mail_in(_reply("google", second, paul, "DECLINED"), settings, monkeypatch, capsys)[0] == 0
    )
    later = [n for n in outbox(db, "reply.declined") if n.id not in {m.id for m in notices}]
    assert [n.recipient for n in later] == [w["people"]["karl"].email]
    for n in outbox(db, "reply.declined"):  # 7-bit: quoted-printable, nothing undeclared
        n.raw_mime.decode("ascii")


def test_a_proposed_time_becomes_a_request_the_coach_accepts(
    client: TestClient,
    db: Session,
    settings: Settings,
    engaged: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    w = engaged
    second, third = w["sessions"][1:3]
    paul = w["people"]["paul"]
    proposed = second.start_at + timedelta(days=1, hours=2)
    raw = outlook(
        uid=second.uid,
        sequence=second.sequence,
        attendee=paul.email,
        name=paul.name,
        partstat="TENTATIVE",
        organizer=PROGRAMME,
        start=second.start_at,
        end=second.end_at,
        counter=(proposed, proposed + (second.end_at - second.start_at)),
        message_id="<counter-1@EX01.corp.example>",
    )
    code, said = mail_in(raw, settings, monkeypatch, capsys)
    assert code == 0 and "counters" in said
    (notice,) = outbox(db, "reply.counter")
    assert notice.recipient == w["people"]["karl"].email
    pending = client.get("/me/reschedule-requests", headers=w["karl_h"]).json()
    assert [(p["session_id"], p["role"]) for p in pending] == [(second.id, "coachee")]
    assert pending[0]["proposed_start"].startswith(proposed.strftime("%Y-%m-%dT%H:%M"))
    # another coach cannot accept it
    url = f"/me/reschedule-requests/{pending[0]['id']}/accept"
    assert client.post(url, headers=w["xavier_h"]).status_code == 404
    accepted = client.post(url, headers=w["karl_h"])
    assert accepted.status_code == 200, accepted.text
    row = fresh(db).get(CoachingSession, second.id)
    assert row.start_at == proposed and row.sequence == 1
    assert {m.kind for m in outbox(db) if f"session:{row.id}:seq:1:" in m.dedupe_key} == {
        "invite.request"
    }
    assert client.post(url, headers=w["karl_h"]).status_code == 409  # decided already
    assert fresh(db).get(CoachingSession, third.id).sequence == 0


QUARANTINE = [
    ("unknown_uid", lambda w, row, who: dict(uid="nobody@elsewhere.example")),
    ("unknown_attendee", lambda w, row, who: dict(attendee="intruder@attacker.example")),
    ("unknown_attendee", lambda w, row, who: dict(attendee=w["people"]["olga"].email)),
    ("unknown_sequence", lambda w, row, who: dict(sequence=row.sequence + 1)),
    ("unsupported_answer", lambda w, row, who: dict(partstat="DELEGATED")),
]


@pytest.mark.parametrize(("reason", "change"), QUARANTINE)
def test_what_does_not_match_is_quarantined_and_changes_nothing(
    reason: str,
    change: Any,
    client: TestClient,
    db: Session,
    settings: Settings,
    engaged: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    w = engaged
    second = w["sessions"][1]
    paul = w["people"]["paul"]
    before = row_counts(db)
    answers = [(a.attendee, a.partstat) for a in fresh(db).exec(select(SessionAttendance))]
    raw = _reply("apple", second, paul, "DECLINED", **change(w, second, paul))
    code, said = mail_in(raw, settings, monkeypatch, capsys)
    assert code == 0 and f"quarantined ({reason})" in said
    after = row_counts(db)
    assert after.pop("inbound_reply") == before.pop("inbound_reply") + 1
    assert after == before  # no answer, no notice, no request
    assert [(a.attendee, a.partstat) for a in fresh(db).exec(select(SessionAttendance))] == answers
    (kept,) = fresh(db).exec(select(InboundReply)).all()
    assert kept.outcome == "quarantined" and kept.reason == reason and kept.raw == raw
    listed = client.get("/replies?outcome=quarantined", headers=w["hr"]).json()
    assert [(r["id"], r["reason"]) for r in listed] == [(kept.id, reason)]
    assert "raw" not in listed[0]
    assert any(reason in r.getMessage() for r in caplog.records)
    assert not any(paul.email in r.getMessage() for r in caplog.records)  # no address logged


def test_a_message_read_twice_or_not_a_reply(
    client: TestClient,
    db: Session,
    settings: Settings,
    engaged: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    w = engaged
    first = w["sessions"][0]
    raw = _reply("google", first, w["people"]["paul"], "DECLINED")
    assert "applied" in mail_in(raw, settings, monkeypatch, capsys)[1]
    counts = row_counts(db)
    assert "duplicates" in mail_in(raw, settings, monkeypatch, capsys)[1]  # an MTA retry
    assert row_counts(db) == counts
    human = b"From: someone@corp.example\r\nMessage-ID: <h1@corp.example>\r\n\r\nThanks!\r\n"
    assert "quarantined (no_calendar)" in mail_in(human, settings, monkeypatch, capsys)[1]
    huge = b"Message-ID: <big@corp.example>\r\n\r\n" + b"x" * (settings.reply_max_bytes + 10)
    assert "quarantined (too_large)" in mail_in(huge, settings, monkeypatch, capsys)[1]
    # a reply to a session's earlier version is recorded, not applied
    moved = client.post(f"/me/sessions/{first.id}/reschedule", json={}, headers=w["karl_h"])
    assert moved.status_code == 200
    old = _reply("thunderbird", first, w["people"]["sales"], "ACCEPTED", sequence=0)
    assert "stale" in mail_in(old, settings, monkeypatch, capsys)[1]
    row = sessions_of(db, w["engagement"])[0]
    assert _answers(client, row, w["karl_h"])["sponsor"] == "NEEDS-ACTION"
    assert fresh(db).exec(select(RescheduleRequest)).all() == []
