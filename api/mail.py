"""Email texts from a small fr/en catalog, keyed by the recipient's language."""

from __future__ import annotations

from email.message import EmailMessage

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "invitation.subject": "Your coaching programme account",
        "invitation.body": (
            "Hello {name},\n\n"
            "An account has been opened for you on the coaching programme ({role}).\n"
            "Choose your password with this link, valid until {expires} (UTC):\n\n"
            "{link}\n\n"
            "The link works once. If you did not expect this message, ignore it.\n"
        ),
        "role.hr": "programme administrator",
        "role.coach": "coach",
        "role.coachee": "coachee",
        "role.sponsor": "sponsor",
    },
    "fr": {
        "invitation.subject": "Votre compte du programme de coaching",
        "invitation.body": (
            "Bonjour {name},\n\n"
            "Un compte vous a été ouvert sur le programme de coaching ({role}).\n"
            "Choisissez votre mot de passe avec ce lien, valable jusqu'au {expires} (UTC) :\n\n"
            "{link}\n\n"
            "Le lien ne sert qu'une fois. Si vous n'attendiez pas ce message, ignorez-le.\n"
        ),
        "role.hr": "administrateur du programme",
        "role.coach": "coach",
        "role.coachee": "coaché",
        "role.sponsor": "commanditaire",
    },
}
DEFAULT_LANGUAGE = "en"


def text(language: str, key: str, **values: str) -> str:
    """The catalog entry for `language` ("fr-CA" falls back to "fr", then to English)."""
    base = language.split("-", 1)[0].lower()
    entries = CATALOG.get(base, CATALOG[DEFAULT_LANGUAGE])
    template = entries.get(key, CATALOG[DEFAULT_LANGUAGE][key])
    return template.format(**values)


def invitation_email(
    *, to: str, name: str, role: str, language: str, link: str, expires: str
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
            expires=expires,
        )
    )
    message["Content-Language"] = language.split("-", 1)[0].lower()
    return message
