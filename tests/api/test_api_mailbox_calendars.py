"""Against real servers the tests start (issue 13 items 2 and 7): the replies poller reads
a Dovecot mailbox; a coach's own calendar is read from a published ICS URL (ETag,
Last-Modified) and from a Radicale CalDAV calendar (CTag), and the planner keeps off
its busy times."""

from __future__ import annotations

import imaplib
from datetime import timedelta
from typing import Any

import pytest
from api_support import START, fresh
from engaged_support import engage
from fastapi.testclient import TestClient
from real_servers import dovecot, published_calendar, radicale
from reply_samples import apple, google
from rounds_support import fast
from sqlmodel import Session, select

from api.calendars.service import refresh_calendar, set_calendar
from api.models import CalendarSubscription, Coach, InboundReply, SessionAttendance
from api.replies.mailbox import poll_mailbox
from api.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings, session_ttl=timedelta(days=200), calendar_allow_private_networks=True)


def test_the_poller_reads_a_real_imap_mailbox(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = engage(client, db, settings)
    second = w["sessions"][1]
    paul = w["people"]["paul"]
    with dovecot() as box:
        configured = settings.model_copy(update={"imap_url": box.url})
        imap = imaplib.IMAP4("127.0.0.1", box.port)
        imap.login(box.user, box.password)
        common = dict(
            uid=second.uid,
            sequence=0,
            attendee=paul.email,
            name=paul.name,
            organizer="coaching@example.org",
            start=second.start_at,
            end=second.end_at,
        )
        for raw in (
            google(**common, partstat="ACCEPTED", message_id="<g1@google.com>"),
            apple(**common, partstat="DECLINED", message_id="<a1@corp.example>"),
            b"From: a@corp.example\r\nMessage-ID: <human@corp.example>\r\n\r\nHello\r\n",
        ):
            assert imap.append("INBOX", None, None, raw)[0] == "OK"
        report = poll_mailbox(session=db, settings=configured, now=START)
        assert (report.read, report.applied, report.quarantined) == (3, 2, 1)
        answer = (
            fresh(db)
            .exec(
                select(SessionAttendance).where(
                    SessionAttendance.session_id == second.id,
                    SessionAttendance.attendee == f"p{paul.id}",
                )
            )
            .one()
        )
        assert answer.partstat == "DECLINED"  # the later of the two answers
        imap.select("INBOX")
        assert imap.search(None, "UNSEEN")[1] == [b""]  # every message marked read
        again = poll_mailbox(session=db, settings=configured, now=START)
        assert again.read == 0
        # marked unread again (a crash before the flag): read twice, changes nothing
        imap.store(b"1:3", "-FLAGS", "(\\Seen)")
        before = len(fresh(db).exec(select(InboundReply)).all())
        replay = poll_mailbox(session=db, settings=configured, now=START)
        assert (replay.read, replay.duplicates) == (3, 3)
        assert len(fresh(db).exec(select(InboundReply)).all()) == before
        imap.logout()
        wrong = settings.model_copy(update={"imap_url": box.url.replace("mailbox-secret", "x")})
        with pytest.raises(imaplib.IMAP4.error):
            poll_mailbox(session=db, settings=wrong, now=START)
    assert poll_mailbox(session=db, settings=settings, now=START).skipped


def _busy_ics(start: Any, hours: int = 3) -> bytes:
    stamp = START.strftime("%Y%m%dT%H%M%SZ")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\r\n"
        "BEGIN:VEVENT\r\nUID:work-1@outlook\r\n"
        f"DTSTAMP:{stamp}\r\n"
        f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}\r\n"
        f"DTEND:{(start + timedelta(hours=hours)).strftime('%Y%m%dT%H%M%SZ')}\r\n"
        "SUMMARY:Comité de direction\r\nCLASS:PRIVATE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def _karl(db: Session, w: dict[str, Any]) -> Coach:
    coach = fresh(db).get(Coach, w["karl"].id)
    assert coach is not None
    return coach


def _move(client: TestClient, w: dict[str, Any], at: Any) -> Any:
    second = w["sessions"][1]
    return client.post(
        f"/me/sessions/{second.id}/reschedule",
        json={"start_at": at.isoformat()},
        headers=w["karl_h"],
    )


