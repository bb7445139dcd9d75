"""The one email rule of coachmatch, for every address it stores or writes.

An address is checked with ``email-validator`` (syntax only: no DNS, no deliverability) and
normalised to one ASCII form, lower case: the domain in its IDNA form (``bücher.de`` →
``xn--bcher-kva.de``), so every address can go in an SMTP envelope without SMTPUTF8 and in
an iCalendar ``mailto:`` URI as it is.

Internationalised local parts (``paul.hélène@example.org``) are refused: delivering them
needs SMTPUTF8 on every relay and a calendar client that reads a percent-encoded
``mailto:``, which the programme cannot promise; an org chart holding one is refused at
import, naming the line, rather than failing later when an invite is sent. Quoted local
parts, IP-address domains and special-use names (``.test``, ``localhost``) are refused too.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from scheduling.errors import InvalidEmailError

MAX_LENGTH = 254  # RFC 5321 path limit, less the angle brackets


def normalise_email(value: str, *, field: str = "email") -> str:
    """``value`` trimmed, checked and in its ASCII lower-case form, or
    :class:`InvalidEmailError` (``characters`` lists the non-ASCII ones before the @)."""
    if not isinstance(value, str):
        raise InvalidEmailError(field=field)
    value = value.strip()
    local = value.rpartition("@")[0]
    foreign = "".join(dict.fromkeys(ch for ch in local if not ch.isascii()))
    if foreign:
        raise InvalidEmailError(field=field, characters=foreign)
    if len(value) > MAX_LENGTH:
        raise InvalidEmailError(field=field)
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise InvalidEmailError(field=field) from exc
    address = checked.ascii_email
    if address is None or len(address) > MAX_LENGTH:  # pragma: no cover - ASCII local part
        raise InvalidEmailError(field=field)
    return address.lower()
