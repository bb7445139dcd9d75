"""HR's review of a round in place, one row per request (issue 14 item 3): French."""

CATALOG = {
    "review.title": "Les demandes de ce tour",
    "review.preview_hint": (
        "Un aperçu n’enregistre rien\u00a0: validez-le pour envoyer les propositions."
    ),
    "review.to_decide": "À décider\u00a0: {count}",
    "review.confirm_selected": "Confirmer la sélection",
    "review.col_select": "Sélection",
    "review.col_coaches": "Coachs",
    "review.col_state": "État",
    "review.select": "Sélectionner la demande de {name}",
    "review.request": "demande {id}",
    "review.points": "{points}\u00a0points",
    "review.chosen": "choisi par le tour",
    "review.first_session": "première séance {when}",
    "review.state.confirmed": "Confirmée",
    "review.state.to_decide": "À décider",
    "review.state.rejected": "Toutes refusées\u00a0: de nouveau au prochain tour",
    "review.state.unmatched": "Sans coach",
    "review.state.preview": "Aperçu",
    "review.none_selected": "Sélectionnez au moins une demande à confirmer.",
    "review.some_refused": (
        "{confirmed} confirmée(s), {refused} refusée(s)\u00a0: la raison figure sur chaque ligne."
    ),
    "review.refused": "Non fait\u00a0: {reason}",
    "review.unblock_title": "Ce qui la débloquerait",
    "review.unblock.capacity": (
        "Donner plus d’heures ou de places aux coachs éligibles, ou ajouter un coach."
    ),
    "review.unblock.capacity_full": (
        "Donner plus d’heures ou de places aux coachs éligibles, ou ajouter un coach."
    ),
    "review.unblock.lost_to_higher_priority": (
        "Des demandes plus urgentes ont pris les coachs\u00a0: relever la priorité de cette "
        "demande, ou ajouter de la capacité."
    ),
    "review.unblock.external_budget": (
        "Relever le budget externe du tour, ou libérer de la capacité chez les coachs internes."
    ),
    "review.unblock.language": (
        "Ajouter un coach qui parle la langue de la demande, ou changer la langue de la demande."
    ),
    "review.unblock.modality": (
        "Accepter une autre modalité pour la demande (à distance ou sur site)."
    ),
    "review.unblock.site": (
        "Accepter les séances à distance, ou ajouter un coach qui couvre le site."
    ),
    "review.unblock.type": "Ajouter un coach qui propose ce type d’accompagnement.",
    "review.unblock.qualification": (
        "Renouveler la certification ou le référencement des "
        "coachs dans leur dossier professionnel."
    ),
    "review.unblock.forbidden": "Revoir les exclusions posées par les RH (page Neutralité).",
    "review.unblock.history": (
        "Laisser le tour proposer les coachs précédents (historique\u00a0: autoriser)."
    ),
    "review.unblock.not_selected": "Relancer le tour avec un temps de calcul plus long.",
    "review.unblock.no_coaches": "Ajouter des coachs au programme.",
    "review.unblock.unschedulable": (
        "Donner aux coachs plus de disponibilités dans l’horizon, ou choisir un horizon plus long."
    ),
    "review.unblock.same_unit": "Laisser le tour proposer des coachs de la même unité.",
    "review.unblock.peer": "Laisser le tour proposer des pairs de la personne accompagnée.",
    "flash.proposals_confirmed": "Les appariements sélectionnés sont confirmés.",
}
