"""Coach profiles the coachee chooses from (issue 14 item 4): French."""

CATALOG = {
    "profile.title": "Mon profil",
    "profile.title_of": "Profil de {name}",
    "profile.link": "Profil présenté aux coachés",
    "profile.intro": (
        "Les coachés lisent ce profil, avec vos langues, vos thèmes et vos certifications "
        "en cours de validité, quand vous leur êtes proposé."
    ),
    "profile.bio": "Courte présentation",
    "profile.bio_hint": (
        "Texte simple, 600\u00a0caractères au plus\u00a0: votre façon de travailler, "
        "votre parcours."
    ),
    "profile.photo": "Photo",
    "profile.photo_alt": "Photo de {name}",
    "profile.no_photo": "Pas encore de photo.",
    "profile.photo_file": "Fichier image",
    "profile.photo_hint": "PNG, JPEG ou WebP, {size}\u00a0Ko au plus.",
    "profile.upload": "Envoyer la photo",
    "profile.remove_photo": "Retirer la photo",
    "profiles.for_request": "Pour votre demande\u00a0: {type}, déposée le {date}",
    "profiles.sites": "sites\u00a0: {sites}",
    "profiles.credentials": "Certifications",
    "profiles.certification": "{level}, {body}",
    "profiles.valid_until": "valable jusqu’au {date}",
    "profiles.no_certification": "Aucune certification enregistrée",
    "flash.profile_saved": "Profil enregistré.",
    "flash.photo_saved": "Photo enregistrée.",
    "flash.photo_deleted": "Photo retirée.",
    "error.PHOTO_NOT_IMAGE": "La photo doit être une image PNG, JPEG ou WebP.",
}
