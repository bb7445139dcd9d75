"""Reads of confidential fields, recorded where they happen and committed before the
text leaves the service (if the entry cannot be written, nothing is shown).

Confidential: a request's brief (`description`, `objectives`: the coachee's words) and
the contract's objectives. Each read names whose data it is (the coachee), so that
person sees it in GET /me/audit. The service lets only the three parties read them;
an entry naming anyone else is the alarm `api.audit.service` raises.

Not recorded, deliberately: the evaluation form, which repeats the contract's objectives
to the coachee and the sponsor who rate them. An entry there would tell who opened an
evaluation and when, which the evaluations' detachment hides; both read the same
objectives, recorded, in the contract.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.audit.capture import note
from api.audit.chain import Draft
from api.models import CoachingRequest, User

BRIEF = "brief"
OBJECTIVES = "objectives"


def brief_read(session: Session, user: User, requests: list[CoachingRequest]) -> None:
    """`user` is shown the brief of `requests` (those holding one); committed now."""
    noted = False
    for request in requests:
        fields = tuple(f for f in ("description", "objectives") if getattr(request, f, None))
        if not fields:
            continue
        note(
            session,
            Draft(
                action="read",
                target=BRIEF,
                target_id=str(request.id),
                fields=fields,
                subject_person_id=request.coachee_id,
                request_id=request.id,
                user_id=user.id,
                role=user.role.value,
            ),
        )
        noted = True
    if noted:
        session.commit()


def objectives_read(
    session: Session, user: User, *, request: CoachingRequest, engagement_id: int, versions: int
) -> None:
    """`user` is shown the objectives of `versions` contract versions of the engagement."""
    if versions:
        note(
            session,
            Draft(
                action="read",
                target=OBJECTIVES,
                target_id=str(engagement_id),
                fields=("objectives",),
                subject_person_id=request.coachee_id,
                request_id=request.id,
                engagement_id=engagement_id,
                user_id=user.id,
                role=user.role.value,
            ),
        )
        session.commit()
