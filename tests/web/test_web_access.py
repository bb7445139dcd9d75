"""Who may open each page: every page route x every role (and anonymous), through the
real app. The first test fails when a page route is missing from the table.

Anonymous visitors are sent to /signin (303); other roles get the 403 page; allowed roles
get their page (or the redirect after a form). Every form POST without its CSRF token is
refused (403) before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_support import ICS, PASSWORD, ROLES, build_world, row_counts
from fastapi.testclient import TestClient
from lifecycle_support import FRAME, add_lifecycle
from test_api_authorization import _reset_links, _session_started, _two_sites, _weak_signals
from web_support import as_user, bearer_token

from api.app import create_app
from api.settings import Settings
from api.web.route import WebRoute

HR, COACH, COACHEE, SPONSOR = ROLES
ALL = frozenset(ROLES)
PUBLIC = "public"
Form = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    roles: frozenset[str] | str
    ok: int = 200
    path: dict[str, str] = field(default_factory=dict)  # path parameter -> world key
    form: Form | None = None
    files: Form | None = None
    # role -> path parameters naming someone else's row: expect 404
    foreign: dict[str, dict[str, str]] = field(default_factory=dict)
    # changes the world before the calls (world, db session)
    prepare: Callable[[dict[str, Any], Any], None] | None = None
    # role -> path parameters naming the role's own row, when each role has its own
    mine: dict[str, dict[str, str]] = field(default_factory=dict)


def _lifecycle(w: dict[str, Any], db: Any) -> None:
    """The lifecycle's rows (once per world: the GET pages share one)."""
    if "certification" not in w:
        add_lifecycle(w, db)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)  # the magic bytes are what the upload checks
CSV = "id,name,email,manager_id,timezone\nZ1,Zed,z@example.org,,UTC\n"

PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/"): Page(PUBLIC, ok=303),
    ("GET", "/signin"): Page(PUBLIC),
    ("POST", "/signin"): Page(
        PUBLIC, ok=303, form=lambda w: {"email": "hr@example.org", "password": PASSWORD}
    ),
    ("POST", "/signout"): Page(ALL, ok=303),
    ("GET", "/accept-invitation"): Page(PUBLIC),
    ("POST", "/accept-invitation"): Page(
        PUBLIC,
        ok=303,
        form=lambda w: {
            "token": w["invitation_tokens"].pop(),
            "password": "a long password",
            "password_again": "a long password",
        },
    ),
    ("GET", "/forgot-password"): Page(PUBLIC),
    ("POST", "/forgot-password"): Page(PUBLIC, ok=303, form=lambda w: {"email": "hr@example.org"}),
    ("GET", "/reset-password"): Page(PUBLIC),
    ("POST", "/reset-password"): Page(
        PUBLIC,
        ok=303,
        form=lambda w: {
            "token": w["reset_tokens"].pop(),
            "password": "a long password",
            "password_again": "a long password",
        },
        prepare=_reset_links,
    ),
    ("POST", "/language"): Page(PUBLIC, ok=303, form=lambda w: {"lang": "fr", "next": "/"}),
    ("GET", "/my/feed"): Page(ALL),
    # a new link in place of the live one: with the inline confirmation
    ("POST", "/my/feed"): Page(ALL, form=lambda w: {"confirm": "yes"}),
    ("POST", "/my/feed/revoke"): Page(ALL, ok=303),
    # HR
    ("GET", "/hr"): Page({HR}),
    ("GET", "/hr/people"): Page({HR}),
    ("POST", "/hr/people/import"): Page(
        {HR},
        files=lambda w: {"file": ("org.csv", CSV.encode(), "text/csv")},
        form=lambda w: {"dry_run": "on"},
    ),
    ("GET", "/hr/accounts"): Page({HR}),
    ("POST", "/hr/accounts"): Page(
        {HR}, ok=303, form=lambda w: {"email": "new.hr@example.org", "role": "hr"}
    ),
    ("GET", "/hr/coaches"): Page({HR}),
    ("GET", "/hr/coaches/new"): Page({HR}),
    ("POST", "/hr/coaches/new"): Page(
        {HR},
        ok=303,
        form=lambda w: {
            "kind": "external",
            "name": "New Coach",
            "email": "new.coach@vendor.example",
            "vendor": "V",
            "languages": "en",
            "modalities": "remote",
        },
    ),
    ("GET", "/hr/coaches/{coach_id}"): Page({HR}, path={"coach_id": "coach"}),
    ("POST", "/hr/coaches/{coach_id}"): Page(
        {HR},
        ok=303,
        path={"coach_id": "coach"},
        form=lambda w: {"languages": "fr", "modalities": "remote", "max_coachees": "4"},
    ),
    ("GET", "/hr/requests"): Page({HR}),
    ("GET", "/hr/requests.csv"): Page({HR}),
    ("GET", "/hr/people.csv"): Page({HR}),
    ("GET", "/hr/coaches.csv"): Page({HR}),
    ("GET", "/hr/engagements.csv"): Page({HR}),
    ("GET", "/hr/sessions.csv"): Page({HR}),
    ("GET", "/hr/outbox.csv"): Page({HR}),
    ("GET", "/hr/requests/new"): Page({HR}),
    ("POST", "/hr/requests/new"): Page(
        {HR}, ok=303, form=lambda w: {"coachee_id": "P2", "language": "en"}
    ),
    # without the confirmation's fields: back to the confirmation, nothing changed
    ("POST", "/hr/requests/{request_id}/cancel"): Page(
        {HR}, ok=303, path={"request_id": "request_open"}
    ),
    ("GET", "/hr/requests/{request_id}/cancel"): Page({HR}, path={"request_id": "request_open"}),
    # no cancel to undo (no cancel time sent): refused
    ("POST", "/hr/requests/{request_id}/restore"): Page(
        {HR}, ok=422, path={"request_id": "request_open"}
    ),
    ("GET", "/hr/requests/{request_id}"): Page({HR}, path={"request_id": "request_open"}),
    ("GET", "/hr/requests/{request_id}/history"): Page({HR}, path={"request_id": "request_open"}),
    ("POST", "/hr/requests/{request_id}"): Page(
        {HR},
        ok=303,
        path={"request_id": "request_open"},
        form=lambda w: {"language": "fr", "priority": "5", "sponsor_id": "B1"},
    ),
    ("GET", "/hr/neutrality"): Page({HR}),
    ("POST", "/hr/neutrality/conflicts"): Page(
        {HR}, ok=303, form=lambda w: {"coach_id": str(w["coach2"]), "person_id": "P1"}
    ),
    ("POST", "/hr/neutrality/conflicts/{conflict_id}/delete"): Page(
        {HR}, ok=303, path={"conflict_id": "conflict"}
    ),
    ("POST", "/hr/neutrality/adjustments"): Page(
        {HR},
        ok=303,
        form=lambda w: {
            "coach_id": str(w["coach2"]),
            "request_id": str(w["request_open"]),
            "kind": "bonus",
            "weight": "20",
        },
    ),
    ("POST", "/hr/neutrality/adjustments/{adjustment_id}/delete"): Page(
        {HR}, ok=303, path={"adjustment_id": "adjustment"}
    ),
    # without a live undo token: refused on the page
    ("POST", "/hr/neutrality/restore"): Page({HR}, ok=409),
    ("GET", "/hr/travel"): Page({HR}, prepare=_two_sites),
    ("POST", "/hr/travel"): Page(
        {HR},
        ok=303,
        form=lambda w: {"a": "Paris", "b": "Lyon", "minutes": "90", "action": "save"},
        prepare=_two_sites,
    ),
    ("GET", "/hr/outbox"): Page({HR}),
    ("POST", "/hr/outbox/deliver"): Page({HR}, ok=303),
    ("GET", "/hr/engagements"): Page({HR}),
    ("POST", "/hr/engagements/{engagement_id}/clear-flag"): Page(
        {HR}, ok=303, path={"engagement_id": "engagement_flagged"}
    ),
    ("GET", "/hr/sessions"): Page({HR}),
    ("GET", "/hr/chemistry-calls"): Page({HR}),
    # Coach
    ("GET", "/coach"): Page({COACH}),
    ("GET", "/my"): Page({COACHEE, SPONSOR}),
    ("GET", "/coach/availability"): Page({COACH}),
    ("POST", "/coach/availability/weekly"): Page(
        {COACH}, ok=303, form=lambda w: {"weekday": "2", "start_time": "14:00", "end_time": "17:00"}
    ),
    ("POST", "/coach/availability/exceptions"): Page(
        {COACH},
        ok=303,
        form=lambda w: {"start_at": "2026-04-06T00:00", "end_at": "2026-04-10T00:00"},
    ),
    ("POST", "/coach/availability/extra"): Page(
        {COACH},
        ok=303,
        form=lambda w: {"start_at": "2026-04-11T08:00", "end_at": "2026-04-11T12:00"},
    ),
    ("POST", "/coach/availability/{kind}/{row_id}/delete"): Page(
        {COACH},
        ok=303,
        path={"kind": "=weekly", "row_id": "weekly"},
        foreign={COACH: {"kind": "=weekly", "row_id": "weekly2"}},
    ),
    ("POST", "/coach/availability/ics"): Page(
        {COACH}, ok=303, files=lambda w: {"file": ("busy.ics", ICS.encode(), "text/calendar")}
    ),
    ("POST", "/coach/availability/ics/delete"): Page({COACH}, ok=303),
    # Coachee, sponsor (and the coach, reading)
    ("GET", "/my/requests"): Page({COACH, COACHEE, SPONSOR}),
    ("GET", "/my/requests/{request_id}"): Page(
        {COACH, COACHEE, SPONSOR},
        path={"request_id": "request"},
        foreign={COACH: {"request_id": "request2"}, COACHEE: {"request_id": "request2"}},
    ),
    # Only the coachee edits the brief: the sponsor is refused on the request they sponsor.
    ("POST", "/my/requests/{request_id}"): Page(
        {COACHEE},
        ok=303,
        path={"request_id": "request"},
        form=lambda w: {"description": "new words", "objectives": "grow"},
        foreign={COACHEE: {"request_id": "request2"}},
    ),
    ("POST", "/my/requests/{request_id}/cancel"): Page(
        {COACHEE},
        ok=303,
        path={"request_id": "request_open"},
        foreign={COACHEE: {"request_id": "request2"}},
    ),
    ("GET", "/my/requests/{request_id}/cancel"): Page(
        {COACHEE},
        path={"request_id": "request_open"},
        foreign={COACHEE: {"request_id": "request2"}},
    ),
    ("GET", "/my/requests/new"): Page({COACHEE}),
    ("POST", "/my/requests/new"): Page(
        {COACHEE},
        ok=303,
        form=lambda w: {"sponsor_id": "B1", "coaching_type": "mediation", "language": "fr"},
    ),
    ("GET", "/my/engagements"): Page({COACH, COACHEE, SPONSOR}),
    ("GET", "/my/windows"): Page({COACHEE, SPONSOR}),
    ("POST", "/my/windows/weekly"): Page(
        {COACHEE, SPONSOR},
        ok=303,
        form=lambda w: {"weekday": "3", "start_time": "08:30", "end_time": "10:00"},
    ),
    ("POST", "/my/windows/exceptions"): Page(
        {COACHEE, SPONSOR},
        ok=303,
        form=lambda w: {"start_at": "2026-04-06T00:00", "end_at": "2026-04-10T00:00"},
    ),
    ("POST", "/my/windows/{kind}/{row_id}/delete"): Page(
        {COACHEE, SPONSOR},
        ok=303,
        path={"kind": "=weekly", "row_id": "person_window_coachee"},
        mine={
            COACHEE: {"kind": "=weekly", "row_id": "person_window_coachee"},
            SPONSOR: {"kind": "=exceptions", "row_id": "person_exception_sponsor"},
        },
        foreign={
            COACHEE: {"kind": "=weekly", "row_id": "person_window_other"},
            SPONSOR: {"kind": "=exceptions", "row_id": "person_exception_coachee"},
        },
    ),
    # Rounds and proposals
    ("GET", "/hr/rounds"): Page({HR}),
    ("POST", "/hr/rounds"): Page(
        {HR}, ok=303, form=lambda w: {"action": "preview", "proposals": "2"}
    ),
    ("GET", "/hr/rounds/{round_id}"): Page({HR}, path={"round_id": "round"}),
    ("POST", "/hr/rounds/{round_id}/commit"): Page(
        {HR}, ok=303, path={"round_id": "round_preview"}
    ),
    ("POST", "/hr/rounds/{round_id}/cancel"): Page({HR}, ok=303, path={"round_id": "round_queued"}),
    ("POST", "/hr/proposals/{proposal_id}/confirm"): Page(
        {HR}, ok=303, path={"proposal_id": "proposal"}
    ),
    ("POST", "/hr/proposals/{proposal_id}/reject"): Page(
        {HR}, ok=303, path={"proposal_id": "proposal"}
    ),
    # a proposal never rejected: nothing to undo, said in its row
    ("POST", "/hr/proposals/{proposal_id}/restore"): Page(
        {HR}, ok=409, path={"proposal_id": "proposal"}
    ),
    ("POST", "/hr/rounds/{round_id}/confirm"): Page(
        {HR}, ok=303, path={"round_id": "round"}, form=lambda w: {"proposal": str(w["proposal"])}
    ),
    ("GET", "/my/proposals"): Page({COACHEE}),
    ("POST", "/my/proposals/{proposal_id}/choose"): Page(
        {COACHEE},
        ok=303,
        path={"proposal_id": "proposal2"},
        foreign={COACHEE: {"proposal_id": "proposal_other"}},
    ),
    # a start that is no time is refused in the card (422), nothing booked
    ("POST", "/my/proposals/{proposal_id}/chemistry-call"): Page(
        {COACHEE},
        ok=422,
        path={"proposal_id": "proposal2"},
        form=lambda w: {"start_at": "soon"},
        foreign={COACHEE: {"proposal_id": "proposal_other"}},
    ),
    # no call booked: nothing to cancel, back to the cards
    ("POST", "/my/proposals/{proposal_id}/chemistry-call/cancel"): Page(
        {COACHEE},
        ok=303,
        path={"proposal_id": "proposal2"},
        foreign={COACHEE: {"proposal_id": "proposal_other"}},
    ),
    # Session changes
    # an empty move is refused in its form (422), nothing moved
    ("POST", "/my/sessions/{session_id}/reschedule"): Page(
        {COACH}, ok=422, path={"session_id": "session"}, foreign={COACH: {"session_id": "session2"}}
    ),
    ("GET", "/my/sessions/{session_id}/move"): Page(
        {COACH}, path={"session_id": "session"}, foreign={COACH: {"session_id": "session2"}}
    ),
    ("GET", "/my/sessions/{session_id}/cancel"): Page(
        {COACH, COACHEE},
        path={"session_id": "session"},
        foreign={COACH: {"session_id": "session2"}, COACHEE: {"session_id": "session2"}},
    ),
    ("POST", "/my/sessions/{session_id}/cancel"): Page(
        {COACH, COACHEE},
        ok=303,
        path={"session_id": "session"},
        foreign={COACH: {"session_id": "session2"}, COACHEE: {"session_id": "session2"}},
    ),
    ("POST", "/my/sessions/{session_id}/outcome"): Page(
        {COACH},
        ok=303,
        path={"session_id": "session"},
        form=lambda w: {"status": "held"},
        foreign={COACH: {"session_id": "session2"}},
        prepare=lambda w, db: _session_started(w, db),
    ),
    ("GET", "/my/sessions"): Page({COACH, COACHEE, SPONSOR}),
    # The engagement's lifecycle (issue 11)
    ("GET", "/my/engagements/{engagement_id}"): Page(
        {COACH, COACHEE, SPONSOR},
        path={"engagement_id": "engagement"},
        foreign={
            COACH: {"engagement_id": "engagement2"},
            COACHEE: {"engagement_id": "engagement2"},
        },
        prepare=lambda w, db: _lifecycle(w, db),
    ),
    ("GET", "/my/engagements/{engagement_id}/contract"): Page(
        {COACH, COACHEE, SPONSOR},
        path={"engagement_id": "engagement"},
        foreign={
            COACH: {"engagement_id": "engagement2"},
            COACHEE: {"engagement_id": "engagement2"},
        },
    ),
    ("POST", "/my/engagements/{engagement_id}/contract"): Page(
        {COACH},
        ok=303,
        path={"engagement_id": "engagement"},
        form=lambda w: {"objectives": "Grow\nLead", **FRAME},
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    ("POST", "/my/engagements/{engagement_id}/acknowledge"): Page(
        {COACH, COACHEE, SPONSOR},
        ok=303,
        path={"engagement_id": "engagement"},
        form=lambda w: {"version": "1"},
        foreign={
            COACH: {"engagement_id": "engagement2"},
            COACHEE: {"engagement_id": "engagement2"},
        },
        prepare=lambda w, db: _lifecycle(w, db),
    ),
    ("POST", "/my/engagements/{engagement_id}/end"): Page(
        {COACH, COACHEE, SPONSOR},
        ok=303,
        path={"engagement_id": "engagement_end_coach"},
        form=lambda w: {"reason": "other", "confirm": "yes"},
        mine={r: {"engagement_id": f"engagement_end_{r}"} for r in (COACH, COACHEE, SPONSOR)},
        foreign={
            COACH: {"engagement_id": "engagement2"},
            COACHEE: {"engagement_id": "engagement2"},
        },
        prepare=lambda w, db: _lifecycle(w, db),
    ),
    ("POST", "/my/engagements/{engagement_id}/hold"): Page(
        {COACH},
        ok=303,
        path={"engagement_id": "engagement"},
        form=lambda w: {"confirm": "yes"},
        foreign={COACH: {"engagement_id": "engagement2"}},
    ),
    # resume, review and close: one route (the browser story takes each in turn)
    ("POST", "/my/engagements/{engagement_id}/{move}"): Page(
        {COACH},
        ok=303,
        path={"engagement_id": "engagement_midway", "move": "=review"},
        foreign={COACH: {"engagement_id": "engagement2", "move": "=review"}},
        prepare=lambda w, db: _lifecycle(w, db),
    ),
    ("POST", "/my/engagements/{engagement_id}/coach-change"): Page(
        {COACHEE},
        ok=303,
        path={"engagement_id": "engagement"},
        form=lambda w: {"confirm": "yes"},
        foreign={COACHEE: {"engagement_id": "engagement2"}},
    ),
    ("GET", "/hr/engagements/{engagement_id}"): Page({HR}, path={"engagement_id": "engagement"}),
    ("POST", "/hr/engagements/{engagement_id}/reassign"): Page(
        {HR},
        ok=303,
        path={"engagement_id": "engagement_flagged"},
        form=lambda w: {"confirm": "yes"},
    ),
    ("GET", "/my/evaluations"): Page({COACHEE, SPONSOR}, prepare=lambda w, db: _lifecycle(w, db)),
    ("POST", "/my/evaluations/{invitation_id}"): Page(
        {COACHEE, SPONSOR},
        ok=303,
        path={"invitation_id": "evaluation_coachee"},
        form=lambda w: {"satisfaction": "4", "recommend": "yes"},
        mine={
            COACHEE: {"invitation_id": "evaluation_coachee"},
            SPONSOR: {"invitation_id": "evaluation_sponsor"},
        },
        foreign={
            COACHEE: {"invitation_id": "evaluation_sponsor"},
            SPONSOR: {"invitation_id": "evaluation_coachee"},
        },
        prepare=lambda w, db: _lifecycle(w, db),
    ),
    ("GET", "/coach/evaluations"): Page({COACH}),
    ("GET", "/coach/record"): Page({COACH}),
    ("GET", "/coach/chemistry-calls"): Page({COACH}),
    ("POST", "/coach/record/supervision"): Page(
        {COACH}, ok=303, form=lambda w: {"day": "2026-02-01", "hours": "1.5"}
    ),
    ("GET", "/hr/coaches/{coach_id}/record"): Page({HR}, path={"coach_id": "coach"}),
    ("GET", "/coach/profile"): Page({COACH}),
    ("POST", "/coach/profile/bio"): Page({COACH}, ok=303, form=lambda w: {"bio": "Ten years."}),
    ("POST", "/coach/profile/photo"): Page(
        {COACH}, ok=303, files=lambda w: {"photo": ("me.png", PNG, "image/png")}
    ),
    ("POST", "/coach/profile/photo/delete"): Page({COACH}, ok=303),
    ("GET", "/hr/coaches/{coach_id}/profile"): Page({HR}, path={"coach_id": "coach"}),
    ("POST", "/hr/coaches/{coach_id}/profile/bio"): Page(
        {HR}, ok=303, path={"coach_id": "coach"}, form=lambda w: {"bio": "Ten years."}
    ),
    ("POST", "/hr/coaches/{coach_id}/record"): Page(
        {HR}, ok=303, path={"coach_id": "coach"}, form=lambda w: {"peer_group": "Lyon"}
    ),
    ("POST", "/hr/coaches/{coach_id}/certifications"): Page(
        {HR},
        ok=303,
        path={"coach_id": "coach"},
        form=lambda w: {"body": "EMCC", "level": "Senior", "obtained": "2025-06-01"},
    ),
    ("POST", "/hr/coaches/{coach_id}/certifications/{certification_id}/delete"): Page(
        {HR},
        ok=303,
        path={"coach_id": "coach", "certification_id": "certification"},
        form=lambda w: {"confirm": "yes"},
        prepare=lambda w, db: _lifecycle(w, db),
    ),
    ("POST", "/hr/coaches/{coach_id}/referencing"): Page(
        {HR}, ok=303, path={"coach_id": "coach2"}, form=lambda w: {"action": "propose"}
    ),
    ("GET", "/my/notifications"): Page(ALL),
    ("POST", "/my/notifications"): Page(
        ALL, ok=303, form=lambda w: {"on": "reminder", "reminder_hours": "12"}
    ),
    # data rights (issue 12)
    ("GET", "/my/data"): Page({COACH, COACHEE, SPONSOR}),
    ("GET", "/hr/people/{person_id}/data"): Page({HR}, path={"person_id": "person"}),
    ("POST", "/hr/people/{person_id}/erase"): Page(
        {HR}, ok=303, path={"person_id": "person"}, form=lambda w: {"confirm": "yes"}
    ),
    # testimonials and weak signals (issue 12 items 3-4)
    ("GET", "/my/testimonials"): Page({COACHEE}, prepare=_weak_signals),
    ("POST", "/my/testimonials"): Page(
        {COACHEE},
        ok=303,
        form=lambda w: {
            "engagement_id": str(w["engagement_over"]),
            "text": "Good.",
            "quotable": "yes",
        },
        prepare=_weak_signals,
    ),
    ("GET", "/coach/testimonials"): Page({COACH}, prepare=_weak_signals),
    ("POST", "/coach/testimonials/{testimonial_id}"): Page(
        {COACH},
        ok=303,
        path={"testimonial_id": "testimonial"},
        form=lambda w: {"decision": "approve"},
        prepare=_weak_signals,
    ),
    ("GET", "/hr/testimonials"): Page({HR}, prepare=_weak_signals),
    ("GET", "/hr/themes"): Page({HR}, prepare=_weak_signals),
    ("POST", "/hr/themes"): Page(
        {HR},
        ok=303,
        form=lambda w: {"code": "career", "label_en": "Career", "label_fr": "Carrière"},
    ),
    ("POST", "/hr/themes/{theme_id}"): Page(
        {HR},
        ok=303,
        path={"theme_id": "theme"},
        form=lambda w: {"active": "no"},
        prepare=_weak_signals,
    ),
    ("GET", "/coach/themes"): Page({COACH}, prepare=_weak_signals),
    ("POST", "/coach/themes/{engagement_id}"): Page(
        {COACH},
        ok=303,
        path={"engagement_id": "engagement"},
        form=lambda w: {"themes": "workload"},
        foreign={COACH: {"engagement_id": "engagement2"}},
        prepare=_weak_signals,
    ),
    ("GET", "/coach/syntheses"): Page({COACH}, prepare=_weak_signals),
    ("POST", "/coach/syntheses"): Page(
        {COACH}, ok=303, form=lambda w: {"period": "2025", "title": "2025", "body": "Calm."}
    ),
    ("GET", "/coach/syntheses/{note_id}"): Page(
        {COACH}, path={"note_id": "note"}, prepare=_weak_signals
    ),
    ("POST", "/coach/syntheses/{note_id}"): Page(
        {COACH},
        ok=303,
        path={"note_id": "note"},
        form=lambda w: {"title": "2025, again", "body": "Still calm."},
        prepare=_weak_signals,
    ),
    ("GET", "/hr/syntheses"): Page({HR}, prepare=_weak_signals),
}


