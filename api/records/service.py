"""The professional record. An internal coach's `certified_until` follows their
certifications (the latest end; none when one has no end); an external coach's
referencing moves proposed -> under review -> referenced until a date -> lapsed, and the
matcher takes only referenced ones (a coach with no record is referenced by its dates,
as before the record existed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from api import messages
from api.db import get_or_404
from api.errors import Conflict, InvalidInput, NotFound
from api.models import Certification, Coach, CoachRecord, SupervisionLog
from api.models.enums import CoachKind, NotificationKind, ReferencingState
from api.notifications import send
from api.settings import Settings

from .schemas import (
    CertificationIn,
    CertificationView,
    RecordIn,
    RecordView,
    ReferencingAction,
    ReferencingIn,
    Supervision,
    SupervisionIn,
)

R = ReferencingState
MOVES: dict[ReferencingAction, tuple[tuple[R | None, ...], R]] = {
    ReferencingAction.propose: (
        (None, R.proposed, R.under_review, R.referenced, R.lapsed),
        R.proposed,
    ),
    ReferencingAction.review: ((R.proposed, R.lapsed), R.under_review),
    ReferencingAction.reference: ((R.under_review, R.referenced), R.referenced),
    ReferencingAction.lapse: ((None, R.referenced), R.lapsed),
}
NOT_REFERENCED = (R.proposed, R.under_review, R.lapsed)


def _record(session: Session, coach: Coach, now: datetime) -> CoachRecord:
    return session.get(CoachRecord, coach.id) or CoachRecord(coach_id=coach.id or 0, updated_at=now)


def valid_until(coach: Coach, record: CoachRecord | None) -> date | None:
    if coach.kind == CoachKind.INTERNAL:
        return coach.certified_until
    return coach.referenced_until


def is_referenced(record: CoachRecord | None) -> bool:
    """An external coach the matcher may take (no record: referenced by its dates)."""
    return record is None or record.referencing_state not in NOT_REFERENCED


def unreferenced_coaches(session: Session) -> set[int]:
    return set(
        session.exec(
            select(CoachRecord.coach_id).where(
                col(CoachRecord.referencing_state).in_(list(NOT_REFERENCED))
            )
        )
    )


def supervision(session: Session, settings: Settings, coach_id: int, today: date) -> Supervision:
    start = date(today.year, 1, 1)
    hours = session.exec(
        select(func.coalesce(func.sum(SupervisionLog.hours), 0.0)).where(
            SupervisionLog.coach_id == coach_id,
            col(SupervisionLog.day) >= start,
            col(SupervisionLog.day) <= today,
        )
    ).one()
    minimum = settings.supervision_hours_per_year
    expected = round(minimum * ((today - start).days + 1) / 365, 1)
    return Supervision(
        year=today.year,
        hours=round(float(hours), 2),
        minimum=minimum,
        expected_by_now=expected,
        short=float(hours) < expected,
    )


def view(session: Session, settings: Settings, coach: Coach, now: datetime) -> RecordView:
    record = session.get(CoachRecord, coach.id)
    certs = session.exec(
        select(Certification)
        .where(Certification.coach_id == coach.id)
        .order_by(col(Certification.obtained), col(Certification.id))
    )
    until = valid_until(coach, record)
    state = record.referencing_state if record else None
    if coach.kind == CoachKind.EXTERNAL and state is None:
        state = R.referenced
    today = now.date()
    return RecordView(
        coach_id=coach.id or 0,
        kind=coach.kind.value,
        accreditation=record.accreditation if record else None,
        peer_group=record.peer_group if record else None,
        certifications=[CertificationView.model_validate(c, from_attributes=True) for c in certs],
        certified_until=coach.certified_until,
        referencing_state=state if coach.kind == CoachKind.EXTERNAL else None,
        referenced_until=coach.referenced_until,
        valid_until=until,
        lapsed=(until is not None and until < today) or not is_referenced(record),
        supervision=supervision(session, settings, coach.id or 0, today),
    )


def get_record(*, session: Session, settings: Settings, coach_id: int, now: datetime) -> RecordView:
    coach = get_or_404(session, Coach, coach_id, "coach")
    return view(session, settings, coach, now)


def update_record(
    *, session: Session, settings: Settings, coach_id: int, data: RecordIn, now: datetime
) -> RecordView:
    coach = get_or_404(session, Coach, coach_id, "coach")
    record = _record(session, coach, now)
    record.accreditation = (data.accreditation or "").strip() or None
    record.peer_group = (data.peer_group or "").strip() or None
    record.updated_at = now
    session.add(record)
    session.commit()
    return view(session, settings, coach, now)


def _sync_certified_until(session: Session, coach: Coach, now: datetime) -> None:
    rows = session.exec(select(Certification).where(Certification.coach_id == coach.id))
    ends = [row.valid_until for row in rows]
    if not ends:
        return
    coach.certified_until = None if any(e is None for e in ends) else max(e for e in ends if e)
    coach.updated_at = now
    session.add(coach)


def add_certification(
    *, session: Session, settings: Settings, coach_id: int, data: CertificationIn, now: datetime
) -> RecordView:
    coach = get_or_404(session, Coach, coach_id, "coach")
    session.add(Certification(coach_id=coach_id, **data.model_dump(), created_at=now))
    session.flush()
    if coach.kind == CoachKind.INTERNAL:
        _sync_certified_until(session, coach, now)
    session.commit()
    return view(session, settings, coach, now)


def delete_certification(
    *, session: Session, coach_id: int, certification_id: int, now: datetime
) -> None:
    coach = get_or_404(session, Coach, coach_id, "coach")
    row = session.get(Certification, certification_id)
    if row is None or row.coach_id != coach_id:
        raise NotFound(messages.NOT_FOUND.format(what="certification"))
    session.delete(row)
    session.flush()
    if coach.kind == CoachKind.INTERNAL:
        _sync_certified_until(session, coach, now)
    session.commit()


def move_referencing(
    *, session: Session, settings: Settings, coach_id: int, data: ReferencingIn, now: datetime
) -> RecordView:
    coach = get_or_404(session, Coach, coach_id, "coach")
    if coach.kind != CoachKind.EXTERNAL:
        raise Conflict(messages.REFERENCING_INTERNAL, field="coach_id")
    record = _record(session, coach, now)
    allowed, target = MOVES[data.action]
    state = record.referencing_state
    if state not in allowed:
        raise Conflict(
            messages.REFERENCING_STATE.format(
                state=state.value if state else "referenced",
                action=data.action.value,
                allowed=", ".join(s.value if s else "referenced" for s in allowed),
            ),
            field="action",
        )
    if data.action == ReferencingAction.reference:
        if data.until is None:
            raise InvalidInput(messages.REFERENCING_UNTIL, field="until")
        if data.until < now.date():
            raise InvalidInput(messages.MUST_BE_FUTURE, field="until")
        coach.referenced_from = coach.referenced_from or now.date()
        coach.referenced_until = data.until
    if data.action == ReferencingAction.lapse and (
        coach.referenced_until is None or coach.referenced_until >= now.date()
    ):
        coach.referenced_until = now.date() - timedelta(days=1)
    coach.updated_at = now
    record.referencing_state = target
    record.updated_at = now
    session.add_all([coach, record])
    session.commit()
    return view(session, settings, coach, now)


def log_supervision(
    *, session: Session, settings: Settings, coach_id: int, data: SupervisionIn, now: datetime
) -> RecordView:
    coach = get_or_404(session, Coach, coach_id, "coach")
    if data.day > now.date():
        raise InvalidInput(messages.MUST_BE_PAST, field="day")
    session.add(SupervisionLog(coach_id=coach_id, day=data.day, hours=data.hours, created_at=now))
    session.commit()
    return view(session, settings, coach, now)


THRESHOLDS = (7, 30, 60)


def lapse_reminders(*, session: Session, settings: Settings, now: datetime) -> int:
    """Referencings past their end become lapsed; every certification or referencing
    ending within 60, 30 or 7 days is told to the coach and HR, once per threshold (the
    nearest one reached: a job that starts late does not send the earlier ones). Safe to
    run again. Commits; returns the notifications queued."""
    today = now.date()
    queued = 0
    hr = send.hr(session, settings)
    for coach in session.exec(
        select(Coach).where(col(Coach.active).is_(True)).order_by(col(Coach.id))
    ):
        record = session.get(CoachRecord, coach.id)
        until = valid_until(coach, record)
        if coach.kind == CoachKind.EXTERNAL and until is not None and until < today:
            if record is None or record.referencing_state == R.referenced:
                record = record or CoachRecord(coach_id=coach.id or 0, updated_at=now)
                record.referencing_state = R.lapsed
                record.updated_at = now
                session.add(record)
            continue
        if until is None or until < today or not is_referenced(record):
            continue  # nothing ends, or it is over already (the matcher leaves it out)
        days = (until - today).days
        threshold = next((t for t in THRESHOLDS if days <= t), None)
        if threshold is None:
            continue
        what = "certification" if coach.kind == CoachKind.INTERNAL else "referencing"
        event = f"c{coach.id}:{what}:{until.isoformat()}:{threshold}"
        addressee = send.coach(session, coach)
        values = {"date": until, "days": days}
        if addressee is not None:
            queued += send.notify(
                session, settings, addressee, kind=NotificationKind.lapse, event=event,
                texts="lapse.coach", now=now, link=f"{settings.base_url}/coach/record",
                what=_what(addressee.language, what), fields=values,
            )  # fmt: skip
        for person in hr:
            queued += send.notify(
                session, settings, person, kind=NotificationKind.lapse, event=event,
                texts="lapse.hr", now=now, link=f"{settings.base_url}/hr/coaches/{coach.id}/record",
                what=_what(person.language, what), coach=coach.name or "", fields=values,
            )  # fmt: skip
    session.commit()
    return queued


def _what(language: str, what: str) -> str:
    from api.notifications.texts import text

    return text(language, f"what.{what}")
