"""The product's text in French and English: gettext catalogs managed with Babel.

    t("nav.requests", "fr")                 -> "Demandes"
    t("data.rows", "en", count=3)           -> "3 rows"   (an entry with plural forms)

The catalogs are `api/locale/<lang>/LC_MESSAGES/messages.po`. Their message ids are keys
(`nav.requests`), not English sentences: English is a translation like French, so an
English rewording never orphans the French. Add a string: add the key to both `.po` files
(`make messages` compiles them to the `.mo` files read here and extracts the keys used
in code and templates to `messages.pot`); the catalog tests fail when a key is used but
missing, untranslated in one language, or its `{placeholders}` differ. An entry with
plural forms (`msgid_plural`) is chosen by its `count` value, by the language's CLDR rule.
Dates and times: `api.i18n.dates`; service error messages: `api.i18n.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.core import negotiate_locale
from babel.support import Translations

LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "locale"
DOMAIN: Final = "messages"

DEFAULT_LANGUAGE: Final = "en"
LANGUAGES: Final = ("en", "fr")


@dataclass(frozen=True)
class Catalog:
    """One language's compiled messages: plain texts, and the entries with plural forms."""

    translations: Translations
    texts: Mapping[str, str]
    plurals: frozenset[str]


def _compiled(lang: str) -> Path:
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = mo.with_suffix(".po")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        raise RuntimeError(f"{mo} is missing or older than its .po: run `make messages`")
    return mo


def _load(lang: str) -> Catalog:
    with _compiled(lang).open("rb") as f:
        translations = Translations(f, domain=DOMAIN)
    texts: dict[str, str] = {}
    plurals: set[str] = set()
    # gettext keeps a plural entry as (msgid, form index) keys, the others by msgid.
    for key, text in translations._catalog.items():
        if isinstance(key, tuple):
            plurals.add(key[0])
            texts.setdefault(key[0], "")
            if key[1] == 0:
                texts[key[0]] = text
        elif key:
            texts[key] = text
    return Catalog(translations, texts, frozenset(plurals))


_CATALOGS: Final = {lang: _load(lang) for lang in LANGUAGES}
# Every key's text (the singular form for plural entries), by language.
CATALOGS: Final[Mapping[str, Mapping[str, str]]] = {
    lang: catalog.texts for lang, catalog in _CATALOGS.items()
}


def language_of(tag: str | None) -> str | None:
    """The catalog language of a tag ("fr-CA" -> "fr", "fr_FR" -> "fr"), or None."""
    if not tag:
        return None
    try:
        locale = Locale.parse(tag.strip(), sep="-" if "-" in tag else "_")
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    return locale.language if locale.language in _CATALOGS else None


def _preferences(accept_language: str) -> list[str]:
    """The header's language tags, most wanted first (equal weights: as listed)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag.strip() and q > 0:
            weighted.append((-q, position, tag.strip()))
    return [tag for _q, _position, tag in sorted(weighted)]


def negotiate(accept_language: str | None) -> str:
    """The best catalog language for an Accept-Language header (English by default):
    Babel matches each wanted tag, its language alone ("fr-CA" -> "fr") and CLDR aliases."""
    chosen = negotiate_locale(_preferences(accept_language or ""), LANGUAGES, sep="-")
    return chosen or DEFAULT_LANGUAGE


def has(key: str) -> bool:
    return key in _CATALOGS[DEFAULT_LANGUAGE].texts


def is_plural(key: str) -> bool:
    return key in _CATALOGS[DEFAULT_LANGUAGE].plurals


def t(key: str, lang: str, /, **values: object) -> str:
    """The text of `key` in `lang` (English when `lang` is unknown), values filled in; an
    entry with plural forms takes the form its `count` value needs."""
    catalog = _CATALOGS.get(lang, _CATALOGS[DEFAULT_LANGUAGE])
    template = catalog.texts[key]  # a KeyError names a key missing from the catalogs
    if key in catalog.plurals:
        count = values.get("count")
        if not isinstance(count, int):
            raise TypeError(f"{key} has plural forms: give it an integer count")
        template = catalog.translations.ngettext(key, key, count)
    return template.format(**values) if values else template


def plural_form(key: str, lang: str, count: int) -> str:
    """The raw text of the form of plural entry `key` that `count` takes, placeholders
    left in (for a page script that fills in the count itself)."""
    catalog = _CATALOGS.get(lang, _CATALOGS[DEFAULT_LANGUAGE])
    if key not in catalog.plurals:
        raise KeyError(f"{key} has no plural forms")
    return catalog.translations.ngettext(key, key, count)


def t_or(key: str, lang: str, default: str, /, **values: object) -> str:
    """Like `t`, with a fallback for keys built from data (e.g. a reason code)."""
    return t(key, lang, **values) if has(key) else default
