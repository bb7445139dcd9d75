"""People pickers (issue 14 item 1): French."""

CATALOG: dict[str, str] = {
    "picker.coachee": "Coaché",
    "picker.sponsor": "Commanditaire",
    "picker.participants": "Autres participants",
    "picker.person": "Collaborateur",
    "picker.coach": "Coach",
    "picker.hint": "Saisissez quelques lettres de son nom, de son adresse e-mail ou de son "
    "service, puis choisissez dans la liste (son identifiant dans l’organigramme convient "
    "aussi).",
    "picker.sponsor_hint": "En général le responsable\u00a0; facultatif. Saisissez quelques "
    "lettres de son nom, de son adresse e-mail ou de son service, puis choisissez dans la "
    "liste (son identifiant dans l’organigramme convient aussi).",
    "picker.edit_sponsor_hint": "Saisissez quelques lettres de son nom, de son adresse e-mail "
    "ou de son service, puis choisissez dans la liste (son identifiant dans l’organigramme "
    "convient aussi)\u00a0; vide\u00a0: pas de commanditaire.",
    "picker.participants_hint": "Coaching d’équipe\u00a0: les membres de l’équipe en plus du "
    "coaché\u00a0; médiation\u00a0: l’autre partie. Choisissez chacun dans la liste, ou "
    "saisissez leurs identifiants dans l’organigramme, séparés par des espaces ou des "
    "virgules.",
    "picker.neutrality_hint": "Le coaché ou le commanditaire\u00a0: saisissez quelques lettres "
    "de son nom, de son adresse e-mail ou de son service, puis choisissez dans la liste (son "
    "identifiant dans l’organigramme convient aussi).",
    "picker.account_person_hint": "Coachés et commanditaires\u00a0: saisissez quelques lettres "
    "de leur nom, de leur adresse e-mail ou de leur service, puis choisissez dans la liste "
    "(leur identifiant dans l’organigramme convient aussi).",
    "picker.coach_hint": "Coachs\u00a0: saisissez quelques lettres du nom du coach ou de son "
    "cabinet, puis choisissez dans la liste (le numéro du coach convient aussi).",
    "picker.employee_fixed": "Collaborateur\u00a0: {name} (selon l’organigramme).",
    "picker.suggestions": "Suggestions",
    "picker.found_one": "{count}\u00a0résultat. Flèches haut et bas pour parcourir, Entrée "
    "pour choisir.",
    "picker.found": "{count}\u00a0résultats. Flèches haut et bas pour parcourir, Entrée pour "
    "choisir.",
    "picker.more": "Seuls les {count}\u00a0premiers résultats sont affichés\u00a0: précisez "
    "votre saisie.",
    "picker.none": "Aucun résultat.",
    "picker.short": "Saisissez au moins deux lettres.",
    "picker.failed": "La recherche n’est pas disponible\u00a0: saisissez plutôt "
    "l’identifiant dans l’organigramme.",
    "picker.chosen": "Sélection\u00a0: {name}.",
    "picker.chosen_list": "Sélection",
    "picker.remove": "Retirer {name}",
    "picker.removed": "{name} ne fait plus partie de la sélection.",
}
