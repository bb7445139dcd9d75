"""Trajets entre sites (issue 9 item 10) : français."""

CATALOG = {
    "error.TRAVEL_SITE_UNKNOWN": (
        "Ce n’est pas un site du programme (un site de l’organigramme, desservi par un coach "
        "ou doté d’une adresse)."
    ),
    "error.TRAVEL_SAME_SITE": (
        "Choisissez un autre site : un site n’est à aucun trajet de lui-même."
    ),
    "error.SITE_COORDINATES": "Donnez la latitude et la longitude, ou aucune des deux.",
    "nav.travel": "Trajets",
    "flash.travel_saved": "Temps de trajet enregistré : les prochains tours l’utilisent.",
    "flash.travel_reset": "Retour au temps de trajet par défaut.",
    "travel.title": "Trajets entre sites",
    "travel.hint": (
        "Minutes de porte à porte, aller simple, entre deux sites, les mêmes dans les deux "
        "sens. Un tour compte au coach d’une séance sur site l’aller-retour depuis son site, "
        "en plus de la séance : un coach éloigné peut ne plus avoir les heures. Là où vous ne "
        "fixez rien, la valeur par défaut s’applique."
    ),
    "travel.default_rule": (
        "Par défaut : {ends} minutes pour les deux bouts plus la distance entre les villes "
        "des sites, ×{factor} par la route à {speed} km/h, arrondi aux 5 minutes "
        "supérieures ; {same} minutes dans une même ville (moins de {near} km) ; au plus "
        "{max} minutes. Sans lieu connu (une ville de la liste intégrée, ou des coordonnées "
        "données avec l’adresse du site), une paire n’a pas de valeur par défaut et aucun "
        "trajet n’est compté."
    ),
    "travel.sites": "Sites",
    "travel.site": "Site",
    "travel.place": "Lieu",
    "travel.place_city": "ville : {city}",
    "travel.place_site": "coordonnées données avec son adresse",
    "travel.place_unknown": "inconnu",
    "travel.pairs": "Minutes entre sites",
    "travel.from": "De",
    "travel.to": "À",
    "travel.distance": "Distance",
    "travel.km": "{km} km",
    "travel.minutes": "Minutes (aller simple)",
    "travel.source": "Origine",
    "travel.source.set": "fixé par les RH",
    "travel.source.default": "par défaut",
    "travel.source.unknown": "inconnu : non compté",
    "travel.default": "Par défaut",
    "travel.save": "Enregistrer",
    "travel.reset": "Revenir au défaut",
    "travel.none": "Le programme a moins de deux sites : aucun trajet à fixer.",
}
