"""Authorization matrix: every endpoint x every role (and anonymous).

The expectations below are written by hand, one per endpoint; the first test fails when
the app has an endpoint missing from this table, so a new endpoint cannot be forgotten.
Allowed roles get 2xx on their own rows and 404 on other people's; other roles get 403;
anonymous callers get 401 (except on public endpoints).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_support import ICS, PASSWORD, ROLES, build_world, now_of
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from lifecycle_support import add_lifecycle, contract_body
from world_extras import add_calendar, add_reschedule_requests

from api.app import create_app
from api.models import CoachPhoto
from api.settings import Settings

HR, COACH, COACHEE, SPONSOR = ROLES
ALL = frozenset(ROLES)
PUBLIC = "public"

Body = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Spec:
    roles: frozenset[str] | str
    ok: int = 200
    path: dict[str, str] = field(default_factory=dict)  # path parameter -> world key
    body: Body | None = None
    files: Body | None = None
    params: dict[str, str] | None = None
    # role -> path parameters naming someone else's row: expect 404
    foreign: dict[str, dict[str, str]] = field(default_factory=dict)
    # changes the world before the calls (world, db session)
    prepare: Callable[[dict[str, Any], Any], None] | None = None
    # role -> path parameters naming the role's own row, when each role has its own
    mine: dict[str, dict[str, str]] = field(default_factory=dict)


PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(32)  # the magic bytes are what the upload checks


def _photo(world: dict[str, Any], db: Any) -> None:
    """The coach's photo, for the pages that serve it."""
    if db.get(CoachPhoto, world["coach"]) is None:
        db.add(
            CoachPhoto(
                coach_id=world["coach"], content_type="image/png", data=PHOTO, updated_at=now_of(db)
            )
        )
        db.commit()


def _csv(world: dict[str, Any]) -> dict[str, Any]:
    text = (
        "id,name,email,manager_id,unit,site,timezone,language\nZ1,Zed,z@example.org,,U,S,UTC,en\n"
    )
    return {"file": ("org.csv", text.encode(), "text/csv")}


_n = iter(range(10_000))


def _session_started(world: dict[str, Any], db: Any) -> None:
    """Outcomes are for sessions that have started: move the coach's session to the past."""
    from datetime import timedelta

    from api_support import START

    from api.models import CoachingSession

    row = db.get(CoachingSession, world["session"])
    row.start_at, row.end_at = START - timedelta(hours=3), START - timedelta(hours=2)
    db.add(row)
    db.commit()


def _chemistry_call(world: dict[str, Any], db: Any) -> None:
    """A chemistry call booked for the coachee's second proposal, tomorrow."""
    from datetime import timedelta

    from api_support import START

    from api.models import CoachingRequest, Proposal
    from api.models.chemistry import ChemistryCall

    proposal = db.get(Proposal, world["proposal2"])
    request = db.get(CoachingRequest, proposal.request_id)
    start = START + timedelta(days=1)
    db.add(
        ChemistryCall(
            proposal_id=proposal.id, coach_id=proposal.coach_id, coachee_id=request.coachee_id,
            start_at=start, end_at=start + timedelta(minutes=20), uid="chemistry-test@x",
            created_at=START,
        )
    )  # fmt: skip
    db.commit()


def _reset_links(world: dict[str, Any], db: Any) -> None:
    """Password reset links of the HR account (each public call uses one up)."""
    from datetime import timedelta

    from api_support import START

    from api.models import Invitation
    from api.security import hash_token

    world["reset_tokens"] = [f"reset-token-{i}-" + "z" * 20 for i in range(2)]
    for token in world["reset_tokens"]:
        db.add(
            Invitation(
                user_id=world["users"][HR].id,
                purpose="reset",
                token_hash=hash_token(token),
                created_at=START,
                expires_at=START + timedelta(hours=1),
            )
        )
    db.commit()


