"""The account emails (invitation, password reset, address change): their words are the
catalogs' `mail.*` entries (api/locale), in the recipient's language."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from api.i18n import DEFAULT_LANGUAGE, language_of, t
from api.i18n.dates import format_datetime


def text(language: str, key: str, **values: object) -> str:
    """Entry `mail.<key>` of the catalogs, in the recipient's language ("fr-CA" reads
    French; an unknown language, English)."""
    return t(f"mail.{key}", language_of(language) or DEFAULT_LANGUAGE, **values)


def _until(moment: datetime, language: str) -> str:
    """A link's end, in the recipient's words: "jeudi 3 décembre 2026, 14 h 00 (UTC)"."""
    return f"{format_datetime(moment, language_of(language) or DEFAULT_LANGUAGE, 'UTC')} (UTC)"


def invitation_email(
    *, to: str, name: str, role: str, language: str, link: str, expires: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = text(language, "invitation.subject")
    role_label = text(language, f"role.{role}")
    message.set_content(
        text(
            language,
            "invitation.body",
            name=name or to,
            role=role_label,
            link=link,
            expires=_until(expires, language),
        )
    )
    message["Content-Language"] = language.split("-", 1)[0].lower()
    return message


def password_reset_email(
    *, to: str, name: str, language: str, link: str, expires: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = text(language, "reset.subject")
    message.set_content(
        text(language, "reset.body", name=name or to, link=link, expires=_until(expires, language))
    )
    message["Content-Language"] = language.split("-", 1)[0].lower()
    return message


def email_change_notice(*, to: str, name: str, old: str, new: str, language: str) -> EmailMessage:
    """To the previous address: the org chart moved this person to `new`."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = text(language, "email_change.subject")
    message.set_content(text(language, "email_change.body", name=name or to, old=old, new=new))
    message["Content-Language"] = language.split("-", 1)[0].lower()
    return message
