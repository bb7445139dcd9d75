"""Closed vocabularies, stored as short strings (no native DB enums: easier migrations)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sqlalchemy as sa


class Role(StrEnum):
    hr = "hr"
    coach = "coach"
    coachee = "coachee"
    sponsor = "sponsor"


class CoachKind(StrEnum):
    internal = "internal"
    external = "external"


class Modality(StrEnum):
    in_person = "in_person"
    remote = "remote"


class RequestModality(StrEnum):
    in_person = "in_person"
    remote = "remote"
    any = "any"


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
