"""Closed vocabularies, stored as short strings (no native DB enums: easier migrations)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sqlalchemy as sa

# The matcher's vocabularies are the service's: a request's type and modality and a
# coach's kind mean the same in the database, the API and the solver.
from matcher.problem import CoachKind, Modality, RequestType

__all__ = ["CoachKind", "Modality", "RequestType"]


class Role(StrEnum):
    hr = "hr"
    coach = "coach"
    coachee = "coachee"
    sponsor = "sponsor"


# A request may be remote, on site or either ("any"); a coach offers remote and/or on site.
COACH_MODALITIES = (Modality.REMOTE.value, Modality.ONSITE.value)


class RequestStatus(StrEnum):
    open = "open"
    proposed = "proposed"
    matched = "matched"
    closed = "closed"
    cancelled = "cancelled"


class AdjustmentKind(StrEnum):
    bonus = "bonus"
    forbid = "forbid"


class RoundStatus(StrEnum):
    preview = "preview"
    committed = "committed"
    failed = "failed"


class ProposalStatus(StrEnum):
    proposed = "proposed"
    accepted = "accepted"
    rejected = "rejected"
    superseded = "superseded"


class EngagementStatus(StrEnum):
    confirmed = "confirmed"
    active = "active"
    completed = "completed"
    stopped = "stopped"
    flagged = "flagged"


# Engagements that still bind a coach to a coachee (the neutrality rules apply).
LIVE_ENGAGEMENT = (EngagementStatus.confirmed, EngagementStatus.active)


class SessionStatus(StrEnum):
    planned = "planned"
    held = "held"
    cancelled = "cancelled"
    no_show = "no_show"


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"


def enum_type(enum: type[StrEnum]) -> Any:
    """A VARCHAR column holding the enum's values."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )
