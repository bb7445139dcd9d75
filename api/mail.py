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
        "reset.subject": "Choose a new password for the coaching programme",
        "reset.body": (
            "Hello {name},\n\n"
            "Someone asked to choose a new password for your coaching programme account.\n"
            "If it was you, use this link, valid until {expires} (UTC):\n\n"
            "{link}\n\n"
            "The link works once. If you did not ask for it, ignore this message: your\n"
            "password stays as it is.\n"
        ),
        "email_change.subject": "Your address in the coaching programme changed",
        "email_change.body": (
            "Hello {name},\n\n"
            "The org chart now gives {new} as your address, instead of {old}.\n"
            "From now on the coaching programme writes to the new address, and your\n"
            "account (if you have one) signs in with it.\n\n"
            "If you did not ask for this change, tell your HR team or your data\n"
            "protection officer at once: someone may be trying to read your coaching\n"
            "data.\n"
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
        "reset.subject": "Choisissez un nouveau mot de passe pour le programme de coaching",
        "reset.body": (
            "Bonjour {name},\n\n"
            "Quelqu'un a demandé à choisir un nouveau mot de passe pour votre compte du\n"
            "programme de coaching. Si c'est vous, utilisez ce lien, valable jusqu'au\n"
            "{expires} (UTC) :\n\n"
            "{link}\n\n"
            "Le lien ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message :\n"
            "votre mot de passe reste le même.\n"
        ),
        "email_change.subject": "Votre adresse dans le programme de coaching a changé",
        "email_change.body": (
            "Bonjour {name},\n\n"
            "L'organigramme donne désormais {new} comme adresse, au lieu de {old}.\n"
            "Le programme de coaching vous écrit maintenant à la nouvelle adresse, et\n"
            "votre compte (si vous en avez un) s'ouvre avec elle.\n\n"
            "Si vous n'avez pas demandé ce changement, prévenez tout de suite votre\n"
            "équipe RH ou votre délégué à la protection des données : quelqu'un cherche\n"
            "peut-être à lire vos données de coaching.\n"
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


def password_reset_email(
    *, to: str, name: str, language: str, link: str, expires: str
) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = text(language, "reset.subject")
    message.set_content(text(language, "reset.body", name=name or to, link=link, expires=expires))
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
