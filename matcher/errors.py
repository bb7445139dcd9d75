"""The matcher's errors. The api layer maps them to HTTP 4xx; the CLI to exit code 2."""

from __future__ import annotations


class MatcherError(Exception):
    """Base class for every error the matching core raises."""


class OrgChartError(MatcherError):
    """The org chart is not a forest: a cycle, an unknown manager, a duplicate id..."""

    def __init__(self, message: str, people: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.people = people


class ProblemError(MatcherError):
    """A problem document is invalid; `path` locates the offending value (JSON path)."""

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.detail = message
