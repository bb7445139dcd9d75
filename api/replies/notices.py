"""Emails about replies: a decline told to the coach (and HR for a first session), a
proposed new time told to the coach. Plain text, quoted-printable, in the reader's
language, the time in the reader's zone; names and times only, never a brief."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from scheduling import messages as core_messages
from scheduling.dates import format_span

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "declined.subject": "Declined: {title}",
        "declined.body": (
            "{name} ({role}) declined {title}.\n\nWhen: {when}\n\n"
            "The session stays planned until it is moved or cancelled: {url}\n"
        ),
        "counter.subject": "New time proposed: {title}",
        "counter.body": (
            "{name} ({role}) proposes another time for {title}.\n\n"
            "Planned: {when}\nProposed: {proposed}\n\n"
            "Accept it (everyone gets the updated invitation) or decline it on your "
            "sessions page: {url}\n"
        ),
    },
    "fr": {
        "declined.subject": "Refusé : {title}",
        "declined.body": (
            "{name} ({role}) a refusé la {title_lower}.\n\nQuand : {when}\n\n"
            "La séance reste prévue tant qu’elle n’est ni déplacée ni annulée : {url}\n"
        ),
        "counter.subject": "Nouvel horaire proposé : {title}",
        "counter.body": (
            "{name} ({role}) propose un autre horaire pour la {title_lower}.\n\n"
            "Prévue : {when}\nProposée : {proposed}\n\n"
            "Acceptez-le (chacun reçoit l’invitation modifiée) ou refusez-le sur la page de "
            "vos séances : {url}\n"
        ),
    },
}
FOOTER = {
    "en": "\n-- \nSent by the coaching programme.\n",
    "fr": "\n-- \nEnvoyé par le programme de coaching.\n",
}


def _message(to: str, lang: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body + FOOTER[lang], cte="quoted-printable")
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
    entries = CATALOG[lang]
    return _message(
        to,
        lang,
        entries[f"{kind}.subject"].format(**values),
        entries[f"{kind}.body"].format(**values),
    )
