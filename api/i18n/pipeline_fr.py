"""HR's request pipeline (issue 14 item 2): states, search, filters, sort, CSV export and
duplicate warnings: French."""

CATALOG = {
    "pipeline.tabs": "Demandes par état",
    "pipeline.state.all": "Toutes",
    "pipeline.state.new": "Nouvelles",
    "pipeline.state.waiting": "En attente",
    "pipeline.state.proposed": "Proposées",
    "pipeline.state.contracted": "Contractualisées",
    "pipeline.state.in_progress": "En cours",
    "pipeline.state.completed": "Terminées",
    "pipeline.state.ended": "Arrêtées",
    "pipeline.state.cancelled": "Annulées",
    "pipeline.waiting_hint": (
        "Nouvelles\u00a0: ouvertes, jamais proposées, déposées il y a {days}\u00a0jours"
        " au plus. En attente\u00a0: ouvertes depuis plus longtemps ou de nouveau après des"
        " propositions, ou propositions en attente d’une décision. Proposées\u00a0: un coach"
        " est confirmé et le contrat attend les accords des parties."
    ),
    "pipeline.search": "Rechercher (nom, e-mail, matricule)",
    "pipeline.waited": "En attente depuis plus de (jours)",
    "pipeline.sort": "Trier par",
    "pipeline.sort.submitted": "Date de dépôt",
    "pipeline.sort.waiting": "Temps d’attente",
    "pipeline.sort.priority": "Priorité",
    "pipeline.sort.coachee": "Nom du coaché",
    "pipeline.order": "Ordre",
    "pipeline.order.desc": "Décroissant",
    "pipeline.order.asc": "Croissant",
    "pipeline.kind.internal": "Coach interne",
    "pipeline.kind.external": "Coach externe",
    "pipeline.export": "Exporter cette liste (CSV)",
    "pipeline.col.state": "État",
    "pipeline.col.days": "Jours d’attente",
    "pipeline.col.external_id": "Matricule",
    "pipeline.col.email": "E-mail",
    "pipeline.col.coach_kind": "Coach",
    "pipeline.col.duplicates": "Autres demandes en cours",
    "pipeline.request": "demande n°\u00a0{id}",
    "pipeline.duplicate": "Doublon possible de la",
    "pipeline.duplicate_form": (
        "{name} a déjà une demande en cours (vous pouvez tout de même envoyer celle-ci)\u00a0:"
    ),
    "pipeline.invalid": "Impossible d’afficher cette liste\u00a0: corrigez les filtres ci-dessous.",
    "pipeline.invalid.choice": "Choisissez une valeur de la liste.",
    "pipeline.invalid.q": "Recherchez 200\u00a0caractères au plus.",
    "pipeline.invalid.waited": (
        "Temps d’attente\u00a0: saisissez un nombre entier de jours, de 0 à 3650."
    ),
    "pipeline.invalid.page": "Page\u00a0: saisissez un nombre entier à partir de 1.",
    "flash.request_submitted_duplicate": (
        "Demande envoyée. Cette personne a une autre demande en cours\u00a0: voyez"
        " l’avertissement dans la liste."
    ),
}
