"""Chemistry calls: a short call with a proposed coach before choosing (issue 14): English."""

CATALOG: dict[str, str] = {}
