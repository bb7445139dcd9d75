"""Weak signals: HR's controlled list of themes, the coaches' tags on their engagements,
and the coaches' team's synthesis notes (figures checked against the theme report)."""
