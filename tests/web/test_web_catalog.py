"""The fr/en catalog is complete: every key in both languages with the same placeholders,
every key the pages use defined, every vocabulary word and service message translated;
dates, language negotiation and error translation."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from api.i18n import CATALOGS, negotiate, t
from api.i18n.dates import format_date, format_datetime, format_span
from api.i18n.errors import message_templates, translate_message, translate_validation
from api.models.enums import (
    AdjustmentKind,
    CoachKind,
    EngagementStatus,
    Modality,
    OutboxStatus,
    ProposalStatus,
    RequestStatus,
    RequestType,
    Role,
    RoundStatus,
    SessionStatus,
)
from matcher.explain import LABELS

WEB = Path(__file__).resolve().parents[2] / "api" / "web"


# Each language picks among the values a format is given ("{hh}:{mm}" / "{hour} h {mm}").
FORMATS = {"time.format"}


def placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, fr = CATALOGS["en"], CATALOGS["fr"]
    assert en.keys() - fr.keys() == set(), "missing in fr.py"
    assert fr.keys() - en.keys() == set(), "missing in en.py"
    for key in en:
        if key in FORMATS:
            continue
        assert placeholders(en[key]) == placeholders(fr[key]), key
        assert fr[key].strip(), key


def used_keys() -> set[str]:
    """Literal keys in the templates (t("...")) and the page code ("flash.x"...)."""
    keys: set[str] = set()
    for path in (WEB / "templates").rglob("*.html"):
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9.]+)["']""", path.read_text()))
        keys |= set(
            re.findall(r"""["']((?:nav|flash|error|invalid)\.[a-z_0-9]+)["']""", path.read_text())
        )
    for path in WEB.rglob("*.py"):
        keys |= set(
            re.findall(r"""["']((?:flash|invalid|error)\.[a-z_0-9]+)["']""", path.read_text())
        )
    return {k for k in keys if not k.endswith(".html")}


def test_every_key_the_pages_use_is_defined() -> None:
    keys = used_keys()
    assert len(keys) > 100
    assert keys - CATALOGS["en"].keys() == set()


def test_every_vocabulary_word_is_translated() -> None:
    words = {
        "role": Role,
        "kind": CoachKind,
        "type": RequestType,
        "modality": Modality,
        "status.request": RequestStatus,
        "status.engagement": EngagementStatus,
        "status.session": SessionStatus,
        "status.proposal": ProposalStatus,
        "status.round": RoundStatus,
        "status.outbox": OutboxStatus,
        "adjustment": AdjustmentKind,
    }
    for prefix, enum in words.items():
        for member in enum:
            assert f"{prefix}.{member.value}" in CATALOGS["en"], (prefix, member)
    for code in LABELS:
        assert f"reason.{code}" in CATALOGS["en"], code


def test_every_service_message_is_translated() -> None:
    for name, template in message_templates():
        key = f"error.{name}"
        assert key in CATALOGS["en"], f"add {key} to api/i18n/en.py and fr.py"
        # the translation may drop a value, never invent one
        assert placeholders(CATALOGS["en"][key]) <= placeholders(template), key


def test_dates_read_naturally() -> None:
    moment = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)
    assert format_datetime(moment, "en", "Europe/Paris") == "Monday 2 March 2026, 09:05"
    assert format_datetime(moment, "fr", "Europe/Paris") == "lundi 2 mars 2026, 9 h 05"
    assert format_date(date(2026, 5, 1), "fr") == "1er mai 2026"
    assert format_date(date(2026, 5, 1), "en") == "1 May 2026"
    end = datetime(2026, 3, 2, 9, 35, tzinfo=UTC)
    assert format_span(moment, end, "fr", "Europe/Paris") == "lundi 2 mars 2026, 9 h 05–10 h 35"
    # stored UTC, shown in the reader's zone (DST included)
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert format_datetime(summer, "en", "America/New_York").endswith("08:00")


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,fr;q=0.5", "fr"),
        ("de-DE", "en"),
        ("", "en"),
        ("fr;q=0.2, en;q=0.9", "en"),
        ("fr;q=0", "en"),
    ],
)
def test_language_from_accept_language(header: str, lang: str) -> None:
    assert negotiate(header) == lang


def test_service_errors_are_translated_with_their_words() -> None:
    assert translate_message("request not found", "fr") == "Introuvable\u00a0: demande."
    assert translate_message("wrong email or password", "fr") == (
        "Adresse e-mail ou mot de passe incorrect."
    )
    message = "the request is matched; this needs it to be open or proposed"
    assert translate_message(message, "fr") == (
        "La demande est au statut «\u00a0Attribuée\u00a0»\u00a0; il faut qu’elle soit "
        "Ouverte ou Proposée."
    )
    assert translate_message("'Mars/Base' is not an IANA time zone (e.g. Europe/Paris)", "fr") == (
        "'Mars/Base' n’est pas un fuseau horaire (par exemple Europe/Paris)."
    )
    # not from api.messages: shown as it is
    assert translate_message("something else", "fr") == "something else"
    missing = {"type": "missing", "loc": ("language",), "msg": "Field required"}
    assert translate_validation(missing, "fr") == "Ce champ est obligatoire."
    too_big = {"type": "less_than_equal", "loc": ("sessions",), "msg": "x", "ctx": {"le": 50}}
    assert translate_validation(too_big, "en") == "Enter a value of at most 50."


def test_lookup_falls_back_to_english_for_unknown_languages() -> None:
    assert t("nav.requests", "de") == "Requests"
    assert t("pager.position", "fr", number=2, pages=5) == "Page 2 sur 5"