def test_a_published_calendar_is_refreshed_conditionally_and_blocks_the_planner(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = engage(client, db, settings)
    second = w["sessions"][1]
    target = second.start_at + timedelta(days=1)  # where Karl's board meeting will be
    with published_calendar() as published:
        published.set(_busy_ics(target - timedelta(hours=1)), START.timestamp())
        put = client.put(
            "/me/availability/calendar",
            json={"kind": "ics", "url": published.url},
            headers=w["karl_h"],
        )
        assert put.status_code == 200, put.text
        status = put.json()
        assert status["last_success_at"] is not None and status["busy_intervals"] == 1
        assert status["host"] == "127.0.0.1" and "secret" not in put.text
        refused = _move(client, w, target)
        assert refused.status_code == 409 and "coach" in refused.json()["detail"]
        # unchanged: a conditional request, answered 304
        later = START + timedelta(hours=1)
        result = refresh_calendar(session=db, settings=settings, coach_id=w["karl"].id, now=later)
        assert result.status == "unchanged"
        assert published.requests[-1]["If-None-Match"] == published.etag
        assert published.requests[-1]["If-Modified-Since"] == published.last_modified
        # the meeting is gone: the next refresh frees the time
        published.set(_busy_ics(target + timedelta(days=30)), later.timestamp())
        result = refresh_calendar(session=db, settings=settings, coach_id=w["karl"].id, now=later)
        assert result.status == "changed"
    assert _move(client, w, target).status_code == 200
    # the server is gone: the failure is recorded, the last good copy kept
    even_later = later + timedelta(hours=1)
    failed = refresh_calendar(session=db, settings=settings, coach_id=w["karl"].id, now=even_later)
    assert failed.status == "failed" and failed.error.startswith("unreachable")
    shown = client.get("/me/availability/calendar", headers=w["karl_h"]).json()
    assert shown["last_success_at"].startswith(later.strftime("%Y-%m-%dT%H:%M"))
    assert shown["failures"] == 1 and shown["last_error"].startswith("unreachable")
    row = fresh(db).exec(select(CalendarSubscription)).one()
    assert row.content is not None and row.busy_intervals == 1


def test_a_caldav_calendar_is_read_from_radicale(
    client: TestClient, db: Session, settings: Settings
) -> None:
    import caldav

    w = engage(client, db, settings)
    second = w["sessions"][1]
    target = second.start_at + timedelta(days=1)
    with radicale() as server:
        with caldav.DAVClient(
            url=server.base, username=server.user, password=server.password
        ) as dav:
            calendar = dav.calendar(url=server.calendar_url)
            calendar.save_event(_busy_ics(target - timedelta(hours=1)).decode())
        set_calendar(
            session=db,
            settings=settings,
            coach=_karl(db, w),
            kind="caldav",
            url=server.calendar_url,
            username=server.user,
            password=server.password,
            now=START,
        )
        first = refresh_calendar(session=db, settings=settings, coach_id=w["karl"].id, now=START)
        assert (first.status, first.busy_intervals) == ("changed", 1), first
        assert _move(client, w, target).status_code == 409
        again = refresh_calendar(session=db, settings=settings, coach_id=w["karl"].id, now=START)
        assert again.status == "unchanged"  # the collection's CTag did not move
        row = fresh(db).exec(select(CalendarSubscription)).one()
        row.password = "wrong"
        db.add(row)
        db.commit()
        refused = refresh_calendar(session=db, settings=settings, coach_id=w["karl"].id, now=START)
        assert refused.status == "failed"


def test_private_addresses_are_refused_unless_allowed(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = engage(client, db, settings)
    closed = settings.model_copy(update={"calendar_allow_private_networks": False})
    coach = _karl(db, w)
    with pytest.raises(Exception) as plain:
        set_calendar(
            session=db,
            settings=closed,
            coach=coach,
            kind="ics",
            url="http://calendar.example/x.ics",
            username=None,
            password=None,
            now=START,
        )
    assert getattr(plain.value, "field", None) == "url"
    for url in ("https://127.0.0.1/x.ics", "https://[::1]/x.ics", "https://10.1.2.3/x.ics"):
        set_calendar(
            session=db,
            settings=closed,
            coach=coach,
            kind="ics",
            url=url,
            username=None,
            password=None,
            now=START,
        )
        result = refresh_calendar(session=db, settings=closed, coach_id=coach.id, now=START)
        assert result.status == "failed" and result.error.startswith("refused_address"), url
