"""The notifications' words: the catalogs' `notify.*` entries (api/locale), in the
addressee's language. Each says what happened and where to look, never what was said:
no objective, brief, note or answer reaches an email."""

from __future__ import annotations

from datetime import date, datetime

from api.i18n import is_plural, language_of, t
from api.i18n.dates import format_date, format_datetime


def text(language: str, key: str, *, tz: str | None = None, **values: object) -> str:
    """Entry `notify.<key>` in `language` (English when it is not one of ours), its dates
    written in that language (times in zone `tz`); `days` picks a plural form."""
    lang = language_of(language) or "en"
    shown = {name: _shown(value, lang, tz) for name, value in values.items()}
    if is_plural(f"notify.{key}") and isinstance(values.get("days"), int):
        shown["count"] = values["days"]
    return t(f"notify.{key}", lang, **shown)


def _shown(value: object, lang: str, zone: str | None) -> object:
    if isinstance(value, datetime):
        return format_datetime(value, lang, zone)
    if isinstance(value, date):
        return format_date(value, lang)
    return value
