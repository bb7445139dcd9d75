"""Témoignages et signaux faibles (issue 12, points 3-4) : français."""

CATALOG = {
    "error.TESTIMONIAL_CONSENT": (
        "Un témoignage n’est donné que pour être cité de façon anonyme : cochez la case."
    ),
    "error.TESTIMONIAL_GIVEN": "Cet accompagnement a déjà donné son témoignage.",
    "error.THEME_CODE_TAKEN": "Un thème avec ce code existe déjà.",
    "error.THEME_IN_USE": "Des accompagnements portent ce thème : désactivez-le plutôt.",
    "error.THEME_UNKNOWN": "Pas un thème actif de la liste des RH : {codes}.",
    "error.SYNTHESIS_FIGURE_SMALL": (
        "Le chiffre {figure} compte moins de {k} : un petit groupe ne peut pas être cité."
    ),
    "error.SYNTHESIS_FIGURE_UNKNOWN": (
        "Le chiffre {figure} n’est pas une case visible du rapport des thèmes {period} : ne "
        "citez que les chiffres visibles du rapport (écrivez les autres nombres en lettres)."
    ),
    "invalid.testimonial_emptied": "Un texte vidé ne peut pas être approuvé : refusez-le plutôt.",
    "noun.testimonial to review": "témoignage à relire",
    "noun.engagement that is over": "accompagnement terminé",
    "noun.synthesis note": "note de synthèse",
    "noun.theme": "thème",
    "flash.testimonial_recorded": (
        "Merci : votre témoignage est gardé à l’écart de votre nom, de l’accompagnement et de"
        " la date."
    ),
    "flash.testimonial_approved": "Approuvé : les RH le liront dans le prochain lot.",
    "flash.testimonial_rejected": "Refusé : le texte est supprimé.",
    "flash.theme_saved": "Thème enregistré.",
    "flash.tags_saved": "Thèmes enregistrés.",
    "flash.note_saved": "Note enregistrée : chaque chiffre a passé le contrôle.",
    "nav.testimonials": "Témoignages",
    "nav.themes": "Thèmes",
    "nav.syntheses": "Synthèses",
    "testimonials.give_title": "Donner un témoignage",
    "testimonials.detached": (
        "Un témoignage est gardé sans lien avec vous, l’accompagnement, votre coach ni une "
        "date ; les noms, unités, sites et dates en sont retirés ; un coach vérifie qu’il ne "
        "nomme personne, parmi d’autres, et les RH ne le lisent que dans un lot de plusieurs."
    ),
    "testimonials.none_open": "Aucun de vos accompagnements terminés n’attend son témoignage.",
    "testimonials.engagement": "Accompagnement",
    "testimonials.text": "Votre témoignage",
    "testimonials.send": "Envoyer",
    "testimonials.review_title": "Témoignages à relire",
    "testimonials.review_hint": (
        "Les textes arrivent par {k} ou plus, sans rien sur leurs auteurs. Approuvez un texte"
        " qui ne nomme personne (modifiez-le pour caviarder), ou refusez-le."
    ),
    "testimonials.none_to_review": "Rien à relire : les textes arrivent par {k} au moins.",
    "testimonials.item": "Texte {n}",
    "testimonials.redact": "Texte (à modifier pour caviarder)",
    "testimonials.approve": "Approuver",
    "testimonials.reject": "Refuser",
    "testimonials.hr_title": "Témoignages",
    "testimonials.hr_hint": (
        "Les témoignages relus, par lots d’au moins {k} : ni nom, ni unité, ni date, ni coach."
    ),
    "testimonials.no_batch": "Aucun lot encore : un lot demande {k} témoignages relus.",
    "testimonials.batch": "Lot {n}",
    "themes.title": "Thèmes (signaux faibles)",
    "themes.hint": (
        "La liste avec laquelle les coachs étiquettent leurs accompagnements ; le rapport des"
        " thèmes les compte par groupes d’au moins k."
    ),
    "themes.code": "Code",
    "themes.code_hint": "a-z, 0-9 et _ ; c’est la colonne du rapport, il ne change pas.",
    "themes.label_en": "Libellé anglais",
    "themes.label_fr": "Libellé français",
    "themes.active": "Actif",
    "themes.activate": "Activer",
    "themes.deactivate": "Désactiver",
    "themes.relabel": "Libellés",
    "themes.relabel_one": "Renommer {code}",
    "themes.save_labels": "Enregistrer les libellés",
    "themes.new": "Nouveau thème",
    "themes.add": "Ajouter",
    "themes.tag_title": "Thèmes de mes accompagnements",
    "themes.tag_hint": (
        "Seul le rapport des thèmes les montre, comptés par groupes d’au moins k ; personne "
        "d’autre que vous ne lit les thèmes d’un accompagnement."
    ),
    "themes.no_engagement": "Aucun accompagnement encore.",
    "themes.engagement": "Accompagnement n° {id}",
    "themes.save_tags": "Enregistrer",
    "syntheses.title": "Notes de synthèse",
    "syntheses.hint": (
        "Rédigez la note de l’équipe à partir du rapport des thèmes ; chaque chiffre cité "
        "doit être une case visible du rapport (jamais sous {k})."
    ),
    "syntheses.period": "Période",
    "syntheses.show": "Afficher",
    "syntheses.report": "Thèmes, {period}",
    "syntheses.group": "Unité",
    "syntheses.all": "Total",
    "syntheses.engagements": "Accompagnements étiquetés",
    "syntheses.new": "Nouvelle note",
    "syntheses.note_title": "Titre",
    "syntheses.body": "Note",
    "syntheses.body_hint": (
        "Ne citez que les chiffres visibles du rapport ; écrivez les autres nombres en "
        "lettres (jamais un groupe de moins de {k})."
    ),
    "syntheses.publish": "Publier (les RH la lisent)",
    "syntheses.save": "Enregistrer",
    "syntheses.edit_title": "Réécrire une note de synthèse",
    "syntheses.edit": "Réécrire « {title} »",
    "syntheses.edit_link": "Réécrire « {title} »",
    "syntheses.back": "Retour aux notes",
    "syntheses.notes": "Notes",
    "syntheses.no_notes": "Aucune note encore.",
    "syntheses.draft": "brouillon",
    "syntheses.hr_title": "Signaux faibles : les notes des coachs",
    "syntheses.hr_hint": (
        "Les notes publiées par l’équipe des coachs ; leurs chiffres ont passé la règle des k."
    ),
}
