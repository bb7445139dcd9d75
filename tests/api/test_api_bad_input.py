"""Bad input on every write endpoint: a 4xx naming the field, never a 500, and not one row
changed anywhere. The table is checked against the app's routes so none is forgotten."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from api_support import build_world, row_counts
from fastapi.testclient import TestClient
from test_api_authorization import _routes

from api.settings import Settings

WRITE = {"POST", "PUT", "PATCH", "DELETE"}
LONG = "x" * 1001


@dataclass(frozen=True)
class Bad:
    role: str | None  # None: anonymous
    path: str  # formatted with the world's ids
    status: int
    field: str | None
    json: Any = None
    files: Any = None
    data: Any = None


def _coach(**changes: Any) -> dict[str, Any]:
    body = {
        "kind": "external",
        "name": "Ext",
        "email": "ext@vendor.example",
        "vendor": "V",
        "languages": ["en"],
        "modalities": ["remote"],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _request(w: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {"coachee_id": w["people"]["other"], "coaching_type": "coaching", "language": "en"}
    body.update(changes)
    return body


# Each write endpoint: one or more bad calls (callables of the world's ids).
CASES: dict[tuple[str, str], list[Any]] = {
    ("POST", "/auth/login"): [
        lambda w: Bad(None, "/auth/login", 422, "password", json={"email": "a@b.c"}),
        lambda w: Bad(None, "/auth/login", 422, "email", json={"email": 5, "password": "x"}),
    ],
    ("POST", "/invitations/accept"): [
        lambda w: Bad(
            None,
            "/invitations/accept",
            404,
            "token",
            json={"token": "no-such-invitation-token", "password": "long enough pw"},
        ),
        lambda w: Bad(
            None,
            "/invitations/accept",
            422,
            "password",
            json={"token": w["invitation_tokens"][0], "password": "short"},
        ),
    ],
    ("POST", "/users/invitations"): [
        lambda w: Bad(
            "hr", "/users/invitations", 422, "email", json={"email": "nope", "role": "hr"}
        ),
        lambda w: Bad(
            "hr", "/users/invitations", 422, "role", json={"email": "a@example.org", "role": "king"}
        ),
        lambda w: Bad(
            "hr",
            "/users/invitations",
            422,
            "coach_id",
            json={"email": "a@example.org", "role": "coach"},
        ),
        lambda w: Bad(
            "hr",
            "/users/invitations",
            409,
            "email",
            json={"email": "coach@example.org", "role": "hr"},
        ),
        lambda w: Bad(
            "hr",
            "/users/invitations",
            409,
            "coach_id",
            json={"email": "second@example.org", "role": "coach", "coach_id": w["coach"]},
        ),
        lambda w: Bad(
            "hr",
            "/users/invitations",
            422,
            "language",
            json={"email": "a@example.org", "role": "hr", "language": "french"},
        ),
    ],
    ("POST", "/users/{user_id}/invitation"): [
        lambda w: Bad("hr", "/users/999999/invitation", 404, None),
        lambda w: Bad("hr", f"/users/{w['users']['coach'].id}/invitation", 409, None),
    ],
    ("PATCH", "/users/{user_id}"): [
        lambda w: Bad("hr", f"/users/{w['pending_user']}", 422, "active", json={"active": "maybe"}),
        lambda w: Bad("hr", f"/users/{w['users']['hr'].id}", 403, "active", json={"active": False}),
        lambda w: Bad("hr", "/users/abc", 422, "user_id", json={}),
    ],
    ("POST", "/people/import"): [
        lambda w: Bad(
            "hr",
            "/people/import",
            422,
            "file",
            files={"file": ("o.csv", b"id,name,email,manager_id,timezone\nA,,bad,,Nowhere/Zone\n")},
        ),
        lambda w: Bad("hr", "/people/import", 422, "file", data={"not_a_file": "x"}),
    ],
    ("POST", "/coaches"): [
        lambda w: Bad("hr", "/coaches", 422, "vendor", json=_coach(vendor=None)),
        lambda w: Bad("hr", "/coaches", 422, "languages.0", json=_coach(languages=["english"])),
        lambda w: Bad("hr", "/coaches", 422, "modalities", json=_coach(modalities=["telepathy"])),
        lambda w: Bad("hr", "/coaches", 422, "modalities", json=_coach(modalities=["any"])),
        lambda w: Bad(
            "hr", "/coaches", 422, "coaching_types", json=_coach(coaching_types=["yoga"])
        ),
        lambda w: Bad("hr", "/coaches", 422, "timezone", json=_coach(timezone="Mars/Base")),
        lambda w: Bad(
            "hr",
            "/coaches",
            422,
            "referenced_until",
            json=_coach(referenced_from="2026-05-01", referenced_until="2026-01-01"),
        ),
        lambda w: Bad("hr", "/coaches", 422, "max_coachees", json=_coach(max_coachees=-1)),
        lambda w: Bad(
            "hr",
            "/coaches",
            422,
            "person_id",
            json=_coach(kind="internal", name=None, email=None, vendor=None),
        ),
        lambda w: Bad(
            "hr",
            "/coaches",
            409,
            "person_id",
            json=_coach(
                kind="internal", person_id=w["people"]["coach"], name=None, email=None, vendor=None
            ),
        ),
        lambda w: Bad(
            "hr",
            "/coaches",
            422,
            "person_id",
            json=_coach(kind="internal", person_id=999999, name=None, email=None, vendor=None),
        ),
    ],
    ("PATCH", "/coaches/{coach_id}"): [
        lambda w: Bad("hr", f"/coaches/{w['coach']}", 422, "time_share", json={"time_share": 2}),
        lambda w: Bad("hr", f"/coaches/{w['coach']}", 422, "vendor", json={"vendor": "V"}),
        lambda w: Bad("hr", f"/coaches/{w['coach2']}", 422, "languages", json={"languages": []}),
        lambda w: Bad("hr", f"/coaches/{w['coach2']}", 422, "languages", json={"languages": None}),
        lambda w: Bad("hr", "/coaches/999999", 404, None, json={"max_coachees": 2}),
    ],
    ("DELETE", "/coaches/{coach_id}"): [
        lambda w: Bad("hr", f"/coaches/{w['coach']}", 409, None),
        lambda w: Bad("hr", "/coaches/999999", 404, None),
    ],
    ("POST", "/conflicts"): [
        lambda w: Bad(
            "hr", "/conflicts", 422, "person_id", json={"coach_id": w["coach"], "person_id": 999999}
        ),
        lambda w: Bad(
            "hr",
            "/conflicts",
            409,
            "person_id",
            json={"coach_id": w["coach"], "person_id": w["people"]["other"]},
        ),
        lambda w: Bad("hr", "/conflicts", 422, "coach_id", json={"person_id": w["person"]}),
    ],
    ("DELETE", "/conflicts/{conflict_id}"): [lambda w: Bad("hr", "/conflicts/999999", 404, None)],
    ("POST", "/pair-adjustments"): [
        lambda w: Bad(
            "hr",
            "/pair-adjustments",
            422,
            "weight",
            json={"coach_id": w["coach"], "request_id": w["request"], "kind": "bonus"},
        ),
        lambda w: Bad(
            "hr",
            "/pair-adjustments",
            422,
            "kind",
            json={"coach_id": w["coach"], "request_id": w["request"], "kind": "maybe"},
        ),
        lambda w: Bad(
            "hr",
            "/pair-adjustments",
            409,
            "request_id",
            json={"coach_id": w["coach"], "request_id": w["request_open"], "kind": "forbid"},
        ),
    ],
    ("DELETE", "/pair-adjustments/{adjustment_id}"): [
        lambda w: Bad("hr", "/pair-adjustments/999999", 404, None)
    ],
    ("POST", "/requests"): [
        lambda w: Bad("hr", "/requests", 422, "description", json=_request(w, description=LONG)),
        lambda w: Bad("hr", "/requests", 422, "objectives", json=_request(w, objectives=LONG)),
        lambda w: Bad("hr", "/requests", 422, "coachee_id", json=_request(w, coachee_id=999999)),
        lambda w: Bad(
            "hr", "/requests", 422, "sponsor_id", json=_request(w, sponsor_id=w["people"]["other"])
        ),
        lambda w: Bad("hr", "/requests", 422, "sessions", json=_request(w, sessions=0)),
        lambda w: Bad(
            "hr", "/requests", 422, "coaching_type", json=_request(w, coaching_type="yoga")
        ),
        lambda w: Bad("hr", "/requests", 422, "language", json=_request(w, language="")),
        lambda w: Bad(
            "hr", "/requests", 422, "modality", json=_request(w, modality="carrier pigeon")
        ),
        lambda w: Bad("hr", "/requests", 422, "themes", json=_request(w, themes=["ok", " "])),
    ],
    ("PATCH", "/requests/{request_id}"): [
        lambda w: Bad("hr", f"/requests/{w['request']}", 409, "status", json={"priority": 1}),
        lambda w: Bad(
            "hr", f"/requests/{w['request_open']}", 422, "priority", json={"priority": 9}
        ),
        lambda w: Bad(
            "hr", f"/requests/{w['request_open']}", 422, "language", json={"language": None}
        ),
        lambda w: Bad(
            "hr",
            f"/requests/{w['request_open']}",
            422,
            "description",
            json={"description": "HR may not write here"},
        ),
    ],
    ("POST", "/requests/{request_id}/cancel"): [
        lambda w: Bad("hr", f"/requests/{w['request']}/cancel", 409, "status"),
        lambda w: Bad("hr", "/requests/999999/cancel", 404, None),
    ],
    ("POST", "/me/requests"): [
        lambda w: Bad(
            "coachee",
            "/me/requests",
            422,
            "description",
            json={"coaching_type": "coaching", "language": "en", "description": LONG},
        ),
        lambda w: Bad(
            "coachee",
            "/me/requests",
            422,
            "sponsor_id",
            json={"coaching_type": "coaching", "language": "en", "sponsor_id": w["person"]},
        ),
    ],
    ("PATCH", "/me/requests/{request_id}"): [
        lambda w: Bad(
            "coachee",
            f"/me/requests/{w['request']}",
            422,
            "description",
            json={"description": LONG},
        ),
        lambda w: Bad(
            "sponsor", f"/me/requests/{w['request']}", 422, "objectives", json={"objectives": LONG}
        ),
    ],
    ("POST", "/me/requests/{request_id}/cancel"): [
        lambda w: Bad("coachee", f"/me/requests/{w['request']}/cancel", 409, "status"),
    ],
    ("POST", "/me/availability/weekly"): [
        lambda w: Bad(
            "coach",
            "/me/availability/weekly",
            422,
            "timezone",
            json={"weekday": 0, "start_time": "09:00", "end_time": "12:00", "timezone": "Paris"},
        ),
        lambda w: Bad(
            "coach",
            "/me/availability/weekly",
            422,
            "end_time",
            json={"weekday": 0, "start_time": "12:00", "end_time": "09:00", "timezone": "UTC"},
        ),
        lambda w: Bad(
            "coach",
            "/me/availability/weekly",
            422,
            "weekday",
            json={"weekday": 7, "start_time": "09:00", "end_time": "12:00", "timezone": "UTC"},
        ),
        lambda w: Bad(
            "coach",
            "/me/availability/weekly",
            422,
            "start_time",
            json={"weekday": 1, "start_time": "25:00", "end_time": "12:00", "timezone": "UTC"},
        ),
    ],
    ("DELETE", "/me/availability/weekly/{window_id}"): [
        lambda w: Bad("coach", "/me/availability/weekly/999999", 404, None)
    ],
    ("POST", "/me/availability/exceptions"): [
        lambda w: Bad(
            "coach",
            "/me/availability/exceptions",
            422,
            "start_at",
            json={"start_at": "2026-04-06T00:00:00", "end_at": "2026-04-07T00:00:00Z"},
        ),
        lambda w: Bad(
            "coach",
            "/me/availability/exceptions",
            422,
            "end_at",
            json={"start_at": "2026-04-07T00:00:00Z", "end_at": "2026-04-06T00:00:00Z"},
        ),
    ],
    ("DELETE", "/me/availability/exceptions/{exception_id}"): [
        lambda w: Bad("coach", f"/me/availability/exceptions/{w['exception2']}", 404, None)
    ],
    ("POST", "/me/availability/extra"): [
        lambda w: Bad(
            "coach",
            "/me/availability/extra",
            422,
            "end_at",
            json={"start_at": "2026-04-07T10:00:00Z", "end_at": "2026-04-07T10:00:00Z"},
        ),
    ],
    ("DELETE", "/me/availability/extra/{window_id}"): [
        lambda w: Bad("coach", "/me/availability/extra/999999", 404, None)
    ],
    ("PUT", "/me/availability/ics"): [
        lambda w: Bad(
            "coach",
            "/me/availability/ics",
            422,
            "file",
            files={"file": ("x.ics", b"this is not a calendar")},
        ),
        lambda w: Bad(
            "coach",
            "/me/availability/ics",
            413,
            "file",
            files={"file": ("x.ics", b"B" * 1_000_001)},
        ),
        lambda w: Bad("coach", "/me/availability/ics", 422, "file", data={"nothing": "here"}),
    ],
    ("DELETE", "/me/availability/ics"): [
        # the other coach has no calendar to delete
        lambda w: Bad("coach2", "/me/availability/ics", 404, None),
    ],
    ("POST", "/me/windows/weekly"): [
        lambda w: Bad(
            "coachee",
            "/me/windows/weekly",
            422,
            "end_time",
            json={"weekday": 1, "start_time": "17:00", "end_time": "09:00"},
        ),
        lambda w: Bad(
            "sponsor",
            "/me/windows/weekly",
            422,
            "end_time",
            json={"weekday": 1, "start_time": "09:00", "end_time": "09:00"},
        ),
        lambda w: Bad(
            "coachee",
            "/me/windows/weekly",
            422,
            "weekday",
            json={"weekday": 7, "start_time": "09:00", "end_time": "12:00"},
        ),
        lambda w: Bad(
            "coachee",
            "/me/windows/weekly",
            422,
            "start_time",
            json={"weekday": 1, "start_time": "nine", "end_time": "12:00"},
        ),
        # the windows are in the person's own zone: no other zone can be given
        lambda w: Bad(
            "coachee",
            "/me/windows/weekly",
            422,
            "timezone",
            json={"weekday": 1, "start_time": "09:00", "end_time": "12:00", "timezone": "UTC"},
        ),
    ],
    ("DELETE", "/me/windows/weekly/{window_id}"): [
        lambda w: Bad("coachee", f"/me/windows/weekly/{w['person_window_other']}", 404, None),
        lambda w: Bad("sponsor", "/me/windows/weekly/999999", 404, None),
        lambda w: Bad("sponsor", "/me/windows/weekly/first", 422, "window_id"),
    ],
    ("POST", "/me/windows/exceptions"): [
        lambda w: Bad(
            "coachee",
            "/me/windows/exceptions",
            422,
            "start_at",
            json={"start_at": "2026-04-06T00:00:00", "end_at": "2026-04-07T00:00:00Z"},
        ),
        lambda w: Bad(
            "sponsor",
            "/me/windows/exceptions",
            422,
            "end_at",
            json={"start_at": "2026-04-07T00:00:00Z", "end_at": "2026-04-06T00:00:00Z"},
        ),
        lambda w: Bad(
            "coachee",
            "/me/windows/exceptions",
            422,
            "reason",
            json={
                "start_at": "2026-04-06T00:00:00Z",
                "end_at": "2026-04-07T00:00:00Z",
                "reason": LONG,
            },
        ),
    ],
    ("DELETE", "/me/windows/exceptions/{exception_id}"): [
        lambda w: Bad(
            "coachee", f"/me/windows/exceptions/{w['person_exception_sponsor']}", 404, None
        ),
    ],
    ("POST", "/engagements/{engagement_id}/clear-flag"): [
        lambda w: Bad("hr", f"/engagements/{w['engagement']}/clear-flag", 409, "status"),
        lambda w: Bad("hr", "/engagements/999999/clear-flag", 404, None),
    ],
    ("DELETE", "/me/feed"): [
        # after this caller's feed is revoked, revoking again is 404 (see test below)
    ],
    ("POST", "/rounds/preview"): [
        lambda w: Bad("hr", "/rounds/preview", 422, "proposals", json={"proposals": 0}),
        lambda w: Bad(
            "hr", "/rounds/preview", 422, "horizon_start", json={"horizon_start": "2026-03-01"}
        ),
    ],
    ("POST", "/rounds"): [
        lambda w: Bad("hr", "/rounds", 422, "history", json={"history": "sometimes"}),
        lambda w: Bad("hr", "/rounds", 422, "time_limit_seconds", json={"time_limit_seconds": 0}),
        lambda w: Bad("hr", "/rounds", 422, "horizon_weeks", json={"horizon_weeks": "many"}),
        lambda w: Bad("hr", "/rounds", 422, "budget", json={"budget": 5}),
    ],
    ("POST", "/proposals/{proposal_id}/confirm"): [
        lambda w: Bad("hr", "/proposals/999999/confirm", 404, None),
        lambda w: Bad("hr", f"/proposals/{w['proposal_old']}/confirm", 409, "status"),
        # the coach has a declared conflict with this coachee since the round
        lambda w: Bad("hr", f"/proposals/{w['proposal_conflicted']}/confirm", 409, "coach_id"),
    ],
    ("POST", "/proposals/{proposal_id}/reject"): [
        lambda w: Bad("hr", "/proposals/999999/reject", 404, None),
        lambda w: Bad("hr", f"/proposals/{w['proposal_old']}/reject", 409, "status"),
    ],
    ("POST", "/me/proposals/{proposal_id}/choose"): [
        lambda w: Bad("coachee", "/me/proposals/999999/choose", 404, None),
        lambda w: Bad("coachee", f"/me/proposals/{w['proposal_other']}/choose", 404, None),
        lambda w: Bad("coachee", f"/me/proposals/{w['proposal_old']}/choose", 409, "status"),
    ],
    ("POST", "/me/sessions/{session_id}/reschedule"): [
        lambda w: Bad(
            "coach",
            f"/me/sessions/{w['session']}/reschedule",
            422,
            "start_at",
            json={"start_at": "2026-03-09T09:00:00"},
        ),
        lambda w: Bad(
            "coach",
            f"/me/sessions/{w['session']}/reschedule",
            422,
            "start_at",
            json={"start_at": "2026-03-01T09:00:00Z"},
        ),
        # a Sunday night: outside the coach's windows
        lambda w: Bad(
            "coach",
            f"/me/sessions/{w['session']}/reschedule",
            409,
            "start_at",
            json={"start_at": "2026-03-08T02:00:00Z"},
        ),
        lambda w: Bad(
            "coach",
            f"/me/sessions/{w['session2']}/reschedule",
            404,
            None,
            json={"start_at": "2026-03-09T08:00:00Z"},
        ),
        lambda w: Bad(
            "coach", f"/me/sessions/{w['session']}/reschedule", 422, "when", json={"when": 1}
        ),
    ],
    ("POST", "/me/sessions/{session_id}/cancel"): [
        lambda w: Bad("coach", "/me/sessions/999999/cancel", 404, None),
        lambda w: Bad("coachee", f"/me/sessions/{w['session2']}/cancel", 404, None),
    ],
    ("POST", "/me/sessions/{session_id}/outcome"): [
        lambda w: Bad(
            "coach", f"/me/sessions/{w['session']}/outcome", 422, "status", json={"status": "x"}
        ),
        # the session has not started yet
        lambda w: Bad(
            "coach",
            f"/me/sessions/{w['session']}/outcome",
            409,
            "status",
            json={"status": "held"},
        ),
    ],
    ("POST", "/sessions/{session_id}/outcome"): [
        lambda w: Bad(
            "hr", f"/sessions/{w['session']}/outcome", 422, "status", json={"status": "cancelled"}
        ),
        lambda w: Bad("hr", "/sessions/999999/outcome", 404, None, json={"status": "held"}),
        lambda w: Bad("hr", f"/sessions/{w['session']}/outcome", 422, "status", json={}),
    ],
}

# Writes that take no client input at all: nothing can be malformed.
NO_INPUT = {
    ("POST", "/auth/logout"),
    ("POST", "/me/feed"),
    ("DELETE", "/me/feed"),
    ("POST", "/outbox/deliver"),
}


def test_every_write_endpoint_has_bad_input_cases() -> None:
    writes = {(m, p) for m, p in _routes() if m in WRITE}
    covered = {k for k, v in CASES.items() if v} | NO_INPUT
    assert writes - covered == set()


ALL_CASES = [(key, i) for key, cases in sorted(CASES.items()) for i in range(len(cases))]


@pytest.mark.parametrize(("key", "index"), ALL_CASES, ids=lambda v: str(v))
def test_bad_input_is_refused_cleanly(
    key: tuple[str, str], index: int, client: TestClient, db: Any, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    bad: Bad = CASES[key][index](world)
    if bad.role == "coach2":
        headers = world["other_coach_headers"]
    else:
        headers = world["headers"][bad.role] if bad.role else {}
    before = row_counts(db)
    client.cookies.clear()
    response = client.request(
        key[0], bad.path, headers=headers, json=bad.json, files=bad.files, data=bad.data
    )
    assert response.status_code == bad.status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["field"] == bad.field, body
    after = row_counts(db)
    assert after == before
