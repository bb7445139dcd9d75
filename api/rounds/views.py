"""Rounds and proposals as their readers see them (HR, the coachee)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from api import messages
from api.errors import InvalidInput
from api.models import Coach, CoachingRequest, MatchingRound, Person, Proposal
from api.profiles import service as profiles
from api.rounds.labels import label, order
from api.rounds.problem import RoundParams
from api.rounds.promise import PromiseStatus, promised_start
from api.settings import Settings

from .schemas import (
    AlternativeView,
    CoachOffer,
    CredentialView,
    MatchView,
    ProposalView,
    ReasonCount,
    RoundParamsIn,
    RoundProgress,
    RoundSummary,
    RoundView,
    UnmatchedView,
    UnschedulablePair,
)


def resolve_params(data: RoundParamsIn, *, settings: Settings, now: datetime) -> RoundParams:
    """Fill the defaults from the settings; the horizon cannot start in the past."""
    today = now.date()
    start = data.horizon_start or today
    if start < today:
        raise InvalidInput(
            messages.HORIZON_PAST.format(today=today.isoformat()), field="horizon_start"
        )
    weeks = data.horizon_weeks or settings.round_horizon_weeks
    return RoundParams(
        horizon_start=start,
        horizon_end=start + timedelta(weeks=weeks),
        proposals=data.proposals or settings.round_proposals,
        external_budget=data.external_budget,
        time_limit_seconds=data.time_limit_seconds or settings.round_time_limit_seconds,
        exclude_same_unit=data.exclude_same_unit,
        exclude_peers=data.exclude_peers,
        history=data.history,
        seed=data.seed,
    )


def coach_names(session: Session, coach_ids: Iterable[int]) -> dict[int, tuple[str | None, Coach]]:
    """Coach id → (display name, row): an internal coach is named after their person."""
    ids = sorted(set(coach_ids))
    coaches = list(session.exec(select(Coach).where(col(Coach.id).in_(ids))))
    people = dict(
        session.exec(
            select(Person.id, Person.name).where(
                col(Person.id).in_([c.person_id for c in coaches if c.person_id is not None])
            )
        ).all()
    )
    return {
        c.id or 0: (c.name or (people.get(c.person_id) if c.person_id else None), c)
        for c in coaches
    }


def _coachees(session: Session, request_ids: Iterable[int]) -> dict[int, int]:
    ids = sorted(set(request_ids))
    rows = session.exec(
        select(CoachingRequest.id, CoachingRequest.coachee_id).where(
            col(CoachingRequest.id).in_(ids)
        )
    )
    return {request_id or 0: coachee_id for request_id, coachee_id in rows}


def _reasons(reasons: dict[str, int], language: str) -> list[ReasonCount]:
    return [
        ReasonCount(code=code, label=label(code, language), count=n) for code, n in order(reasons)
    ]


def round_summary(row: MatchingRound) -> RoundSummary:
    ex = row.explanations
    return RoundSummary(
        **_summary_fields(row),
        requests_count=ex.get("requests", 0),
        matched_count=len(ex.get("matches", [])),
        unmatched_count=len(ex.get("unmatched", [])),
    )


def _summary_fields(row: MatchingRound) -> dict[str, Any]:
    progress = {k: v for k, v in row.progress.items() if k in RoundProgress.model_fields}
    return {
        "id": row.id,
        "status": row.status,
        "kind": row.kind,
        "progress": RoundProgress(**{"stage": row.status.value, **progress}),
        "error": row.error,
        "created_at": row.created_at,
        "committed_at": row.committed_at,
        "created_by_id": row.created_by_id,
        "objective": row.objective,
        "bound": row.bound,
        "gap": row.gap,
        "solve_seconds": row.solve_seconds,
        "parameters": row.parameters,
    }


def round_view(session: Session, row: MatchingRound, *, language: str = "en") -> RoundView:
    """The round with its explanations, reason labels in ``language`` (en, fr)."""
    ex = row.explanations
    matches, unmatched = ex.get("matches", []), ex.get("unmatched", [])
    names = coach_names(
        session,
        [m["coach_id"] for m in matches]
        + [a["coach_id"] for m in matches for a in m["alternatives"]],
    )
    coachees = _coachees(
        session, [m["request_id"] for m in matches] + [u["request_id"] for u in unmatched]
    )
    totals: Counter[str] = Counter(code for u in unmatched for code in u["reasons"])
    return RoundView(
        **round_summary(row).model_dump(),
        solver_status=ex.get("status", ""),
        message=ex.get("message", ""),
        matches=[
            MatchView(
                **{k: v for k, v in m.items() if k not in ("alternatives", "unschedulable")},
                coachee_id=coachees.get(m["request_id"]),
                coach_name=names.get(m["coach_id"], (None,))[0],
                alternatives=[
                    AlternativeView(**a, coach_name=names.get(a["coach_id"], (None,))[0])
                    for a in m["alternatives"]
                ],
                unschedulable=[UnschedulablePair(**x) for x in m["unschedulable"]],
            )
            for m in matches
        ],
        unmatched=[
            UnmatchedView(
                request_id=u["request_id"],
                coachee_id=coachees.get(u["request_id"]),
                reasons=_reasons(u["reasons"], language),
                summary=u["summary"],
                unschedulable=[UnschedulablePair(**x) for x in u["unschedulable"]],
            )
            for u in unmatched
        ],
        reason_totals=_reasons(dict(totals), language),
        unschedulable=[UnschedulablePair(**x) for x in ex.get("unschedulable", [])],
        rematches=ex.get("rematches", 0),
        moved=ex.get("moved", []),
        external_cost=ex.get("external_cost", 0),
    )


def _promise(
    promises: Mapping[int, PromiseStatus] | None, p: Proposal
) -> tuple[bool | None, datetime | None]:
    found = (promises or {}).get(p.id or 0)
    return (found.free, found.instead) if found is not None else (None, None)


def proposal_views(
    session: Session,
    proposals: Sequence[Proposal],
    promises: Mapping[int, PromiseStatus] | None = None,
) -> list[ProposalView]:
    """HR's view of ``proposals``; with ``promises`` (`promise_status`), whether each
    one's promised first session still holds."""
    names = coach_names(session, [p.coach_id for p in proposals])
    coachees = _coachees(session, [p.request_id for p in proposals])
    return [
        ProposalView(
            id=p.id,
            round_id=p.round_id or None,
            request_id=p.request_id,
            coachee_id=coachees[p.request_id],
            coach_id=p.coach_id,
            coach_name=names[p.coach_id][0],
            coach_kind=names[p.coach_id][1].kind,
            rank=p.rank,
            score=p.score,
            breakdown=p.explanation.get("breakdown", {}),
            first_session_at=promised_start(p),
            first_session_free=_promise(promises, p)[0],
            first_session_instead=_promise(promises, p)[1],
            status=p.status,
            decided_at=p.decided_at,
            reject_reason=p.reject_reason,
        )
        for p in proposals
    ]


