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

from api.models.accounts import FeedToken, Invitation, LoginSession, LoginThrottle, User
from api.models.audit import AuditEntry, AuditHead
from api.models.availability import (
    AvailabilityException,
    BusyCalendar,
    BusyInterval,
    ExtraWindow,
    WeeklyWindow,
)
from api.models.calendars import CalendarSubscription
from api.models.chemistry import ChemistryCall
from api.models.coaches import Coach, CoachPhoto
from api.models.conflicts import Conflict, PairAdjustment
from api.models.contracts import ContractAcknowledgement, ContractVersion
from api.models.engagements import CoachingSession, Engagement, SessionAttendance
from api.models.evaluations import (
    CoachEvaluationTally,
    EvaluationAnswer,
    EvaluationInvitation,
    PendingEvaluation,
)
from api.models.notifications import NotificationSettings
from api.models.outbox import OutboxMessage
from api.models.participants import RequestParticipant
from api.models.people import Person
from api.models.person_windows import PersonException, PersonWindow
from api.models.records import Certification, CoachRecord, SupervisionLog
from api.models.replies import InboundReply, RescheduleRequest
from api.models.requests import CoachingRequest
from api.models.rounds import MatchingRound, Proposal, RoundLock
from api.models.sites import Site, SiteTravel
from api.models.testimonials import Testimonial, TestimonialGiven
from api.models.themes import EngagementTheme, SynthesisNote, Theme

__all__ = [
    "AuditEntry",
    "AuditHead",
    "AvailabilityException",
    "BusyCalendar",
    "BusyInterval",
    "CalendarSubscription",
    "Certification",
    "ChemistryCall",
    "Coach",
    "CoachEvaluationTally",
    "CoachPhoto",
    "CoachRecord",
    "CoachingRequest",
    "CoachingSession",
    "Conflict",
    "ContractAcknowledgement",
    "ContractVersion",
    "Engagement",
    "EngagementTheme",
    "EvaluationAnswer",
    "EvaluationInvitation",
    "ExtraWindow",
    "FeedToken",
    "InboundReply",
    "Invitation",
    "LoginSession",
    "LoginThrottle",
    "MatchingRound",
    "NotificationSettings",
    "OutboxMessage",
    "PairAdjustment",
    "PendingEvaluation",
    "Person",
    "PersonException",
    "PersonWindow",
    "Proposal",
    "RequestParticipant",
    "RescheduleRequest",
    "RoundLock",
    "SessionAttendance",
    "Site",
    "SiteTravel",
    "SupervisionLog",
    "SynthesisNote",
    "Testimonial",
    "TestimonialGiven",
    "Theme",
    "User",
    "WeeklyWindow",
]
