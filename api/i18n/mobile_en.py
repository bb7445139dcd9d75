"""The phone layout (issue 14 item 9): English."""

CATALOG: dict[str, str] = {}
