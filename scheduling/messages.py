"""User-facing text of invites, emails and feeds, keyed by language (en default, fr).

Every text here is neutral: the kind of session and its number, who attends, where. Nothing
about the content of the coaching can be put here: the catalog has no slot for it.
"""

from __future__ import annotations

from typing import Final

KINDS: Final = ("coaching", "mediation", "tutoring", "team_coaching")
DEFAULT_LANGUAGE: Final = "en"

CATALOG: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title.coaching": "Coaching session {index} of {total}",
        "title.mediation": "Mediation session {index} of {total}",
        "title.tutoring": "Tutoring session {index} of {total}",
        "title.team_coaching": "Team coaching session {index} of {total}",
        "subject.REQUEST": "Invitation: {title}",
        "subject.UPDATE": "Updated invitation: {title}",
        "subject.CANCEL": "Cancelled: {title}",
        "body.REQUEST": "You are invited to: {title}\nWhen: {when}",
        "body.UPDATE": "The time or place of this session has changed: {title}\nWhen: {when}",
        "body.CANCEL": "This session is cancelled: {title}\nIt was planned for: {when}",
        "with": "With: {names}",
        "where": "Where: {place}",
        "online": "Online: {url}",
        "cancelled": "Cancelled: {title}",
        "feed.name": "Coaching sessions",
        "feed.name.person": "Coaching sessions – {name}",
    },
    "fr": {
        "title.coaching": "Séance de coaching {index} sur {total}",
        "title.mediation": "Séance de médiation {index} sur {total}",
        "title.tutoring": "Séance de tutorat {index} sur {total}",
        "title.team_coaching": "Séance de coaching d’équipe {index} sur {total}",
        "subject.REQUEST": "Invitation : {title}",
        "subject.UPDATE": "Invitation modifiée : {title}",
        "subject.CANCEL": "Annulé : {title}",
        "body.REQUEST": "Vous êtes invité(e) à : {title}\nQuand : {when}",
        "body.UPDATE": "L’heure ou le lieu de cette séance a changé : {title}\nQuand : {when}",
        "body.CANCEL": "Cette séance est annulée : {title}\nElle était prévue le : {when}",
        "with": "Avec : {names}",
        "where": "Lieu : {place}",
        "online": "En ligne : {url}",
        "cancelled": "Annulé : {title}",
        "feed.name": "Séances de coaching",
        "feed.name.person": "Séances de coaching – {name}",
    },
}


def language(tag: str | None) -> str:
    """Catalog language for a tag: ``"fr-CA"`` → ``"fr"``; unknown → English."""
    if not tag:
        return DEFAULT_LANGUAGE
    base = tag.replace("_", "-").split("-", 1)[0].lower()
    return base if base in CATALOG else DEFAULT_LANGUAGE


def text(key: str, lang: str | None = None, **values: object) -> str:
    """The catalog text ``key`` in ``lang`` with ``values`` filled in."""
    return CATALOG[language(lang)][key].format(**values)


def session_title(kind: str, index: int, total: int, lang: str | None = None) -> str:
    """``"Coaching session 2 of 6"`` / ``"Séance de coaching 2 sur 6"``."""
    return text(f"title.{kind}", lang, index=index, total=total)
