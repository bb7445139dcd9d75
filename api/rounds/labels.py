"""Labels of the reason codes a round gives (the matcher's and the service's), in en/fr,
from the one text catalog (`api.i18n`, keys `reason.<code>`)."""

from __future__ import annotations

from collections.abc import Mapping

from api.i18n import DEFAULT_LANGUAGE, language_of, t_or
from matcher.explain import LABELS

# Codes the service adds to the matcher's, in the order they are listed.
SERVICE_CODES = ("unschedulable", "request_unknown")


def label(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The reason's label in `language` (English when unknown); the code when it has none."""
    return t_or(f"reason.{code}", language_of(language) or DEFAULT_LANGUAGE, code)


def order(reasons: Mapping[str, int]) -> list[tuple[str, int]]:
    """Reasons in rule order (the matcher's), the service's codes last."""
    rank = {code: i for i, code in enumerate([*LABELS, *SERVICE_CODES])}
    return sorted(reasons.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def summary(reasons: Mapping[str, int], language: str = DEFAULT_LANGUAGE) -> str:
    """'neutrality: 4, language: 31, sessions cannot be planned: 1'."""
    return ", ".join(f"{label(code, language)}: {n}" for code, n in order(reasons))
