"""The fr/en gettext catalogs are complete: every key in both languages with the same
placeholders (in every plural form), every key the code and templates use (as Babel
extracts them) defined, every vocabulary word and service message translated, French
typography; plurals, dates, language negotiation and error translation."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from api import messages
from api.i18n import CATALOGS, LOCALE_DIR, is_plural, negotiate, plural_form, t
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

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "api" / "web"
KEY = re.compile(r"^[a-z_0-9]+(\.[A-Za-z_0-9]+)+$")


# Entries where each language picks among the values given (CLDR patterns have none).
FORMATS = {
    "time.pattern",
    "date.pattern_first",
    # the session's title as a subject ("Session 2 of 6") or inside a French sentence
    # ("la séance 2 sur 6"): {title} or {title_lower}
    "notice.declined.body",
    "notice.counter.body",
}


def placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def po(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, fr = CATALOGS["en"], CATALOGS["fr"]
    assert en.keys() - fr.keys() == set(), "missing in the French catalog"
    assert fr.keys() - en.keys() == set(), "missing in the English catalog"
    for key in en:
        if key in FORMATS:
            continue
        assert placeholders(en[key]) == placeholders(fr[key]), key
        assert fr[key].strip() and en[key].strip(), key
        if is_plural(key):
            for lang in ("en", "fr"):
                for count in (0, 1, 2, 5, 1_000_000):
                    form = plural_form(key, lang, count)
                    assert placeholders(form) == placeholders(en[key]), (key, lang, count)


def test_the_po_files_are_whole_and_clean() -> None:
    for lang in ("en", "fr"):
        catalog = po(lang)
        assert catalog.num_plurals == (2 if lang == "en" else 3)
        assert not catalog.obsolete, lang
        for message in catalog:
            if not message.id:
                continue
            assert not message.fuzzy, (lang, message.id)
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(form.strip() for form in forms), (lang, message.id)
            assert message.pluralizable == is_plural(
                message.id if isinstance(message.id, str) else message.id[0]
            )


def test_french_follows_french_typography() -> None:
    """No-break spaces before : ; ! ? and inside « », no "(s)" plurals, curly apostrophes."""
    for key, text in CATALOGS["fr"].items():
        if key in FORMATS or key.endswith(".pattern"):
            continue  # CLDR patterns quote their literals with '
        forms = [plural_form(key, "fr", n) for n in (1, 2)] if is_plural(key) else [text]
        for form in forms:
            bare = re.sub(r"\{[^}]*\}|<[^>]*>|https?://\S+", "", form)
            assert not re.search(r" [:;!?»]|« ", bare), (key, form)
            assert "(s)" not in bare and "(x)" not in bare, (key, form)
            assert not re.search(r"\w'\w", bare), (key, form)
    assert "(s)" not in "".join(CATALOGS["en"].values())


def test_plural_forms_follow_each_language() -> None:
    # French: 0 and 1 take the singular; English: only 1.
    assert t("data.rows", "fr", count=0) == "0 ligne"
    assert t("data.rows", "fr", count=1) == "1 ligne"
    assert t("data.rows", "fr", count=2) == "2 lignes"
    assert t("data.rows", "en", count=0) == "0 rows"
    assert t("data.rows", "en", count=1) == "1 row"
    with pytest.raises(TypeError):
        t("data.rows", "en")


def extracted_keys() -> set[str]:
    """The keys Babel extracts from the code and templates, as `make messages` does."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = extract_from_dir(
        str(ROOT / "api"),
        method_map,
        options_map,
        keywords={"t": None, "t_or": None, "plural_form": None},
        comment_tags=(),
    )
    return {str(message) for _file, _line, message, _c, _ctx in found if isinstance(message, str)}


def test_every_key_the_code_uses_is_defined() -> None:
    keys = {k for k in extracted_keys() if KEY.match(k)}
    assert len(keys) > 600
    assert keys - CATALOGS["en"].keys() == set()


def used_keys() -> set[str]:
    """Keys the pages name outside a t() call: "flash.x", "error.x", "nav.x"..."""
    keys: set[str] = set()
    for path in (WEB / "templates").rglob("*.html"):
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
        assert key in CATALOGS["en"], f"add {key} to api/locale/*/LC_MESSAGES/messages.po"
        # the translation may drop a value, never invent one
        assert placeholders(CATALOGS["en"][key]) <= placeholders(template), key


def test_dates_read_naturally() -> None:
    moment = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)
    # no-break spaces inside a date and a time: a page never wraps them
    nb, nnb = "\u00a0", "\u202f"
    assert format_datetime(moment, "en", "Europe/Paris") == f"Monday 2{nb}March{nb}2026, 09:05"
    assert (
        format_datetime(moment, "fr", "Europe/Paris") == f"lundi 2{nb}mars{nb}2026, 9{nnb}h{nnb}05"
    )
    assert format_date(date(2026, 5, 1), "fr") == f"1er{nb}mai{nb}2026"
    assert format_date(date(2026, 5, 1), "en") == f"1{nb}May{nb}2026"
    end = datetime(2026, 3, 2, 9, 35, tzinfo=UTC)
    assert format_span(moment, end, "fr", "Europe/Paris") == (
        f"lundi 2{nb}mars{nb}2026, 9{nnb}h{nnb}05–10{nnb}h{nnb}35"
    )
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
    # by its code and values (api.messages), and matched back when only the text is left
    coded = messages.INVALID_TIMEZONE.format(value="Mars/Base")
    expected = "«\u00a0Mars/Base\u00a0» n’est pas un fuseau horaire (par exemple Europe/Paris)."
    assert translate_message(coded, "fr") == expected
    assert translate_message(str(coded), "fr") == expected
    assert messages.code_of(coded) == ("INVALID_TIMEZONE", {"value": "Mars/Base"})
    assert messages.code_of(str(coded)) is None
    rejected = messages.CSV_REJECTED.format(count=1)
    assert (
        translate_message(rejected, "fr") == "L’organigramme n’a pas été importé\u00a0: 1 erreur."
    )
    assert translate_message(messages.CSV_REJECTED.format(count=3), "en").endswith("3 errors.")
    # not from api.messages: shown as it is
    assert translate_message("something else", "fr") == "something else"
    missing = {"type": "missing", "loc": ("language",), "msg": "Field required"}
    assert translate_validation(missing, "fr") == "Ce champ est obligatoire."
    too_big = {"type": "less_than_equal", "loc": ("sessions",), "msg": "x", "ctx": {"le": 50}}
    assert translate_validation(too_big, "en") == "Enter a value of at most 50."


def test_lookup_falls_back_to_english_for_unknown_languages() -> None:
    assert t("nav.requests", "de") == "Requests"
    assert t("pager.position", "fr", number=2, pages=5) == "Page 2 sur 5"


def test_account_emails_write_dates_in_the_readers_words() -> None:
    """An invitation's or a reset link's end reads as a date, never as ISO (issue 14)."""
    from api.mail import invitation_email, password_reset_email

    until = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    french = invitation_email(
        to="anne@example.org", name="Anne", role="coachee", language="fr-FR",
        link="https://x.example/i", expires=until,
    ).get_content()  # fmt: skip
    assert "jusqu’au jeudi 3\u00a0décembre\u00a02026, 14\u202fh\u202f00 (UTC)\u00a0:" in french
    assert "(coaché)" in french and "2026-12-03" not in french
    english = password_reset_email(
        to="anne@example.org", name="", language="en", link="https://x.example/r", expires=until
    ).get_content()
    assert "valid until Thursday 3\u00a0December\u00a02026, 14:00 (UTC):" in english
