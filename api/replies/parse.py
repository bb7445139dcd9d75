"""Reading an iTIP reply (RFC 5546 REPLY or COUNTER) out of an email (RFC 5322/MIME), as
the big clients send them: the calendar as a ``text/calendar`` alternative (Outlook,
Google, Thunderbird), as an ``.ics`` attachment only (Apple Mail), quoted-printable or
base64, with a VTIMEZONE of the client's own (Outlook's Windows zone names included).

Reading never decides anything: it says what the message claims (UID, SEQUENCE, who,
which answer, which proposed time) or why nothing can be read; `api.replies.service`
checks the claim against the sessions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses

from icalendar import Calendar

METHODS = ("REPLY", "COUNTER")
MAX_EVENTS = 20  # a reply is about one session; a flood of events is not a reply


@dataclass(frozen=True)
class Answer:
    """One VEVENT of a reply: who answers what, about which version of which session."""

    method: str
    uid: str | None
    sequence: int
    attendee: str | None  # the replier's address, lower case
    partstat: str | None
    start: datetime | None = None  # COUNTER: the proposed time, UTC
    end: datetime | None = None


@dataclass(frozen=True)
class Inbound:
    key: str  # SHA-256 of the Message-ID (of the bytes, without one)
    sender: str | None
    answers: tuple[Answer, ...] = ()
    problem: str | None = None  # why nothing can be applied: no_calendar, not_itip, ...


def message_key(raw: bytes, message: Message | None) -> str:
    message_id = message.get("Message-ID") if message is not None else None
    basis = str(message_id).strip().encode() if message_id else raw
    return hashlib.sha256(basis).hexdigest()


def _calendar_part(message: EmailMessage) -> tuple[bytes, str | None] | None:
    """The first calendar in the message: a text/calendar part, else an .ics file."""
    fallback = None
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        name = (part.get_filename() or "").lower()
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if kind == "text/calendar":
            return payload, part.get_param("method")  # type: ignore[return-value]
        if fallback is None and (kind == "application/ics" or name.endswith(".ics")):
            fallback = (payload, None)
    return fallback


def _utc(value: object) -> datetime | None:
    moment = getattr(value, "dt", None)
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        return None  # a date, or a floating time: no instant to propose
    return moment.astimezone(UTC)


def _address(value: object) -> str:
    text = str(value).strip()
    return text[7:].lower() if text.lower().startswith("mailto:") else text.lower()


def _answer(method: str, event: object, sender: str | None) -> Answer:
    get = event.get  # type: ignore[attr-defined]
    attendees = get("ATTENDEE")
    if attendees is None:
        attendees = []
    elif not isinstance(attendees, list):
        attendees = [attendees]
    chosen = None
    if len(attendees) == 1:
        chosen = attendees[0]
    else:  # some clients echo every attendee: the replier is the sender
        chosen = next((a for a in attendees if _address(a) == sender), None)
    sequence = get("SEQUENCE")
    try:
        number = int(sequence) if sequence is not None else 0
    except (TypeError, ValueError):
        number = -1
    partstat = str(chosen.params.get("PARTSTAT", "")).upper() or None if chosen else None
    uid = get("UID")
    return Answer(
        method=method,
        uid=str(uid) if uid is not None else None,
        sequence=number,
        attendee=_address(chosen) if chosen is not None else None,
        partstat=partstat,
        start=_utc(get("DTSTART")) if method == "COUNTER" else None,
        end=_utc(get("DTEND")) if method == "COUNTER" else None,
    )


def read_reply(raw: bytes) -> Inbound:
    """What the email ``raw`` answers, or the reason it answers nothing."""
    try:
        message = message_from_bytes(raw, policy=policy.default)
    except Exception:
        return Inbound(message_key(raw, None), None, problem="unreadable")
    assert isinstance(message, EmailMessage)
    key = message_key(raw, message)
    senders = getaddresses([str(message.get("From", ""))])
    sender = senders[0][1].lower() if senders and senders[0][1] else None
    found = _calendar_part(message)
    if found is None:
        return Inbound(key, sender, problem="no_calendar")
    data, part_method = found
    try:
        calendar = Calendar.from_ical(data)
    except Exception:
        return Inbound(key, sender, problem="bad_calendar")
    method = str(calendar.get("METHOD") or part_method or "").upper()
    if method not in METHODS:
        return Inbound(key, sender, problem="not_a_reply")
    events = list(calendar.walk("VEVENT"))
    if not events or len(events) > MAX_EVENTS:
        return Inbound(key, sender, problem="no_event" if not events else "too_many_events")
    return Inbound(key, sender, tuple(_answer(method, e, sender) for e in events))
