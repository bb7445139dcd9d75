"""Readable invite emails over real SMTP (issue 13 item 5), and the confidentiality
property: a brief written through the API never reaches an invite, a feed, an email or a
log line — checked by a detector that is itself shown to catch a leak."""

from __future__ import annotations

import logging
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from api_support import START, fresh
from engaged_support import confirm, sessions_of
from fastapi.testclient import TestClient
from real_servers import free_port
from rounds_support import build_programme, fast
from sqlmodel import Session

from api.models import CoachingRequest
from api.outbox import deliver_pending
from api.settings import Settings


class Recorder:
    def __init__(self) -> None:
        self.raw: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Any:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, recorder
    controller.stop()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings, session_ttl=timedelta(days=200))


def _confirm_through_the_api(
    client: TestClient, db: Session, settings: Settings, brief: str | None = None
) -> dict[str, Any]:
    """HR writes the request and its brief through the API; the confirmation plans and
    invites as HR's confirmation does."""
    w = build_programme(db, settings, client)
    body: dict[str, Any] = {
        "coachee_id": w["people"]["olga"].id,
        "sponsor_id": w["people"]["sales"].id,
        "coaching_type": "mediation",
        "themes": ["conflits"],
        "language": "fr",
        "modality": "remote",
        "sessions": 3,
        "session_minutes": 60,
        "cadence_days": 14,
    }
    if brief is not None:
        body |= {"description": brief, "objectives": brief}
    created = client.post("/requests", json=body, headers=w["hr"])
    assert created.status_code == 201, created.text
    request = fresh(db).get(CoachingRequest, created.json()["id"])
    assert brief is None or request.description == brief  # the sentinel reached the input
    engagement_id = confirm(db, settings, request, w["karl"])
    w["engagement"] = engagement_id
    w["sessions"] = sessions_of(db, engagement_id)
    return w


def _exercise(client: TestClient, db: Session, w: dict[str, Any]) -> list[bytes]:
    """Every output a session's life gives: invites (new, moved, cancelled), feeds of all
    three parties with names shown."""
    second, third = w["sessions"][1:3]
    moved = client.post(f"/me/sessions/{second.id}/reschedule", json={}, headers=w["karl_h"])
    assert moved.status_code == 200, moved.text
    cancelled = client.post(f"/me/sessions/{third.id}/cancel", headers=w["karl_h"])
    assert cancelled.status_code == 200, cancelled.text
    feeds = []
    for who in ("karl_h", "olga_h"):
        client.patch("/me/feed", json={"detail": "names"}, headers=w[who])
        url = client.post("/me/feed", headers=w[who]).json()["url"]
        feeds.append(client.get(url.removeprefix("http://testserver")).content)
    return feeds


def _texts(raw: bytes) -> list[bytes]:
    """A message's headers and every part, decoded (base64, quoted-printable)."""
    message = message_from_bytes(raw, policy=policy.default)
    out = [str(v).encode() for _, v in message.items()]
    for part in message.walk():
        if not part.is_multipart():
            out.append(part.get_payload(decode=True) or b"")
    return out


def leaks(secret: str, emails: list[bytes], feeds: list[bytes], logs: str) -> list[str]:
    """Where ``secret`` (or a line of it) shows: the detector of the property below."""
    pieces = {secret, *[line for line in secret.splitlines() if len(line) >= 8]}
    found = []
    for i, raw in enumerate(emails):
        for text in _texts(raw):
            decoded = text.decode("utf-8", "replace").replace("\r\n ", "").replace("\\n", "\n")
            found += [f"email {i}" for p in pieces if p in decoded or p.encode() in text]
    for i, feed in enumerate(feeds):
        unfolded = feed.decode().replace("\r\n ", "").replace("\\,", ",").replace("\\n", "\n")
        found += [f"feed {i}" for p in pieces if p in unfolded]
    found += ["log" for p in pieces if p in logs]
    return found


SECRETS = [
    "SENTINEL-CONFIDENTIAL-7f3a conflit avec son N+1",
    "Médiation : Olga ne supporte plus Sacha 😤 — SENTINEL-b91c",
    "SENTINEL-0d2e line one\nSENTINEL-0d2e second line, with; commas\\",
]


