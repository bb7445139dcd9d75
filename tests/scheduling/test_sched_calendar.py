import dataclasses
import datetime as dt
import os
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar.enums import PARTSTAT, ROLE, STATUS

from scheduling.errors import InvalidCalendarDataError, UnknownTimeZoneError
from scheduling.feeds import FeedEntry, feed_etag, feed_last_modified, http_date, render_feed
from scheduling.ical_common import Mailbox
from scheduling.invites import Attendee, Method, SessionInvite, invite_ics, session_uid
from scheduling.mime import build_invite_email

U = dt.UTC
GOLDEN = Path(__file__).parent / "golden"
ZONES = ["Europe/Paris", "America/Montreal", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
SENTINEL = "SENTINEL-CONFIDENTIAL-7f3a"
ORGANIZER = Mailbox("coaching@corp.example", "Coaching programme")
COACH = Mailbox("coach@corp.example", "Camille Coach")
COACHEE = Mailbox("coachee@corp.example", "Dominique Coachee")
SPONSOR = Mailbox("sponsor@corp.example", "Sam Sponsor")


def utc(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=U)


def invite(**kw) -> SessionInvite:
    base = dict(
        uid=session_uid("E-1", 1, "coachmatch.example"),
        sequence=0,
        stamp=utc(2026, 3, 1, 12),
        start=utc(2026, 3, 30, 7),  # Monday 09:00 Paris, the day after the change to summer time
        end=utc(2026, 3, 30, 8),
        zone="Europe/Paris",
        index=1,
        total=6,
        organizer=ORGANIZER,
        attendees=(Attendee(COACH), Attendee(COACHEE), Attendee(SPONSOR)),
        location="Room 4.12",
        online_url="https://meet.example/abc-def",
    )
    base.update(kw)
    return SessionInvite(**base)


def entries() -> list[FeedEntry]:
    out = []
    for i in range(1, 4):
        start = utc(2026, 3, 16, 8) + dt.timedelta(days=14 * (i - 1))
        out.append(
            FeedEntry(
                start=start,
                end=start + dt.timedelta(minutes=90),
                uid=session_uid("E-1", i, "coachmatch.example"),
                sequence=1 if i == 2 else 0,
                last_modified=utc(2026, 3, 1, 12) + dt.timedelta(hours=i),
                index=i,
                total=3,
                people=("Camille Coach", "Dominique Coachee"),
                cancelled=i == 2,
            )
        )
    return out


FEED_KW = dict(
    zone="Europe/Paris",
    reference_time=utc(2026, 3, 10),
    owner_name="Camille Coach",
    organizer=ORGANIZER,
)


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs; UPDATE_GOLDEN=1 rewrites it"


def test_golden_request_cancel_and_feed():
    check_golden("invite_request.ics", invite_ics(invite()))
    check_golden("invite_cancel.ics", invite_ics(invite(sequence=1), Method.CANCEL))
    check_golden("feed.ics", render_feed(entries(), **FEED_KW))


def test_invite_read_back_by_vobject_and_ical_js(ical_js):
    req = invite_ics(invite())
    cancel = invite_ics(invite(sequence=2), Method.CANCEL)
    for data, method, status, seq in (
        (req, "REQUEST", "CONFIRMED", 0),
        (cancel, "CANCEL", "CANCELLED", 2),
    ):
        cal = vobject.readOne(data.decode())
        assert cal.method.value == method
        ev = cal.vevent
        assert ev.dtstart.value.astimezone(U) == utc(2026, 3, 30, 7)
        assert ev.dtend.value.astimezone(U) == utc(2026, 3, 30, 8)
        assert ev.status.value == status and int(ev.sequence.value) == seq
        assert ev.summary.value == "Coaching session 1 of 6"
        emails = sorted(a.value.lower() for a in ev.attendee_list)
        assert emails == sorted(f"mailto:{m.email}" for m in (COACH, COACHEE, SPONSOR))
        for a in ev.attendee_list:
            assert a.params["ROLE"] == ["REQ-PARTICIPANT"] and a.params["RSVP"] == ["TRUE"]
    js_req, js_cancel = ical_js(req, cancel)
    assert js_req["method"] == "REQUEST" and js_cancel["method"] == "CANCEL"
    for js, status in ((js_req, "CONFIRMED"), (js_cancel, "CANCELLED")):
        (ev,) = js["events"]
        assert (ev["start"], ev["end"]) == ("2026-03-30T07:00:00Z", "2026-03-30T08:00:00Z")
        assert ev["tzid"] == "Europe/Paris" and ev["tz_known"] and ev["status"] == status
        assert ev["uid"] == invite().uid
        assert ev["organizer"]["email"] == ORGANIZER.email
        assert [(a["email"], a["cn"], a["partstat"]) for a in ev["attendees"]] == [
            (m.email, m.name, "NEEDS-ACTION") for m in (COACH, COACHEE, SPONSOR)
        ]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "start",
    [
        utc(2026, 3, 8, 6, 30),
        utc(2026, 3, 29, 0, 30),
        utc(2026, 4, 5, 15, 30),
        utc(2026, 10, 25, 0, 30),
        utc(2026, 11, 1, 5, 30),
    ],
    ids=["us-spring", "eu-spring", "au-autumn", "eu-autumn", "us-autumn"],
)
def test_same_instant_in_every_zone_around_dst(zone, start, ical_js):
    """Sessions next to a DST change keep their exact UTC start and 60-minute length."""
    inv = invite(zone=zone, start=start, end=start + dt.timedelta(minutes=60))
    data = invite_ics(inv)
    ev = vobject.readOne(data.decode()).vevent
    assert ev.dtstart.value.astimezone(U) == start
    assert ev.dtend.value.astimezone(U) - ev.dtstart.value.astimezone(U) == dt.timedelta(minutes=60)
    local = start.astimezone(ZoneInfo(zone))
    if local.replace(fold=1).utcoffset() == local.replace(fold=0).utcoffset():
        assert ev.dtstart.value.replace(tzinfo=None) == local.replace(tzinfo=None)
        assert ev.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == [zone]
    else:  # the repeated autumn hour is written in UTC so that nothing is ambiguous
        assert "X-VOBJ-ORIGINAL-TZID" not in ev.dtstart.params
        assert ev.dtstart.value.utcoffset() == dt.timedelta(0)
    (js,) = ical_js(data)
    assert js["events"][0]["start"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert js["events"][0]["end"] == (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


NASTY = [
    "Eve\r\nATTENDEE:mailto:evil@attacker.example",
    'Zoë "Z" O’Neil, jr; \\ 😀',
    "Bob\nBEGIN:VEVENT",
    "A\u2028B\u0085C\tD",
]


@pytest.mark.parametrize("name", NASTY)
def test_names_cannot_inject_properties(name, ical_js):
    inv = invite(
        attendees=(Attendee(Mailbox("a@corp.example", name)), Attendee(COACHEE)), location=name
    )
    data = invite_ics(inv)
    lines = data.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert not any(line.startswith("ATTENDEE:mailto:evil") for line in lines)
    ev = vobject.readOne(data.decode()).vevent
    assert len(ev.attendee_list) == 2
    (js,) = ical_js(data)
    assert len(js["events"]) == 1 and len(js["events"][0]["attendees"]) == 2
    cn = js["events"][0]["attendees"][0]["cn"]
    assert "\n" not in cn and "\r" not in cn
    msg = build_invite_email(inv)
    raw = msg.as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["To"].addresses[0].addr_spec == "a@corp.example"
    assert len(parsed["To"].addresses) == 2 and "Bcc" not in parsed


def test_email_structure_matches_big_clients():
    for method in (Method.REQUEST, Method.CANCEL):
        msg = build_invite_email(invite(language="fr"), method, date=utc(2026, 3, 1, 12))
        parsed = message_from_bytes(msg.as_bytes(), policy=policy.default)
        assert parsed.get_content_type() == "multipart/mixed"
        alt, attachment = parsed.get_payload()
        assert alt.get_content_type() == "multipart/alternative"
        plain, html, calendar = alt.get_payload()
        assert plain.get_content_type() == "text/plain"
        assert html.get_content_type() == "text/html"
        assert calendar.get_content_type() == "text/calendar"
        assert calendar.get_param("method") == str(method)
        assert calendar.get_param("charset") == "UTF-8"
        ics = calendar.get_payload(decode=True)
        assert f"METHOD:{method}".encode() in ics
        assert attachment.get_filename() == "invite.ics"
        assert attachment.get_payload(decode=True) == ics
        assert "Séance de coaching 1 sur 6" in parsed["Subject"]
        assert parsed["From"].addresses[0].addr_spec == ORGANIZER.email
    assert parsed["Subject"].startswith("Annulé")


def test_confidential_content_never_reaches_invites_emails_or_feeds(ical_js):
    request = {
        "theme": SENTINEL,
        "description": SENTINEL,
        "objectives": SENTINEL,
        "notes": SENTINEL,
    }
    for field in request:
        with pytest.raises(TypeError):
            invite(**{field: request[field]})
        with pytest.raises(TypeError):
            FeedEntry(**{**dataclasses.asdict(entries()[0]), field: SENTINEL})
    outputs = [
        invite_ics(invite()),
        invite_ics(invite(), Method.CANCEL),
        build_invite_email(invite()).as_bytes(),
        render_feed(entries(), **FEED_KW),
    ]
    for out in outputs:
        assert SENTINEL.encode() not in out


def test_feed_is_a_valid_published_calendar(ical_js):
    data = render_feed(entries(), **FEED_KW)
    cal = vobject.readOne(data.decode())
    assert cal.method.value == "PUBLISH"
    assert cal.contents["x-wr-calname"][0].value == "Coaching sessions – Camille Coach"
    assert cal.contents["x-published-ttl"][0].value == "PT1H"
    refresh = cal.contents["refresh-interval"][0]
    assert refresh.params["VALUE"] == ["DURATION"] and refresh.value == "PT1H"
    events = cal.vevent_list
    assert [e.status.value for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert all("attendee" not in e.contents for e in events)
    assert all(e.organizer.value == f"mailto:{ORGANIZER.email}" for e in events)
    assert all(e.contents["class"][0].value == "PRIVATE" for e in events)
    assert events[0].description.value == "With: Camille Coach, Dominique Coachee"
    assert b"ATTENDEE" not in data
    (js,) = ical_js(data)
    assert js["method"] == "PUBLISH" and js["published_ttl"] == "PT1H"
    assert js["refresh_interval"] == "PT1H" and js["refresh_value_type"] == "duration"
    assert [e["start"] for e in js["events"]] == [
        "2026-03-16T08:00:00Z",
        "2026-03-30T08:00:00Z",
        "2026-04-13T08:00:00Z",
    ]
    assert [e["status"] for e in js["events"]] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert all(e["attendees"] == [] for e in js["events"])
    assert all(e["organizer"]["email"] == ORGANIZER.email for e in js["events"])


@pytest.mark.parametrize("days, kept", [(30, True), (31, False)])
def test_cancelled_sessions_stay_thirty_days(days, kept):
    cancelled_at = entries()[1].last_modified
    data = render_feed(
        entries(), **{**FEED_KW, "reference_time": cancelled_at + dt.timedelta(days=days)}
    )
    assert (b"STATUS:CANCELLED" in data) is kept
    assert data.count(b"BEGIN:VEVENT") == (3 if kept else 2)


def test_feed_is_deterministic_with_strong_etag_and_monotonic_last_modified():
    a = render_feed(entries(), **FEED_KW)
    b = render_feed(list(reversed(entries())), **FEED_KW)
    assert a == b and feed_etag(a) == feed_etag(b) and feed_etag(a).startswith('"')
    changed = entries()
    changed[0] = dataclasses.replace(changed[0], sequence=1, last_modified=utc(2026, 3, 5))
    c = render_feed(changed, **FEED_KW)
    assert feed_etag(c) != feed_etag(a)
    assert b"DTSTAMP:20260305T000000Z" in c and b"DTSTAMP:2026030" in a
    assert feed_last_modified(changed) == utc(2026, 3, 5)
    # the newest change disappears from the feed: Last-Modified does not move back
    assert feed_last_modified(entries()[:1], previous=utc(2026, 3, 5)) == utc(2026, 3, 5)
    assert http_date(utc(2026, 3, 5)) == "Thu, 05 Mar 2026 00:00:00 GMT"


def test_bad_calendar_input():
    with pytest.raises(InvalidCalendarDataError) as err:
        invite(sequence=-1)
    assert err.value.field == "sequence"
    with pytest.raises(InvalidCalendarDataError):
        invite(end=utc(2026, 3, 30, 7))
    with pytest.raises(InvalidCalendarDataError):
        Mailbox("not an address")
    with pytest.raises(InvalidCalendarDataError):
        invite(online_url="javascript:alert(1)")
    with pytest.raises(UnknownTimeZoneError):
        invite(zone="Europe/Atlantis")


def test_titles_are_translated_and_neutral():
    """The title never names the kind of session (a mediation tells of a conflict)."""
    assert invite(language="fr", index=2).title == "Séance de coaching 2 sur 6"
    assert invite(language="fr-CA").title == "Séance de coaching 1 sur 6"
    assert invite(language="de").title == "Coaching session 1 of 6"
    with pytest.raises(TypeError):
        invite(kind="mediation")
    assert invite(attendees=(Attendee(COACH, role=ROLE.CHAIR),)).attendees[0].role == "CHAIR"


def test_roles_and_statuses_are_icalendars_enums():
    """Issue 8 item 16: attendees carry icalendar's ROLE and PARTSTAT (a plain string is
    converted, an unknown one refused), and the written STATUS reads back as its STATUS."""
    attendee = Attendee(COACH, role="OPT-PARTICIPANT", partstat="ACCEPTED")  # type: ignore[arg-type]
    assert attendee.role is ROLE.OPT_PARTICIPANT
    assert attendee.partstat is PARTSTAT.ACCEPTED
    assert Attendee(COACH).role is ROLE.REQ_PARTICIPANT
    with pytest.raises(InvalidCalendarDataError):
        Attendee(COACH, role="BOSS")  # type: ignore[arg-type]
    from icalendar import Calendar

    cancel = Calendar.from_ical(invite_ics(invite(sequence=1), Method.CANCEL))
    event = cancel.events[0]
    assert STATUS(event["STATUS"]) is STATUS.CANCELLED
    assert [a.params["ROLE"] for a in event["ATTENDEE"]] == [ROLE.REQ_PARTICIPANT] * 3


def test_planned_sessions_become_invites_with_the_sponsor_on_the_first_only():
    from scheduling.invites import attendees_for
    from scheduling.plan_types import PlacedSession

    people = {"c": COACH, "e": COACHEE, "s": SPONSOR}
    first = PlacedSession("E-1", 1, utc(2026, 3, 30, 7), utc(2026, 3, 30, 8), "c", "e", "s")
    second = PlacedSession("E-1", 2, utc(2026, 4, 13, 7), utc(2026, 4, 13, 8), "c", "e")
    assert [a.mailbox for a in attendees_for(first, people)] == [COACH, COACHEE, SPONSOR]
    assert [a.mailbox for a in attendees_for(second, people)] == [COACH, COACHEE]
    with pytest.raises(InvalidCalendarDataError):
        attendees_for(first, {"c": COACH})