def coach_offers(
    session: Session,
    proposals: Sequence[Proposal],
    promises: Mapping[int, PromiseStatus] | None = None,
    *,
    today: date,
) -> list[CoachOffer]:
    """What the coachee sees of each coach proposed to them (no scores): the coach's
    profile, valid credentials, and the request it is for (its type and date, never its
    description); with ``promises`` whether each first session still holds."""
    coach_ids = [p.coach_id for p in proposals]
    names = coach_names(session, coach_ids)
    creds = profiles.credentials(session, coach_ids, today=today)
    photos = profiles.with_photo(session, coach_ids)
    requests = {
        r.id: r
        for r in session.exec(
            select(CoachingRequest).where(
                col(CoachingRequest.id).in_(sorted({p.request_id for p in proposals}))
            )
        )
    }
    per_request = Counter((p.round_id, p.request_id) for p in proposals)
    out = []
    for p in proposals:
        name, coach = names[p.coach_id]
        out.append(
            CoachOffer(
                id=p.id or 0,
                request_id=p.request_id,
                rank=p.rank,
                coach_id=p.coach_id,
                coach_name=name,
                coach_kind=coach.kind,
                languages=coach.languages,
                themes=coach.themes,
                modalities=coach.modalities,
                sites=coach.sites,
                bio=coach.bio,
                certifications=[
                    CredentialView(body=c.body, level=c.level, valid_until=c.valid_until)
                    for c in creds[p.coach_id].certifications
                ],
                accreditation=creds[p.coach_id].accreditation,
                photo_url=f"/coaches/{p.coach_id}/photo" if p.coach_id in photos else None,
                request_type=requests[p.request_id].coaching_type,
                request_submitted_at=requests[p.request_id].submitted_at,
                first_session_at=promised_start(p),
                first_session_free=_promise(promises, p)[0],
                first_session_instead=_promise(promises, p)[1],
                choosable=per_request[(p.round_id, p.request_id)] > 1,
            )
        )
    return out
