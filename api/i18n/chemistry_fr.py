"""Chemistry calls: a short call with a proposed coach before choosing (issue 14): French."""

CATALOG: dict[str, str] = {}
