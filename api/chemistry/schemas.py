"""What the coachee sends and reads about a chemistry call."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from api.models.chemistry import CallState
from api.validation import UTCDatetime


class CallIn(BaseModel):
    start_at: UTCDatetime


class CallPublic(BaseModel):
    """The call's times and state: nothing of the request."""

    id: int
    proposal_id: int
    coach_id: int
    start_at: datetime
    end_at: datetime
    state: CallState


class CallOffer(BaseModel):
    proposal_id: int
    minutes: int
    call: CallPublic | None
    starts: list[datetime]
