"""People pickers (issue 14 item 1): English."""

CATALOG: dict[str, str] = {}
