"""Chemistry calls: a short call with a proposed coach before choosing (issue 14): French."""

CATALOG: dict[str, str] = {
    "chemistry.invite_title": "Entretien découverte ({minutes} minutes)",
    "chemistry.book_heading": "Réserver un entretien découverte de {minutes} minutes",
    "chemistry.book_hint": "Un court échange avec ce coach avant de faire votre choix, à un "
    "moment où vous êtes tous deux disponibles.",
    "chemistry.slot": "Créneau",
    "chemistry.book": "Réserver l’entretien",
    "chemistry.no_slot": "Aucun créneau libre pour un entretien dans les deux semaines à venir.",
    "chemistry.booked": "Entretien découverte réservé\u00a0: {when}.",
    "chemistry.cancel": "Annuler l’entretien",
    "chemistry.next_starts": "Prochains créneaux libres\u00a0:",
    "chemistry.error.off": "Ce programme ne propose pas d’entretien découverte.",
    "chemistry.error.not_found": "Cette proposition est introuvable.",
    "chemistry.error.closed": "Cette proposition n’est plus ouverte.",
    "chemistry.error.past": "L’entretien doit commencer dans le futur.",
    "chemistry.error.too_far": "L’entretien doit avoir lieu dans les deux semaines à venir.",
    "chemistry.error.not_free": "Ce créneau n’est pas libre, pour le coach ou pour vous.",
    "chemistry.error.already": "Un entretien découverte est déjà réservé avec ce coach.",
    "chemistry.error.no_call": "Aucun entretien découverte n’est réservé avec ce coach.",
    "chemistry.error.started": "L’entretien a commencé\u00a0: il ne peut plus être annulé.",
    "chemistry.error.start_at": "Choisissez un créneau dans la liste.",
    "flash.chemistry_booked": "Votre entretien découverte est réservé\u00a0; l’invitation "
    "vous est envoyée.",
    "flash.chemistry_cancelled": "Votre entretien découverte est annulé.",
    "data.table.chemistry_call": "Entretiens découverte",
    "data.purpose.chemistry_call": "Les courts entretiens réservés avec un coach proposé avant "
    "de choisir\u00a0: quand, avec qui, réservés ou annulés.",
}