def _weak_signals(world: dict[str, Any], db: Any) -> None:
    """A theme, a testimonial to review, a published note, and an engagement of the
    coachee's that is over (issue 12 items 3-4)."""
    from api_support import START, add_engagement, add_request

    from api.models import Coach, Person, SynthesisNote, Testimonial, Theme
    from api.models.enums import EngagementStatus, RequestStatus

    if "theme" in world:
        return
    theme = Theme(code="workload", label_en="Workload", label_fr="Charge", created_at=START)
    unused = Theme(code="unused", label_en="Unused", label_fr="Inutilisé", created_at=START)
    note = SynthesisNote(
        title="Q4",
        period_start=START.date().replace(year=2025, month=1, day=1),
        period_end=START.date().replace(year=2025, month=12, day=31),
        body="Nothing to report.",
        published=True,
        created_at=START,
        updated_at=START,
    )
    testimonial = Testimonial(id="ab" * 16, text="Useful.", stage="review")
    db.add_all([theme, unused, note, testimonial])
    coachee = db.get(Person, world["people"]["coachee"])
    over = add_engagement(
        db,
        add_request(db, coachee, status=RequestStatus.closed),
        db.get(Coach, world["coach"]),
        status=EngagementStatus.completed,
    )
    db.commit()
    world.update(theme=unused.id, note=note.id, testimonial=testimonial.id, engagement_over=over.id)


def _two_sites(world: dict[str, Any], db: Any) -> None:
    """A second site (addressed), so there is a pair to travel between."""
    from api_support import START

    from api.models import Site

    if "site_b" not in world:
        db.add(Site(name="Lyon", address="1 rue de la République, Lyon", updated_at=START))
        db.commit()
    world.update(site_a="Paris", site_b="Lyon")


