"""Chemistry calls: a short call with a proposed coach before choosing (issue 14): English."""

CATALOG: dict[str, str] = {
    "chemistry.invite_title": "Chemistry call ({minutes} minutes)",
    "chemistry.book_heading": "Book a {minutes}-minute chemistry call",
    "chemistry.book_hint": "A short call with this coach before you choose, at a time you "
    "are both free.",
    "chemistry.slot": "Time",
    "chemistry.book": "Book the call",
    "chemistry.no_slot": "No free time for a call in the next two weeks.",
    "chemistry.booked": "Chemistry call booked: {when}.",
    "chemistry.cancel": "Cancel the call",
    "chemistry.next_starts": "Next free times:",
    "chemistry.error.off": "This programme offers no chemistry calls.",
    "chemistry.error.not_found": "This proposal was not found.",
    "chemistry.error.closed": "This proposal is no longer open.",
    "chemistry.error.past": "The call must start in the future.",
    "chemistry.error.too_far": "The call must start within the next two weeks.",
    "chemistry.error.not_free": "The coach or you are not free at that time.",
    "chemistry.error.already": "A chemistry call is already booked with this coach.",
    "chemistry.error.no_call": "No chemistry call is booked with this coach.",
    "chemistry.error.started": "The call has started: it can no longer be cancelled.",
    "chemistry.error.start_at": "Choose a time from the list.",
    "flash.chemistry_booked": "Your chemistry call is booked; the invite is on its way.",
    "flash.chemistry_cancelled": "Your chemistry call is cancelled.",
    "data.table.chemistry_call": "Chemistry calls",
    "data.purpose.chemistry_call": "The short calls booked with a proposed coach before "
    "choosing: when, with whom, booked or cancelled.",
}
