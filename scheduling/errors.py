"""The scheduling exception hierarchy.

Every error raised on bad input is a :class:`SchedulingError` carrying ``field``, the name
(or dotted path) of the offending input, so the api layer can map it to an HTTP 4xx with a
pointer to what to fix. Messages are in English and never contain personal data beyond the
identifiers the caller passed in.
"""

from __future__ import annotations


class SchedulingError(Exception):
    """Base class: bad scheduling input. ``field`` names the offending input."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidWindowError(SchedulingError):
    """A window or interval ends before (or when) it starts, or has a bad weekday."""


class NaiveDatetimeError(SchedulingError):
    """A datetime without a time zone where an instant is required."""


class UnknownTimeZoneError(SchedulingError):
    """A time-zone name that is not a known IANA zone."""


class InvalidIcsError(SchedulingError):
    """An uploaded iCalendar file that does not parse or cannot be expanded."""


class IcsTooLargeError(InvalidIcsError):
    """An uploaded iCalendar file over the size limit."""


class IcsTooManyOccurrencesError(InvalidIcsError):
    """An uploaded iCalendar file with more occurrences in the horizon than the limit;
    ``event`` names the event with the most (its position, SUMMARY and UID)."""

    def __init__(self, *, event: str, limit: int) -> None:
        super().__init__(
            f"the calendar has more than {limit} events in the horizon "
            f"(most of them from event {event})",
            field="ics",
        )
        self.event = event
        self.limit = limit


class IcsTooComplexError(InvalidIcsError):
    """An event whose recurrence takes more than ``limit`` steps to expand (a rule that
    matches almost never, or repeats from far in the past)."""

    def __init__(self, *, event: str, limit: int) -> None:
        super().__init__(
            f"the recurrence rule of event {event} takes too much work to expand", field="ics"
        )
        self.event = event
        self.limit = limit


class InvalidProblemError(SchedulingError):
    """A planning problem or configuration that is inconsistent (unknown person, N < 1...)."""


class InvalidCalendarDataError(SchedulingError):
    """Bad input for an invite, an email or a feed (bad address, negative SEQUENCE...)."""


class InvalidEmailError(InvalidCalendarDataError):
    """An email address that breaks the one email rule (:mod:`scheduling.emails`);
    ``characters`` holds the non-ASCII characters found before the @, if that is why."""

    def __init__(self, *, field: str, characters: str = "") -> None:
        reason = (
            f"has characters that cannot be mailed before the @ ({characters})"
            if characters
            else "not a valid email address"
        )
        super().__init__(reason, field=field)
        self.characters = characters


class PlanViolationError(SchedulingError):
    """A plan breaks a rule (raised by :func:`scheduling.validate.check_plan`)."""

    def __init__(self, violations: list[str]) -> None:
        super().__init__("; ".join(violations), field="plan")
        self.violations = violations
