"""Texte français des rapports (issue 12). À tenir au pas de `reports_en.py` ; fusionné
dans `fr.CATALOG`."""

# ruff: noqa: E501 - one entry a line reads better than wrapped strings

from __future__ import annotations

CATALOG: dict[str, str] = {
    "reports.title": "Indicateurs du programme, {year}",
    "reports.hint": "Mois, trimestres et années entiers et révolus. Un chiffre qui décrit moins de {k} personnes n’est pas affiché, ni aucun chiffre qui permettrait de le retrouver.",
    "reports.period": "Ventilations : {period}.",
    "reports.budget": "Dépense externe : {spend} pour un budget de {budget}.",
    "reports.suppressed": "masqué (moins de {k})",
    "reports.no_data": "Pas encore de chiffres pour cette période.",
    "reports.table_view": "Vue en tableau",
    "reports.years": "Années :",
    "reports.exports": "Exports",
    "reports.chart.requests": "Demandes et accompagnements terminés par mois",
    "reports.chart.waiting": "Jours entre la demande et l’attribution, par mois",
    "reports.chart.utilisation": "Taux d’occupation des coachs (heures réservées / disponibles)",
    "reports.chart.kinds": "Coachs internes et externes",
    "reports.chart.evaluations": "Résultats des évaluations par trimestre (1 à 5)",
    "reports.col.requests_received": "reçues",
    "reports.col.requests_matched": "attribuées",
    "reports.col.completed": "terminés",
    "reports.col.days_to_match_median": "médiane",
    "reports.col.days_to_match_p90": "90e centile",
    "reports.col.utilisation": "occupation",
    "reports.col.sessions_held": "séances tenues",
    "reports.col.hours_delivered": "heures réalisées",
    "reports.col.satisfaction": "satisfaction",
    "reports.col.objectives_reached": "objectifs atteints",
    "reports.kind.internal": "Internes",
    "reports.kind.external": "Externes",
    "reports.kind.none": "Non attribuées",
    "reports.by.all": "Total",
    "reports.by.unit": "Par unité",
    "reports.by.site": "Par site",
    "reports.by.type": "Par type",
    "reports.by.coach_kind": "Par type de coach",
    "reports.by.coach": "Par coach",
}
