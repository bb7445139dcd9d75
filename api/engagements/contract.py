"""The tripartite contract: the coach writes the objectives and the frame, each change is
a new version, and every party acknowledges the current version (the coach by writing
it). Three acknowledgements of a proposed engagement's contract make it contracted.

The objectives are confidential: they are read here, by the three parties, and nowhere
else (HR's views have no field for them; notifications only say a version is waiting).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, col, func, select

from api import messages
from api.coaches.lock import lock_coach
from api.engagements import lifecycle
from api.engagements.lifecycle import Action, require
from api.engagements.schemas import (
    Acknowledgement,
    ContractIn,
    ContractVersionView,
    ContractView,
    EngagementDetail,
    Frame,
)
from api.engagements.service import my_engagement
from api.errors import Conflict
from api.models import (
    CoachingRequest,
    CoachingSession,
    ContractAcknowledgement,
    ContractVersion,
    Engagement,
    User,
)
from api.models.enums import EngagementStatus, Modality, RequestType, Role, SessionStatus
from api.settings import Settings

log = logging.getLogger(__name__)


def template_for(request: CoachingRequest) -> str:
    """The contract template (and its confidentiality clause) of the request's kind."""
    kind = request.coaching_type
    return kind if kind in {t.value for t in RequestType} else RequestType.COACHING.value


def parties(request: CoachingRequest) -> list[str]:
    return ["coach", "coachee", *(["sponsor"] if request.sponsor_id is not None else [])]


def party_role(user: User, request: CoachingRequest) -> str:
    if user.role == Role.coach:
        return "coach"
    if user.person_id is not None and user.person_id == request.coachee_id:
        return "coachee"
    return "sponsor"


def current(session: Session, engagement_id: int) -> ContractVersion | None:
    return session.exec(
        select(ContractVersion)
        .where(ContractVersion.engagement_id == engagement_id)
        .order_by(col(ContractVersion.version).desc())
    ).first()


def proposed_frame(session: Session, engagement: Engagement, request: CoachingRequest) -> Frame:
    """The frame the request and the planned sessions suggest, before the coach writes."""
    times = session.exec(
        select(func.min(CoachingSession.start_at), func.max(CoachingSession.end_at)).where(
            CoachingSession.engagement_id == engagement.id,
            CoachingSession.status != SessionStatus.cancelled,
        )
    ).one()
    start = (times[0] or engagement.created_at).date()
    end = (times[1] or engagement.created_at).date()
    return Frame(
        sessions=request.sessions,
        session_minutes=request.session_minutes,
        cadence_days=request.cadence_days,
        modality=Modality(request.modality),
        start=start,
        expected_end=max(start, end),
    )


def _acks(session: Session, contract_id: int | None) -> list[Acknowledgement]:
    if contract_id is None:
        return []
    rows = session.exec(
        select(ContractAcknowledgement)
        .where(ContractAcknowledgement.contract_id == contract_id)
        .order_by(col(ContractAcknowledgement.acknowledged_at), col(ContractAcknowledgement.id))
    )
    return [Acknowledgement(role=r.role, acknowledged_at=r.acknowledged_at) for r in rows]


def contract_view(
    session: Session, engagement: Engagement, request: CoachingRequest
) -> ContractView:
    assert engagement.id is not None
    versions = list(
        session.exec(
            select(ContractVersion)
            .where(ContractVersion.engagement_id == engagement.id)
            .order_by(col(ContractVersion.version))
        )
    )
    history = [
        ContractVersionView(
            version=v.version,
            objectives=v.objectives,
            frame=Frame.model_validate(v.frame),
            created_at=v.created_at,
            acknowledgements=_acks(session, v.id),
        )
        for v in versions
    ]
    needed = parties(request)
    if history:
        latest = history.pop()
    else:
        latest = ContractVersionView(
            version=0,
            objectives=[],
            frame=proposed_frame(session, engagement, request),
            created_at=None,
            acknowledgements=[],
        )
    done = {a.role for a in latest.acknowledgements}
    pending = [p for p in needed if p not in done]
    return ContractView(
        **latest.model_dump(),
        template=template_for(request),
        parties=needed,
        pending=pending,
        complete=latest.version > 0 and not pending,
        history=history,
    )


