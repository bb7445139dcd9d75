"""HR's request pipeline (issue 14 item 2): states, search, filters, sort, CSV export and
duplicate warnings: English."""

CATALOG = {
    "pipeline.tabs": "Requests by state",
    "pipeline.state.all": "All",
    "pipeline.state.new": "New",
    "pipeline.state.waiting": "Waiting",
    "pipeline.state.proposed": "Proposed",
    "pipeline.state.contracted": "Contracted",
    "pipeline.state.in_progress": "In progress",
    "pipeline.state.completed": "Completed",
    "pipeline.state.ended": "Ended",
    "pipeline.state.cancelled": "Cancelled",
    "pipeline.waiting_hint": (
        "New: open, never proposed, submitted {days} days ago or less. Waiting: open for"
        " longer or again after proposals, or proposals awaiting a decision. Proposed:"
        " a coach is confirmed and the contract awaits its acknowledgements."
    ),
    "pipeline.search": "Search (name, email, org-chart id)",
    "pipeline.waited": "Waiting more than (days)",
    "pipeline.sort": "Sort by",
    "pipeline.sort.submitted": "Submitted",
    "pipeline.sort.waiting": "Waiting time",
    "pipeline.sort.priority": "Priority",
    "pipeline.sort.coachee": "Coachee name",
    "pipeline.order": "Order",
    "pipeline.order.desc": "Descending",
    "pipeline.order.asc": "Ascending",
    "pipeline.kind.internal": "Internal coach",
    "pipeline.kind.external": "External coach",
    "pipeline.export": "Export this list (CSV)",
    "pipeline.col.state": "State",
    "pipeline.col.days": "Days waiting",
    "pipeline.col.external_id": "Org-chart id",
    "pipeline.col.email": "Email",
    "pipeline.col.coach_kind": "Coach",
    "pipeline.col.duplicates": "Other requests under way",
    "pipeline.request": "request #{id}",
    "pipeline.duplicate": "Possible duplicate of",
    "pipeline.duplicate_form": (
        "{name} already has a request under way (you may still submit this one):"
    ),
    "pipeline.invalid": "This list could not be shown: correct the filters below.",
    "pipeline.invalid.choice": "Choose a value from the list.",
    "pipeline.invalid.q": "Search for 200 characters at the most.",
    "pipeline.invalid.waited": "Waiting time: enter a whole number of days from 0 to 3650.",
    "pipeline.invalid.page": "Page: enter a whole number from 1.",
    "flash.request_submitted_duplicate": (
        "Request submitted. This coachee has another request under way: see the warning in"
        " the list."
    ),
}
