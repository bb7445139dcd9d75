"""HR's review of a round, one row per request: the coach chosen and the alternatives
with their points, the proposals to confirm or reject in the row, or why the request
stayed unmatched and what would unblock it. Built from the round's view and proposals
(`api.rounds.views`), which carry no request description."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from api.models.enums import ProposalStatus
from api.rounds.schemas import MatchView, ProposalView, ReasonCount, RoundView

# Reason codes with something HR can do about them (the hint `review.unblock.<code>`);
# the others (an ethics rule, the coachee's own preference) are not HR's to lift.
UNBLOCKABLE = frozenset(
    {
        "capacity",
        "capacity_full",
        "lost_to_higher_priority",
        "external_budget",
        "language",
        "modality",
        "site",
        "type",
        "qualification",
        "forbidden",
        "history",
        "not_selected",
        "no_coaches",
        "unschedulable",
        "same_unit",
        "peer",
    }
)

STATES = ("confirmed", "to_decide", "rejected", "unmatched", "preview")


@dataclass(frozen=True)
class ReviewRow:
    """One request of the round, as HR reviews it."""

    request_id: int
    coachee: str
    coaching_type: str | None
    match: MatchView | None
    proposals: Sequence[ProposalView] = field(default_factory=tuple)
    reasons: Sequence[ReasonCount] = field(default_factory=tuple)

    @property
    def open(self) -> ProposalView | None:
        """The first-ranked proposal still to decide (what "confirm" confirms)."""
        live = [p for p in self.proposals if p.status == ProposalStatus.proposed]
        return min(live, key=lambda p: p.rank) if live else None

    @property
    def state(self) -> str:
        """confirmed, to_decide, rejected, unmatched or preview (no proposal stored yet)."""
        if any(p.status == ProposalStatus.accepted for p in self.proposals):
            return "confirmed"
        if self.open is not None:
            return "to_decide"
        if self.proposals:
            return "rejected"
        return "preview" if self.match is not None else "unmatched"

    @property
    def hints(self) -> list[str]:
        """The reason codes HR could act on, most frequent first."""
        ranked = sorted(self.reasons, key=lambda r: -r.count)
        return [r.code for r in ranked if r.code in UNBLOCKABLE]


def review_rows(
    view: RoundView,
    proposals: Sequence[ProposalView],
    names: Mapping[int, str],
    types: Mapping[int, str],
) -> list[ReviewRow]:
    """Every request of the round, matched ones first, each in the order the round gives."""
    by_request: dict[int, list[ProposalView]] = {}
    for p in proposals:
        by_request.setdefault(p.request_id, []).append(p)

    def name(coachee_id: int | None) -> str:
        return names.get(coachee_id, "—") if coachee_id is not None else "—"

    rows = [
        ReviewRow(
            request_id=m.request_id,
            coachee=name(m.coachee_id),
            coaching_type=types.get(m.request_id),
            match=m,
            proposals=tuple(sorted(by_request.get(m.request_id, []), key=lambda p: p.rank)),
        )
        for m in view.matches
    ]
    rows += [
        ReviewRow(
            request_id=u.request_id,
            coachee=name(u.coachee_id),
            coaching_type=types.get(u.request_id),
            match=None,
            reasons=tuple(u.reasons),
        )
        for u in view.unmatched
    ]
    return rows
