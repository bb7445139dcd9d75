"""Issue 13 items 3, 4 and 9 in the calendar core: RRULE-based VTIMEZONEs that give every
client the zone's real offsets; private, opaque events with a neutral title; feeds with
an ORGANIZER, the place and the join link."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from scheduling.feeds import FeedEntry, render_feed
from scheduling.ical_common import Mailbox
from scheduling.invites import Attendee, Method, SessionInvite, invite_ics
from scheduling.vtimezone import observances, transitions, vtimezone

U = dt.UTC
ORGANIZER = Mailbox("coaching@corp.example", "Coaching programme")
COACH = Mailbox("coach@corp.example", "Camille Coach")
COACHEE = Mailbox("coachee@corp.example", "Dominique Coachee")
# Northern and southern DST, US rules, half-hour DST, no DST, a zone whose rules move
# every year (Morocco's Ramadan), and one that abolished DST (Mexico, 2022).
ZONES = [
    "Europe/Paris",
    "America/Montreal",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Africa/Casablanca",
    "America/Mexico_City",
    "Pacific/Chatham",
]


def utc(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=U)


def probe_instants(zone: str, first: int, last: int) -> list[dt.datetime]:
    """Every 5 days through the years, plus 30 minutes either side of each transition."""
    out = []
    at = utc(first, 1, 1, 0, 30)
    while at.year <= last:
        out.append(at)
        at += dt.timedelta(days=5, hours=7)
    for t in transitions(zone, dt.date(first, 1, 1), dt.date(last, 12, 31)):
        out += [t.at - dt.timedelta(minutes=90), t.at + dt.timedelta(minutes=30)]
    return sorted(set(out))


def probe_feed(zone: str, instants: list[dt.datetime]) -> bytes:
    entries = [
        FeedEntry(
            start=at,
            end=at + dt.timedelta(minutes=45),
            uid=f"probe-{i}@coachmatch.example",
            sequence=0,
            last_modified=utc(2026, 1, 1),
            index=1,
            total=1,
        )
        for i, at in enumerate(instants)
    ]
    return render_feed(
        entries, zone=zone, reference_time=utc(2026, 1, 1), organizer=ORGANIZER, owner_name="P"
    )


@pytest.mark.parametrize("zone", ZONES)
def test_every_client_reads_the_zones_real_offsets(zone: str, ical_js) -> None:
    """Sessions every few days over five years and next to every transition, written in
    local time with the RRULE VTIMEZONE, come back at their exact UTC instant in ical.js
    (Thunderbird's parser) and vobject (dateutil's rules)."""
    instants = probe_instants(zone, 2026, 2030)
    data = probe_feed(zone, instants)
    (js,) = ical_js(data)
    starts = {e["uid"]: e["start"] for e in js["events"]}
    expected = {f"probe-{i}@coachmatch.example": at for i, at in enumerate(instants)}
    assert len(starts) == len(expected)
    for uid, at in expected.items():
        assert starts[uid] == at.strftime("%Y-%m-%dT%H:%M:%SZ"), (zone, at)
    for event in vobject.readOne(data.decode()).vevent_list:
        at = expected[event.uid.value]
        assert event.dtstart.value.astimezone(U) == at, (zone, at)
        assert event.dtend.value.astimezone(U) == at + dt.timedelta(minutes=45)
    for observance in js["timezones"][0]["observances"]:
        assert observance["rdates"] == 0  # Outlook ignores RDATE: every onset is a rule


@pytest.mark.parametrize(
    ("zone", "standard", "daylight"),
    [
        ("Europe/Paris", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
        ("America/Montreal", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"),
        ("Australia/Sydney", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10"),
    ],
)
def test_a_regular_zone_is_one_standard_and_one_daylight_rule_as_outlook_writes_it(
    zone: str, standard: str, daylight: str, ical_js
) -> None:
    """[MS-STANOICAL] 2.2.47: Outlook keeps one yearly rule of each kind."""
    for years in ((2026, 2026), (2026, 2030)):
        (js,) = ical_js(Calendar.new(subcomponents=[vtimezone(zone, *years)]).to_ical())
        rules = {o["kind"]: o["rrule"] for o in js["timezones"][0]["observances"]}
        assert rules == {"standard": standard, "daylight": daylight}, years


def test_a_zone_without_dst_is_one_fixed_observance_and_an_abolished_dst_ends() -> None:
    tokyo = vtimezone("Asia/Tokyo", 2026, 2027)
    assert [c.name for c in tokyo.subcomponents] == ["STANDARD"]
    assert tokyo.subcomponents[0]["TZOFFSETTO"].td == dt.timedelta(hours=9)
    # Mexico City kept DST until October 2022: both rules end there (UNTIL), so no
    # client puts DST back in 2023.
    found = transitions("America/Mexico_City", dt.date(2020, 1, 1), dt.date(2024, 12, 31))
    ruled = observances(found, 2024)
    assert [(o.rule, o.until) for o in ruled] == [
        ((1, 6), utc(2022, 4, 3, 8)),  # first Sunday of April
        ((-1, 6), utc(2022, 10, 30, 7)),  # last Sunday of October
    ]


def invite(**kw) -> SessionInvite:
    base = dict(
        uid="s-1@coachmatch.example",
        sequence=0,
        stamp=utc(2026, 3, 1, 12),
        start=utc(2026, 3, 30, 7),
        end=utc(2026, 3, 30, 8),
        zone="Europe/Paris",
        index=1,
        total=6,
        organizer=ORGANIZER,
        attendees=(Attendee(COACH), Attendee(COACHEE)),
    )
    base.update(kw)
    return SessionInvite(**base)


def test_invites_are_private_and_busy_with_the_join_link(ical_js) -> None:
    remote = invite(online_url="https://meet.example.org/4f2a9c")
    onsite = invite(location="Salle 4.12, Lyon, 10 rue de la Part-Dieu")
    for data, location, url in (
        (invite_ics(remote), "https://meet.example.org/4f2a9c", "https://meet.example.org/4f2a9c"),
        (invite_ics(onsite), "Salle 4.12, Lyon, 10 rue de la Part-Dieu", None),
    ):
        (js,) = ical_js(data)
        (event,) = js["events"]
        assert js["access"] == "CONFIDENTIAL"
        assert (event["class"], event["transp"]) == ("PRIVATE", "OPAQUE")
        assert (event["location"], event["url"]) == (location, url)
        ev = vobject.readOne(data.decode()).vevent
        assert ev.location.value == location and ev.contents["class"][0].value == "PRIVATE"
    (cancel,) = ical_js(invite_ics(invite(sequence=1), Method.CANCEL))
    assert cancel["events"][0]["class"] == "PRIVATE"


def test_feed_events_carry_the_organizer_the_place_and_stay_private(ical_js) -> None:
    entries = [
        FeedEntry(
            start=utc(2026, 3, 16, 8),
            end=utc(2026, 3, 16, 9),
            uid="f-1@coachmatch.example",
            sequence=0,
            last_modified=utc(2026, 3, 1),
            index=1,
            total=2,
            online_url="https://meet.example.org/4f2a9c",
        ),
        FeedEntry(
            start=utc(2026, 3, 30, 7),
            end=utc(2026, 3, 30, 8),
            uid="f-2@coachmatch.example",
            sequence=1,
            last_modified=utc(2026, 3, 2),
            index=2,
            total=2,
            location="Salle 4.12, Lyon",
            cancelled=True,
        ),
    ]
    data = render_feed(
        entries, zone="Europe/Paris", reference_time=utc(2026, 3, 10), organizer=ORGANIZER
    )
    (js,) = ical_js(data)
    assert js["method"] == "PUBLISH" and js["access"] == "CONFIDENTIAL"
    first, second = js["events"]
    assert first["organizer"] == {
        "email": ORGANIZER.email,
        "cn": ORGANIZER.name,
        "role": None,
        "partstat": None,
        "rsvp": None,
    }
    assert (first["location"], first["url"]) == ("https://meet.example.org/4f2a9c",) * 2
    assert (first["class"], first["transp"]) == ("PRIVATE", "OPAQUE")
    assert first["description"] == "Online: https://meet.example.org/4f2a9c"  # no names
    assert (second["location"], second["status"], second["transp"]) == (
        "Salle 4.12, Lyon",
        "CANCELLED",
        "TRANSPARENT",
    )
    cal = vobject.readOne(data.decode())
    assert [e.organizer.value for e in cal.vevent_list] == [f"mailto:{ORGANIZER.email}"] * 2


def test_local_times_in_the_feed_are_the_zones() -> None:
    """The probe itself is right: local wall times, not UTC, are written."""
    at = utc(2026, 7, 1, 7)
    data = probe_feed("Europe/Paris", [at])
    local = at.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Europe/Paris:{local}".encode() in data
