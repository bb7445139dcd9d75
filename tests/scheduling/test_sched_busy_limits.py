"""Issue 8 item 10: hostile calendars are refused quickly, naming the event; real ones pass.

Before the fix, the 195-byte FREQ=MINUTELY file took 78 s and 1.1 GB to read (a component
per minute for a year), a 207-byte one gave 20,216 busy rows, and a rule that never matches
made dateutil walk to the year 9999 (17 s). The tests check what bounds them without timing
anything: the occurrence limit is hit before the expansion runs, and a work budget counts
calls, not seconds.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest

import scheduling.busy_ics as busy_ics
from scheduling.busy_ics import WorkBudget, parse_busy_ics
from scheduling.errors import IcsTooComplexError, IcsTooManyOccurrencesError, InvalidIcsError

U = dt.UTC
NOW = dt.datetime(2026, 3, 2, 8, tzinfo=U)
YEAR = NOW + dt.timedelta(days=365)


def calendar(*events: list[str], freebusy: list[str] = ()) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN"]
    for index, event in enumerate(events, start=1):
        lines += ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z", *event, "END:VEVENT"]
        if not any(line.startswith("UID:") for line in event):
            lines.insert(-1, f"UID:e{index}@t")
    if freebusy:
        lines += ["BEGIN:VFREEBUSY", "UID:fb@t", "DTSTAMP:20260101T000000Z", *freebusy]
        lines += ["END:VFREEBUSY"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


MINUTELY = calendar(
    [
        "UID:flood@t",
        "SUMMARY:Flood",
        "DTSTART:20260301T000000Z",
        "DTEND:20260301T000100Z",
        "RRULE:FREQ=MINUTELY",
    ]
)
SPARSE_MINUTELY = calendar(
    ["DTSTART:20260301T000000Z", "DTEND:20260301T000100Z", "RRULE:FREQ=MINUTELY;INTERVAL=26"]
)


def read(data: bytes, **limits: int) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(i.start, i.end) for i in parse_busy_ics(data, start=NOW, end=YEAR, **limits)]


@pytest.fixture
def no_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if recurring-ical-events is asked to expand anything."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rule was expanded before it was counted")

    monkeypatch.setattr(busy_ics.recurring_ical_events, "of", refuse)


def test_minutely_rule_is_refused_at_the_limit_before_any_expansion(no_expansion: None):
    assert len(MINUTELY) < 250
    with pytest.raises(IcsTooManyOccurrencesError) as err:
        read(MINUTELY)
    assert err.value.limit == busy_ics.DEFAULT_MAX_OCCURRENCES
    assert err.value.event == '#1 "Flood" (UID flood@t)'
    assert "Flood" in err.value.message and err.value.field == "ics"


def test_a_rule_giving_twenty_thousand_separate_spans_is_refused(no_expansion: None):
    with pytest.raises(IcsTooManyOccurrencesError) as err:
        read(SPARSE_MINUTELY)
    assert err.value.event == "#1 (UID e1@t)"


@pytest.mark.parametrize(
    "lines",
    [
        # Never matches: dateutil walks to the year 9999 looking for a 30th of February.
        [
            "DTSTART:20260301T000000Z",
            "DTEND:20260301T000001Z",
            "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",
        ],
        ["DTSTART:20260301T000000Z", "DTEND:20260301T010000Z", "RRULE:FREQ=DAILY;BYSETPOS=2"],
        # Repeats from far in the past: every earlier occurrence is walked.
        ["DTSTART:00010101T090000Z", "DTEND:00010101T100000Z", "RRULE:FREQ=DAILY"],
        ["DTSTART:19700101T000000Z", "DTEND:19700101T000001Z", "RRULE:FREQ=SECONDLY"],
    ],
    ids=["never-secondly", "never-setpos", "daily-since-year-1", "secondly-since-1970"],
)
def test_rules_that_take_too_much_work_are_refused_naming_the_event(lines: list[str]):
    with pytest.raises(IcsTooComplexError) as err:
        read(calendar(["SUMMARY:Standup", *lines]))
    assert err.value.event == '#1 "Standup" (UID e1@t)'
    assert isinstance(err.value, InvalidIcsError)


def test_real_calendars_fit_the_limits():
    weekday_slots = [  # 30-minute slots all day on weekdays: 4,698 occurrences in a year
        "DTSTART;TZID=Europe/Paris:20260302T090000",
        "DTEND;TZID=Europe/Paris:20260302T093000",
        "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,10,11,12,13,14,15,16,17;BYMINUTE=0,30",
    ]
    daily_since_2000 = [
        "DTSTART;TZID=Europe/Paris:20000103T080000",
        "DTEND;TZID=Europe/Paris:20000103T083000",
        "RRULE:FREQ=DAILY",
    ]
    birthday = ["DTSTART;VALUE=DATE:19000412", "RRULE:FREQ=YEARLY"]
    last_friday = [
        "DTSTART:19000105T170000Z",
        "DTEND:19000105T180000Z",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
    ]
    got = read(calendar(weekday_slots))
    assert len(got) == 261  # one merged span a weekday, 09:00-18:00
    got = read(calendar(daily_since_2000, birthday, last_friday))
    assert len(got) == 365 + 12  # the birthday (all day) merges with that day's 08:00


def test_the_limit_counts_every_event_of_the_file_and_names_the_biggest():
    weekly = ["DTSTART:20260302T090000Z", "DTEND:20260302T091500Z", "RRULE:FREQ=WEEKLY"]
    daily = [
        "SUMMARY:Daily",
        "DTSTART:20260302T100000Z",
        "DTEND:20260302T101500Z",
        "RRULE:FREQ=DAILY",
    ]
    single = ["DTSTART:20260303T120000Z", "DTEND:20260303T130000Z"]
    data = calendar(weekly, daily, single)
    assert len(read(data, max_occurrences=53 + 365 + 1)) == 53 + 365 + 1
    with pytest.raises(IcsTooManyOccurrencesError) as err:
        read(data, max_occurrences=53 + 365)
    assert err.value.event == '#2 "Daily" (UID e2@t)'


def test_free_busy_periods_count_too():
    periods = ",".join(f"202604{d:02d}T080000Z/PT1H" for d in range(1, 31))
    data = calendar(freebusy=[f"FREEBUSY:{periods}"])
    assert len(read(data, max_occurrences=30)) == 30
    with pytest.raises(IcsTooManyOccurrencesError) as err:
        read(data, max_occurrences=29)
    assert err.value.event == "VFREEBUSY #1"


def test_only_the_horizon_is_counted():
    # 3 years of daily events, only the year ahead counts.
    data = calendar(
        [
            "DTSTART:20250101T090000Z",
            "DTEND:20250101T100000Z",
            "RRULE:FREQ=DAILY;UNTIL=20280101T000000Z",
        ]
    )
    assert len(read(data, max_occurrences=365)) == 365


def test_overlapping_busy_spans_are_merged():
    data = calendar(
        ["DTSTART:20260303T090000Z", "DTEND:20260303T110000Z"],
        ["DTSTART:20260303T100000Z", "DTEND:20260303T120000Z"],
        ["DTSTART:20260303T120000Z", "DTEND:20260303T123000Z"],  # touching: one span
        ["DTSTART:20260303T090000Z", "DTEND:20260303T093000Z", "RRULE:FREQ=WEEKLY;COUNT=2"],
    )
    assert read(data) == [
        (dt.datetime(2026, 3, 3, 9, tzinfo=U), dt.datetime(2026, 3, 3, 12, 30, tzinfo=U)),
        (dt.datetime(2026, 3, 10, 9, tzinfo=U), dt.datetime(2026, 3, 10, 9, 30, tzinfo=U)),
    ]


def test_work_budget_restores_the_threads_profiler():
    def profiler(frame: object, event: str, arg: object) -> None:
        return None

    sys.setprofile(profiler)
    try:
        with WorkBudget(10**6, event="#1") as budget:
            sorted(range(10))
        assert budget.calls > 0 and sys.getprofile() is profiler
        with pytest.raises(IcsTooComplexError), WorkBudget(5, event="#1"):
            [str(i) for i in range(10)]
            for _ in range(10):
                (lambda: None)()
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)


def test_rdates_count_before_the_expansion(no_expansion: None):
    days = ",".join(f"2026{m:02d}{d:02d}T090000Z" for m in range(4, 10) for d in range(1, 29))
    data = calendar(
        ["SUMMARY:Dates", "DTSTART:20260401T090000Z", "DTEND:20260401T100000Z", f"RDATE:{days}"]
    )
    with pytest.raises(IcsTooManyOccurrencesError) as err:
        read(data, max_occurrences=100)
    assert err.value.event == '#1 "Dates" (UID e1@t)'


def test_rdates_in_the_horizon_are_busy():
    data = calendar(
        [
            "DTSTART:20260401T090000Z",
            "DTEND:20260401T100000Z",
            "RDATE:20260402T090000Z,20260403T090000Z,20200101T090000Z",
            "RDATE;VALUE=PERIOD:20260404T090000Z/PT2H",
        ]
    )
    got = read(data, max_occurrences=4)
    assert [(s.day, s.hour, e.hour) for s, e in got] == [
        (1, 9, 10),
        (2, 9, 10),
        (3, 9, 10),
        (4, 9, 11),
    ]
