"""Eligibility: small named rules, each excluding a (request, coach) pair for one reason.

Rules run in the order of `RULES`; the first that excludes a pair gives its reason code,
which the explanations count ("neutrality: 4, language: 31").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from matcher.orgchart import OrgChart
from matcher.problem import Coach, HistoryPolicy, Modality, Person, Problem, Request


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules need to know beyond the pair itself, indexed once per round."""

    problem: Problem
    org: OrgChart
    people: Mapping[str, Person]
    active_coachees: Mapping[str, tuple[str, ...]]  # coach id -> coachees and participants
    forbidden: frozenset[tuple[str, str]]  # (request, coach)

    @classmethod
    def build(cls, problem: Problem, org: OrgChart) -> Context:
        active: defaultdict[str, list[str]] = defaultdict(list)
        for engagement in problem.active:
            active[engagement.coach].extend(engagement.people)
        return cls(
            problem=problem,
            org=org,
            people={x.id: x for x in problem.people},
            active_coachees={k: tuple(v) for k, v in active.items()},
            forbidden=frozenset((a.request, a.coach) for a in problem.adjustments if a.forbid),
        )

    def request_site(self, request: Request) -> str | None:
        return request.site or self.people[request.coachee].site


def _in_line(org: OrgChart, a: str, b: str) -> bool:
    return a == b or org.in_reporting_line(a, b)


def neutrality(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coach is not the coachee or the sponsor, nor in either's reporting line."""
    if coach.person is None:
        return False
    parties = (request.coachee,) if request.sponsor is None else (request.coachee, request.sponsor)
    return any(_in_line(ctx.org, coach.person, party) for party in parties)


def participant_neutrality(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coach is none of the other participants (a team's members, a mediation's
    other party), nor in any one's reporting line."""
    if coach.person is None:
        return False
    return any(_in_line(ctx.org, coach.person, party) for party in request.participants)


def peer(ctx: Context, request: Request, coach: Coach) -> bool:
    """Policy (default on): the coach is no participant's peer (same direct manager)."""
    return (
        ctx.problem.policy.exclude_peers
        and coach.person is not None
        and (
            ctx.org.are_peers(coach.person, request.coachee)
            or any(ctx.org.are_peers(coach.person, who) for who in request.participants)
        )
    )


def same_unit(ctx: Context, request: Request, coach: Coach) -> bool:
    """Policy (default off): the coach works in no participant's unit."""
    if not ctx.problem.policy.exclude_same_unit or coach.person is None:
        return False
    mine = ctx.people[coach.person].unit
    return mine is not None and (
        ctx.people[request.coachee].unit == mine
        or any(ctx.people[who].unit == mine for who in request.participants)
    )


def conflict_of_interest(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: no declared conflict of interest between the coach and the coachee or sponsor."""
    conflicts = ctx.problem.conflicts
    return (coach.id, request.coachee) in conflicts or (
        request.sponsor is not None and (coach.id, request.sponsor) in conflicts
    )


def participant_conflict_of_interest(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: no declared conflict of interest between the coach and another participant."""
    return any((coach.id, who) in ctx.problem.conflicts for who in request.participants)


def _overlap(ctx: Context, person: str, coach: Coach) -> bool:
    return any(
        other != person and ctx.org.in_reporting_line(other, person)
        for other in ctx.active_coachees.get(coach.id, ())
    )


def reporting_line_overlap(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coach does not already coach someone in the coachee's reporting line."""
    return _overlap(ctx, request.coachee, coach)


def participant_reporting_line_overlap(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coach does not already coach someone in another participant's line."""
    return any(_overlap(ctx, who, coach) for who in request.participants)


def forbidden(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: HR has not forbidden this pair."""
    return (request.id, coach.id) in ctx.forbidden


def qualification(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the certification (internal) or referencing (external) is valid at the start."""
    start = request.start or ctx.problem.horizon.start
    return (coach.valid_from is not None and start < coach.valid_from) or (
        coach.valid_until is not None and start > coach.valid_until
    )


def request_type(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coach offers the request's type (coaching, team coaching, mediation...)."""
    return request.type not in coach.types


def language(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coach works in the request's language."""
    return request.language not in coach.languages


def modality(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coach offers the request's modality (remote, on-site, or either)."""
    if request.modality is Modality.ANY:
        return not coach.modalities & {Modality.REMOTE, Modality.ONSITE}
    return request.modality not in coach.modalities


def site(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: on site, the coach serves the coachee's site (for 'either': unless the coach
    works remotely)."""
    if request.modality is Modality.ANY and Modality.REMOTE in coach.modalities:
        return False
    return request.modality is not Modality.REMOTE and ctx.request_site(request) not in coach.sites


def preference(ctx: Context, request: Request, coach: Coach) -> bool:
    """Hard: the coachee's hard preference (internal only, external only) holds."""
    required = request.preferences.require_kind
    return required is not None and coach.kind is not required


def history(ctx: Context, request: Request, coach: Coach) -> bool:
    """Policy 'exclude': never the coachee's previous coach."""
    return (
        ctx.problem.policy.history is HistoryPolicy.EXCLUDE
        and (coach.id, request.coachee) in ctx.problem.history
    )


Rule = Callable[[Context, Request, Coach], bool]

RULES: tuple[tuple[str, Rule], ...] = (
    ("neutrality", neutrality),
    ("participant_neutrality", participant_neutrality),
    ("peer", peer),
    ("same_unit", same_unit),
    ("conflict_of_interest", conflict_of_interest),
    ("participant_conflict_of_interest", participant_conflict_of_interest),
    ("reporting_line_overlap", reporting_line_overlap),
    ("participant_reporting_line_overlap", participant_reporting_line_overlap),
    ("forbidden", forbidden),
    ("qualification", qualification),
    ("type", request_type),
    ("language", language),
    ("modality", modality),
    ("site", site),
    ("preference", preference),
    ("history", history),
)

# Rules no pin, HR decision or re-solve may override.
HARD_ETHICS = frozenset(
    {
        "neutrality",
        "participant_neutrality",
        "conflict_of_interest",
        "participant_conflict_of_interest",
        "reporting_line_overlap",
        "participant_reporting_line_overlap",
    }
)


def exclusion(ctx: Context, request: Request, coach: Coach) -> str | None:
    """The code of the first rule that excludes the pair, or None when it is eligible."""
    for code, rule in RULES:
        if rule(ctx, request, coach):
            return code
    return None
