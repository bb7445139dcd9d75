"""The invite email, shaped as the big calendar clients send it (stdlib ``email``)::

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain; charset=utf-8                       (quoted-printable)
    │   ├── text/html; charset=utf-8                        (quoted-printable)
    │   └── text/calendar; method=REQUEST; charset=UTF-8    (base64; same METHOD as inside)
    └── application/ics; name=invite.ics                    (attachment, base64)

Every part is 7-bit (quoted-printable or base64), so no relay has to carry 8-bit data
it was not told about. The text is the recipient's: their language, the time in their
zone with the zone's name and the weekday (:mod:`scheduling.dates`), who takes part, the
place or the join link, the link to move or cancel, the old and new time of a change,
who cancelled. The HTML part has the same words, a ``lang``, headings and a definition
list for screen readers, no image and nothing remote. Headers are built with the stdlib's
header registry, so a name with CR/LF cannot add a header; the Subject is neutral
("Invitation: Coaching session 2 of 6").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape

from scheduling import messages
from scheduling.dates import format_span
from scheduling.errors import InvalidCalendarDataError
from scheduling.ical_common import Mailbox
from scheduling.invites import Method, SessionInvite, invite_ics
from scheduling.timezones import require_utc

ROLES = ("coach", "coachee", "sponsor", "hr")
_LINK = re.compile(r"^https?://[\x21-\x7e]{1,2000}$")


@dataclass(frozen=True)
class EmailDetails:
    """What the email says beyond the invite itself."""

    manage_url: str | None = None  # the recipient's sessions page: move or cancel
    previous: tuple[dt.datetime, dt.datetime] | None = None  # a change: the old time
    cancelled_by: str | None = None  # a cancel: the role of who cancelled

    def __post_init__(self) -> None:
        if self.manage_url is not None and not _LINK.match(self.manage_url):
            raise InvalidCalendarDataError("an http(s) URL is required", field="manage_url")
        if self.previous is not None:
            start, end = self.previous
            object.__setattr__(
                self,
                "previous",
                (require_utc(start, field="previous"), require_utc(end, field="previous")),
            )
        if self.cancelled_by is not None and self.cancelled_by not in ROLES:
            raise InvalidCalendarDataError(f"must be one of {ROLES}", field="cancelled_by")


@dataclass(frozen=True)
class Body:
    """The email's words, once: the text and the HTML parts are both made from it."""

    heading: str
    intro: str
    facts: tuple[tuple[str, str], ...]  # (label, value)
    join_url: str | None
    manage_url: str | None
    next_steps: str | None
    lang: str


def _address(mailbox: Mailbox) -> Address:
    user, domain = mailbox.email.rsplit("@", 1)
    return Address(display_name=mailbox.name, username=user, domain=domain)


def compose(invite: SessionInvite, key: str, details: EmailDetails) -> Body:
    """The words of the email for ``key`` (REQUEST, UPDATE or CANCEL)."""
    lang = messages.language(invite.language)

    def t(name: str, **values: object) -> str:
        return messages.text(name, lang, **values)

    span = format_span(invite.start, invite.end, invite.zone, lang)
    facts: list[tuple[str, str]] = []
    if key == "CANCEL":
        facts.append((t("label.planned"), span))
        if details.cancelled_by is not None:
            facts.append((t("label.cancelled_by"), t(f"role.{details.cancelled_by}")))
    elif key == "UPDATE" and details.previous is not None:
        old = format_span(*details.previous, invite.zone, lang)
        facts += [(t("label.was"), old), (t("label.now"), span)]
    else:
        facts.append((t("label.when"), span))
    names = [a.mailbox.name or a.mailbox.email for a in invite.attendees]
    facts.append((t("label.who"), ", ".join(names)))
    if invite.location and invite.location != invite.online_url:
        facts.append((t("label.where"), invite.location))
    cancelled = key == "CANCEL"
    return Body(
        heading=t(f"heading.{key}"),
        intro=t(f"intro.{key}", title=invite.title),
        facts=tuple(facts),
        join_url=None if cancelled else invite.online_url,
        manage_url=None if cancelled else details.manage_url,
        next_steps=t("next.CANCEL") if cancelled else None,
        lang=lang,
    )


