"""Safe actions: confirmations, undo, inline refusals (issue 14 item 5): English."""

# ruff: noqa: E501 - one entry a line reads better than wrapped strings

CATALOG: dict[str, str] = {
    "safe.reason": "Reason",
    "safe.reason_hint": "Kept with the record; write it for whoever reads it later.",
    "safe.reason_required": "Say why, in a few words.",
    "safe.keep": "Go back without changing anything",
    "safe.undo": "Undo",
    # Cancelling a request (HR)
    "safe.request.cancel_label": "Cancel the request of {name}",
    "safe.request.title": "Cancel the request of {name}?",
    "safe.request.question": "The request of {name} ({kind}, {sessions} sessions) will be cancelled.",
    "safe.request.effect_status": "It will no longer be matched; {name}’s coaching does not start.",
    "safe.request.effect_proposals": "Its proposals still waiting for a decision are withdrawn.",
    "safe.request.effect_undo": "You can undo this for {minutes} minutes.",
    "safe.request.no_undo": "This cannot be undone: a new request would have to be made.",
    "safe.request.submit": "Cancel the request",
    "safe.request.undo_offer": "The request of {name} is cancelled. You can undo this until {time}.",
    "flash.request_restored": "Cancel undone: the request is open again.",
    "error.REQUEST_NOT_RESTORABLE": "This cancel can no longer be undone (too late, changed since, or the request had proposals).",
    # Withdrawing one's own request (coachee)
    "safe.own_request.title": "Withdraw your request?",
    "safe.own_request.question": "Your coaching request will be withdrawn.",
    "safe.own_request.effect": "It will no longer be matched with a coach; proposals waiting for your choice are withdrawn.",
    "safe.own_request.no_undo": "This cannot be undone: you would make a new request.",
    # Cancelling a session (coach or coachee)
    "safe.session.title": "Cancel this session?",
    "safe.session.question": "Session {number} with {name}, {when}, will be cancelled.",
    "safe.session.effect_invites": "Everyone invited gets a cancellation in their calendar.",
    "safe.session.no_undo": "This cannot be undone; the coach plans a new time if needed.",
    "safe.session.submit": "Cancel the session",
    # Moving a session (coach)
    "safe.move.title": "Move a session",
    "safe.move.current": "Session {number} with {name}: {when}.",
    "safe.move.new_time": "New time",
    "safe.move.hint": "Date and time in your zone ({zone}). Everyone invited gets the new time.",
    "safe.move.choose_time": "Choose a new time.",
    "safe.move.proposals": "Next free times",
    "safe.move.take": "Move to {when}",
    "safe.move.no_proposals": "No free time was found soon; add availability or try a later date.",
    "safe.move.submit": "Move the session",
    # Inline confirmations of deletes
    "flash.confirm_first": "Nothing was changed: confirm first (open the button and confirm).",
    "safe.delete.submit": "Yes, delete",
    "safe.delete.window": "Delete the weekly window {when}?",
    "safe.delete.away": "Delete the time away {when}?",
    "safe.delete.extra": "Delete the extra window {when}?",
    "safe.delete.calendar": "Delete the uploaded calendar? Its busy times no longer count.",
    "safe.feed.revoke": "Revoke the link? Calendars that subscribed to it stop updating.",
    "safe.feed.revoke_submit": "Yes, revoke",
    "safe.feed.rotate": "Replace the link? Calendars subscribed to the current one stop updating until given the new one.",
    "safe.feed.rotate_submit": "Yes, replace",
    "safe.travel.reset": "Forget your value for {a} – {b}? Rounds then charge the default ({minutes} min).",
    "safe.travel.reset_submit": "Yes, back to the default",
}