def page_routes() -> set[tuple[str, str]]:
    cheap = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 8, "argon2_parallelism": 1}
    app = create_app(Settings(database_url="sqlite://", **cheap))
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, WebRoute):
                assert not route.include_in_schema, route.path
                found.update((m, route.path) for m in route.methods)
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes)

    walk(app.routes)
    documented = {p for p in app.openapi()["paths"]}
    assert not {p for _, p in found} & documented, "pages must stay out of the OpenAPI document"
    return found


def test_every_page_has_an_expectation() -> None:
    routes = page_routes()
    assert routes - PAGES.keys() == set(), "add these pages to PAGES"
    assert PAGES.keys() - routes == set(), "these pages no longer exist"


def _url(template: str, world: dict[str, Any], params: dict[str, str]) -> str:
    values = {k: v[1:] if v.startswith("=") else world[v] for k, v in params.items()}
    return template.format(**values)


def _call(
    client: TestClient,
    method: str,
    template: str,
    spec: Page,
    world: dict[str, Any],
    role: str | None,
    path: dict[str, str] | None = None,
    csrf: bool = True,
) -> Any:
    token = as_user(client, bearer_token(world["headers"][role]) if role else None)
    kwargs: dict[str, Any] = {"follow_redirects": False}
    if method == "POST":
        data = spec.form(world) if spec.form else {}
        if csrf:
            data["csrf"] = token
        kwargs["data"] = data
        if spec.files is not None:
            kwargs["files"] = spec.files(world)
    return client.request(method, _url(template, world, path or spec.path), **kwargs)


