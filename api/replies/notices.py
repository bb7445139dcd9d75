"""Emails about replies: a decline told to the coach (and HR for a first session), a
proposed new time told to the coach. Plain text, quoted-printable, in the reader's
language (the catalogs' `notice.*` entries), the time in the reader's zone; names and
times only, never a brief."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from api.i18n import t
from scheduling import messages as core_messages
from scheduling.dates import format_span


def _message(to: str, lang: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body + t("notice.footer", lang), cte="quoted-printable")
    message["Content-Language"] = lang  # after: set_content drops Content-* headers
    return message


def notice(
    kind: str,
    *,
    to: str,
    language: str,
    zone: str,
    name: str,
    role: str,
    index: int,
    total: int,
    start: datetime,
    end: datetime,
    url: str,
    proposed: tuple[datetime, datetime] | None = None,
) -> EmailMessage:
    """``kind`` is "declined" or "counter"."""
    lang = core_messages.language(language)
    title = core_messages.session_title(index, total, lang)
    values = {
        "name": name,
        "role": core_messages.text(f"role.{role}", lang),
        "title": title,
        "title_lower": title[:1].lower() + title[1:],
        "when": format_span(start, end, zone, lang),
        "url": url,
        "proposed": format_span(*proposed, zone, lang) if proposed else "",
    }
    return _message(
        to,
        lang,
        t(f"notice.{kind}.subject", lang, **values),
        t(f"notice.{kind}.body", lang, **values),
    )
