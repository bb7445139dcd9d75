"""Safe actions: confirmations, undo, inline refusals (issue 14 item 5): French."""

CATALOG: dict[str, str] = {}