def _check(client: TestClient, db: Any, method: str, path: str, world: dict[str, Any]) -> None:
    spec = PAGES[(method, path)]
    if spec.prepare is not None:
        spec.prepare(world, db)
    anonymous = _call(client, method, path, spec, world, None)
    if spec.roles == PUBLIC:
        assert anonymous.status_code == spec.ok, (path, anonymous.text)
        return
    assert anonymous.status_code == 303, (path, anonymous.text)
    # back to the page after signing in; a form's target is no page: home instead
    expected = "/signin?next=" if method == "GET" else "/signin"
    assert anonymous.headers["location"].startswith(expected)
    for role in ROLES:
        if role in spec.roles:
            continue
        response = _call(client, method, path, spec, world, role)
        assert response.status_code == 403, (path, role, response.text)
        assert "<h1>" in response.text and '"detail"' not in response.text
    for role, other in spec.foreign.items():
        response = _call(client, method, path, spec, world, role, other)
        assert response.status_code == 404, (path, role, response.text)
    for role in sorted(spec.roles):
        own = spec.mine.get(role)
        if method == "POST":
            before = row_counts(db)
            forged = _call(client, method, path, spec, world, role, own, csrf=False)
            assert forged.status_code == 403, (path, role, forged.text)
            assert row_counts(db) == before
        response = _call(client, method, path, spec, world, role, own)
        assert response.status_code == spec.ok, (path, role, response.text)


def test_read_pages(client: TestClient, db: Any, settings: Settings) -> None:
    """Every GET page in one world (they change nothing)."""
    world = build_world(db, settings, client)
    for method, path in sorted(k for k in PAGES if k[0] == "GET"):
        _check(client, db, method, path, world)


@pytest.mark.parametrize(("method", "path"), sorted(k for k in PAGES if k[0] == "POST"), ids=str)
def test_form_pages(
    method: str, path: str, client: TestClient, db: Any, settings: Settings
) -> None:
    _check(client, db, method, path, build_world(db, settings, client))
