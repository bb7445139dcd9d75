"""The engagement's lifecycle, declared once: which action each state allows, and the
moves the sessions' outcomes make by themselves (README: "Engagement lifecycle").

    proposed ──(three acknowledgements)──► contracted ──(a session held)──► in_progress
    in_progress ──(half the sessions over; policy)──► midway_review ──(review)──► in_progress
    in_progress / midway_review ──(every session over)──► closing ──(final review)──► completed
    any live state ──(end, with a reason code)──► ended_early
    contracted / in_progress / midway_review ──(hold)──► on_hold ──(resume)──► where it was
    any live state or flagged ──(HR reassigns)──► reassigned (a new engagement goes on)
    live ──(org change breaks neutrality)──► flagged ──(HR keeps it)──► where it was

A refused action is a 409 naming the state (`field: "state"`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, select

from api import messages
from api.errors import Conflict
from api.models import CoachingSession, Engagement
from api.models.enums import EngagementStatus as S
from api.models.enums import SessionStatus


class Action(StrEnum):
    acknowledge = "acknowledge"
    contract = "contract"
    end = "end"
    hold = "hold"
    resume = "resume"
    review = "review"
    close = "close"
    reassign = "reassign"
    coach_change = "coach_change"
    clear_flag = "clear_flag"
    sessions = "sessions"  # move or cancel a session


# Working states: the sessions go on.
RUNNING = (S.proposed, S.contracted, S.in_progress, S.midway_review)
LIVE = (*RUNNING, S.closing, S.on_hold)

ALLOWED: dict[Action, tuple[S, ...]] = {
    Action.acknowledge: LIVE,
    Action.contract: (*RUNNING, S.on_hold),
    Action.end: (*LIVE, S.flagged),
    Action.hold: (S.proposed, S.contracted, S.in_progress, S.midway_review),
    Action.resume: (S.on_hold,),
    Action.review: (S.midway_review,),
    Action.close: (S.closing,),
    Action.reassign: (*LIVE, S.flagged),
    Action.coach_change: (*RUNNING, S.on_hold, S.flagged),
    Action.clear_flag: (S.flagged,),
    Action.sessions: (*RUNNING, S.closing),
}

FINAL_SESSION = (SessionStatus.held, SessionStatus.no_show, SessionStatus.cancelled)


def require(engagement: Engagement, action: Action) -> None:
    """409 naming the engagement's state when it does not allow `action`."""
    allowed = ALLOWED[action]
    if engagement.status not in allowed:
        raise Conflict(
            messages.ENGAGEMENT_STATE.format(
                state=engagement.status.value,
                action=action.value,
                allowed=", ".join(s.value for s in allowed),
            ),
            field="state",
        )


def move(engagement: Engagement, state: S, now: datetime) -> None:
    engagement.status = state
    engagement.updated_at = now


def holds_capacity(engagement: Engagement) -> bool:
    """Whether the engagement takes one of its coach's seats (a hold may release it)."""
    if engagement.status == S.on_hold:
        return engagement.hold_keeps_capacity
    return engagement.status in (*LIVE, S.flagged)


def session_states(session: Session, engagement_id: int) -> list[SessionStatus]:
    rows = session.exec(
        select(CoachingSession).where(CoachingSession.engagement_id == engagement_id)
    )
    return [row.status for row in rows]


def settle(session: Session, engagement: Engagement, now: datetime, *, midway: bool) -> None:
    """The moves the sessions make: a held session starts the work once contracted; half
    the sessions over opens the mid-way review (`midway`: the programme's policy); every
    session over opens the closing review. The caller commits."""
    if engagement.status not in RUNNING or engagement.id is None:
        return
    states = session_states(session, engagement.id)
    counted = [s for s in states if s != SessionStatus.cancelled]
    over = [s for s in counted if s in FINAL_SESSION]
    state = engagement.status
    if state == S.contracted and SessionStatus.held in states:
        state = S.in_progress
    if (
        state == S.in_progress
        and midway
        and engagement.midway_review_at is None
        and counted
        and 2 * len(over) >= len(counted)
        and len(over) < len(counted)
    ):
        state = S.midway_review
    if states and all(s in FINAL_SESSION for s in states):
        state = S.closing
    if state != engagement.status:
        move(engagement, state, now)
        session.add(engagement)
