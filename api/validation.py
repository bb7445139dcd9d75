"""Reusable field types and checks for API schemas and CSV rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from annotated_types import MaxLen
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from api import messages
from scheduling.emails import normalise_email
from scheduling.errors import InvalidEmailError

_LANGUAGE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")


def check_email(value: str) -> str:
    """The address in its one stored form (`scheduling.emails`: email-validator, ASCII,
    lower case), or ValueError with the reason from `api.messages`."""
    try:
        return normalise_email(value)
    except InvalidEmailError as exc:
        if exc.characters:
            raise ValueError(messages.EMAIL_NOT_ASCII.format(characters=exc.characters)) from exc
        raise ValueError(messages.INVALID_EMAIL) from exc


def check_timezone(value: str) -> str:
    """An IANA time zone name known to zoneinfo, e.g. Europe/Paris."""
    value = value.strip()
    try:
        if not value or value.startswith(("/", ".")):
            raise ZoneInfoNotFoundError(value)
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(messages.INVALID_TIMEZONE.format(value=value)) from exc
    return value


def check_language(value: str) -> str:
    value = value.strip()
    if not _LANGUAGE.match(value):
        raise ValueError(messages.INVALID_LANGUAGE.format(value=value))
    return value


def _custom(check):  # type: ignore[no-untyped-def]
    """Wrap a ValueError check so pydantic shows the message without 'Value error, '."""

    def run(value: str) -> str:
        try:
            return check(value)  # type: ignore[no-any-return]
        except ValueError as exc:
            raise PydanticCustomError("invalid", str(exc)) from exc

    return run


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _tags(value: list[str]) -> list[str]:
    """Trimmed, non-empty, de-duplicated tags in their first order."""
    out: list[str] = []
    for item in value:
        item = item.strip()
        if not item:
            raise PydanticCustomError("invalid", messages.EMPTY_TAG)
        if item not in out:
            out.append(item)
    return out


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


# Every list the API accepts is bounded (a request with 50,000 themes was accepted): as
# sent, before de-duplication, so the work done on it is bounded too.
MAX_TAGS = 30  # themes, sites
MAX_LANGUAGES = 10
MAX_CHOICES = 10  # modalities, coaching types (a few allowed values each)


def max_items(limit: int) -> tuple[BeforeValidator, MaxLen]:
    """A list of at most `limit` items: checked first, with a message naming the count and
    the limit (from `api.messages`, so it is translated), and published as `maxItems`."""

    def check(value: object) -> object:
        if isinstance(value, list | tuple | set) and len(value) > limit:
            raise PydanticCustomError(
                "too_many", messages.TOO_MANY_ITEMS.format(count=len(value), limit=limit)
            )
        return value

    return BeforeValidator(check), MaxLen(limit)


Email = Annotated[str, AfterValidator(_custom(check_email))]
TimeZoneName = Annotated[str, AfterValidator(_custom(check_timezone))]
Language = Annotated[str, AfterValidator(_custom(check_language))]
UTCDatetime = Annotated[AwareDatetime, AfterValidator(_utc)]
Name = Annotated[str, BeforeValidator(_strip), StringConstraints(min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(max_length=100)]
Tags = Annotated[list[Tag], *max_items(MAX_TAGS), AfterValidator(_tags)]
Languages = Annotated[list[Language], *max_items(MAX_LANGUAGES), AfterValidator(_tags)]


def browser_text(value: str) -> str:
    """Line breaks as a browser counts them: a form sends each one of a textarea as CRLF
    (HTML's form encoding), while its `maxlength` counted it as one character."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def max_chars(limit: int) -> AfterValidator:
    """A text of at most `limit` characters counted as a browser counts them (line breaks
    normalised to LF, and stored so); the message gives the length and the limit."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        value = browser_text(value)
        if len(value) > limit:
            raise PydanticCustomError(
                "too_long", messages.TOO_LONG.format(length=len(value), limit=limit)
            )
        return value

    return AfterValidator(check)


def one_of(allowed: tuple[str, ...]) -> AfterValidator:
    def check(values: list[str]) -> list[str]:
        for value in values:
            if value not in allowed:
                raise PydanticCustomError(
                    "invalid", messages.UNKNOWN_VALUE.format(allowed=", ".join(allowed))
                )
        return values

    return AfterValidator(check)


def _currency(value: str) -> str:
    value = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise PydanticCustomError("invalid", "must be a 3-letter ISO 4217 code (e.g. EUR)")
    return value


Currency = Annotated[str, AfterValidator(_currency)]
