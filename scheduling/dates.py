"""Dates as a person reads them in an email: weekday, date and time in their own zone,
with the zone's name, in their language (Babel, CLDR data):

    mardi 12 janvier 2027, 9 h 30 (heure de Paris)
    Tuesday 12 January 2027, 09:30 (Paris time)

The zone is named after its city, as CLDR names it in the reader's language ("Londres",
"Calcutta"); a zone CLDR only knows as an alias of another city (America/Montreal is
Toronto's) keeps its own city, so a Montréal coach does not read "Toronto".
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.dates import format_datetime, format_time, get_timezone_location

from scheduling import messages
from scheduling.timezones import get_zone, require_utc

# CLDR's date with weekday, then the time as each language writes it ("9 h 30" in French).
_DATE = {"en": "EEEE d MMMM y", "fr": "EEEE d MMMM y"}
_TIME = {"en": "HH:mm", "fr": "H 'h' mm"}
_UTC = frozenset({"UTC", "Etc/UTC", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"})


@lru_cache(maxsize=512)
def zone_city(zone: str, lang: str) -> str:
    """The city that names ``zone`` in ``lang`` ("Paris", "Londres", "Montreal")."""
    if zone in _UTC:
        return "UTC"
    tz = get_zone(zone)
    aliases = get_global("zone_aliases")
    canonical = str(aliases.get(zone, zone))
    own = zone.rsplit("/", 1)[-1].replace("_", " ")
    if canonical != zone and canonical.rsplit("/", 1)[-1].replace("_", " ") != own:
        return own  # CLDR calls it after another city
    city: str = get_timezone_location(tz, locale=Locale.parse(lang), return_city=True)
    return city


def zone_label(zone: str, lang: str | None) -> str:
    """ "heure de Paris" / "Paris time" / "UTC"."""
    language = messages.language(lang)
    city = zone_city(zone, language)
    if city == "UTC":
        return "UTC"
    key = (
        "zone.city.elided"
        if language == "fr" and city[:1].lower() in "aeiouyhâéèêîôû"
        else "zone.city"
    )
    return messages.text(key, language, city=city)


def _local(instant: dt.datetime, zone: str) -> dt.datetime:
    instant = require_utc(instant, field="instant")
    return instant if zone in _UTC else instant.astimezone(get_zone(zone))


def format_day_time(instant: dt.datetime, zone: str, lang: str | None) -> str:
    """ "mardi 12 janvier 2027, 9 h 30" (no zone)."""
    language = messages.language(lang)
    local = _local(instant, zone)
    day = format_datetime(local, _DATE[language], tzinfo=local.tzinfo, locale=language)
    return f"{day}, {_time(local, language)}"


def _time(local: dt.datetime, language: str) -> str:
    text: str = format_time(local, _TIME[language], tzinfo=local.tzinfo, locale=language)
    return text


def format_when(instant: dt.datetime, zone: str, lang: str | None) -> str:
    """ "mardi 12 janvier 2027, 9 h 30 (heure de Paris)"."""
    return f"{format_day_time(instant, zone, lang)} ({zone_label(zone, lang)})"


def format_span(start: dt.datetime, end: dt.datetime, zone: str, lang: str | None) -> str:
    """ "mardi 12 janvier 2027, 9 h 30 – 10 h 30 (heure de Paris)"; the end's date is
    written too when it is another day."""
    language = messages.language(lang)
    a, b = _local(start, zone), _local(end, zone)
    until = _time(b, language) if a.date() == b.date() else format_day_time(end, zone, language)
    return f"{format_day_time(start, zone, language)} – {until} ({zone_label(zone, language)})"
