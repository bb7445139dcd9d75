"""Labels of the reason codes a round gives (the matcher's and the service's), in en/fr."""

from __future__ import annotations

from collections.abc import Mapping

from matcher.explain import LABELS

# Codes the service adds to the matcher's.
SERVICE_LABELS: Mapping[str, str] = {
    "unschedulable": "sessions cannot be planned",
    "request_unknown": "request no longer open",
}

FRENCH: Mapping[str, str] = {
    "neutrality": "neutralité",
    "peer": "pair du coaché",
    "same_unit": "même unité",
    "conflict_of_interest": "conflit d’intérêts",
    "reporting_line_overlap": "accompagne déjà quelqu’un de cette ligne hiérarchique",
    "forbidden": "exclu par les RH",
    "qualification": "certification ou référencement non valide",
    "type": "ne propose pas ce type",
    "language": "langue",
    "modality": "modalité",
    "site": "n’intervient pas sur le site",
    "preference": "préférence du coaché",
    "history": "coach précédent",
    "capacity": "plus de disponibilité",
    "capacity_full": "capacité atteinte",
    "lost_to_higher_priority": "pris par des demandes plus prioritaires",
    "external_budget": "budget externe épuisé",
    "reporting_line_conflict": "accompagnerait deux personnes d’une même ligne hiérarchique",
    "not_selected": "non retenu dans le temps imparti",
    "no_coaches": "aucun coach",
    "coach_unknown": "coach sorti du programme",
    "round_infeasible": "les affectations imposées ne peuvent pas toutes tenir",
    "unschedulable": "séances impossibles à planifier",
    "request_unknown": "demande plus ouverte",
}


def label(code: str, language: str = "en") -> str:
    """The reason's label in ``language`` (fr, else English); the code when unknown."""
    if language.split("-", 1)[0].lower() == "fr" and code in FRENCH:
        return FRENCH[code]
    return LABELS.get(code) or SERVICE_LABELS.get(code, code)


def order(reasons: Mapping[str, int]) -> list[tuple[str, int]]:
    """Reasons in rule order (the matcher's), the service's codes last."""
    rank = {code: i for i, code in enumerate([*LABELS, *SERVICE_LABELS])}
    return sorted(reasons.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def summary(reasons: Mapping[str, int], language: str = "en") -> str:
    """'neutrality: 4, language: 31, sessions cannot be planned: 1'."""
    return ", ".join(f"{label(code, language)}: {n}" for code, n in order(reasons))
