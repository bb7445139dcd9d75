"""Dates and times in the reader's language and time zone (stored instants are UTC), by
Babel (CLDR names) with each language's pattern from the catalogs (`date.pattern`...):
no-break spaces inside, so a date or a time never wraps."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel import dates as cldr

from api.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

# English as written in Europe ("2 March 2026", "09:30"), like the programmes it serves.
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@cache
def locale_of(lang: str) -> Locale:
    return Locale.parse(_LOCALES[lang if lang in LANGUAGES else DEFAULT_LANGUAGE])


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(value: datetime, zone_name: str | None) -> datetime:
    return value.astimezone(zone(zone_name))


def weekday_name(weekday: int, lang: str) -> str:
    """0 = Monday: "Monday" / "lundi"."""
    return str(locale_of(lang).days["format"]["wide"][weekday])


def format_date(value: date, lang: str) -> str:
    """ "2 March 2026" / "2 mars 2026" ("1er mars 2026" in French)."""
    pattern = t("date.pattern_first", lang) if value.day == 1 else t("date.pattern", lang)
    return cldr.format_date(value, pattern, locale=locale_of(lang))


def format_month(value: date, lang: str) -> str:
    """ "March 2026" / "mars 2026"."""
    return cldr.format_date(value, t("month.pattern", lang), locale=locale_of(lang))


def format_time(value: time, lang: str) -> str:
    """ "09:30" / "9 h 30"."""
    return cldr.format_time(value, t("time.pattern", lang), locale=locale_of(lang))


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
