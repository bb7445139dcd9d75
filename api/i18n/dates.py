"""Dates and times in the reader's language and time zone (stored instants are UTC)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.i18n import t


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(value: datetime, zone_name: str | None) -> datetime:
    return value.astimezone(zone(zone_name))


def weekday_name(weekday: int, lang: str) -> str:
    """0 = Monday."""
    return t(f"weekday.{weekday}", lang)


def format_date(value: date, lang: str) -> str:
    """ "2 March 2026" / "2 mars 2026" ("1er mars 2026" in French)."""
    day = t("date.first", lang) if value.day == 1 else str(value.day)
    return t("date.format", lang, day=day, month=t(f"month.{value.month}", lang), year=value.year)


def format_time(value: time, lang: str) -> str:
    """ "09:30" / "9 h 30"."""
    return t("time.format", lang, hour=value.hour, hh=f"{value.hour:02d}", mm=f"{value.minute:02d}")


def format_datetime(value: datetime, lang: str, zone_name: str | None) -> str:
    """ "Monday 2 March 2026, 09:00" in the reader's zone."""
    moment = local(value, zone_name)
    return t(
        "datetime.format",
        lang,
        weekday=weekday_name(moment.weekday(), lang),
        date=format_date(moment.date(), lang),
        time=format_time(moment.time(), lang),
    )


def format_span(start: datetime, end: datetime, lang: str, zone_name: str | None) -> str:
    """ "Monday 2 March 2026, 09:00–10:00" (the end's date is repeated when it differs)."""
    a, b = local(start, zone_name), local(end, zone_name)
    if a.date() == b.date():
        return f"{format_datetime(start, lang, zone_name)}–{format_time(b.time(), lang)}"
    return f"{format_datetime(start, lang, zone_name)} – {format_datetime(end, lang, zone_name)}"
