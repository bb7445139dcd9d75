"""The web pages' text in French and English: one catalog per language, one look-up.

    t("nav.requests", "fr")                 -> "Demandes"
    t("requests.count", "en", count=3)      -> "3 requests"

Add a string: put the same key in `en.py` and `fr.py` (same `{placeholders}`); the
catalog tests fail when a key is missing in one language or used but not defined.
Dates and times: `api.i18n.dates`; service error messages: `api.i18n.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from api.i18n import (
    chemistry_en,
    chemistry_fr,
    en,
    engagement_pages_en,
    engagement_pages_fr,
    fr,
    lists_en,
    lists_fr,
    mobile_en,
    mobile_fr,
    pickers_en,
    pickers_fr,
    pipeline_en,
    pipeline_fr,
    privacy_en,
    privacy_fr,
    profiles_en,
    profiles_fr,
    round_review_en,
    round_review_fr,
    safe_actions_en,
    safe_actions_fr,
    site_pages_en,
    site_pages_fr,
    travel_en,
    travel_fr,
    weak_signals_en,
    weak_signals_fr,
)

DEFAULT_LANGUAGE: Final = "en"
# The engagement's pages (issue 11) and the site's own pages (error pages, forgotten
# password, home pages: issue 14) and the data rights pages (issue 12) keep their text in
# their own pairs of files, as do testimonials and weak signals (issue 12) and travel
# between sites (issue 9), people pickers, the phone layout, safe actions and
# the round's review in place and HR's request pipeline (issue 14).
CATALOGS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        **en.CATALOG,
        **engagement_pages_en.CATALOG,
        **site_pages_en.CATALOG,
        **privacy_en.CATALOG,
        **weak_signals_en.CATALOG,
        **travel_en.CATALOG,
        **pickers_en.CATALOG,
        **mobile_en.CATALOG,
        **safe_actions_en.CATALOG,
        **round_review_en.CATALOG,
        **profiles_en.CATALOG,
        **pipeline_en.CATALOG,
        **lists_en.CATALOG,
        **chemistry_en.CATALOG,
    },
    "fr": {
        **fr.CATALOG,
        **engagement_pages_fr.CATALOG,
        **site_pages_fr.CATALOG,
        **privacy_fr.CATALOG,
        **weak_signals_fr.CATALOG,
        **travel_fr.CATALOG,
        **pickers_fr.CATALOG,
        **mobile_fr.CATALOG,
        **safe_actions_fr.CATALOG,
        **round_review_fr.CATALOG,
        **profiles_fr.CATALOG,
        **pipeline_fr.CATALOG,
        **lists_fr.CATALOG,
        **chemistry_fr.CATALOG,
    },
}
LANGUAGES: Final = tuple(CATALOGS)


def language_of(tag: str | None) -> str | None:
    """The catalog language of a tag ("fr-CA" -> "fr"), or None when there is none."""
    if not tag:
        return None
    base = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in CATALOGS else None


def negotiate(accept_language: str | None) -> str:
    """The best catalog language for an Accept-Language header (English by default)."""
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.partition(";")
        lang = language_of(tag)
        if lang is None:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # Equal weights: the first listed wins (hence the tiny penalty by position).
        if q > 0 and q - position * 1e-6 > best_q:
            best, best_q = lang, q - position * 1e-6
    return best


def has(key: str) -> bool:
    return key in CATALOGS[DEFAULT_LANGUAGE]


def t(key: str, lang: str, /, **values: object) -> str:
    """The text of `key` in `lang` (English when `lang` is unknown), values filled in."""
    catalog = CATALOGS.get(lang, CATALOGS[DEFAULT_LANGUAGE])
    template = catalog[key]
    return template.format(**values) if values else template


def t_or(key: str, lang: str, default: str, /, **values: object) -> str:
    """Like `t`, with a fallback for keys built from data (e.g. a reason code)."""
    return t(key, lang, **values) if has(key) else default
