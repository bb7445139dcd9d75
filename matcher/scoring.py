"""Fit score of an eligible pair, with its breakdown, and the load it puts on the coach."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matcher.problem import Coach, HistoryPolicy, Modality, Policy, Request


@dataclass(frozen=True, slots=True)
class TravelTable:
    """One-way travel minutes between sites; symmetric; a site pair not listed counts 0."""

    minutes: Mapping[tuple[str, str], int]

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str, int]]) -> TravelTable:
        table: dict[tuple[str, str], int] = {}
        for a, b, m in rows:
            table[(a, b)] = m
            table[(b, a)] = m
        return cls(table)

    def between(self, a: str | None, b: str | None) -> int:
        if a is None or b is None or a == b:
            return 0
        return self.minutes.get((a, b), 0)


def travel_minutes(request: Request, coach: Coach, site: str | None, travel: TravelTable) -> int:
    """Round-trip travel per session: on-site sessions only, from the coach's home site
    (none for an external coach without one: its firm sends someone local)."""
    if request.modality is Modality.REMOTE:
        return 0
    if request.modality is Modality.ANY and Modality.REMOTE in coach.modalities:
        return 0  # 'either' is held remotely when the coach can
    return 2 * travel.between(coach.home_site, site)


def load_minutes(request: Request, travel_per_session: int) -> int:
    """Minutes a request takes from its coach: sessions x (length + travel)."""
    return request.sessions * (request.session_minutes + travel_per_session)


def external_cost(request: Request, coach: Coach) -> int:
    return 0 if coach.internal else request.sessions * coach.cost_per_session


def fit_score(
    request: Request,
    coach: Coach,
    *,
    policy: Policy,
    travel_per_session: int,
    had_before: bool,
    hr_bonus: int,
) -> dict[str, int]:
    """Score breakdown of a pair: the sum of its values is the pair's fit score."""
    w = policy.weights
    parts: dict[str, int] = {}
    shared = len(request.themes & coach.themes)
    if shared:
        parts["themes"] = w.theme * min(shared, w.theme_cap)
    if coach.internal:
        parts["internal_first"] = w.internal
    prefs = request.preferences
    if prefs.prefer_kind is not None and coach.kind is prefs.prefer_kind:
        parts["preferred_kind"] = w.prefer_kind
    if coach.id in prefs.prefer_coaches:
        parts["preferred_coach"] = w.prefer_coach
    if travel_per_session:
        parts["travel"] = -round(w.travel_per_hour * travel_per_session / 60)
    if had_before and policy.history is HistoryPolicy.PREFER:
        parts["previous_coach"] = w.history_prefer
    elif had_before and policy.history is HistoryPolicy.AVOID:
        parts["previous_coach"] = -w.history_avoid
    if hr_bonus:
        parts["hr_adjustment"] = hr_bonus
    return {k: v for k, v in parts.items() if v}
