"""The data inventory: for every table of the service, the rows about a person (or why
there are none), what they are for, how long they are kept, and the columns an export
never carries (secrets) or carries only to the person themselves.

`tests/api/test_api_data_rights.py` holds every table of `SQLModel.metadata` to this
list, so a new table needs a decision here; README's data inventory says the same in
words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, false, or_
from sqlmodel import Session, SQLModel, col, select

import api.models  # noqa: F401 - fills the metadata
from api.models import (
    Coach,
    CoachingRequest,
    ContractVersion,
    Engagement,
    Person,
    RequestParticipant,
    SessionAttendance,
    User,
)


@dataclass
class Scope:
    """A person and what hangs from them: accounts, coach record, requests, engagements."""

    person_id: int
    user_ids: list[int]
    coach_id: int | None
    emails: list[str]
    coachee_requests: list[int]
    requests: list[int]  # as coachee, sponsor or participant
    engagements: list[int]  # of those requests, or coached
    coachee_engagements: list[int]
    sessions: list[int]  # attended
    contracts: list[int]  # contract versions of the engagements
    roles: dict[int, str]  # engagement -> the person's part in it (coach | coachee | sponsor)

    @property
    def attendee(self) -> str:
        return f"p{self.person_id}"


def _ids(values: Iterable[Any]) -> list[int]:
    return [int(v) for v in values if v is not None]


def scope_of(session: Session, person: Person) -> Scope:
    assert person.id is not None
    pid = person.id
    users = list(session.exec(select(User).where(User.person_id == pid)))
    coach = session.exec(select(Coach).where(Coach.person_id == pid)).first()
    if coach is not None:
        known = {u.id for u in users}
        users += [
            u
            for u in session.exec(select(User).where(User.coach_id == coach.id))
            if u.id not in known
        ]
    emails = sorted({person.email.lower(), *(u.email.lower() for u in users)})
    coachee = _ids(
        session.exec(select(CoachingRequest.id).where(CoachingRequest.coachee_id == pid))
    )
    sponsor = _ids(
        session.exec(select(CoachingRequest.id).where(CoachingRequest.sponsor_id == pid))
    )
    member = _ids(
        session.exec(
            select(RequestParticipant.request_id).where(RequestParticipant.person_id == pid)
        )
    )
    requests = sorted({*coachee, *sponsor, *member})
    roles: dict[int, str] = {}
    coached = col(Engagement.coach_id) == (coach.id if coach else -1)
    for eid, rid, cid in session.exec(
        select(Engagement.id, Engagement.request_id, Engagement.coach_id).where(
            or_(col(Engagement.request_id).in_(requests), coached)
        )
    ):
        if eid is None:
            continue
        if coach is not None and cid == coach.id:
            roles[eid] = "coach"
        elif rid in coachee:
            roles[eid] = "coachee"
        elif rid in sponsor:
            roles[eid] = "sponsor"
        else:
            roles[eid] = "member"
    engagements = sorted(roles)
    sessions = _ids(
        session.exec(
            select(SessionAttendance.session_id).where(SessionAttendance.attendee == f"p{pid}")
        )
    )
    contracts = _ids(
        session.exec(
            select(ContractVersion.id).where(col(ContractVersion.engagement_id).in_(engagements))
        )
    )
    return Scope(
        person_id=pid,
        user_ids=[u.id for u in users if u.id is not None],
        coach_id=coach.id if coach else None,
        emails=emails,
        coachee_requests=coachee,
        requests=requests,
        engagements=engagements,
        coachee_engagements=[e for e, r in roles.items() if r == "coachee"],
        sessions=sorted(set(sessions)),
        contracts=contracts,
        roles=roles,
    )


Where = Callable[[Table, Scope], ColumnElement[bool]]


def _in(column: str, attr: str) -> Where:
    return lambda t, s: t.c[column].in_(getattr(s, attr))


def _eq(column: str, attr: str) -> Where:
    def where(t: Table, s: Scope) -> ColumnElement[bool]:
        value = getattr(s, attr)
        return t.c[column] == value if value is not None else false()

    return where


def _any(*wheres: Where) -> Where:
    return lambda t, s: or_(*(w(t, s) for w in wheres))


@dataclass(frozen=True)
class Holding:
    """What one table holds about a person."""

    where: Where | None  # None: nothing about any one person (reason in `why_not`)
    purpose: str
    kept: str
    seen_by: str
    secret: frozenset[str] = frozenset()  # never exported (hashes, tokens, raw mail)
    own_only: frozenset[str] = frozenset()  # only in the person's own export
    # the rows themselves (their number included) are only in the person's own export
    own_rows: bool = False
    # The coachee's own words: only in the coachee's own export (api.privacy.export).
    confidential: frozenset[str] = frozenset()
    why_not: str = ""


SECRET_TOKEN = frozenset({"token_hash"})

# fmt: off
INVENTORY: dict[str, Holding] = {
    "person": Holding(
        _eq("id", "person_id"), "the org chart: name, email, manager, unit, site, zone, "
        "language (neutrality, matching, invites)", "while employed; erased on request",
        "HR; the person's own parties see the name"),
    "person_window": Holding(
        _eq("person_id", "person_id"), "when a coachee or sponsor can meet",
        "until changed", "the person; the planner"),
    "person_exception": Holding(
        _eq("person_id", "person_id"), "time away (leave) so no session is planned then",
        "until changed", "the person; the planner", own_only=frozenset({"reason"})),
    "app_user": Holding(
        _in("id", "user_ids"), "accounts: sign-in, role, language", "until deactivated; "
        "pseudonymised on erasure", "HR (no password)", secret=frozenset({"password_hash"})),
    "invitation": Holding(
        _in("user_id", "user_ids"), "one-time sign-up links", "until used or revoked",
        "nobody (hash only)", secret=SECRET_TOKEN),
    "login_session": Holding(
        _in("user_id", "user_ids"), "signed-in sessions", "until they expire (12 h)",
        "nobody (hash only)", secret=SECRET_TOKEN),
    "login_throttle": Holding(
        lambda t, s: and_(t.c.scope == "account", t.c.key.in_(s.emails)),
        "failed sign-ins counted per address", "one hour after the last failure",
        "nobody"),
    "feed_token": Holding(
        _in("user_id", "user_ids"), "the private calendar feed URL (its hash)",
        "until revoked", "nobody (hash only)", secret=SECRET_TOKEN),
    "notification_settings": Holding(
        _in("user_id", "user_ids"), "which optional notifications the person receives",
        "with the account", "the person"),
    "coach": Holding(
        _eq("id", "coach_id"), "the coach's offer: languages, themes, capacity, room",
        "while coaching; deactivated on erasure", "HR, the coachees (name)"),
    "coach_photo": Holding(
        _eq("coach_id", "coach_id"), "the coach's optional photo, on the coachees' choice cards",
        "until the coach removes it; deleted on erasure",
        "HR, the coach, the coachees the coach is proposed to",
        secret=frozenset({"data"})),  # the image itself: GET /coaches/{id}/photo serves it
    "weekly_window": Holding(
        _eq("coach_id", "coach_id"), "a coach's weekly availability", "until changed",
        "the coach, HR (free hours), the planner"),
    "availability_exception": Holding(
        _eq("coach_id", "coach_id"), "a coach's time away", "until changed",
        "the coach, the planner", own_only=frozenset({"reason"})),
    "extra_window": Holding(
        _eq("coach_id", "coach_id"), "a coach's one-off availability", "until changed",
        "the coach, the planner"),
    "busy_calendar": Holding(
        _eq("coach_id", "coach_id"), "a coach's uploaded calendar (busy times)",
        "until replaced", "the coach", own_only=frozenset({"content", "filename"})),
    "busy_interval": Holding(
        _eq("coach_id", "coach_id"), "busy times read from the coach's calendar",
        "until the calendar changes", "the planner"),
    "calendar_subscription": Holding(
        _eq("coach_id", "coach_id"), "the coach's own calendar, read for busy times",
        "until removed", "the coach (host only)",
        secret=frozenset({"url", "username", "password", "etag", "last_modified"}),
        own_only=frozenset({"content"})),
    "certification": Holding(
        _eq("coach_id", "coach_id"), "the coach's certifications", "while coaching",
        "HR, the coach"),
    "supervision_log": Holding(
        _eq("coach_id", "coach_id"), "the coach's supervision hours", "while coaching",
        "HR (totals), the coach"),
    "coach_record": Holding(
        _eq("coach_id", "coach_id"), "accreditation, peer group, referencing",
        "while coaching", "HR, the coach"),
    "coach_evaluation_tally": Holding(
        _eq("coach_id", "coach_id"), "a coach's evaluation sums (k at a time)",
        "while coaching", "the coach (from k answers)"),
    "conflict": Holding(
        _any(_eq("person_id", "person_id"), _eq("coach_id", "coach_id")),
        "declared conflicts of interest (neutrality)", "until HR removes them", "HR"),
    "pair_adjustment": Holding(
        _any(_in("request_id", "coachee_requests"), _eq("coach_id", "coach_id")),
        "HR's bonus or ban for a (request, coach) pair", "with the request", "HR"),
    "coaching_request": Holding(
        _in("id", "requests"), "the request: kind, themes, sessions, priority, and the "
        "coachee's brief", "pseudonymised N years after its engagements end "
        "(COACHMATCH_RETENTION_YEARS)", "HR (no brief); the brief: the coachee and the "
        "coach", confidential=frozenset({"description", "objectives"})),
    "request_participant": Holding(
        _eq("person_id", "person_id"), "the other members of a team coaching or mediation",
        "with the request", "HR, the parties"),
    "proposal": Holding(
        _any(_in("request_id", "coachee_requests"), _eq("coach_id", "coach_id")),
        "the coaches a round proposed, with the score's reasons", "with the request", "HR, "
        "the coachee (their choice); HR's reason for a rejection: HR only",
        # HR's free text about a coach turned down: shown on HR's pages only, so never
        # exported (neither to the coachee nor to the coach); erased with the person and
        # when the request is pseudonymised.
        secret=frozenset({"reject_reason"})),
    "chemistry_call": Holding(
        _any(_eq("coachee_id", "person_id"), _eq("coach_id", "coach_id")),
        "the short calls a coachee booked with a proposed coach before choosing: times, "
        "state", "with the proposal; future calls cancelled on erasure",
        "the coachee and the coach (their invites, the coach's list); HR's list (names, "
        "times, state)"),
    "engagement": Holding(
        _in("id", "engagements"), "the engagement's state and its end",
        "with the request", "HR, the three parties"),
    "coaching_session": Holding(
        _in("id", "sessions"), "the sessions attended: times, states", "with the request",
        "HR (dates and states), the attendees"),
    "session_attendance": Holding(
        lambda t, s: t.c.attendee == s.attendee, "who attends each session, and their "
        "answer to the invite", "with the session", "the coach, the attendee"),
    "contract_version": Holding(
        _in("id", "contracts"), "the tripartite contract: objectives and frame",
        "with the request", "the three parties (objectives never to HR)",
        confidential=frozenset({"objectives"})),
    "contract_acknowledgement": Holding(
        _in("contract_id", "contracts"), "who acknowledged which version, when",
        "with the contract", "HR, the three parties"),
    "evaluation_invitation": Holding(
        _eq("person_id", "person_id"), "an open evaluation (deleted once answered)",
        "until answered or expired", "the respondent"),
    "reschedule_request": Holding(
        lambda t, s: t.c.attendee == s.attendee, "a new time proposed from a calendar reply",
        "with the session", "the coach"),
    "inbound_reply": Holding(
        lambda t, s: t.c.attendee_email.in_(s.emails), "replies to the invites (accept, "
        "decline, counter)", "with the session", "HR (outcome only)",
        secret=frozenset({"raw", "message_key"})),
    "outbox_message": Holding(
        lambda t, s: t.c.recipient.in_(s.emails), "mail sent to the person (invites, "
        "notifications)", "with the session or the account", "HR (subject and status)",
        secret=frozenset({"raw_mime"})),
    "testimonial_given": Holding(
        _in("engagement_id", "coachee_engagements"), "that an engagement gave its one "
        "testimonial (never which text)", "with the engagement", "the coachee",
        own_rows=True),
    "engagement_theme": Holding(
        lambda t, s: t.c.engagement_id.in_(
            s.coachee_engagements + [e for e, r in s.roles.items() if r == "coach"]),
        "the themes the coach sees in an engagement (weak signals, from HR's list)",
        "with the engagement", "the coach; HR only as the theme report (groups of k)",
        own_rows=True),
    "audit_log": Holding(
        _any(_in("actor_user_id", "user_ids"), _eq("subject_person_id", "person_id")),
        "who read confidential data or changed what (ids and column names only)",
        "for the programme's life (append-only)", "HR; the person (reads of their data)"),
    # Nothing about any one person:
    "audit_head": Holding(None, "the audit chain's head", "", "", why_not="one row: a hash"),
    "matching_round": Holding(
        None, "", "", "", why_not="a round of the whole programme (ids and scores)"),
    "round_lock": Holding(None, "", "", "", why_not="one row: the rounds' version"),
    "site": Holding(None, "", "", "", why_not="a site's address and place"),
    "site_travel": Holding(None, "", "", "", why_not="travel minutes between two sites"),
    "testimonial": Holding(
        None, "", "", "", why_not="testimonials keep no link to their author, engagement "
        "or coach"),
    "theme": Holding(None, "", "", "", why_not="HR's list of themes"),
    "synthesis_note": Holding(
        None, "", "", "", why_not="the coaches' team's note on groups of at least k"),
    "pending_evaluation": Holding(
        None, "", "", "", why_not="evaluation answers keep no link to their author"),
    "evaluation_answer": Holding(
        None, "", "", "", why_not="evaluation answers keep no link to their author"),
}
# fmt: on


def tables() -> dict[str, Table]:
    return {t.name: t for t in SQLModel.metadata.sorted_tables}
