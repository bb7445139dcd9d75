"""Outbox delivery against a real SMTP server on localhost (aiosmtpd), and to .eml files."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from api_support import add_person, add_user, fresh, login
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.clock import FixedClock
from api.models import OutboxMessage
from api.models.enums import OutboxStatus, Role
from api.outbox import _claim, deliver_pending, enqueue
from api.settings import Settings


class Recorder:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.reject: bool = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """An SMTP server that tests can stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.recorder = Recorder()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server()
    server.start()
    yield server
    server.stop()


def _message(to: str, subject: str = "Hello") -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message.set_content("Body text")
    return message


def _queue(db: Session, settings: Settings, clock: FixedClock, key: str, to: str) -> OutboxMessage:
    row = enqueue(
        db, kind="test", dedupe_key=key, message=_message(to), settings=settings, now=clock.now()
    )
    db.commit()
    return row


def _rows(db: Session) -> list[OutboxMessage]:
    return list(fresh(db).exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_same_change_is_queued_once(db: Session, settings: Settings, clock: FixedClock) -> None:
    first = _queue(db, settings, clock, "session:1:seq:0", "a@example.org")
    again = _queue(db, settings, clock, "session:1:seq:0", "a@example.org")
    assert again.id == first.id
    assert len(_rows(db)) == 1
    _queue(db, settings, clock, "session:1:seq:1", "a@example.org")
    assert len(_rows(db)) == 2


def test_smtp_delivery_once(
    db: Session, settings: Settings, clock: FixedClock, smtp: Server
) -> None:
    settings = settings.model_copy(update={"smtp_url": smtp.url})
    _queue(db, settings, clock, "k1", "a@example.org")
    _queue(db, settings, clock, "k2", "b@example.org")
    report = deliver_pending(db, settings, clock.now())
    assert (report.sent, report.retried, report.failed) == (2, 0, 0)
    assert [m["To"] for m in smtp.recorder.messages] == ["a@example.org", "b@example.org"]
    assert smtp.recorder.messages[0]["From"] == settings.programme_mailbox
    assert smtp.recorder.messages[0]["Message-ID"]
    assert all(r.status == OutboxStatus.sent and r.sent_at == clock.now() for r in _rows(db))
    # Running again, now or later, sends nothing twice.
    assert deliver_pending(db, settings, clock.advance(timedelta(hours=1))).sent == 0
    assert len(smtp.recorder.messages) == 2


def test_nothing_lost_while_smtp_is_down(
    db: Session, settings: Settings, clock: FixedClock
) -> None:
    server = Server()  # not started: connections are refused
    settings = settings.model_copy(
        update={"smtp_url": server.url, "outbox_backoff_base_seconds": 30}
    )
    _queue(db, settings, clock, "k1", "a@example.org")
    _queue(db, settings, clock, "k2", "b@example.org")
    report = deliver_pending(db, settings, clock.now())
    assert report.sent == 0 and report.retried == 1  # the rest wait for the server
    first, second = _rows(db)
    assert second.attempts == 0  # not tried: the server was known to be down
    assert first.status == OutboxStatus.pending and first.attempts == 1
    assert first.next_attempt_at == clock.now() + timedelta(seconds=30)
    assert "Connection" in (first.last_error or "") or "refused" in (first.last_error or "")
    # Still down 30 s later: the wait doubles.
    clock.advance(timedelta(seconds=30))
    deliver_pending(db, settings, clock.now())
    first, _ = _rows(db)
    assert first.attempts == 2 and first.next_attempt_at == clock.now() + timedelta(seconds=60)
    # 10 s later the first is not due yet: it is not retried.
    deliver_pending(db, settings, clock.advance(timedelta(seconds=10)))
    assert _rows(db)[0].attempts == 2
    server.start()
    try:
        clock.advance(timedelta(seconds=60))
        report = deliver_pending(db, settings, clock.now())
        assert report.sent == 2
        assert sorted(m["To"] for m in server.recorder.messages) == [
            "a@example.org",
            "b@example.org",
        ]
        assert deliver_pending(db, settings, clock.advance(timedelta(days=1))).sent == 0
        assert len(server.recorder.messages) == 2
    finally:
        server.stop()


def test_permanent_rejection_gives_up_after_max_attempts(
    db: Session, settings: Settings, clock: FixedClock, smtp: Server
) -> None:
    settings = settings.model_copy(update={"smtp_url": smtp.url, "outbox_max_attempts": 2})
    smtp.recorder.reject = True
    _queue(db, settings, clock, "k1", "gone@example.org")
    assert deliver_pending(db, settings, clock.now()).retried == 1
    clock.advance(timedelta(hours=2))
    assert deliver_pending(db, settings, clock.now()).failed == 1
    (row,) = _rows(db)
    assert row.status == OutboxStatus.failed and "550" in (row.last_error or "")
    assert deliver_pending(db, settings, clock.advance(timedelta(days=2))).retried == 0


def test_two_senders_cannot_claim_the_same_message(
    db: Session, engine: Any, settings: Settings, clock: FixedClock
) -> None:
    row = _queue(db, settings, clock, "k1", "a@example.org")
    with Session(engine) as other:
        assert _claim(db, row.id, settings, clock.now()) is True
        assert _claim(other, row.id, settings, clock.now()) is False
    # A sender that died mid-send: after its lease, another sender may take over.
    later = clock.now() + timedelta(seconds=settings.outbox_lease_seconds)
    assert _claim(db, row.id, settings, later) is True


def test_eml_files_by_default(db: Session, settings: Settings, clock: FixedClock) -> None:
    _queue(db, settings, clock, "k1", "a@example.org")
    assert deliver_pending(db, settings, clock.now()).sent == 1
    files = sorted(Path(settings.outbox_dir).glob("*.eml"))
    assert len(files) == 1
    parsed = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "a@example.org" and parsed["Subject"] == "Hello"
    assert deliver_pending(db, settings, clock.advance(timedelta(hours=1))).sent == 0
    assert len(list(Path(settings.outbox_dir).glob("*.eml"))) == 1


def test_invitation_reaches_smtp_and_its_link_works_once(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock, smtp: Server
) -> None:
    hr = login(client, add_user(db, settings, Role.hr, email="hr@example.org").email)
    person = add_person(db, "E7", name="Élodie Martin", language="fr")
    response = client.post(
        "/users/invitations",
        headers=hr,
        json={
            "email": "E7@Example.org",  # the person's own address, in any case
            "role": "coachee",
            "person_id": person.id,
            "language": "fr",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["active"] is False and response.json()["name"] == "Élodie Martin"
    (row,) = _rows(db)  # queued in the same transaction as the account
    assert row.recipient == "e7@example.org" and row.kind == "invitation"
    deliver = client.post("/outbox/deliver", headers=hr)
    assert deliver.json()["sent"] == 1  # embedded default: a file, not SMTP
    assert smtp.recorder.messages == []

    settings_smtp = settings.model_copy(update={"smtp_url": smtp.url})
    fresh(db)
    # Re-invite: a new link through SMTP; the first link stops working.
    client.post(f"/users/{response.json()['id']}/invitation", headers=hr)
    deliver_pending(db, settings_smtp, clock.now())
    (mail,) = smtp.recorder.messages
    assert mail["Subject"] == "Votre compte du programme de coaching"
    body = mail.get_content()
    assert "Bonjour Élodie Martin" in body
    token = body.split("token=")[1].split()[0]
    old_file = next(Path(settings.outbox_dir).glob("*.eml")).read_bytes().decode()
    old_token = old_file.split("token=")[1].split()[0]
    assert (
        client.post(
            "/invitations/accept", json={"token": old_token, "password": "a fine long password"}
        ).status_code
        == 404
    )
    accepted = client.post(
        "/invitations/accept", json={"token": token, "password": "a fine long password"}
    )
    assert accepted.status_code == 200, accepted.text
    me = client.get("/me", headers={"Authorization": f"Bearer {accepted.json()['token']}"})
    assert me.json()["email"] == "e7@example.org" and me.json()["active"] is True
    again = client.post(
        "/invitations/accept", json={"token": token, "password": "another password!"}
    )
    assert again.status_code == 404
    assert login(client, "e7@example.org", "a fine long password")


def test_background_loop_delivers(
    settings: Settings, clock: FixedClock, db: Session, smtp: Server
) -> None:
    settings = settings.model_copy(update={"smtp_url": smtp.url, "outbox_interval_seconds": 0.05})
    _queue(db, settings, clock, "k1", "loop@example.org")
    with TestClient(create_app(settings, clock=clock)):
        deadline = time.monotonic() + 10
        while not smtp.recorder.messages and time.monotonic() < deadline:
            time.sleep(0.02)
    assert [m["To"] for m in smtp.recorder.messages] == ["loop@example.org"]
