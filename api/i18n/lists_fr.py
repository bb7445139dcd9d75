"""HR's lists of people, coaches, engagements, sessions and the outbox: search,
filters, sort, CSV (issue 14): French."""

CATALOG: dict[str, str] = {}
