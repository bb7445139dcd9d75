"""Safe actions: confirmations, undo, inline refusals (issue 14 item 5): English."""

CATALOG: dict[str, str] = {}