SPEC: dict[tuple[str, str], Spec] = {
    ("GET", "/health"): Spec(PUBLIC),
    ("GET", "/ready"): Spec(PUBLIC),
    ("GET", "/metrics"): Spec(PUBLIC),  # counts only; a token when configured
    # accounts
    ("POST", "/auth/login"): Spec(
        PUBLIC, body=lambda w: {"email": "hr@example.org", "password": PASSWORD}
    ),
    ("POST", "/auth/logout"): Spec(ALL, ok=204),
    ("GET", "/me"): Spec(ALL),
    ("POST", "/invitations/accept"): Spec(
        PUBLIC,
        body=lambda w: {"token": w["invitation_tokens"].pop(), "password": "a long password"},
    ),
    # forgotten password: the same 202 for any address; a link's token sets a password
    ("POST", "/auth/password-reset"): Spec(
        PUBLIC, ok=202, body=lambda w: {"email": "hr@example.org"}
    ),
    ("POST", "/auth/password-reset/confirm"): Spec(
        PUBLIC,
        body=lambda w: {"token": w["reset_tokens"].pop(), "password": "a long password"},
        prepare=_reset_links,
    ),
    ("POST", "/users/invitations"): Spec(
        {HR}, ok=201, body=lambda w: {"email": f"new{next(_n)}@example.org", "role": "hr"}
    ),
    ("POST", "/users/{user_id}/invitation"): Spec({HR}, ok=201, path={"user_id": "pending_user"}),
    ("GET", "/users"): Spec({HR}),
    ("PATCH", "/users/{user_id}"): Spec(
        {HR}, path={"user_id": "pending_user"}, body=lambda w: {"name": "Renamed"}
    ),
    # people
    ("POST", "/people/import"): Spec({HR}, files=_csv, params={"dry_run": "true"}),
    ("GET", "/people"): Spec({HR}),
    ("GET", "/people/{person_id}"): Spec({HR}, path={"person_id": "person"}),
    # coaches
    ("POST", "/coaches"): Spec(
        {HR},
        ok=201,
        body=lambda w: {
            "kind": "external",
            "name": "New Coach",
            "email": "new.coach@vendor.example",
            "vendor": "V",
            "languages": ["en"],
            "modalities": ["remote"],
        },
    ),
    ("GET", "/coaches"): Spec({HR}),
    ("GET", "/coaches/{coach_id}"): Spec({HR}, path={"coach_id": "coach"}),
    ("PATCH", "/coaches/{coach_id}"): Spec(
        {HR}, path={"coach_id": "coach"}, body=lambda w: {"max_coachees": 5}
    ),
    ("DELETE", "/coaches/{coach_id}"): Spec({HR}, ok=204, path={"coach_id": "coach_unused"}),
    ("GET", "/me/coach"): Spec({COACH}),
    ("GET", "/coaches/{coach_id}/availability"): Spec({HR}, path={"coach_id": "coach"}),
    # neutrality
    ("POST", "/conflicts"): Spec(
        {HR},
        ok=201,
        body=lambda w: {"coach_id": w["coach2"], "person_id": w["people"]["coachee"]},
    ),
    ("GET", "/conflicts"): Spec({HR}),
    ("DELETE", "/conflicts/{conflict_id}"): Spec({HR}, ok=204, path={"conflict_id": "conflict"}),
    ("POST", "/pair-adjustments"): Spec(
        {HR},
        ok=201,
        body=lambda w: {"coach_id": w["coach2"], "request_id": w["request"], "kind": "forbid"},
    ),
    ("GET", "/pair-adjustments"): Spec({HR}),
    ("DELETE", "/pair-adjustments/{adjustment_id}"): Spec(
        {HR}, ok=204, path={"adjustment_id": "adjustment"}
    ),
    # requests
    ("POST", "/requests"): Spec(
        {HR},
        ok=201,
        body=lambda w: {
            "coachee_id": w["people"]["other"],
            "coaching_type": "coaching",
            "language": "en",
        },
    ),
    ("GET", "/requests"): Spec({HR}),
    ("GET", "/requests/{request_id}"): Spec({HR}, path={"request_id": "request"}),
    ("PATCH", "/requests/{request_id}"): Spec(
        {HR}, path={"request_id": "request_open"}, body=lambda w: {"priority": 5}
    ),
    ("POST", "/requests/{request_id}/cancel"): Spec({HR}, path={"request_id": "request_open"}),
    ("POST", "/me/requests"): Spec(
        {COACHEE}, ok=201, body=lambda w: {"coaching_type": "coaching", "language": "fr"}
    ),
    ("GET", "/me/requests"): Spec({COACH, COACHEE, SPONSOR}),
    ("GET", "/me/requests/{request_id}"): Spec(
        {COACH, COACHEE, SPONSOR},
        path={"request_id": "request"},
        foreign={r: {"request_id": "request2"} for r in (COACH, COACHEE)},
    ),
    # Only the coachee edits the brief: the sponsor gets 403 on the request they sponsor.
    ("PATCH", "/me/requests/{request_id}"): Spec(
        {COACHEE},
        path={"request_id": "request"},
        body=lambda w: {"objectives": "grow"},
        foreign={COACHEE: {"request_id": "request2"}},
    ),
    ("POST", "/me/requests/{request_id}/cancel"): Spec(
        {COACHEE},
        path={"request_id": "request_open"},
        foreign={COACHEE: {"request_id": "request2"}},
    ),
    # availability
    ("GET", "/me/availability"): Spec({COACH}),
    ("POST", "/me/availability/weekly"): Spec(
        {COACH},
        ok=201,
        body=lambda w: {
            "weekday": 2,
            "start_time": "14:00",
            "end_time": "17:00",
            "timezone": "Europe/Paris",
        },
    ),
    ("DELETE", "/me/availability/weekly/{window_id}"): Spec(
        {COACH}, ok=204, path={"window_id": "weekly"}, foreign={COACH: {"window_id": "weekly2"}}
    ),
    ("POST", "/me/availability/exceptions"): Spec(
        {COACH},
        ok=201,
        body=lambda w: {"start_at": "2026-04-06T00:00:00Z", "end_at": "2026-04-10T00:00:00Z"},
    ),
    ("DELETE", "/me/availability/exceptions/{exception_id}"): Spec(
        {COACH},
        ok=204,
        path={"exception_id": "exception"},
        foreign={COACH: {"exception_id": "exception2"}},
    ),
    ("POST", "/me/availability/extra"): Spec(
        {COACH},
        ok=201,
        body=lambda w: {"start_at": "2026-04-11T08:00:00Z", "end_at": "2026-04-11T12:00:00Z"},
    ),
    ("DELETE", "/me/availability/extra/{window_id}"): Spec(
        {COACH}, ok=204, path={"window_id": "extra"}, foreign={COACH: {"window_id": "extra2"}}
    ),
    ("PUT", "/me/availability/ics"): Spec(
        {COACH}, files=lambda w: {"file": ("busy.ics", ICS.encode(), "text/calendar")}
    ),
    ("DELETE", "/me/availability/ics"): Spec({COACH}, ok=204),
    # a coachee's or sponsor's own windows
    ("GET", "/me/windows"): Spec({COACHEE, SPONSOR}),
    ("POST", "/me/windows/weekly"): Spec(
        {COACHEE, SPONSOR},
        ok=201,
        body=lambda w: {"weekday": 3, "start_time": "08:30", "end_time": "10:00"},
    ),
    ("DELETE", "/me/windows/weekly/{window_id}"): Spec(
        {COACHEE, SPONSOR},
        ok=204,
        path={"window_id": "person_window_coachee"},
        mine={
            COACHEE: {"window_id": "person_window_coachee"},
            SPONSOR: {"window_id": "person_window_sponsor"},
        },
        foreign={
            COACHEE: {"window_id": "person_window_other"},
            SPONSOR: {"window_id": "person_window_coachee"},
        },
    ),
    ("POST", "/me/windows/exceptions"): Spec(
        {COACHEE, SPONSOR},
        ok=201,
        body=lambda w: {"start_at": "2026-04-06T00:00:00Z", "end_at": "2026-04-10T00:00:00Z"},
    ),
    ("DELETE", "/me/windows/exceptions/{exception_id}"): Spec(
        {COACHEE, SPONSOR},
        ok=204,
        path={"exception_id": "person_exception_coachee"},
        mine={
            COACHEE: {"exception_id": "person_exception_coachee"},
            SPONSOR: {"exception_id": "person_exception_sponsor"},
        },
        foreign={
            COACHEE: {"exception_id": "person_exception_other"},
            SPONSOR: {"exception_id": "person_exception_coachee"},
        },
    ),
    # engagements and sessions
    ("GET", "/engagements"): Spec({HR}),
    ("GET", "/engagements/{engagement_id}"): Spec({HR}, path={"engagement_id": "engagement"}),
    ("POST", "/engagements/{engagement_id}/clear-flag"): Spec(
        {HR}, path={"engagement_id": "engagement_flagged"}
    ),
    ("GET", "/sessions"): Spec({HR}),
    ("GET", "/me/engagements"): Spec({COACH, COACHEE, SPONSOR}),
    ("GET", "/me/sessions"): Spec({COACH, COACHEE}),
    # feeds
    ("GET", "/me/feed"): Spec(ALL),
    ("POST", "/me/feed"): Spec(ALL, ok=201),
    ("DELETE", "/me/feed"): Spec(ALL, ok=204),
    ("PATCH", "/me/feed"): Spec(ALL, body=lambda w: {"detail": "names"}),
    ("GET", "/feeds/{token}.ics"): Spec(PUBLIC, path={"token": "feed_token"}),
    # rounds and proposals
    ("POST", "/rounds/preview"): Spec({HR}, ok=202, body=lambda w: {}),
    ("POST", "/rounds"): Spec({HR}, ok=202, body=lambda w: {"proposals": 2}),
    ("POST", "/rounds/{round_id}/commit"): Spec({HR}, path={"round_id": "round_preview"}),
    ("POST", "/rounds/{round_id}/cancel"): Spec({HR}, path={"round_id": "round_queued"}),
    ("GET", "/rounds"): Spec({HR}),
    ("GET", "/rounds/{round_id}"): Spec({HR}, path={"round_id": "round"}),
    ("GET", "/rounds/{round_id}/proposals"): Spec({HR}, path={"round_id": "round"}),
    ("GET", "/requests/{request_id}/proposals"): Spec(
        {HR}, path={"request_id": "request_proposed"}
    ),
    ("POST", "/proposals/{proposal_id}/confirm"): Spec({HR}, path={"proposal_id": "proposal"}),
    ("POST", "/proposals/{proposal_id}/reject"): Spec({HR}, path={"proposal_id": "proposal"}),
    ("GET", "/me/proposals"): Spec({COACHEE}),
    ("POST", "/me/proposals/{proposal_id}/choose"): Spec(
        {COACHEE},
        path={"proposal_id": "proposal2"},
        foreign={COACHEE: {"proposal_id": "proposal_other"}},
    ),
    ("GET", "/me/proposals/{proposal_id}/chemistry-call"): Spec(
        {COACHEE},
        path={"proposal_id": "proposal2"},
        foreign={COACHEE: {"proposal_id": "proposal_other"}},
    ),
    # a start in the past: refused naming start_at, nothing booked
    ("POST", "/me/proposals/{proposal_id}/chemistry-call"): Spec(
        {COACHEE},
        ok=422,
        path={"proposal_id": "proposal2"},
        body=lambda w: {"start_at": "2020-01-06T10:00:00+00:00"},
        foreign={COACHEE: {"proposal_id": "proposal_other"}},
    ),
    ("DELETE", "/me/proposals/{proposal_id}/chemistry-call"): Spec(
        {COACHEE},
        path={"proposal_id": "proposal2"},
        foreign={COACHEE: {"proposal_id": "proposal_other"}},
        prepare=_chemistry_call,
    ),
    # session changes
    ("POST", "/me/sessions/{session_id}/reschedule"): Spec(
        {COACH},
        path={"session_id": "session"},
        body=lambda w: {},
        foreign={COACH: {"session_id": "session2"}},
    ),
    ("POST", "/me/sessions/{session_id}/cancel"): Spec(
        {COACH, COACHEE},
        path={"session_id": "session"},
        foreign={COACH: {"session_id": "session2"}, COACHEE: {"session_id": "session2"}},
    ),
    ("POST", "/me/sessions/{session_id}/outcome"): Spec(
        {COACH},
        path={"session_id": "session"},
        body=lambda w: {"status": "held"},
        foreign={COACH: {"session_id": "session2"}},
        prepare=lambda w, db: _session_started(w, db),
    ),
    ("POST", "/sessions/{session_id}/outcome"): Spec(
        {HR},
        path={"session_id": "session"},
        body=lambda w: {"status": "no_show"},
        prepare=lambda w, db: _session_started(w, db),
    ),
    # where to meet (issue 13)
    ("PUT", "/me/coach/room"): Spec(
        {COACH}, body=lambda w: {"room_url": "https://meet.example.org/karl"}
    ),
    # the coach's profile the coachee reads (issue 14)
    ("PUT", "/me/coach/profile"): Spec({COACH}, body=lambda w: {"bio": "Ten years of coaching."}),
    ("PUT", "/me/coach/photo"): Spec(
        {COACH}, ok=204, files=lambda w: {"photo": ("me.png", PHOTO, "image/png")}
    ),
    ("DELETE", "/me/coach/photo"): Spec({COACH}, ok=204),
    # the world's coachee has this coach proposed; its sponsor does not see the coach
    ("GET", "/coaches/{coach_id}/photo"): Spec(
        {HR, COACH, COACHEE}, path={"coach_id": "coach"}, prepare=lambda w, db: _photo(w, db)
    ),
    ("PUT", "/me/engagements/{engagement_id}/room"): Spec(
        {COACH},
        path={"engagement_id": "engagement"},
        body=lambda w: {"room": "Salle 4.12"},
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("GET", "/sites"): Spec({HR}),
    ("PUT", "/sites/{name}"): Spec(
        {HR}, path={"name": "person"}, body=lambda w: {"address": "1 rue de Lyon, Paris"}
    ),
    # travel between sites (issue 9 item 10)
    ("GET", "/travel"): Spec({HR}),
    ("PUT", "/travel/{a}/{b}"): Spec(
        {HR},
        path={"a": "site_a", "b": "site_b"},
        body=lambda w: {"minutes": 90},
        prepare=_two_sites,
    ),
    ("DELETE", "/travel/{a}/{b}"): Spec(
        {HR}, path={"a": "site_a", "b": "site_b"}, prepare=_two_sites
    ),
    # replies to the invites (issue 13)
    ("GET", "/replies"): Spec({HR}),
    # reports
    ("GET", "/reports/indicators"): Spec(
        {HR}, params={"from": "2025-01-01", "to": "2025-12-31", "by": "unit"}
    ),
    ("GET", "/me/reschedule-requests"): Spec({COACH}),
    ("POST", "/me/reschedule-requests/{request_id}/accept"): Spec(
        {COACH},
        path={"request_id": "reschedule_request"},
        foreign={COACH: {"request_id": "reschedule_request2"}},
        prepare=lambda w, db: add_reschedule_requests(w, db),
    ),
    ("POST", "/me/reschedule-requests/{request_id}/decline"): Spec(
        {COACH},
        path={"request_id": "reschedule_request"},
        foreign={COACH: {"request_id": "reschedule_request2"}},
        prepare=lambda w, db: add_reschedule_requests(w, db),
    ),
    ("GET", "/me/sessions/{session_id}/answers"): Spec(
        {COACH, COACHEE},
        path={"session_id": "session"},
        foreign={COACH: {"session_id": "session2"}, COACHEE: {"session_id": "session2"}},
    ),
    # the coach's own calendar (issue 13)
    ("GET", "/me/availability/calendar"): Spec({COACH}, prepare=lambda w, db: add_calendar(w, db)),
    ("PUT", "/me/availability/calendar"): Spec(
        {COACH}, body=lambda w: {"kind": "ics", "url": "https://127.0.0.1:9/own.ics"}
    ),
    ("POST", "/me/availability/calendar/refresh"): Spec(
        {COACH}, prepare=lambda w, db: add_calendar(w, db)
    ),
    ("DELETE", "/me/availability/calendar"): Spec(
        {COACH}, ok=204, prepare=lambda w, db: add_calendar(w, db)
    ),
    # the engagement's lifecycle and contract (issue 11)
    ("GET", "/me/engagements/{engagement_id}"): Spec(
        {COACH, COACHEE, SPONSOR},
        path={"engagement_id": "engagement"},
        foreign={
            COACH: {"engagement_id": "engagement2"},
            COACHEE: {"engagement_id": "engagement2"},
        },
    ),
    ("PUT", "/me/engagements/{engagement_id}/contract"): Spec(
        {COACH},
        path={"engagement_id": "engagement"},
        body=lambda w: contract_body("Grow as a manager"),
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("POST", "/me/engagements/{engagement_id}/contract/acknowledge"): Spec(
        {COACH, COACHEE, SPONSOR},
        path={"engagement_id": "engagement"},
        body=lambda w: {"version": 1},
        foreign={
            COACH: {"engagement_id": "engagement2"},
            COACHEE: {"engagement_id": "engagement2"},
        },
        prepare=lambda w, db: add_lifecycle(w, db),
    ),
    ("POST", "/me/engagements/{engagement_id}/end"): Spec(
        {COACH, COACHEE, SPONSOR},
        path={"engagement_id": "engagement"},
        body=lambda w: {"reason": "role_change"},
        mine={r: {"engagement_id": f"engagement_end_{r}"} for r in (COACH, COACHEE, SPONSOR)},
        foreign={
            COACH: {"engagement_id": "engagement2"},
            COACHEE: {"engagement_id": "engagement2"},
        },
        prepare=lambda w, db: add_lifecycle(w, db),
    ),
    ("POST", "/me/engagements/{engagement_id}/hold"): Spec(
        {COACH},
        path={"engagement_id": "engagement"},
        body=lambda w: {"keep_capacity": False},
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("POST", "/me/engagements/{engagement_id}/resume"): Spec(
        {COACH},
        path={"engagement_id": "engagement_on_hold"},
        prepare=lambda w, db: add_lifecycle(w, db),
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("POST", "/me/engagements/{engagement_id}/review"): Spec(
        {COACH},
        path={"engagement_id": "engagement_midway"},
        prepare=lambda w, db: add_lifecycle(w, db),
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("POST", "/me/engagements/{engagement_id}/close"): Spec(
        {COACH},
        path={"engagement_id": "engagement_closing"},
        prepare=lambda w, db: add_lifecycle(w, db),
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("POST", "/me/engagements/{engagement_id}/coach-change"): Spec(
        {COACHEE},
        path={"engagement_id": "engagement"},
        foreign={COACHEE: {"engagement_id": "engagement2"}},
    ),
    ("POST", "/engagements/{engagement_id}/reassign"): Spec(
        {HR}, path={"engagement_id": "engagement_flagged"}, body=lambda w: {}
    ),
    # evaluations
    ("GET", "/me/evaluations"): Spec({COACHEE, SPONSOR}),
    ("POST", "/me/evaluations/{invitation_id}"): Spec(
        {COACHEE, SPONSOR},
        ok=201,
        path={"invitation_id": "evaluation_coachee"},
        body=lambda w: {"satisfaction": 4, "recommend": True},
        mine={
            COACHEE: {"invitation_id": "evaluation_coachee"},
            SPONSOR: {"invitation_id": "evaluation_sponsor"},
        },
        foreign={
            COACHEE: {"invitation_id": "evaluation_sponsor"},
            SPONSOR: {"invitation_id": "evaluation_coachee"},
        },
        prepare=lambda w, db: add_lifecycle(w, db),
    ),
    ("GET", "/me/coach/evaluations"): Spec({COACH}),
    # notifications
    ("GET", "/me/notifications"): Spec(ALL),
    ("PUT", "/me/notifications"): Spec(
        ALL, body=lambda w: {"off": ["reminder"], "reminder_hours": 48}
    ),
    # the coach's professional record
    ("GET", "/coaches/{coach_id}/record"): Spec({HR}, path={"coach_id": "coach"}),
    ("PUT", "/coaches/{coach_id}/record"): Spec(
        {HR}, path={"coach_id": "coach"}, body=lambda w: {"accreditation": "EMCC Senior"}
    ),
    ("POST", "/coaches/{coach_id}/certifications"): Spec(
        {HR},
        ok=201,
        path={"coach_id": "coach"},
        body=lambda w: {"body": "ICF", "level": "ACC", "obtained": "2025-01-10"},
    ),
    ("DELETE", "/coaches/{coach_id}/certifications/{certification_id}"): Spec(
        {HR},
        ok=204,
        path={"coach_id": "coach", "certification_id": "certification"},
        prepare=lambda w, db: add_lifecycle(w, db),
    ),
    ("POST", "/coaches/{coach_id}/referencing"): Spec(
        {HR}, path={"coach_id": "coach2"}, body=lambda w: {"action": "propose"}
    ),
    ("GET", "/me/coach/record"): Spec({COACH}),
    ("POST", "/me/coach/supervision"): Spec(
        {COACH}, ok=201, body=lambda w: {"day": "2026-02-20", "hours": 2}
    ),
    # outbox
    ("GET", "/outbox"): Spec({HR}),
    ("POST", "/outbox/deliver"): Spec({HR}),
    # audit and data rights (issue 12)
    ("GET", "/audit"): Spec({HR}, params={"action": "read", "from": "2026-01-01T00:00:00Z"}),
    ("GET", "/audit/verify"): Spec({HR}),
    ("GET", "/me/audit"): Spec({COACH, COACHEE, SPONSOR}),
    ("GET", "/people/{person_id}/export"): Spec({HR}, path={"person_id": "person"}),
    ("GET", "/me/export"): Spec({COACH, COACHEE, SPONSOR}),
    ("POST", "/people/{person_id}/erase"): Spec(
        {HR}, path={"person_id": "person"}, body=lambda w: {"confirm": True}
    ),
    # testimonials and weak signals (issue 12 items 3-4)
    ("GET", "/me/testimonials"): Spec({COACHEE}, prepare=_weak_signals),
    ("POST", "/me/testimonials"): Spec(
        {COACHEE},
        ok=201,
        body=lambda w: {"engagement_id": w["engagement_over"], "text": "Good.", "quotable": True},
        prepare=_weak_signals,
    ),
    ("GET", "/testimonials/review"): Spec({COACH}, prepare=_weak_signals),
    ("POST", "/testimonials/{testimonial_id}/approve"): Spec(
        {COACH}, path={"testimonial_id": "testimonial"}, body=lambda w: {}, prepare=_weak_signals
    ),
    ("POST", "/testimonials/{testimonial_id}/reject"): Spec(
        {COACH}, path={"testimonial_id": "testimonial"}, prepare=_weak_signals
    ),
    ("GET", "/testimonials"): Spec({HR}, prepare=_weak_signals),
    ("GET", "/themes"): Spec({HR, COACH}, prepare=_weak_signals),
    ("POST", "/themes"): Spec(
        {HR},
        ok=201,
        body=lambda w: {"code": "career", "label_en": "Career", "label_fr": "Carrière"},
    ),
    ("PATCH", "/themes/{theme_id}"): Spec(
        {HR}, path={"theme_id": "theme"}, body=lambda w: {"active": False}, prepare=_weak_signals
    ),
    ("DELETE", "/themes/{theme_id}"): Spec(
        {HR}, ok=204, path={"theme_id": "theme"}, prepare=_weak_signals
    ),
    ("GET", "/me/engagements/{engagement_id}/themes"): Spec(
        {COACH},
        path={"engagement_id": "engagement"},
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("PUT", "/me/engagements/{engagement_id}/themes"): Spec(
        {COACH},
        path={"engagement_id": "engagement"},
        body=lambda w: {"themes": ["workload"]},
        foreign={COACH: {"engagement_id": "engagement2"}},
        prepare=_weak_signals,
    ),
    ("GET", "/reports/themes"): Spec(
        {HR, COACH}, params={"from": "2025-01-01", "to": "2025-12-31", "by": "unit"}
    ),
    ("GET", "/syntheses"): Spec({HR, COACH}, prepare=_weak_signals),
    ("GET", "/syntheses/{note_id}"): Spec(
        {HR, COACH}, path={"note_id": "note"}, prepare=_weak_signals
    ),
    ("POST", "/syntheses"): Spec(
        {COACH},
        ok=201,
        body=lambda w: {"title": "2025", "from": "2025-01-01", "to": "2025-12-31", "body": "Calm."},
    ),
    ("PUT", "/syntheses/{note_id}"): Spec(
        {COACH},
        path={"note_id": "note"},
        body=lambda w: {"title": "2025", "from": "2025-01-01", "to": "2025-12-31", "body": "Calm."},
        prepare=_weak_signals,
    ),
}


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI now keeps them nested). The web
    pages are left out of the OpenAPI document and out of this table: tests/web has theirs."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            if route.include_in_schema:
                found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_api_routes(route.original_router.routes))
    return found


def _routes() -> set[tuple[str, str]]:
    app = create_app(Settings(database_url="sqlite://"))
    routes = {(m, r.path) for r in _api_routes(app.routes) for m in r.methods}
    # the OpenAPI document is built from the same routes: a cross-check of the walk
    documented = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert routes == documented
    return routes


def test_every_endpoint_has_an_expectation() -> None:
    routes = _routes()
    assert routes - SPEC.keys() == set(), "add these endpoints to SPEC"
    assert SPEC.keys() - routes == set(), "these endpoints no longer exist"


def _url(template: str, world: dict[str, Any], params: dict[str, str]) -> str:
    values = {}
    for name, key in params.items():
        values[name] = world["feed_tokens"][HR] if key == "feed_token" else world[key]
    return template.format(**values)


def _call(
    client: TestClient,
    method: str,
    template: str,
    spec: Spec,
    world: dict[str, Any],
    headers: dict[str, str],
    path: dict[str, str] | None = None,
) -> Any:
    kwargs: dict[str, Any] = {"headers": headers}
    if spec.body is not None:
        kwargs["json"] = spec.body(world)
    if spec.files is not None:
        kwargs["files"] = spec.files(world)
    if spec.params is not None:
        kwargs["params"] = spec.params
    client.cookies.clear()
    return client.request(method, _url(template, world, path or spec.path), **kwargs)


@pytest.mark.parametrize(("method", "path"), sorted(SPEC), ids=lambda v: str(v))
def test_authorization(
    method: str, path: str, client: TestClient, db: Any, settings: Settings
) -> None:
    spec = SPEC[(method, path)]
    world = build_world(db, settings, client)
    if spec.prepare is not None:
        spec.prepare(world, db)
    anonymous = _call(client, method, path, spec, world, {})
    if spec.roles == PUBLIC:
        assert anonymous.status_code == spec.ok, anonymous.text
        signed_in = _call(client, method, path, spec, world, world["headers"][COACHEE])
        assert signed_in.status_code == spec.ok, signed_in.text
        return
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["detail"]
    for role in ROLES:
        if role in spec.roles:
            continue
        response = _call(client, method, path, spec, world, world["headers"][role])
        assert response.status_code == 403, (role, response.text)
    # someone else's rows first: they must be untouched for the owner's call below
    for role, other in spec.foreign.items():
        response = _call(client, method, path, spec, world, world["headers"][role], other)
        assert response.status_code == 404, (role, response.text)
    for role in sorted(spec.roles):
        own = spec.mine.get(role)
        response = _call(client, method, path, spec, world, world["headers"][role], own)
        assert response.status_code == spec.ok, (role, response.text)
