"""Every table of the service. Importing this package fills `SQLModel.metadata`."""

from sqlmodel import SQLModel

# Named constraints, so later migrations can drop or alter them on SQLite too.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# ruff: noqa: E402 - the convention must be set before the tables are declared

from api.models.accounts import FeedToken, Invitation, LoginAttempt, LoginSession, User
from api.models.availability import (
    AvailabilityException,
    BusyCalendar,
    BusyInterval,
    ExtraWindow,
    WeeklyWindow,
)
from api.models.coaches import Coach
from api.models.conflicts import Conflict, PairAdjustment
from api.models.engagements import CoachingSession, Engagement
from api.models.outbox import OutboxMessage
from api.models.people import Person
from api.models.person_windows import PersonException, PersonWindow
from api.models.requests import CoachingRequest
from api.models.rounds import MatchingRound, Proposal

__all__ = [
    "AvailabilityException",
    "BusyCalendar",
    "BusyInterval",
    "Coach",
    "CoachingRequest",
    "CoachingSession",
    "Conflict",
    "Engagement",
    "ExtraWindow",
    "FeedToken",
    "Invitation",
    "LoginAttempt",
    "LoginSession",
    "MatchingRound",
    "OutboxMessage",
    "PairAdjustment",
    "Person",
    "PersonException",
    "PersonWindow",
    "Proposal",
    "User",
    "WeeklyWindow",
]
