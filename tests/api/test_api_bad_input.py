"""Bad input on every write endpoint: a 4xx naming the field, never a 500, and not one row
changed anywhere. The table is checked against the app's routes so none is forgotten."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from api_support import build_world, row_counts
from fastapi.testclient import TestClient
from lifecycle_support import FRAME
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


CALL = "/me/proposals/"
SOON = {"start_at": "2099-01-05T10:00:00+00:00"}


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
    ("POST", "/auth/password-reset"): [
        lambda w: Bad(None, "/auth/password-reset", 422, "email", json={"email": "nope"}),
        lambda w: Bad(None, "/auth/password-reset", 422, "email", json={}),
    ],
    ("POST", "/auth/password-reset/confirm"): [
        lambda w: Bad(
            None,
            "/auth/password-reset/confirm",
            404,
            "token",
            json={"token": "no-such-reset-token", "password": "long enough pw"},
        ),
        lambda w: Bad(
            None, "/auth/password-reset/confirm", 422, "password", json={"token": "x" * 20}
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
            json={"email": "k1@example.org", "role": "hr"},
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
        lambda w: Bad("hr", f"/engagements/{w['engagement']}/clear-flag", 409, "state"),
        lambda w: Bad("hr", "/engagements/999999/clear-flag", 404, None),
    ],
    # issue 11: the contract, the lifecycle, evaluations, notifications, the record
    ("PUT", "/me/engagements/{engagement_id}/contract"): [
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement']}/contract",
            422,
            "objectives",
            json={"objectives": [], "frame": FRAME},
        ),
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement']}/contract",
            422,
            "objectives",
            json={"objectives": ["x"] * 11, "frame": FRAME},
        ),
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement']}/contract",
            422,
            "objectives.0",
            json={"objectives": ["x" * 301], "frame": FRAME},
        ),
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement']}/contract",
            422,
            "frame.expected_end",
            json={"objectives": ["x"], "frame": FRAME | {"expected_end": "2026-01-01"}},
        ),
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement2']}/contract",
            404,
            None,
            json={"objectives": ["x"], "frame": FRAME},
        ),
    ],
    ("POST", "/me/engagements/{engagement_id}/contract/acknowledge"): [
        lambda w: Bad(
            "coachee", f"/me/engagements/{w['engagement']}/contract/acknowledge", 409, "contract"
        ),
        lambda w: Bad(
            "coachee",
            f"/me/engagements/{w['engagement']}/contract/acknowledge",
            422,
            "version",
            json={"version": "latest"},
        ),
        lambda w: Bad(
            "coachee", f"/me/engagements/{w['engagement2']}/contract/acknowledge", 404, None
        ),
    ],
    ("POST", "/me/engagements/{engagement_id}/end"): [
        lambda w: Bad(
            "coachee",
            f"/me/engagements/{w['engagement']}/end",
            422,
            "reason",
            json={"reason": "my manager is unbearable"},
        ),
        lambda w: Bad("coachee", f"/me/engagements/{w['engagement']}/end", 422, "reason", json={}),
        lambda w: Bad(
            "coachee",
            f"/me/engagements/{w['engagement2']}/end",
            404,
            None,
            json={"reason": "other"},
        ),
    ],
    ("POST", "/me/engagements/{engagement_id}/hold"): [
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement']}/hold",
            422,
            "keep_capacity",
            json={"keep_capacity": "maybe"},
        ),
        lambda w: Bad("coach", f"/me/engagements/{w['engagement_flagged']}/hold", 404, None),
    ],
    ("POST", "/me/engagements/{engagement_id}/resume"): [
        lambda w: Bad("coach", f"/me/engagements/{w['engagement']}/resume", 409, "state"),
    ],
    ("POST", "/me/engagements/{engagement_id}/review"): [
        lambda w: Bad("coach", f"/me/engagements/{w['engagement']}/review", 409, "state"),
    ],
    ("POST", "/me/engagements/{engagement_id}/close"): [
        lambda w: Bad("coach", f"/me/engagements/{w['engagement']}/close", 409, "state"),
    ],
    ("POST", "/me/engagements/{engagement_id}/coach-change"): [
        lambda w: Bad("coachee", "/me/engagements/999999/coach-change", 404, None),
    ],
    ("POST", "/engagements/{engagement_id}/reassign"): [
        lambda w: Bad(
            "hr",
            f"/engagements/{w['engagement']}/reassign",
            422,
            "coach_id",
            json={"coach_id": w["coach"]},
        ),
        lambda w: Bad(
            "hr",
            f"/engagements/{w['engagement']}/reassign",
            422,
            "coach_id",
            json={"coach_id": 999999},
        ),
        lambda w: Bad(
            "hr",
            f"/engagements/{w['engagement']}/reassign",
            422,
            "coach_id",
            json={"coach_id": "x"},
        ),
        lambda w: Bad("hr", "/engagements/999999/reassign", 404, None, json={}),
    ],
    ("POST", "/me/evaluations/{invitation_id}"): [
        lambda w: Bad(
            "coachee",
            "/me/evaluations/1",
            422,
            "satisfaction",
            json={"satisfaction": 9, "recommend": True},
        ),
        lambda w: Bad(
            "coachee",
            "/me/evaluations/1",
            422,
            "testimonial",
            json={"satisfaction": 3, "recommend": True, "testimonial": LONG},
        ),
        lambda w: Bad(
            "coachee", "/me/evaluations/1", 404, None, json={"satisfaction": 3, "recommend": False}
        ),
    ],
    ("POST", "/people/{person_id}/erase"): [
        lambda w: Bad("hr", f"/people/{w['person']}/erase", 422, "confirm", json={}),
        lambda w: Bad(
            "hr", f"/people/{w['person']}/erase", 422, "confirm", json={"confirm": False}
        ),
        lambda w: Bad("hr", "/people/999999/erase", 404, None, json={"confirm": True}),
    ],
    ("PUT", "/me/notifications"): [
        lambda w: Bad("coachee", "/me/notifications", 422, "off.0", json={"off": ["everything"]}),
        lambda w: Bad(
            "coachee", "/me/notifications", 422, "reminder_hours", json={"reminder_hours": 0}
        ),
    ],
    ("PUT", "/coaches/{coach_id}/record"): [
        lambda w: Bad(
            "hr", f"/coaches/{w['coach']}/record", 422, "peer_group", json={"peer_group": LONG}
        ),
        lambda w: Bad("hr", "/coaches/999999/record", 404, None, json={}),
    ],
    ("POST", "/coaches/{coach_id}/certifications"): [
        lambda w: Bad(
            "hr",
            f"/coaches/{w['coach']}/certifications",
            422,
            "body",
            json={"level": "A", "obtained": "2025-01-01"},
        ),
        lambda w: Bad(
            "hr",
            f"/coaches/{w['coach']}/certifications",
            422,
            "valid_until",
            json={
                "body": "ICF",
                "level": "A",
                "obtained": "2025-01-01",
                "valid_until": "2024-01-01",
            },
        ),
    ],
    ("DELETE", "/coaches/{coach_id}/certifications/{certification_id}"): [
        lambda w: Bad("hr", f"/coaches/{w['coach']}/certifications/999999", 404, None),
    ],
    ("POST", "/coaches/{coach_id}/referencing"): [
        lambda w: Bad(
            "hr", f"/coaches/{w['coach2']}/referencing", 422, "action", json={"action": "bless"}
        ),
        lambda w: Bad(
            "hr", f"/coaches/{w['coach']}/referencing", 409, "coach_id", json={"action": "review"}
        ),
        lambda w: Bad(
            "hr", f"/coaches/{w['coach2']}/referencing", 409, "action", json={"action": "reference"}
        ),
    ],
    ("POST", "/me/coach/supervision"): [
        lambda w: Bad(
            "coach", "/me/coach/supervision", 422, "hours", json={"day": "2026-02-01", "hours": 0}
        ),
        lambda w: Bad(
            "coach", "/me/coach/supervision", 422, "day", json={"day": "2027-02-01", "hours": 1}
        ),
    ],
    # issue 13: where to meet, feed detail, replies, the coach's own calendar
    ("PATCH", "/me/feed"): [
        lambda w: Bad("coach", "/me/feed", 422, "detail", json={"detail": "everything"}),
    ],
    ("PUT", "/me/coach/room"): [
        lambda w: Bad(
            "coach", "/me/coach/room", 422, "room_url", json={"room_url": "javascript:x"}
        ),
        lambda w: Bad(
            "coach", "/me/coach/room", 422, "room_url", json={"room_url": "http://m.x/a"}
        ),
    ],
    # issue 14: the coach's profile the coachee reads
    ("PUT", "/me/coach/profile"): [
        lambda w: Bad("coach", "/me/coach/profile", 422, "bio", json={"bio": "b" * 601}),
        lambda w: Bad("coach", "/me/coach/profile", 422, "bio", json={"bio": 12}),
    ],
    ("PUT", "/me/coach/photo"): [
        lambda w: Bad(
            "coach", "/me/coach/photo", 422, "photo", files={"photo": ("a.png", b"GIF89a..")}
        ),
        lambda w: Bad(
            "coach",
            "/me/coach/photo",
            413,
            "photo",
            files={"photo": ("a.png", b"\x89PNG\r\n\x1a\n" + bytes(1_000_000))},
        ),
    ],
    ("DELETE", "/me/coach/photo"): [
        lambda w: Bad("coachee", "/me/coach/photo", 403, None),
    ],
    ("PUT", "/me/engagements/{engagement_id}/room"): [
        lambda w: Bad(
            "coach", f"/me/engagements/{w['engagement']}/room", 422, "room", json={"room": LONG}
        ),
        lambda w: Bad("coach", "/me/engagements/999999/room", 404, None, json={"room": "A"}),
    ],
    ("PUT", "/sites/{name}"): [
        lambda w: Bad("hr", "/sites/Lyon", 422, "address", json={"address": ""}),
        lambda w: Bad(
            "hr",
            "/sites/Lyon",
            422,
            "latitude",
            json={"address": "x", "latitude": 91, "longitude": 0},
        ),
        lambda w: Bad("hr", "/sites/Lyon", 422, "longitude", json={"address": "x", "latitude": 45}),
    ],
    # The world's people are all at Paris: Lyon is no site of its programme.
    ("PUT", "/travel/{a}/{b}"): [
        lambda w: Bad("hr", "/travel/Paris/Lyon", 422, "minutes", json={"minutes": -1}),
        lambda w: Bad("hr", "/travel/Paris/Lyon", 422, "minutes", json={"minutes": 1441}),
        lambda w: Bad("hr", "/travel/Paris/Lyon", 404, "b", json={"minutes": 60}),
        lambda w: Bad("hr", "/travel/Lyon/Paris", 404, "a", json={"minutes": 60}),
        lambda w: Bad("hr", "/travel/Paris/Paris", 422, "b", json={"minutes": 60}),
    ],
    ("DELETE", "/travel/{a}/{b}"): [
        lambda w: Bad("hr", "/travel/Paris/Lyon", 404, "b"),
        lambda w: Bad("hr", "/travel/Paris/Paris", 422, "b"),
    ],
    ("POST", "/me/reschedule-requests/{request_id}/accept"): [
        lambda w: Bad("coach", "/me/reschedule-requests/999999/accept", 404, None),
    ],
    ("POST", "/me/reschedule-requests/{request_id}/decline"): [
        lambda w: Bad("coach", "/me/reschedule-requests/999999/decline", 404, None),
    ],
    ("PUT", "/me/availability/calendar"): [
        lambda w: Bad(
            "coach",
            "/me/availability/calendar",
            422,
            "url",
            json={"kind": "ics", "url": "ftp://x/y"},
        ),
        lambda w: Bad(
            "coach",
            "/me/availability/calendar",
            422,
            "url",
            json={"kind": "ics", "url": "http://calendar.example/c.ics"},
        ),
        lambda w: Bad(
            "coach",
            "/me/availability/calendar",
            422,
            "kind",
            json={"kind": "x", "url": "https://a/b"},
        ),
    ],
    ("POST", "/me/availability/calendar/refresh"): [
        lambda w: Bad("coach", "/me/availability/calendar/refresh", 404, None),
    ],
    ("DELETE", "/me/availability/calendar"): [
        lambda w: Bad("coach", "/me/availability/calendar", 404, None),
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
    ("POST", "/rounds/{round_id}/commit"): [
        lambda w: Bad("hr", "/rounds/999999/commit", 404, None),
        # a round that stored itself already is no preview to commit
        lambda w: Bad("hr", f"/rounds/{w['round']}/commit", 409, None),
    ],
    ("POST", "/rounds/{round_id}/cancel"): [
        lambda w: Bad("hr", "/rounds/999999/cancel", 404, None),
        lambda w: Bad("hr", f"/rounds/{w['round']}/cancel", 409, None),  # done: nothing to stop
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
    ("POST", "/me/proposals/{proposal_id}/chemistry-call"): [
        lambda w: Bad("coachee", f"{CALL}999999/chemistry-call", 404, "proposal_id", json=SOON),
        lambda w: Bad(
            "coachee", f"{CALL}{w['proposal_other']}/chemistry-call", 404, "proposal_id", json=SOON
        ),
        lambda w: Bad(
            "coachee", f"{CALL}{w['proposal_old']}/chemistry-call", 409, "proposal_id", json=SOON
        ),
        lambda w: Bad(
            "coachee", f"{CALL}{w['proposal2']}/chemistry-call", 422, "start_at", json={}
        ),
        lambda w: Bad(
            "coachee",
            f"{CALL}{w['proposal2']}/chemistry-call",
            422,
            "start_at",
            json={"start_at": "soon"},
        ),
        lambda w: Bad(
            "coachee",
            f"{CALL}{w['proposal2']}/chemistry-call",
            422,
            "start_at",
            json={"start_at": "2026-03-03T10:00:00"},  # no offset
        ),
        lambda w: Bad(
            "coachee",
            f"{CALL}{w['proposal2']}/chemistry-call",
            422,
            "start_at",
            json={"start_at": "2020-01-06T10:00:00+00:00"},  # past
        ),
    ],
    ("DELETE", "/me/proposals/{proposal_id}/chemistry-call"): [
        lambda w: Bad("coachee", f"{CALL}999999/chemistry-call", 404, "proposal_id"),
        # nothing booked: nothing to cancel
        lambda w: Bad("coachee", f"{CALL}{w['proposal2']}/chemistry-call", 404, "proposal_id"),
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
    # testimonials and weak signals (issue 12 items 3-4)
    ("POST", "/me/testimonials"): [
        lambda w: Bad(
            "coachee",
            "/me/testimonials",
            422,
            "text",
            json={"engagement_id": w["engagement"], "text": LONG, "quotable": True},
        ),
        lambda w: Bad(
            "coachee",
            "/me/testimonials",
            422,
            "quotable",
            json={"engagement_id": w["engagement"], "text": "Fine", "quotable": False},
        ),
        # an engagement still running
        lambda w: Bad(
            "coachee",
            "/me/testimonials",
            404,
            None,
            json={"engagement_id": w["engagement"], "text": "Fine", "quotable": True},
        ),
    ],
    ("POST", "/testimonials/{testimonial_id}/approve"): [
        lambda w: Bad("coach", "/testimonials/not-hex/approve", 422, "testimonial_id", json={}),
        lambda w: Bad("coach", f"/testimonials/{'0' * 32}/approve", 404, None, json={}),
        lambda w: Bad(
            "coach", f"/testimonials/{'0' * 32}/approve", 422, "text", json={"text": LONG}
        ),
    ],
    ("POST", "/testimonials/{testimonial_id}/reject"): [
        lambda w: Bad("coach", "/testimonials/not-hex/reject", 422, "testimonial_id"),
        lambda w: Bad("coach", f"/testimonials/{'0' * 32}/reject", 404, None),
    ],
    ("POST", "/themes"): [
        lambda w: Bad(
            "hr",
            "/themes",
            422,
            "code",
            json={"code": "Free text", "label_en": "a", "label_fr": "b"},
        ),
        lambda w: Bad(
            "hr", "/themes", 422, "label_en", json={"code": "ok", "label_en": LONG, "label_fr": "b"}
        ),
    ],
    ("PATCH", "/themes/{theme_id}"): [
        lambda w: Bad("hr", "/themes/999999", 404, None, json={}),
        lambda w: Bad("hr", "/themes/999999", 422, "label_fr", json={"label_fr": " "}),
    ],
    ("DELETE", "/themes/{theme_id}"): [
        lambda w: Bad("hr", "/themes/999999", 404, None),
        lambda w: Bad("hr", "/themes/0", 422, "theme_id"),
    ],
    ("PUT", "/me/engagements/{engagement_id}/themes"): [
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement']}/themes",
            422,
            "themes.0",
            json={"themes": ["My manager shouts"]},
        ),
        lambda w: Bad(
            "coach",
            f"/me/engagements/{w['engagement']}/themes",
            422,
            "themes",
            json={"themes": ["unknown"]},
        ),
        lambda w: Bad(
            "coach", f"/me/engagements/{w['engagement2']}/themes", 404, None, json={"themes": []}
        ),
    ],
    ("POST", "/syntheses"): [
        lambda w: Bad(
            "coach",
            "/syntheses",
            422,
            "from",
            json={"title": "t", "from": "2025-01-02", "to": "2025-01-31", "body": "Calm."},
        ),
        lambda w: Bad(
            "coach",
            "/syntheses",
            422,
            "body",
            json={"title": "t", "from": "2025-01-01", "to": "2025-01-31", "body": "3 cases."},
        ),
    ],
    ("PUT", "/syntheses/{note_id}"): [
        lambda w: Bad(
            "coach",
            "/syntheses/999999",
            404,
            None,
            json={"title": "t", "from": "2025-01-01", "to": "2025-01-31", "body": "Calm."},
        ),
        lambda w: Bad(
            "coach",
            "/syntheses/999999",
            422,
            "title",
            json={"title": "", "from": "2025-01-01", "to": "2025-01-31", "body": "Calm."},
        ),
    ],
}

# Writes that take no client input at all: nothing can be malformed.
NO_INPUT = {
    ("POST", "/me/engagements/{engagement_id}/coach-change"),
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
