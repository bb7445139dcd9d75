"""People pickers (issue 14 item 1): English."""

CATALOG: dict[str, str] = {
    # the fields: HR names people; the org-chart id still works without the list
    "picker.coachee": "Coachee",
    "picker.sponsor": "Sponsor",
    "picker.participants": "Other participants",
    "picker.person": "Person",
    "picker.coach": "Coach",
    "picker.hint": "Type a few letters of their name, email or unit and choose them from "
    "the list (their org-chart id works too).",
    "picker.sponsor_hint": "Usually the manager; optional. Type a few letters of their name, "
    "email or unit and choose them from the list (their org-chart id works too).",
    "picker.edit_sponsor_hint": "Type a few letters of their name, email or unit and choose "
    "them from the list (their org-chart id works too); empty: no sponsor.",
    "picker.participants_hint": "Team coaching: the team members besides the coachee; "
    "mediation: the other party. Choose each one from the list, or type their org-chart ids "
    "separated by spaces or commas.",
    "picker.neutrality_hint": "The coachee or the sponsor: type a few letters of their name, "
    "email or unit and choose them from the list (their org-chart id works too).",
    "picker.account_person_hint": "Coachees and sponsors: type a few letters of their name, "
    "email or unit and choose them from the list (their org-chart id works too).",
    "picker.coach_hint": "Coaches: type a few letters of the coach's name or firm and "
    "choose them from the list (the coach's number works too).",
    "picker.employee_fixed": "Employee: {name} (from the org chart).",
    # what the list says, through a live region
    "picker.suggestions": "Suggestions",
    "picker.found_one": "{count} match. Up and down arrows to browse, Enter to choose.",
    "picker.found": "{count} matches. Up and down arrows to browse, Enter to choose.",
    "picker.more": "The first {count} matches only: type more to narrow the search.",
    "picker.none": "No match.",
    "picker.short": "Type at least two letters.",
    "picker.failed": "The search is not available; type the org-chart id instead.",
    "picker.chosen": "Chosen: {name}.",
    "picker.chosen_list": "Chosen",
    "picker.remove": "Remove {name}",
    "picker.removed": "{name} is no longer in the list.",
}
