"""Scheduling core: availability, session planning, iCalendar invites and feeds.

Pure Python: no database, web, file or network I/O and no clock ("now" is passed in).
All instants are aware datetimes stored in UTC; local times only appear on display.

Public API (module → main names):

``scheduling.availability``
    ``WeeklyWindow(weekday, start, end)``, ``DateException(day, start=None, end=None)``,
    ``Availability(zone, weekly, exceptions, extra, busy)`` with
    ``Availability.working_hours(zone, *, start, end, weekdays, lunch)`` and ``.with_busy()``;
    ``available_windows(availability, start, end) -> tuple[Interval, ...]``.
``scheduling.intervals``
    ``Interval(start, end)`` (UTC, half-open) and ``merge``/``subtract``/``intersect``/``clip``.
``scheduling.busy_ics``
    ``parse_busy_ics(data, *, start, end, max_bytes=2_000_000, zone="UTC")`` → busy intervals.
``scheduling.freetime``
    ``free_minutes(availability, start, end, booked=())`` / ``free_hours(...)`` /
    ``free_windows(...)``: the matcher's capacity.
``scheduling.plan_types``
    ``Engagement``, ``PlanningConfig``, ``PlanningProblem``, ``PlacedSession``, ``Unplaced``
    (``code`` + readable ``reason``), ``PlanningResult``, ``SessionRef``, ``SessionMove``,
    ``ReplanResult``.
``scheduling.planner``
    ``plan_sessions(problem, config=None) -> PlanningResult`` (CP-SAT per group) and
    ``first_fit_baseline(problem, config=None)``.
``scheduling.replan``
    ``replan(problem, current, cancelled, config=None) -> ReplanResult``.
``scheduling.validate``
    ``check_plan(problem, config, result, *, held=(), first_session_deadline=True)`` (raises
    ``PlanViolationError``) and ``plan_violations(...) -> list[str]``.
``scheduling.emails``
    ``normalise_email(value, *, field)``: the one email rule (email-validator, ASCII).
``scheduling.invites``
    ``Mailbox(email, name)``, ``Attendee`` (icalendar's ``ROLE`` and ``PARTSTAT``), ``Method``,
    ``SessionInvite``, ``attendees_for(session, people)``, ``session_uid(engagement_id,
    index, domain)``, ``build_invite(invite, method) -> icalendar.Calendar``,
    ``invite_ics(invite, method) -> bytes``.
``scheduling.mime``
    ``EmailDetails(manage_url, previous, cancelled_by)``, ``build_invite_email(invite,
    method, *, recipients=None, update=False, date=None, details=None)
    -> email.message.EmailMessage`` (text, HTML and the calendar, all 7-bit).
``scheduling.dates``
    ``format_when(instant, zone, lang)`` ("mardi 12 janvier 2027, 9 h 30 (heure de
    Paris)"), ``format_span(start, end, zone, lang)``, ``zone_label(zone, lang)`` (Babel).
``scheduling.vtimezone``
    ``vtimezone(zone, first_year, last_year)``: an RRULE-based VTIMEZONE (as Outlook
    reads them), ``transitions(zone, first, last)``, ``observances(found, last_year)``.
``scheduling.feeds``
    ``FeedEntry``, ``render_feed(entries, *, zone, reference_time, organizer,
    owner_name=None, language="en", refresh=1 h) -> bytes``, ``feed_etag(data)``,
    ``feed_last_modified(entries, previous=None)``, ``http_date(value)``.
``scheduling.messages``
    ``session_title(index, total, lang)`` (neutral: no kind) and the fr/en ``CATALOG``.
``scheduling.errors``
    ``SchedulingError(message, field=...)`` and its subclasses (``InvalidWindowError``,
    ``NaiveDatetimeError``, ``UnknownTimeZoneError``, ``InvalidIcsError``,
    ``IcsTooLargeError``, ``InvalidProblemError``, ``InvalidCalendarDataError``,
    ``PlanViolationError``): the api layer maps them to HTTP 4xx.
"""
