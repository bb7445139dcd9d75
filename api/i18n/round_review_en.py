"""HR's review of a round in place, one row per request (issue 14 item 3): English."""

CATALOG = {
    "review.title": "Requests of this round",
    "review.preview_hint": "A preview stores nothing: commit it to send out the proposals.",
    "review.to_decide": "To decide: {count}",
    "review.confirm_selected": "Confirm the selected",
    "review.col_select": "Select",
    "review.col_coaches": "Coaches",
    "review.col_state": "State",
    "review.select": "Select the request of {name}",
    "review.request": "request {id}",
    "review.points": "{points} points",
    "review.chosen": "chosen by the round",
    "review.first_session": "first session {when}",
    "review.state.confirmed": "Confirmed",
    "review.state.to_decide": "To decide",
    "review.state.rejected": "All rejected: back in the next round",
    "review.state.unmatched": "Unmatched",
    "review.state.preview": "Preview",
    "review.none_selected": "Select at least one request to confirm.",
    "review.some_refused": "{confirmed} confirmed, {refused} refused: the reason is in each row.",
    "review.refused": "Not done: {reason}",
    "review.unblock_title": "What would unblock it",
    "review.unblock.capacity": "Give the eligible coaches more hours or seats, or add a coach.",
    "review.unblock.capacity_full": (
        "Give the eligible coaches more hours or seats, or add a coach."
    ),
    "review.unblock.lost_to_higher_priority": (
        "More urgent requests took the coaches: raise this request's priority, or add capacity."
    ),
    "review.unblock.external_budget": (
        "Raise the round's external budget, or free capacity at internal coaches."
    ),
    "review.unblock.language": (
        "Add a coach who speaks the request's language, or change the request's language."
    ),
    "review.unblock.modality": "Allow another modality on the request (remote or on site).",
    "review.unblock.site": "Allow remote sessions, or add a coach who serves the site.",
    "review.unblock.type": "Add a coach who offers this type of support.",
    "review.unblock.qualification": (
        "Renew the coaches' certification or referencing in their professional record."
    ),
    "review.unblock.forbidden": "Review the exclusions HR set on the Neutrality page.",
    "review.unblock.history": "Let the round propose previous coaches (history: allow).",
    "review.unblock.not_selected": "Run the round again with a longer time limit.",
    "review.unblock.no_coaches": "Add coaches to the programme.",
    "review.unblock.unschedulable": (
        "Give the coaches more availability within the horizon, or choose a longer horizon."
    ),
    "review.unblock.same_unit": "Let the round propose coaches of the same unit.",
    "review.unblock.peer": "Let the round propose the coachee's peers.",
    "flash.proposals_confirmed": "The selected matches are confirmed.",
}
