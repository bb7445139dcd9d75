"""Take names, addresses, units, sites and dates out of a text before it is stored, pure.

Email addresses go first, whoever they belong to (an address names its owner). The org
chart's names (each part of a person's or coach's name), units and sites are
replaced where they stand as whole words, in their own case (so the unit "IT" goes and
the word "it" stays); so are dates (numeric, with a month's name in English or French,
and years). The reviewer then reads the text and removes what is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MARK = "[…]"
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_MONTHS_EN = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
_MONTHS_FR = (
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre "
    "novembre décembre decembre janv févr fevr avr juil sept oct nov déc"
)
_MONTH = "|".join(
    sorted(
        {*_MONTHS_EN.split(), *_MONTHS_FR.split(), *(m.capitalize() for m in _MONTHS_FR.split())},
        key=len,
        reverse=True,
    )
)
_DATES = (
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    re.compile(
        rf"\b(?:\d{{1,2}}(?:er|st|nd|rd|th)?\s+)?(?:{_MONTH})\b\.?"
        rf"(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b,?)?(?:\s+\d{{4}}\b)?"
    ),
    re.compile(r"\b(?:19|20)\d{2}\b"),
)


def vocabulary(
    names: Iterable[str], places: Iterable[str]
) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words to take out: every part of every name (two letters or more), and the
    units and sites whole (several words kept together, longest first)."""
    words: set[str] = set()
    for name in names:
        words.update(w for w in _WORD.findall(name or "") if len(w) >= 2)
    phrases: set[str] = set()
    for place in places:
        place = (place or "").strip()
        if len(place) < 2:
            continue
        if _WORD.fullmatch(place):
            words.add(place)
        else:
            phrases.add(place)
    return frozenset(words), tuple(sorted(phrases, key=len, reverse=True))


def scrub(text: str, words: frozenset[str], phrases: tuple[str, ...]) -> str:
    text = _EMAIL.sub(MARK, text)
    for phrase in phrases:
        if phrase in text:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", MARK, text)
    for pattern in _DATES:
        text = pattern.sub(MARK, text)
    text = _WORD.sub(lambda m: MARK if m.group(0) in words else m.group(0), text)
    return re.sub(rf"(?:{re.escape(MARK)}[\s,]*){{2,}}", MARK + " ", text).strip()
