"""User-facing text of invites, emails and feeds, keyed by language (en default, fr).

Every text here is neutral: a session and its number, who attends, when and where. The
title does not name the kind of session either: "mediation" alone tells of a conflict, and
a calendar's titles are what colleagues and assistants see first. Nothing about the
content of the coaching can be put here: the catalog has no slot for it.
"""

from __future__ import annotations

from typing import Final

DEFAULT_LANGUAGE: Final = "en"

CATALOG: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "Coaching session {index} of {total}",
        "subject.REQUEST": "Invitation: {title}",
        "subject.UPDATE": "Updated invitation: {title}",
        "subject.CANCEL": "Cancelled: {title}",
        "heading.REQUEST": "You are invited to a coaching session",
        "heading.UPDATE": "Your coaching session has changed",
        "heading.CANCEL": "Your coaching session is cancelled",
        "intro.REQUEST": "{title}. Your calendar app can add it with the invitation attached.",
        "intro.UPDATE": "{title}: the time or the place has changed.",
        "intro.CANCEL": "{title} will not take place.",
        "label.when": "When",
        "label.was": "Was",
        "label.now": "Now",
        "label.planned": "It was planned for",
        "label.who": "Who takes part",
        "label.where": "Where",
        "label.join": "Join online",
        "label.cancelled_by": "Cancelled by",
        "label.next": "What happens next",
        "join.link": "Join the session",
        "manage.text": "To move or cancel this session, open your sessions: {url}",
        "manage.link": "Move or cancel this session",
        "manage.html": "To move or cancel this session, open your sessions page.",
        "next.CANCEL": (
            "The other sessions of the engagement stay as planned. The coach can offer a new "
            "time from their sessions page; you will get a new invitation."
        ),
        "role.coach": "the coach",
        "role.coachee": "the coachee",
        "role.sponsor": "the sponsor",
        "role.hr": "the programme team",
        "footer": "Sent by the coaching programme. This message holds no content of the "
        "coaching itself.",
        "with": "With: {names}",
        "where": "Where: {place}",
        "online": "Online: {url}",
        "cancelled": "Cancelled: {title}",
        "feed.name": "Coaching sessions",
        "feed.name.person": "Coaching sessions – {name}",
        "zone.city": "{city} time",
        "zone.city.elided": "{city} time",
    },
    "fr": {
        "title": "Séance de coaching {index} sur {total}",
        "subject.REQUEST": "Invitation : {title}",
        "subject.UPDATE": "Invitation modifiée : {title}",
        "subject.CANCEL": "Annulé : {title}",
        "heading.REQUEST": "Vous êtes invité(e) à une séance de coaching",
        "heading.UPDATE": "Votre séance de coaching a changé",
        "heading.CANCEL": "Votre séance de coaching est annulée",
        "intro.REQUEST": "{title}. Votre agenda peut l’ajouter avec l’invitation jointe.",
        "intro.UPDATE": "{title} : l’heure ou le lieu a changé.",
        "intro.CANCEL": "{title} n’aura pas lieu.",
        "label.when": "Quand",
        "label.was": "Avant",
        "label.now": "Maintenant",
        "label.planned": "Elle était prévue le",
        "label.who": "Participants",
        "label.where": "Lieu",
        "label.join": "En ligne",
        "label.cancelled_by": "Annulée par",
        "label.next": "Et ensuite",
        "join.link": "Rejoindre la séance",
        "manage.text": "Pour déplacer ou annuler cette séance, ouvrez vos séances : {url}",
        "manage.link": "Déplacer ou annuler cette séance",
        "manage.html": "Pour déplacer ou annuler cette séance, ouvrez la page de vos séances.",
        "next.CANCEL": (
            "Les autres séances de l’accompagnement restent prévues. Le coach peut proposer "
            "un nouvel horaire depuis sa page des séances ; vous recevrez une nouvelle "
            "invitation."
        ),
        "role.coach": "le coach",
        "role.coachee": "la personne coachée",
        "role.sponsor": "le commanditaire",
        "role.hr": "l’équipe du programme",
        "footer": "Envoyé par le programme de coaching. Ce message ne contient rien du "
        "contenu du coaching.",
        "with": "Avec : {names}",
        "where": "Lieu : {place}",
        "online": "En ligne : {url}",
        "cancelled": "Annulé : {title}",
        "feed.name": "Séances de coaching",
        "feed.name.person": "Séances de coaching – {name}",
        "zone.city": "heure de {city}",
        "zone.city.elided": "heure d’{city}",
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


def session_title(index: int, total: int, lang: str | None = None) -> str:
    """``"Coaching session 2 of 6"`` / ``"Séance de coaching 2 sur 6"``, whatever the kind."""
    return text("title", lang, index=index, total=total)
