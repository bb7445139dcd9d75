"""Safe actions: confirmations, undo, inline refusals (issue 14 item 5): French."""

# ruff: noqa: E501 - one entry a line reads better than wrapped strings

CATALOG: dict[str, str] = {
    "safe.reason": "Motif",
    "safe.reason_hint": "Conservé avec la demande : écrivez-le pour qui le lira plus tard.",
    "safe.reason_required": "Indiquez le motif en quelques mots.",
    "safe.keep": "Revenir sans rien changer",
    "safe.undo": "Rétablir la demande",
    # Cancelling a request (HR)
    "safe.request.cancel_label": "Annuler la demande de {name}",
    "safe.request.title": "Annuler la demande de {name} ?",
    "safe.request.question": "La demande de {name} ({kind}, {sessions} séances) sera annulée.",
    "safe.request.effect_status": "Elle ne sera plus appariée ; l’accompagnement de {name} ne commence pas.",
    "safe.request.effect_proposals": "Ses propositions en attente de décision sont retirées.",
    "safe.request.effect_undo": "Vous pourrez revenir en arrière pendant {minutes} minutes.",
    "safe.request.no_undo": "C’est définitif : il faudrait déposer une nouvelle demande.",
    "safe.request.submit": "Annuler la demande",
    "safe.request.undo_offer": "La demande de {name} est annulée. Vous pouvez revenir en arrière jusqu’à {time}.",
    "flash.request_restored": "Annulation défaite : la demande est de nouveau ouverte.",
    "error.REQUEST_NOT_RESTORABLE": "Cette annulation ne peut plus être défaite (délai passé, modification depuis, ou la demande avait des propositions).",
    # Withdrawing one's own request (coachee)
    "safe.own_request.title": "Retirer votre demande ?",
    "safe.own_request.question": "Votre demande d’accompagnement sera retirée.",
    "safe.own_request.effect": "Elle ne sera plus appariée avec un coach ; les propositions qui attendent votre choix sont retirées.",
    "safe.own_request.no_undo": "C’est définitif : il faudrait faire une nouvelle demande.",
    # Cancelling a session (coach or coachee)
    "safe.session.title": "Annuler cette séance ?",
    "safe.session.question": "La séance {number} avec {name}, {when}, sera annulée.",
    "safe.session.effect_invites": "Chaque invité reçoit une annulation dans son agenda.",
    "safe.session.no_undo": "C’est définitif ; le coach planifie un nouveau créneau si besoin.",
    "safe.session.submit": "Annuler la séance",
    # Moving a session (coach)
    "safe.move.title": "Déplacer une séance",
    "safe.move.current": "Séance {number} avec {name} : {when}.",
    "safe.move.new_time": "Nouvel horaire",
    "safe.move.hint": "Date et heure dans votre fuseau ({zone}). Chaque invité reçoit le nouvel horaire.",
    "safe.move.choose_time": "Choisissez un nouvel horaire.",
    "safe.move.proposals": "Prochains créneaux libres",
    "safe.move.take": "Déplacer au {when}",
    "safe.move.no_proposals": "Aucun créneau libre prochainement : ajoutez des disponibilités ou essayez une date plus lointaine.",
    "safe.move.submit": "Déplacer la séance",
    # Inline confirmations of deletes
    "flash.confirm_first": "Rien n’a été modifié : confirmez d’abord (ouvrez le bouton puis confirmez).",
    "safe.delete.submit": "Oui, supprimer",
    "safe.delete.window": "Supprimer le créneau hebdomadaire {when} ?",
    "safe.delete.away": "Supprimer l’absence {when} ?",
    "safe.delete.extra": "Supprimer le créneau supplémentaire {when} ?",
    "safe.delete.calendar": "Supprimer l’agenda importé ? Ses plages occupées ne comptent plus.",
    "safe.feed.revoke": "Révoquer le lien ? Les agendas abonnés ne se mettent plus à jour.",
    "safe.feed.revoke_submit": "Oui, révoquer",
    "safe.feed.rotate": "Remplacer le lien ? Les agendas abonnés au lien actuel ne se mettent plus à jour tant qu’ils n’ont pas le nouveau.",
    "safe.feed.rotate_submit": "Oui, remplacer",
    "safe.travel.reset": "Oublier votre valeur pour {a} – {b} ? Les tours comptent alors la valeur par défaut ({minutes} min).",
    "safe.travel.reset_submit": "Oui, revenir à la valeur par défaut",
}
