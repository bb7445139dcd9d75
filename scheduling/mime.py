"""The invite email, shaped as the big calendar clients send it (stdlib ``email``)::

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain; charset=utf-8
    │   └── text/calendar; method=REQUEST; charset=UTF-8   (same METHOD as inside)
    └── application/ics; name=invite.ics                    (attachment)

Headers are built with the stdlib's header registry, so a name with CR/LF cannot add a
header; the Subject is neutral ("Invitation: Coaching session 2 of 6").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from scheduling import messages
from scheduling.ical_common import Mailbox
from scheduling.invites import Method, SessionInvite, display_zone, invite_ics


def _address(mailbox: Mailbox) -> Address:
    user, domain = mailbox.email.rsplit("@", 1)
    return Address(display_name=mailbox.name, username=user, domain=domain)


def _when(invite: SessionInvite) -> str:
    tz = display_zone(invite.zone)
    start, end = invite.start.astimezone(tz), invite.end.astimezone(tz)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} ({invite.zone})"


def build_invite_email(
    invite: SessionInvite,
    method: Method = Method.REQUEST,
    *,
    recipients: Sequence[Mailbox] | None = None,
    update: bool = False,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The email carrying ``invite``: to every attendee unless ``recipients`` is given.
    ``update`` words a REQUEST as a change; ``date`` sets the Date header (else the mail
    transport adds it)."""
    ics = invite_ics(invite, method)
    lang = invite.language
    key = "CANCEL" if method is Method.CANCEL else ("UPDATE" if update else "REQUEST")
    title = invite.title
    body = [messages.text(f"body.{key}", lang, title=title, when=_when(invite))]
    if invite.location:
        body.append(messages.text("where", lang, place=invite.location))
    if invite.online_url:
        body.append(messages.text("online", lang, url=invite.online_url))

    msg = EmailMessage()
    msg["Subject"] = messages.text(f"subject.{key}", lang, title=title)
    msg["From"] = _address(invite.organizer)
    targets = recipients if recipients is not None else [a.mailbox for a in invite.attendees]
    msg["To"] = [_address(m) for m in targets]
    if date is not None:
        msg["Date"] = format_datetime(date.astimezone(dt.UTC), usegmt=True)
    msg.set_content("\n".join(body) + "\n")
    msg.add_alternative(
        ics,
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"method": str(method), "charset": "UTF-8"},
    )
    msg.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return msg
