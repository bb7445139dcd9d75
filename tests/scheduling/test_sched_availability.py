import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from scheduling.availability import Availability, DateException, WeeklyWindow, available_windows
from scheduling.busy_ics import parse_busy_ics
from scheduling.errors import (
    IcsTooLargeError,
    InvalidIcsError,
    InvalidWindowError,
    NaiveDatetimeError,
    SchedulingError,
    UnknownTimeZoneError,
)
from scheduling.freetime import free_hours, free_minutes
from scheduling.intervals import Interval

U = dt.UTC
T = dt.time
ZONES = [
    "Europe/Paris",
    "America/Montreal",
    "America/Toronto",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
]


def utc(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=U)


def test_window_ending_before_start_is_rejected_with_field():
    with pytest.raises(InvalidWindowError) as err:
        WeeklyWindow(1, T(12), T(9))
    assert err.value.field == "end"
    assert isinstance(err.value, SchedulingError)


def test_window_may_end_at_midnight():
    w = Availability("Europe/Paris", weekly=(WeeklyWindow(0, T(20), T(0)),))
    got = available_windows(w, utc(2026, 1, 5), utc(2026, 1, 6, 12))
    assert got == (Interval(utc(2026, 1, 5, 19), utc(2026, 1, 5, 23)),)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "Europe/../etc/passwd", " Europe/Paris"])
def test_unknown_zone(name):
    with pytest.raises(UnknownTimeZoneError):
        Availability(name)


def test_naive_interval_rejected():
    with pytest.raises(NaiveDatetimeError):
        Interval(dt.datetime(2026, 1, 1), utc(2026, 1, 2))


def test_overlapping_windows_merge():
    a = Availability("UTC", weekly=(WeeklyWindow(0, T(9), T(11)), WeeklyWindow(0, T(10), T(12))))
    assert available_windows(a, utc(2026, 1, 5), utc(2026, 1, 6)) == (
        Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 12)),
    )


@pytest.mark.parametrize("zone", ZONES)
def test_weekly_window_keeps_local_time_across_dst(zone):
    tz = ZoneInfo(zone)
    a = Availability(zone, weekly=(WeeklyWindow(1, T(9), T(12)),))
    windows = available_windows(a, utc(2026, 1, 1), utc(2027, 1, 1))
    assert len(windows) == 52
    offsets = set()
    for w in windows:
        local = w.start.astimezone(tz)
        assert (local.weekday(), local.time()) == (1, T(9))
        assert w.end.astimezone(tz).time() == T(12)
        offsets.add(local.utcoffset())
    if zone != "Asia/Tokyo":
        assert len(offsets) == 2  # the UTC instant moves with DST, the local time does not


def test_paris_window_in_utc_around_march_and_october_changes():
    a = Availability("Europe/Paris", weekly=(WeeklyWindow(0, T(9), T(10)),))
    got = [w.start for w in available_windows(a, utc(2026, 3, 20), utc(2026, 11, 3))]
    assert got[0] == utc(2026, 3, 23, 8) and got[1] == utc(2026, 3, 30, 7)
    assert utc(2026, 10, 19, 7) in got and utc(2026, 10, 26, 8) in got


def test_exceptions_extra_and_busy_in_order():
    a = Availability(
        "Europe/Paris",
        weekly=(WeeklyWindow(0, T(9), T(17)), WeeklyWindow(1, T(9), T(17))),
        exceptions=(
            DateException(dt.date(2026, 1, 5)),
            DateException(dt.date(2026, 1, 6), T(9), T(12)),
        ),
        extra=(Interval(utc(2026, 1, 5, 14), utc(2026, 1, 5, 15)),),
        busy=(Interval(utc(2026, 1, 6, 13), utc(2026, 1, 6, 14)),),
    )
    got = available_windows(a, utc(2026, 1, 5), utc(2026, 1, 7))
    assert got == (
        Interval(utc(2026, 1, 5, 14), utc(2026, 1, 5, 15)),  # extra beats the day off
        Interval(utc(2026, 1, 6, 11), utc(2026, 1, 6, 13)),
        Interval(utc(2026, 1, 6, 14), utc(2026, 1, 6, 16)),
    )


def test_partial_exception_needs_both_ends():
    with pytest.raises(InvalidWindowError):
        DateException(dt.date(2026, 1, 1), start=T(9))