def _load(session: Session, user: User, engagement_id: int) -> tuple[Engagement, CoachingRequest]:
    """The engagement if `user` is one of its parties (404 otherwise), read afresh once its
    coach's lock is held: one contract decision at a time."""
    view = my_engagement(session=session, user=user, engagement_id=engagement_id)
    lock_coach(session, view.coach_id)
    session.expire_all()
    engagement = session.get(Engagement, engagement_id)
    request = session.get(CoachingRequest, view.request_id)
    assert engagement is not None and request is not None
    return engagement, request


def detail(*, session: Session, user: User, engagement_id: int) -> EngagementDetail:
    """The engagement as one of its parties reads it, objectives included: that read is
    in the audit log (committed) before the objectives are answered."""
    from api.audit.reads import objectives_read

    view = my_engagement(session=session, user=user, engagement_id=engagement_id)
    engagement = session.get(Engagement, engagement_id)
    request = session.get(CoachingRequest, view.request_id)
    assert engagement is not None and request is not None
    shown = contract_view(session, engagement, request)
    versions = sum(1 for v in [shown, *shown.history] if v.objectives)
    objectives_read(session, user, request=request, engagement_id=engagement_id, versions=versions)
    return EngagementDetail(**view.model_dump(), contract=shown)


def _add_version(
    session: Session,
    engagement: Engagement,
    request: CoachingRequest,
    objectives: list[str],
    frame: Frame,
    now: datetime,
) -> ContractVersion:
    latest = current(session, engagement.id or 0)
    row = ContractVersion(
        engagement_id=engagement.id or 0,
        version=(latest.version if latest else 0) + 1,
        objectives=objectives,
        frame=frame.model_dump(mode="json"),
        template=template_for(request),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def write_contract(
    *,
    session: Session,
    settings: Settings,
    user: User,
    engagement_id: int,
    data: ContractIn,
    now: datetime,
) -> EngagementDetail:
    """The coach writes the objectives and the frame: a new version, acknowledged by the
    coach; the coachee and the sponsor are told a version awaits them. The same content
    again changes nothing."""
    from api.notifications.events import contract_waiting

    engagement, request = _load(session, user, engagement_id)
    require(engagement, Action.contract)
    latest = current(session, engagement_id)
    frame = data.frame.model_dump(mode="json")
    if latest is not None and latest.objectives == data.objectives and latest.frame == frame:
        session.rollback()  # nothing changed: the coach acknowledges what is there
        return acknowledge(
            session=session, user=user, engagement_id=engagement_id, version=None, now=now
        )
    row = _add_version(session, engagement, request, data.objectives, data.frame, now)
    session.add(ContractAcknowledgement(contract_id=row.id or 0, role="coach", acknowledged_at=now))
    engagement.updated_at = now
    session.add(engagement)
    contract_waiting(
        session=session, settings=settings, engagement=engagement, request=request,
        version=row.version, now=now,
    )  # fmt: skip
    session.commit()
    log.info("engagement %s: contract version %s", engagement_id, row.version)
    return detail(session=session, user=user, engagement_id=engagement_id)


def acknowledge(
    *, session: Session, user: User, engagement_id: int, version: int | None, now: datetime
) -> EngagementDetail:
    """A party acknowledges the current version (again: nothing changes). The last of the
    three acknowledgements of a proposed engagement makes it contracted."""
    engagement, request = _load(session, user, engagement_id)
    require(engagement, Action.acknowledge)
    latest = current(session, engagement_id)
    if latest is None:
        raise Conflict(messages.CONTRACT_NONE, field="contract")
    if version is not None and version != latest.version:
        raise Conflict(
            messages.CONTRACT_STALE.format(version=version, current=latest.version),
            field="version",
        )
    role = party_role(user, request)
    done = {a.role for a in _acks(session, latest.id)}
    if role not in done:
        session.add(
            ContractAcknowledgement(contract_id=latest.id or 0, role=role, acknowledged_at=now)
        )
        done.add(role)
        if engagement.status == EngagementStatus.proposed and set(parties(request)) <= done:
            lifecycle.move(engagement, EngagementStatus.contracted, now)
            session.add(engagement)
        session.commit()
        log.info("engagement %s: contract version %s acknowledged", engagement_id, latest.version)
    return detail(session=session, user=user, engagement_id=engagement_id)


def carry_over(
    session: Session, old: Engagement, new: Engagement, request: CoachingRequest, now: datetime
) -> None:
    """A coach change keeps the contract's history: the new engagement starts from the
    last version's objectives and frame, for the new coach to write and all to
    acknowledge again."""
    latest = current(session, old.id or 0)
    if latest is None:
        return
    _add_version(session, new, request, latest.objectives, Frame.model_validate(latest.frame), now)
