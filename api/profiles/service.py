"""Coach profiles: the bio the coach writes, the photo they upload (checked by its magic
bytes and size: the project has no image library to re-encode it) and who may see it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from api import messages
from api.errors import Forbidden, InvalidInput, NotFound
from api.models import (
    Certification,
    Coach,
    CoachingRequest,
    CoachPhoto,
    CoachRecord,
    Proposal,
    User,
)
from api.models.enums import ProposalStatus, Role

PHOTO_MAX_BYTES = 1_000_000
PHOTO_FIELD = "photo"


@dataclass(frozen=True)
class Credential:
    body: str
    level: str
    valid_until: date | None


@dataclass(frozen=True)
class Credentials:
    certifications: tuple[Credential, ...]
    accreditation: str | None


def credentials(
    session: Session, coach_ids: Iterable[int], *, today: date
) -> dict[int, Credentials]:
    """Coach id → the certifications still valid `today` (no end, or ending today or
    later) and the accreditation, from the professional record."""
    ids = sorted(set(coach_ids))
    certs: dict[int, list[Credential]] = {i: [] for i in ids}
    rows = session.exec(
        select(Certification)
        .where(col(Certification.coach_id).in_(ids))
        .order_by(col(Certification.obtained).desc(), col(Certification.id))
    )
    for c in rows:
        if c.valid_until is None or c.valid_until >= today:
            certs[c.coach_id].append(Credential(c.body, c.level, c.valid_until))
    records = {
        r.coach_id: r.accreditation
        for r in session.exec(select(CoachRecord).where(col(CoachRecord.coach_id).in_(ids)))
    }
    return {i: Credentials(tuple(certs[i]), records.get(i)) for i in ids}


def with_photo(session: Session, coach_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(coach_ids))
    return set(session.exec(select(CoachPhoto.coach_id).where(col(CoachPhoto.coach_id).in_(ids))))


def set_bio(*, session: Session, coach: Coach, bio: str | None, now: datetime) -> Coach:
    coach.bio = bio
    coach.updated_at = now
    session.add(coach)
    session.commit()
    session.refresh(coach)
    return coach


# The first bytes of each accepted image format.
def photo_type(data: bytes) -> str:
    """The content type of an accepted photo, else 422 naming the field."""
    if len(data) > PHOTO_MAX_BYTES:
        raise InvalidInput(
            messages.TOO_LARGE.format(what="the photo", limit=PHOTO_MAX_BYTES), field=PHOTO_FIELD
        )
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise InvalidInput(messages.PHOTO_NOT_IMAGE, field=PHOTO_FIELD)


def set_photo(*, session: Session, coach: Coach, data: bytes, now: datetime) -> CoachPhoto:
    kind = photo_type(data)
    assert coach.id is not None
    photo = session.get(CoachPhoto, coach.id) or CoachPhoto(
        coach_id=coach.id, content_type=kind, data=data, updated_at=now
    )
    photo.content_type, photo.data, photo.updated_at = kind, data, now
    session.add(photo)
    session.commit()
    return photo


def delete_photo(*, session: Session, coach: Coach) -> None:
    photo = session.get(CoachPhoto, coach.id)
    if photo is not None:
        session.delete(photo)
        session.commit()


def may_see(session: Session, user: User, coach_id: int) -> bool:
    """HR, the coach themselves, and a coachee to whom the coach is proposed now."""
    if user.role == Role.hr:
        return True
    if user.role == Role.coach:
        return user.coach_id == coach_id
    if user.role != Role.coachee or user.person_id is None:
        return False
    found = session.exec(
        select(Proposal.id)
        .join(CoachingRequest, col(CoachingRequest.id) == Proposal.request_id)
        .where(
            Proposal.coach_id == coach_id,
            Proposal.status == ProposalStatus.proposed,
            CoachingRequest.coachee_id == user.person_id,
        )
        .limit(1)
    ).first()
    return found is not None


def photo_for(*, session: Session, user: User, coach_id: int) -> CoachPhoto:
    """The coach's photo for someone who may see the coach (403 otherwise, 404 when none)."""
    if not may_see(session, user, coach_id):
        raise Forbidden(messages.FORBIDDEN)
    photo = session.get(CoachPhoto, coach_id)
    if photo is None:
        raise NotFound(messages.NOT_FOUND.format(what="photo"))
    return photo
