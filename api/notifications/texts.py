"""The notifications' words, in English and French. Each says what happened and where to
look, never what was said: no objective, brief, note or answer reaches an email."""

# ruff: noqa: E501 - one entry a line reads better than wrapped strings

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Hello {name},",
        "footer": "This message comes from the coaching programme. You can choose which notifications you receive: {settings}",
        "proposals.subject": "Coaches are proposed to you",
        "proposals.body": "The coaching programme proposes coaches for your request. You can meet them and choose: {link}",
        "new_engagement.subject": "You have a new coaching engagement",
        "new_engagement.body": "A new engagement was confirmed with you as its coach. Its sessions are planned and the invites are on their way. Write the contract with the coachee and the sponsor at the first session: {link}",
        "contract.subject": "A coaching contract awaits your acknowledgement",
        "contract.body": "Version {version} of your coaching contract was written by the coach. Please read it and acknowledge it: {link}",
        "reminder.subject": "Reminder: coaching session on {when}",
        "reminder.body": "Your coaching session {number} is on {when} ({zone}). Where to meet and how to move it: {link}",
        "evaluation.subject": "Your opinion on your coaching",
        "evaluation.body": "Your coaching engagement is over. A short evaluation is open until {until}; answering is voluntary and your answers are never linked to you: {link}",
        "lapse.coach.subject": "Your {what} ends on {date}",
        "lapse.coach.body": "Your {what} in the coaching programme ends on {date}, in {days} days. Without a renewal you will not be proposed for new requests after that date: {link}",
        "lapse.hr.subject": "A coach's {what} ends on {date}",
        "lapse.hr.body": "The {what} of {coach} ends on {date}, in {days} days: {link}",
        "what.certification": "certification",
        "what.referencing": "referencing",
        "digest.subject": "Coaching programme: the week in numbers",
        "digest.body": "Open requests: {open}\nRequests with proposals waiting: {proposed}\nEngagements by state: {states}\nSessions held in the last 7 days: {held}\nCoaches asking for a coach change to be handled: {changes}\nCertifications or referencings ending within 60 days: {lapsing}\nCoaches short of supervision this year: {short}\nEvaluation answers released: {answers}\n\nDetails: {link}",
        "coach_change.subject": "A coachee asks for another coach",
        "coach_change.body": "The coachee of engagement {engagement} asks for another coach. You can reassign it: {link}",
    },
    "fr": {
        "greeting": "Bonjour {name},",
        "footer": "Ce message vient du programme de coaching. Vous pouvez choisir les notifications que vous recevez : {settings}",
        "proposals.subject": "Des coachs vous sont proposés",
        "proposals.body": "Le programme de coaching vous propose des coachs pour votre demande. Vous pouvez les rencontrer et choisir : {link}",
        "new_engagement.subject": "Vous avez un nouvel accompagnement",
        "new_engagement.body": "Un nouvel accompagnement a été confirmé, dont vous êtes le coach. Ses séances sont planifiées et les invitations partent. Rédigez le contrat avec le coaché et le commanditaire lors de la première séance : {link}",
        "contract.subject": "Un contrat de coaching attend votre accord",
        "contract.body": "La version {version} de votre contrat de coaching a été rédigée par le coach. Merci de la lire et de la valider : {link}",
        "reminder.subject": "Rappel : séance de coaching le {when}",
        "reminder.body": "Votre séance de coaching {number} a lieu le {when} ({zone}). Où se retrouver et comment la déplacer : {link}",
        "evaluation.subject": "Votre avis sur votre coaching",
        "evaluation.body": "Votre accompagnement est terminé. Une courte évaluation est ouverte jusqu'au {until} ; répondre est facultatif et vos réponses ne vous sont jamais rattachées : {link}",
        "lapse.coach.subject": "Votre {what} prend fin le {date}",
        "lapse.coach.body": "Votre {what} dans le programme de coaching prend fin le {date}, dans {days} jours. Sans renouvellement, vous ne serez plus proposé pour de nouvelles demandes après cette date : {link}",
        "lapse.hr.subject": "La {what} d'un coach prend fin le {date}",
        "lapse.hr.body": "La {what} de {coach} prend fin le {date}, dans {days} jours : {link}",
        "what.certification": "certification",
        "what.referencing": "référencement",
        "digest.subject": "Programme de coaching : la semaine en chiffres",
        "digest.body": "Demandes ouvertes : {open}\nDemandes avec des propositions en attente : {proposed}\nAccompagnements par état : {states}\nSéances tenues ces 7 derniers jours : {held}\nDemandes de changement de coach à traiter : {changes}\nCertifications ou référencements finissant d'ici 60 jours : {lapsing}\nCoachs en deçà de la supervision annuelle : {short}\nRéponses d'évaluation publiées : {answers}\n\nDétails : {link}",
        "coach_change.subject": "Un coaché demande un autre coach",
        "coach_change.body": "Le coaché de l'accompagnement {engagement} demande un autre coach. Vous pouvez le réaffecter : {link}",
    },
}


def text(language: str, key: str, **values: object) -> str:
    base = language.split("-", 1)[0].lower()
    entries = TEXTS.get(base, TEXTS["en"])
    return entries.get(key, TEXTS["en"][key]).format(**values)
