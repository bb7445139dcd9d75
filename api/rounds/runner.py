"""Running a matching round: load everything once, run the pure engine, store the result.

A round is a row first (queued), then a job (`api.jobs`) that runs it: the job loads the
programme as of the round's creation, runs `engine.run_engine` reporting progress on the
row and honouring a cancel request, then keeps the result on the row (a preview) or also
stores its proposals (a commit). A preview is committed later exactly as it was shown,
never solved again, and only while the programme is as it was (409 naming what changed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, is_dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from api import messages
from api.errors import Conflict
from api.metrics import round_finished
from api.models import CoachingRequest, MatchingRound, Proposal, RoundLock, User
from api.models.enums import ProposalStatus, RequestStatus, RoundKind, RoundStatus
from api.rounds.engine import EngineResult, Progress, RoundCancelled, RoundInput, offer_rows
from api.rounds.engine import run_engine as _run_engine
from api.rounds.live import supersede_live
from api.rounds.problem import MATCHABLE, BuiltProblem, RoundParams, build_problem, db_id
from api.sessions.availability import PlanningData, planning_config
from api.settings import Settings

log = logging.getLogger(__name__)

# How often a running round writes its progress (and heartbeat) to its row.
PROGRESS_EVERY_SECONDS = 0.5


def round_clock(moment: datetime) -> datetime:
    """The instant a round plans from: its creation, down to the quarter-hour, so the same
    programme asked a few minutes apart gives the same round."""
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def committed_version(session: Session) -> int:
    """How many rounds the programme has committed: a round remembers it when it loads,
    and may commit only while it is unchanged."""
    version = session.exec(select(RoundLock.version).where(RoundLock.id == 1)).one()
    return int(version)


def _canonical(value: Any) -> Any:
    """Plain JSON values in a stable order (sets sorted: their order varies by process)."""
    if is_dataclass(value) and not isinstance(value, type):
        return _canonical(asdict(value))
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, frozenset | set):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value if isinstance(value, int | float | str | bool | type(None)) else str(value)


def _digest(*parts: Any) -> str:
    text = json.dumps(_canonical(parts), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def fingerprint(inp: RoundInput) -> dict[str, str]:
    """A digest per part of what the round read: a commit compares them to say what
    changed since the preview."""
    problem = inp.built.problem
    return {
        "requests": _digest(problem.requests),
        "coaches": _digest(problem.coaches, inp.built.hours),
        "org_chart": _digest(problem.people),
        "rules": _digest(
            problem.conflicts,
            problem.adjustments,
            problem.previous,
            problem.active,
            problem.history,
        ),
        "travel": _digest(problem.travel_minutes),
        "availability": _digest(inp.planning.coaches, inp.planning.people),
        "bookings": _digest(inp.planning.booked),
    }


def load_round(
    *, session: Session, settings: Settings, params: RoundParams, created: datetime
) -> RoundInput:
    """Everything the round reads, as of `created` (its clock: see `round_clock`), read at
    once; the engine then runs without the database."""
    now = round_clock(created)
    built: BuiltProblem = build_problem(session=session, settings=settings, now=now, params=params)
    planning = PlanningData(
        session=session, settings=settings, start=now, coaches=list(built.coaches.values())
    )
    planning.load_requests(built.requests.values())  # with their other participants
    planning.detach()
    # A round only needs each pair to be schedulable and its first session; the sessions
    # are polished when a proposal is confirmed.
    config = planning_config(settings, polish=False)
    earliest = max(now + timedelta(hours=settings.session_notice_hours), built.start)
    return RoundInput(
        built=built,
        planning=planning,
        earliest=earliest,
        config=config,
        rematch_attempts=settings.round_rematch_attempts,
        proposals=params.proposals,
    )


def start_round(
    *,
    session: Session,
    now: datetime,
    actor: User | None,
    params: RoundParams,
    kind: RoundKind,
    idempotency_key: str | None = None,
) -> MatchingRound:
    """A queued round and its job, queued in the same transaction, committed. With an
    idempotency key already used, that round is returned instead: two clicks, one round."""
    from api.jobs.queue import defer
    from api.jobs.tasks import round_job

    if idempotency_key is not None:
        found = session.exec(
            select(MatchingRound).where(MatchingRound.idempotency_key == idempotency_key)
        ).first()
        if found is not None:
            return found
    row = MatchingRound(
        status=RoundStatus.queued,
        kind=kind,
        created_at=now,
        created_by_id=actor.id if actor is not None else None,
        idempotency_key=idempotency_key,
        parameters=params.to_json(),
        progress={"stage": "queued"},
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    defer(session, round_job(row.id))
    session.commit()
    return row


FINISHED = (RoundStatus.done, RoundStatus.failed, RoundStatus.cancelled)


def wait_for_round(session: Session, row: MatchingRound, seconds: float) -> MatchingRound:
    """The round once finished, or as it is after `seconds` (no snapshot held between
    looks)."""
    deadline = time.monotonic() + seconds
    while row.status not in FINISHED and time.monotonic() < deadline:
        time.sleep(0.05)
        session.expire_all()
        fresh = session.get(MatchingRound, row.id)
        assert fresh is not None
        row = fresh
        session.rollback()
    return row


class _Reporter:
    """Writes progress on the round's row (its own short transactions, at most every
    half second) and tells the engine when a cancel was asked."""

    def __init__(self, session: Session, round_id: int, clock: Any) -> None:
        self.session, self.round_id, self.clock = session, round_id, clock
        self.last = 0.0
        self.cancel = False

    def progress(self, step: Progress) -> None:
        moment = time.monotonic()
        if moment - self.last >= PROGRESS_EVERY_SECONDS or step.stage == "explaining":
            self.last = moment
            self.session.execute(
                update(MatchingRound)
                .where(col(MatchingRound.id) == self.round_id)
                .values(progress=step.to_json(), heartbeat_at=self.clock.now())
            )
            self.session.commit()
        asked = self.session.exec(
            select(MatchingRound.cancel_requested).where(MatchingRound.id == self.round_id)
        ).one()
        self.session.rollback()  # no snapshot held while the engine works
        self.cancel = bool(asked)

    def should_stop(self) -> bool:
        return self.cancel


def execute_round(*, session: Session, settings: Settings, round_id: int, clock: Any) -> None:
    """The round job: run a queued round to its end. Failures and cancels leave the round
    failed or cancelled with nothing else written."""
    row = session.get(MatchingRound, round_id)
    if row is None or row.status != RoundStatus.queued:
        return  # gone, already run, or cancelled while queued
    if row.cancel_requested:
        _finish(session, row, RoundStatus.cancelled, clock.now())
        return
    row.status = RoundStatus.running
    row.started_at = row.heartbeat_at = clock.now()
    row.base_version = committed_version(session)
    session.add(row)
    session.commit()
    reporter = _Reporter(session, round_id, clock)
    try:
        params = RoundParams.from_json(row.parameters)
        inp = load_round(session=session, settings=settings, params=params, created=row.created_at)
        session.rollback()  # end the read snapshot: the engine needs no database
        engine = _run_engine(inp, progress=reporter.progress, should_stop=reporter.should_stop)
    except RoundCancelled:
        session.rollback()
        _finish(
            session, session.get_one(MatchingRound, round_id), RoundStatus.cancelled, clock.now()
        )
        log.info("round %s cancelled", round_id)
        return
    except Exception as exc:
        session.rollback()
        failed = session.get_one(MatchingRound, round_id)
        failed.error = type(exc).__name__
        _finish(session, failed, RoundStatus.failed, clock.now())
        log.exception("round %s failed", round_id)
        return
    row = session.get_one(MatchingRound, round_id)
    _keep_result(row, inp, engine)
    if row.kind == RoundKind.commit:
        try:
            store_round(session, row, inp.built, clock.now())
        except Conflict as exc:
            session.rollback()
            row = session.get_one(MatchingRound, round_id)
            _keep_result(row, inp, engine)
            row.error = exc.message
            _finish(session, row, RoundStatus.failed, clock.now())
            return
    else:
        _finish(session, row, RoundStatus.done, clock.now())
    log.info(
        "round %s (%s): %d requests, %d coaches, %d matched, %d pairs unschedulable",
        round_id,
        row.kind.value,
        len(inp.built.requests),
        len(inp.built.coaches),
        len(engine.offers),
        len(engine.unschedulable),
    )


def _keep_result(row: MatchingRound, inp: RoundInput, engine: EngineResult) -> None:
    result = engine.result
    row.objective, row.bound, row.gap = result.objective, result.bound, result.gap
    row.solve_seconds = round(engine.solve_seconds, 3)
    row.explanations = engine.explanations
    row.offers = offer_rows(engine)
    row.proposals = [
        {"request_id": db_id(request), "coach_ids": [db_id(o.coach) for o in items]}
        for request, items in sorted(engine.offers.items(), key=lambda kv: db_id(kv[0]))
    ]
    row.fingerprint = fingerprint(inp)


def _finish(session: Session, row: MatchingRound, status: RoundStatus, now: datetime) -> None:
    row.status = status
    row.finished_at = now
    row.progress = {**row.progress, "stage": status.value}
    session.add(row)
    session.commit()
    round_finished(row)


def store_round(session: Session, row: MatchingRound, built: BuiltProblem, now: datetime) -> None:
    """Store the round's offers as proposals in one transaction: matched requests become
    proposed, their earlier proposals superseded. 409 when another round was committed
    since this one loaded, or a request changed meanwhile.

    The round lock comes first: moving its version on takes PostgreSQL's row lock or
    SQLite's write lock, so of two simultaneous commits the second waits, then finds the
    version moved and is refused, writing nothing."""
    version = row.base_version if row.base_version is not None else -1
    moved = session.execute(
        update(RoundLock)
        .where(col(RoundLock.id) == 1, col(RoundLock.version) == version)
        .values(version=version + 1, committed_at=now)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(messages.ROUND_CONCURRENT)
    assert row.id is not None
    ids = [db_id(k) for k in built.requests]
    supersede_live(session=session, request_ids=ids, now=now)
    matched = {o["request_id"] for o in row.offers}
    for request_id in ids:
        status = RequestStatus.proposed if request_id in matched else RequestStatus.open
        changed = session.execute(
            update(CoachingRequest)
            .where(
                col(CoachingRequest.id) == request_id, col(CoachingRequest.status).in_(MATCHABLE)
            )
            .values(status=status, updated_at=now)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            raise Conflict(messages.ROUND_STALE)
    for offer in row.offers:
        session.add(
            Proposal(
                round_id=row.id,
                request_id=offer["request_id"],
                coach_id=offer["coach_id"],
                rank=offer["rank"],
                score=offer["score"],
                explanation=offer["explanation"],
                status=ProposalStatus.proposed,
            )
        )
    row.committed_at = now
    row.status = RoundStatus.done
    row.finished_at = row.finished_at or now
    row.progress = {**row.progress, "stage": "done"}
    session.add(row)
    session.commit()
    round_finished(row)
    log.info("round %s committed: %d proposals", row.id, len(row.offers))


def commit_preview(
    *, session: Session, settings: Settings, round_id: int, now: datetime
) -> MatchingRound:
    """Store a done preview exactly as it was shown: no second solve. 409 when it is not a
    done preview, when another round was committed since, or when what it read changed
    (the message names the parts: requests, coaches, availability, bookings...)."""
    row = session.get(MatchingRound, round_id)
    if row is None:
        from api.errors import NotFound

        raise NotFound(messages.NOT_FOUND.format(what="round"))
    if row.kind != RoundKind.preview or row.status != RoundStatus.done:
        raise Conflict(messages.ROUND_NOT_COMMITTABLE.format(status=row.status.value))
    if row.committed_at is not None:
        return row  # committed already (a second click): the same round
    params = RoundParams.from_json(row.parameters)
    inp = load_round(session=session, settings=settings, params=params, created=row.created_at)
    current = fingerprint(inp)
    changed = [part for part, digest in row.fingerprint.items() if current.get(part) != digest]
    if changed:
        raise Conflict(
            messages.ROUND_DATA_CHANGED.format(parts=", ".join(changed)),
            field="round_id",
            changed=changed,
        )
    store_round(session, row, inp.built, now)
    return row


def cancel_round(*, session: Session, round_id: int, now: datetime) -> MatchingRound:
    """Ask a queued or running round to stop; a queued one stops at once."""
    row = session.get(MatchingRound, round_id)
    if row is None:
        from api.errors import NotFound

        raise NotFound(messages.NOT_FOUND.format(what="round"))
    if row.status not in (RoundStatus.queued, RoundStatus.running):
        raise Conflict(messages.ROUND_NOT_RUNNING.format(status=row.status.value))
    row.cancel_requested = True
    if row.status == RoundStatus.queued:
        row.status = RoundStatus.cancelled
        row.finished_at = now
        row.progress = {**row.progress, "stage": "cancelled"}
    session.add(row)
    session.commit()
    return row


def fail_stalled_rounds(*, session: Session, now: datetime, after: timedelta) -> int:
    """Rounds whose worker stopped reporting (killed mid-round) are failed, with nothing
    half-stored (a round stores only at its end, in one transaction)."""
    rows = session.exec(
        select(MatchingRound).where(
            MatchingRound.status == RoundStatus.running,
            col(MatchingRound.heartbeat_at) < now - after,
        )
    ).all()
    for row in rows:
        row.error = "the worker running this round stopped"
        _finish(session, row, RoundStatus.failed, now)
        log.warning("round %s failed: its worker stopped reporting", row.id)
    return len(rows)


def queued_rounds(session: Session) -> list[int]:
    """Rounds waiting for a worker (to re-queue them when the embedded queue restarts)."""
    rows = session.exec(
        select(MatchingRound.id)
        .where(MatchingRound.status == RoundStatus.queued)
        .order_by(col(MatchingRound.id))
    )
    return [r for r in rows if r is not None]
