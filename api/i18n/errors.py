"""Service and validation errors in the reader's language.

Services raise English messages from `api.messages` (the API's language); each is a
`Message` that carries its code (`NOT_FOUND`) and the values it was given. A page shows
it from the catalog key `error.<CODE>` with those values, the ones that are themselves
vocabulary (what was not found, a status, a role, a field) translated too.

A message that lost its code on the way (pydantic keeps only the text of a custom error)
is matched back against the templates, its `{fields}` captured; anything unrecognised is
shown as it is.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from api import messages
from api.i18n import is_plural, t, t_or

# Placeholders whose values are words of a vocabulary, with the catalog prefix to use.
_VOCABULARY = {
    "what": "noun.",
    "status": "status.request.",
    "state": "status.engagement.",
    "role": "role.",
    "field": "field.",
}


def message_templates() -> Iterator[tuple[str, str]]:
    """(NAME, template) of every message in `api.messages`."""
    for name, value in vars(messages).items():
        if name.isupper() and isinstance(value, str):
            yield name, value


def _pattern(template: str) -> re.Pattern[str]:
    parts = ["^"]
    seen: set[str] = set()
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            name = field if field not in seen else f"{field}_{len(seen)}"
            seen.add(field)
            parts.append(f"(?P<{name}>.+?)")
    parts.append("$")
    return re.compile("".join(parts), re.DOTALL)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Longest templates first: the most specific wins ("{field}: {message}" comes last).
    ordered = sorted(message_templates(), key=lambda item: -len(item[1]))
    return tuple((name, _pattern(template)) for name, template in ordered)


# Messages naming a state, an action and the states it needs: the prefixes of their
# words (a state, an action), per message ("review" is not the same action in both).
_STATE_WORDS = {
    "ENGAGEMENT_STATE": ("status.engagement.", "engagement.action."),
    "REFERENCING_STATE": ("referencing.", "referencing.action."),
}


def _state_words(name: str, raw: Mapping[str, str], lang: str) -> dict[str, str]:
    state, action = _STATE_WORDS[name]
    words = [t_or(state + w.strip(), lang, w.strip()) for w in raw["allowed"].split(",")]
    allowed = ", ".join(words[:-1]) + t("word.or", lang) + words[-1] if len(words) > 1 else words[0]
    return {
        "state": t_or(state + raw["state"], lang, raw["state"]),
        "action": t_or(action + raw["action"], lang, raw["action"]),
        "allowed": allowed,
    }


def _word(placeholder: str, value: str, lang: str) -> str:
    if len(value) > 1 and value[0] == value[-1] == "'":
        value = value[1:-1]  # a {value!r} matched back: the catalog quotes it its own way
    prefix = _VOCABULARY.get(placeholder)
    return value if prefix is None else t_or(prefix + value, lang, value)


def _translated(name: str, raw: Mapping[str, str], message: str, lang: str) -> str:
    """Message `name` in `lang`, from the values it was given (as text)."""
    key = f"error.{name}"
    values: dict[str, object] = {k: _word(k, v, lang) for k, v in raw.items()}
    if "allowed" in values and name == "REQUEST_STATE":
        words = [t_or(f"status.request.{w}", lang, w) for w in raw["allowed"].split(" or ")]
        values["allowed"] = t("word.or", lang).join(words)
    if name in _STATE_WORDS:
        values.update(_state_words(name, raw, lang))
    if name == "TOO_LARGE":  # what is too large: "the calendar file" -> upload.the_calendar_file
        values["what"] = t_or("upload." + raw["what"].replace(" ", "_").lower(), lang, raw["what"])
    if is_plural(key) and "count" in raw and raw["count"].isdigit():
        values["count"] = int(raw["count"])
    return t_or(key, lang, message, **values)


def translate_message(message: str, lang: str) -> str:
    """The service message `message` in `lang` (as it is when not from `api.messages`)."""
    found = messages.code_of(message)
    if found is not None:
        code, params = found
        return _translated(code, {k: _text(v) for k, v in params.items()}, message, lang)
    for name, pattern in _patterns():
        match = pattern.match(message)
        if match is not None:
            return _translated(name, match.groupdict(), message, lang)
    return message


def _text(value: object) -> str:
    """A message value as the template shows it (an enum by its value)."""
    return str(getattr(value, "value", value))


# Pydantic error types whose message the catalog words itself (with the error's ctx).
_PYDANTIC = {
    "missing": "required",
    "string_too_short": "required",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_parsing": "number",
    "greater_than_equal": "min",
    "greater_than": "min_exclusive",
    "less_than_equal": "max",
    "less_than": "max_exclusive",
    "string_too_long": "too_long",
    "too_short": "at_least_one",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "time_parsing": "time",
    "datetime_parsing": "datetime",
    "datetime_from_date_parsing": "datetime",
    "timezone_aware": "datetime",
    "enum": "choice",
    "literal_error": "choice",
    "bool_parsing": "choice",
}


def translate_validation(error: Mapping[str, Any], lang: str) -> str:
    """One pydantic error (`ValidationError.errors()` item) in `lang`."""
    kind = _PYDANTIC.get(str(error.get("type")))
    if kind is not None:
        ctx = error.get("ctx") or {}
        return t(
            f"invalid.{kind}",
            lang,
            limit=ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt", ctx.get("max_length"))))),
        )
    message = str(error.get("msg", ""))
    translated = translate_message(message, lang)
    if translated != message or lang == "en":
        return translated
    return t("invalid.value", lang)
