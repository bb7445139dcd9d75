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
    """A round is a job: queued, then running (with progress), then done, failed or
    cancelled. A done round is a preview (shown, nothing stored) until it is committed."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


class RoundKind(StrEnum):
    preview = "preview"  # solve and show; commit later, as shown
    commit = "commit"  # solve and store at once


class ProposalStatus(StrEnum):
    proposed = "proposed"
    accepted = "accepted"
    rejected = "rejected"
    superseded = "superseded"


class EngagementStatus(StrEnum):
    """An engagement's lifecycle (README: "Engagement lifecycle"; the transitions are
    declared once, in `api.engagements.lifecycle`)."""

    proposed = "proposed"  # confirmed; the contract awaits the three acknowledgements
    contracted = "contracted"  # the three parties acknowledged the current contract
    in_progress = "in_progress"  # a session was held under the contract
    midway_review = "midway_review"  # half the sessions are over: the tripartite review
    closing = "closing"  # every session is over: the final tripartite review
    completed = "completed"
    ended_early = "ended_early"  # by a party, with a reason code
    on_hold = "on_hold"  # sessions suspended (capacity kept or released)
    reassigned = "reassigned"  # HR gave the coachee another coach (a new engagement)
    flagged = "flagged"  # an org change broke neutrality: HR reassigns, ends or keeps it


# Engagements that still bind a coach to a coachee (the neutrality rules apply).
LIVE_ENGAGEMENT = (
    EngagementStatus.proposed,
    EngagementStatus.contracted,
    EngagementStatus.in_progress,
    EngagementStatus.midway_review,
    EngagementStatus.closing,
    EngagementStatus.on_hold,
)
# Engagements that are over: their coach and coachee count as history.
PAST_ENGAGEMENT = (
    EngagementStatus.completed,
    EngagementStatus.ended_early,
    EngagementStatus.reassigned,
)


class EndReason(StrEnum):
    """Why an engagement ended early: a short list, never free text (HR reads it)."""

    objectives_reached = "objectives_reached"
    coachee_request = "coachee_request"
    sponsor_request = "sponsor_request"
    coach_request = "coach_request"
    role_change = "role_change"  # the coachee changed job or left
    availability = "availability"
    no_fit = "no_fit"  # the coaching relationship did not work
    neutrality = "neutrality"  # an org change put the coach in a reporting line
    other = "other"


class ReferencingState(StrEnum):
    """An external coach's referencing: proposed -> under review -> referenced until a
    date -> lapsed (and under review again for a renewal)."""

    proposed = "proposed"
    under_review = "under_review"
    referenced = "referenced"
    lapsed = "lapsed"


class NotificationKind(StrEnum):
    """What the service mails besides the invites; `OPTIONAL_NOTIFICATIONS` can be
    turned off by each person."""

    proposals = "proposals"  # a coachee has coaches to choose from
    new_engagement = "new_engagement"  # a coach has a new engagement
    contract = "contract"  # a contract version awaits your acknowledgement
    reminder = "reminder"  # a session is soon
    evaluation = "evaluation"  # an evaluation is open
    lapse = "lapse"  # a certification or referencing lapses soon
    digest = "digest"  # HR's weekly digest (counts only)
    coach_change = "coach_change"  # a coachee asks HR for another coach
    engagement_change = "engagement_change"  # ended, on hold, resumed, reassigned


OPTIONAL_NOTIFICATIONS = (
    NotificationKind.proposals,
    NotificationKind.new_engagement,
    NotificationKind.reminder,
    NotificationKind.evaluation,
    NotificationKind.digest,
)


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