@pytest.mark.parametrize("secret", SECRETS, ids=["ascii", "accents-emoji", "lines"])
def test_a_brief_written_through_the_api_reaches_no_invite_feed_email_or_log(
    secret: str,
    client: TestClient,
    db: Session,
    settings: Settings,
    smtp: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    controller, recorder = smtp
    w = _confirm_through_the_api(client, db, settings, brief=secret)
    feeds = _exercise(client, db, w)
    sending = settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{controller.port}"})
    report = deliver_pending(db, sending, START)
    assert report.sent >= 3 * 3 and not report.failed
    assert len(recorder.raw) == report.sent
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert leaks(secret, recorder.raw, feeds, logs) == []
    # The detector is not blind: the same outputs with the brief put where a bug would put
    # it (the invite's place) are caught in the emails, the feeds and the calendars.
    from api.sessions import invites

    real_place = invites.place

    def leaky_place(session: Any, settings: Any, request: Any, *a: Any, **k: Any) -> Any:
        return invites.Place(location=request.description)

    monkeypatch.setattr(invites, "place", leaky_place)
    monkeypatch.setattr("api.feeds.service.place", leaky_place)
    recorder.raw.clear()
    fourth = w["sessions"][0]
    moved = client.post(f"/me/sessions/{fourth.id}/reschedule", json={}, headers=w["karl_h"])
    assert moved.status_code == 200, moved.text
    url = client.post("/me/feed", headers=w["karl_h"]).json()["url"]
    leaky_feed = client.get(url.removeprefix("http://testserver")).content
    deliver_pending(db, sending, START)
    found = leaks(secret, recorder.raw, [leaky_feed], "")
    assert any(f.startswith("email") for f in found) and "feed 0" in found
    monkeypatch.setattr(invites, "place", real_place)


def _parts(raw: bytes) -> tuple[EmailMessage, str, str]:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    return message, plain.get_content(), html.get_content()


def test_emails_in_the_readers_language_zone_and_words_over_smtp(
    client: TestClient, db: Session, settings: Settings, smtp: Any
) -> None:
    controller, recorder = smtp
    sending = settings.model_copy(
        update={
            "smtp_url": f"smtp://127.0.0.1:{controller.port}",
            "meeting_url_template": "https://meet.example.org/{uid}",
        }
    )
    w = _confirm_through_the_api(client, db, sending)
    _exercise(client, db, w)
    deliver_pending(db, sending, START)
    by_kind: dict[tuple[str, str], list[bytes]] = {}
    for raw in recorder.raw:
        raw.decode("ascii")  # 7-bit on the wire: every part quoted-printable or base64
        message = message_from_bytes(raw, policy=policy.default)
        key = (str(message["To"]), str(message["Subject"]).split(" ", 1)[0])
        by_kind.setdefault(key, []).append(raw)
    olga = w["people"]["olga"].email  # French, Europe/Paris
    karl = w["people"]["karl"].email  # English
    _, plain, html = _parts(by_kind[(olga, "Invitation")][0])
    assert "Séance de coaching" in plain and "médiation" not in plain.lower()
    assert "heure de Paris" in plain and " h " in plain
    assert any(day in plain for day in ("lundi", "mardi", "mercredi", "jeudi", "vendredi"))
    assert "Karl Coach" in plain and "Olga Other" in plain
    assert "https://meet.example.org/" in plain and "http://testserver/my/sessions" in plain
    assert '<html lang="fr">' in html and "<img" not in html and "<h1>" in html
    _, moved, _ = _parts(by_kind[(karl, "Updated")][0])
    assert "Was:" in moved and "Now:" in moved and "Paris time" in moved
    assert any(day in moved for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))
    _, cancelled, _ = _parts(by_kind[(olga, "Annulé")][0])
    assert "Annulée par\u00a0: le coach" in cancelled and "Et ensuite" not in cancelled
    assert "Les autres séances" in cancelled
    message, _, _ = _parts(by_kind[(karl, "Cancelled:")][0])
    assert message["Content-Language"] == "en"
    for raw in recorder.raw:
        for part in message_from_bytes(raw, policy=policy.default).walk():
            if not part.is_multipart():
                assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64", "7bit")