def test_working_hours_default_and_lunch():
    a = Availability.working_hours("Asia/Tokyo")
    assert free_hours(a, utc(2026, 1, 4, 15), utc(2026, 1, 11, 15)) == 45  # Mon–Fri 9 h
    b = Availability.working_hours("Asia/Tokyo", lunch=(T(12), T(13)))
    assert free_hours(b, utc(2026, 1, 4, 15), utc(2026, 1, 11, 15)) == 40


def test_free_time_is_net_of_bookings_busy_and_exceptions():
    a = Availability(
        "UTC",
        weekly=(WeeklyWindow(0, T(9), T(13)),),
        exceptions=(DateException(dt.date(2026, 1, 12)),),
        busy=(Interval(utc(2026, 1, 5, 9), utc(2026, 1, 5, 10)),),
    )
    booked = [Interval(utc(2026, 1, 19, 9, 30), utc(2026, 1, 19, 10, 30))]
    # three Mondays of 4 h; one is a day off, 1 h busy, 1 h booked
    assert free_minutes(a, utc(2026, 1, 5), utc(2026, 1, 20), booked) == 6 * 60


BUSY_ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:test
BEGIN:VEVENT
UID:weekly
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Paris:20260302T100000
DTEND;TZID=Europe/Paris:20260302T110000
RRULE:FREQ=WEEKLY;COUNT=5
EXDATE;TZID=Europe/Paris:20260309T100000
END:VEVENT
BEGIN:VEVENT
UID:weekly
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=Europe/Paris:20260316T100000
DTSTART;TZID=Europe/Paris:20260316T140000
DTEND;TZID=Europe/Paris:20260316T150000
END:VEVENT
BEGIN:VEVENT
UID:free
DTSTAMP:20260101T000000Z
DTSTART:20260304T120000Z
DTEND:20260304T130000Z
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:allday
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260310
END:VEVENT
BEGIN:VFREEBUSY
UID:fb
DTSTAMP:20260101T000000Z
FREEBUSY;FBTYPE=BUSY:20260305T080000Z/20260305T090000Z,20260306T080000Z/PT30M
FREEBUSY;FBTYPE=FREE:20260307T080000Z/20260307T090000Z
END:VFREEBUSY
END:VCALENDAR
""".replace(b"\n", b"\r\n")


def test_busy_ics_expands_recurrences_and_freebusy():
    got = parse_busy_ics(BUSY_ICS, start=utc(2026, 3, 1), end=utc(2026, 4, 1), zone="Europe/Paris")
    assert [(i.start, i.end) for i in got] == [
        (utc(2026, 3, 2, 9), utc(2026, 3, 2, 10)),
        (utc(2026, 3, 5, 8), utc(2026, 3, 5, 9)),
        (utc(2026, 3, 6, 8), utc(2026, 3, 6, 8, 30)),
        (utc(2026, 3, 9, 23), utc(2026, 3, 10, 23)),  # all-day, Paris midnight to midnight
        (utc(2026, 3, 16, 13), utc(2026, 3, 16, 14)),  # moved occurrence
        (utc(2026, 3, 23, 9), utc(2026, 3, 23, 10)),
        (utc(2026, 3, 30, 8), utc(2026, 3, 30, 9)),  # after the DST change
    ]


def test_busy_ics_clipped_to_horizon():
    got = parse_busy_ics(BUSY_ICS, start=utc(2026, 3, 2, 9, 30), end=utc(2026, 3, 3))
    assert [(i.start, i.end) for i in got] == [(utc(2026, 3, 2, 9, 30), utc(2026, 3, 2, 10))]


def test_busy_ics_too_large():
    with pytest.raises(IcsTooLargeError) as err:
        parse_busy_ics(BUSY_ICS, start=utc(2026, 3, 1), end=utc(2026, 4, 1), max_bytes=100)
    assert err.value.field == "ics"
    parse_busy_ics(BUSY_ICS, start=utc(2026, 3, 1), end=utc(2026, 4, 1), max_bytes=len(BUSY_ICS))


@pytest.mark.parametrize(
    "data", [b"not a calendar", b"BEGIN:VEVENT\r\nEND:VEVENT\r\n", b"\xff\xfe\x00garbage"]
)
def test_busy_ics_that_does_not_parse(data):
    with pytest.raises(InvalidIcsError):
        parse_busy_ics(data, start=utc(2026, 3, 1), end=utc(2026, 4, 1))
