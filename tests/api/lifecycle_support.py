"""Rows for the engagement lifecycle's endpoints (issue 11), added to
`api_support.build_world`'s world: engagements of the coach, the coachee and the sponsor
in each state, a contract, evaluation invitations, a certification."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from api_support import START, add_engagement, add_request
from sqlmodel import Session

from api.models import (
    Certification,
    CoachingRequest,
    ContractAcknowledgement,
    ContractVersion,
    Engagement,
    EvaluationInvitation,
    Person,
)
from api.models.enums import EngagementStatus, RequestStatus

FRAME = {
    "sessions": 4,
    "session_minutes": 60,
    "cadence_days": 14,
    "modality": "remote",
    "start": "2026-03-09",
    "expected_end": "2026-05-04",
}


def contract_body(*objectives: str) -> dict[str, Any]:
    return {"objectives": list(objectives) or ["Lead the team's yearly reviews"], "frame": FRAME}


def add_contract(
    db: Session, engagement_id: int, objectives: list[str], *, acked: tuple[str, ...] = ("coach",)
) -> ContractVersion:
    row = ContractVersion(
        engagement_id=engagement_id,
        version=1,
        objectives=objectives,
        frame=FRAME,
        template="coaching",
        created_at=START,
    )
    db.add(row)
    db.flush()
    for role in acked:
        db.add(ContractAcknowledgement(contract_id=row.id, role=role, acknowledged_at=START))
    db.commit()
    return row


def engagement_in(
    db: Session, w: dict[str, Any], state: EngagementStatus, **fields: Any
) -> Engagement:
    """An engagement of the world's coach, coachee and sponsor, in `state`."""
    coachee = db.get(Person, w["people"]["coachee"])
    boss = db.get(Person, w["people"]["boss"])
    request = add_request(db, coachee, sponsor=boss, status=RequestStatus.matched, sessions=1)
    from api.models import Coach

    engagement = add_engagement(db, request, db.get(Coach, w["coach"]), status=state)
    for name, value in fields.items():
        setattr(engagement, name, value)
    db.add(engagement)
    db.commit()
    return engagement


def add_lifecycle(w: dict[str, Any], db: Session) -> None:
    """Engagements in each state the hand-made transitions start from, a contract on the
    world's engagement, evaluation invitations, a certification."""
    S = EngagementStatus
    for role in ("coach", "coachee", "sponsor"):
        w[f"engagement_end_{role}"] = engagement_in(db, w, S.in_progress).id
    w["engagement_on_hold"] = engagement_in(
        db, w, S.on_hold, status_before_hold=S.contracted, hold_keeps_capacity=True
    ).id
    w["engagement_midway"] = engagement_in(db, w, S.midway_review).id
    w["engagement_closing"] = engagement_in(db, w, S.closing).id
    add_contract(db, w["engagement"], ["SENTINEL-OBJECTIVE-world"])
    add_contract(db, w["engagement2"], ["SENTINEL-OBJECTIVE-other"])
    done = engagement_in(db, w, S.completed)
    for role, person in (("coachee", "coachee"), ("sponsor", "boss")):
        invitation = EvaluationInvitation(
            engagement_id=done.id,
            person_id=w["people"][person],
            role=role,
            objectives=0,
            created_at=START,
            expires_at=START + timedelta(days=60),
        )
        db.add(invitation)
        db.commit()
        w[f"evaluation_{role}"] = invitation.id
    cert = Certification(
        coach_id=w["coach"], body="ICF", level="PCC", obtained=date(2024, 1, 1), created_at=START
    )
    db.add(cert)
    db.commit()
    w["certification"] = cert.id


def request_of(db: Session, engagement_id: int) -> CoachingRequest:
    engagement = db.get(Engagement, engagement_id)
    assert engagement is not None
    request = db.get(CoachingRequest, engagement.request_id)
    assert request is not None
    return request
