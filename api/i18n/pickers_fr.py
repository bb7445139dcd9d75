"""People pickers (issue 14 item 1): French."""

CATALOG: dict[str, str] = {}