def labelled(label: str, lang: str) -> str:
    """ "When:" / "Quand :" (French sets a no-break space before the colon)."""
    return f"{label}\u00a0:" if lang == "fr" else f"{label}:"


def plain_text(body: Body) -> str:
    t = body.lang
    lines = [body.heading, "", body.intro, ""]
    lines += [f"{labelled(label, t)} {value}" for label, value in body.facts]
    if body.join_url:
        lines.append(f"{labelled(messages.text('label.join', t), t)} {body.join_url}")
    if body.next_steps:
        lines += ["", body.next_steps]
    if body.manage_url:
        lines += ["", messages.text("manage.text", t, url=body.manage_url)]
    lines += ["", "-- ", messages.text("footer", t)]
    return "\n".join(lines) + "\n"


_STYLE = (
    "body{margin:0;padding:24px;background:#ffffff;color:#1a1a1a;"
    "font:16px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif}"
    "main{max-width:36em}h1{font-size:1.4em;margin:0 0 .5em}"
    "dl{margin:1em 0}dt{font-weight:bold;margin-top:.6em}dd{margin:0}"
    "a{color:#0b4f9c}.button{display:inline-block;margin:.8em 0;padding:.6em 1.2em;"
    "background:#0b4f9c;color:#ffffff;border-radius:4px;text-decoration:none;font-weight:bold}"
    "footer{margin-top:2em;color:#4a4a4a;font-size:.9em}"
)


def html_text(body: Body, title: str) -> str:
    """The HTML part: the same words, structured for screen readers, nothing remote."""
    e = escape
    facts = "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in body.facts)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(body.lang)}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head>",
        "<body><main>",
        f"<h1>{e(body.heading)}</h1>",
        f"<p>{e(body.intro)}</p>",
        f"<dl>{facts}</dl>",
    ]
    if body.join_url:
        link = messages.text("join.link", body.lang)
        parts.append(f'<p><a class="button" href="{e(body.join_url)}">{e(link)}</a></p>')
        label = labelled(messages.text("label.join", body.lang), body.lang)
        parts.append(f'<p>{e(label)} <a href="{e(body.join_url)}">{e(body.join_url)}</a></p>')
    if body.next_steps:
        parts.append(f"<h2>{e(messages.text('label.next', body.lang))}</h2>")
        parts.append(f"<p>{e(body.next_steps)}</p>")
    if body.manage_url:
        parts.append(f"<p>{e(messages.text('manage.html', body.lang))} ")
        link = messages.text("manage.link", body.lang)
        parts.append(f'<a href="{e(body.manage_url)}">{e(link)}</a></p>')
    parts.append(f"<footer><p>{e(messages.text('footer', body.lang))}</p></footer>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def build_invite_email(
    invite: SessionInvite,
    method: Method = Method.REQUEST,
    *,
    recipients: Sequence[Mailbox] | None = None,
    update: bool = False,
    date: dt.datetime | None = None,
    details: EmailDetails | None = None,
) -> EmailMessage:
    """The email carrying ``invite``: to every attendee unless ``recipients`` is given.
    ``update`` words a REQUEST as a change; ``date`` sets the Date header (else the mail
    transport adds it); ``details`` adds the links, the old time, who cancelled."""
    ics = invite_ics(invite, method)
    lang = messages.language(invite.language)
    key = "CANCEL" if method is Method.CANCEL else ("UPDATE" if update else "REQUEST")
    title = invite.title
    body = compose(invite, key, details or EmailDetails())
    subject = messages.text(f"subject.{key}", lang, title=title)

    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = _address(invite.organizer)
    targets = recipients if recipients is not None else [a.mailbox for a in invite.attendees]
    msg["To"] = [_address(m) for m in targets]
    if date is not None:
        msg["Date"] = format_datetime(date.astimezone(dt.UTC), usegmt=True)
    msg.set_content(plain_text(body), cte="quoted-printable")
    msg.add_alternative(html_text(body, subject), subtype="html", cte="quoted-printable")
    msg.add_alternative(
        ics,
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"method": str(method), "charset": "UTF-8"},
    )
    msg.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    msg["Content-Language"] = lang  # after the parts: set_content drops Content-* headers
    return msg
