"""Safe actions, the rest (issue 14 item 5), through the real app: deleting a neutrality
rule, stopping a round and rejecting a proposal ask first (a GET of the question and a post
without the confirmation change nothing), can be undone for ten minutes where possible,
and a refusal is said on the page, not on a dead-end error page; a request's cancel reason
is shown to HR and to no one else. One confirmation in Chromium, in French."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import unquote

import pytest
from api_support import build_world, fresh, login
from fastapi.testclient import TestClient
from profiles_support import PNG
from rounds_support import fast
from rounds_support import open_proposals as _open
from rounds_support import review_row as _row
from sqlmodel import Session, select
from test_web_forms import _error
from test_web_round_review import _world
from web_support import Browser, as_user, bearer_token

from api.clock import FixedClock
from api.models import (
    Coach,
    CoachingRequest,
    CoachPhoto,
    Conflict,
    MatchingRound,
    PairAdjustment,
    Person,
    Proposal,
)
from api.models.enums import ProposalStatus, RequestStatus, RoundStatus
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

NBSP = "\u00a0"
REASON = "Reason-Sentinel-5Q: moved to Lyon"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _visible(html: str) -> str:
    return unescape(re.sub(r"<[^>]*>", " ", html))


def _name(db: Session, model: type[Any], row_id: int) -> str:
    row = fresh(db).get(model, row_id)
    assert row is not None
    return str(row.name)


def _token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no undo offered"
    return unescape(found[1])


def test_deleting_a_neutrality_rule_asks_first_and_can_be_undone(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    conflict = fresh(db).get(Conflict, world["conflict"])
    assert conflict is not None
    coach, person = _name(db, Coach, conflict.coach_id), _name(db, Person, conflict.person_id)
    kept = (conflict.coach_id, conflict.person_id, conflict.created_at)
    conflict_id = world["conflict"]  # (`fresh` expires `conflict` itself)
    url = f"/hr/neutrality/conflicts/{conflict_id}/delete"

    page = client.get("/hr/neutrality")  # the question is on the page; nothing changes
    assert f'<details class="confirm inline" id="delete-conflict-{conflict_id}"' in page.text
    question = f"Delete the conflict of interest between {coach} and {person}?"
    assert question in _visible(page.text)
    assert fresh(db).get(Conflict, conflict_id) is not None

    bare = client.post(url, data={"csrf": csrf}, follow_redirects=False)
    assert (bare.status_code, bare.headers["location"]) == (303, "/hr/neutrality")
    assert fresh(db).get(Conflict, conflict_id) is not None
    assert "Nothing was changed: confirm first" in client.get("/hr/neutrality").text

    done = client.post(url, data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/hr/neutrality?undo=")
    assert fresh(db).get(Conflict, conflict_id) is None
    offer = client.get(done.headers["location"])
    assert "Conflict of interest deleted. You can undo this until" in _visible(offer.text)
    token = _token(offer.text)

    # another sign-in (another session cookie) cannot use this page's token
    other = as_user(client, bearer_token(login(client, "hr@example.org")))
    forged = client.post("/hr/neutrality/restore", data={"csrf": other, "token": token})
    assert forged.status_code == 409 and 'id="undo-error"' in forged.text
    assert fresh(db).exec(select(Conflict)).all() == []
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))

    clock.advance(timedelta(minutes=9))
    restored = client.post(
        "/hr/neutrality/restore", data={"csrf": csrf, "token": token}, follow_redirects=False
    )
    assert restored.status_code == 303
    back = fresh(db).exec(select(Conflict)).one()
    assert (back.coach_id, back.person_id, back.created_at) == kept  # as it was, its date too
    assert "Delete undone: the rule counts again." in client.get("/hr/neutrality").text
    # the same undo again: the rule exists, refused on the page (its heading, its forms)
    again = client.post("/hr/neutrality/restore", data={"csrf": csrf, "token": token})
    assert again.status_code == 409
    assert 'id="undo-error"' in again.text and 'action="/hr/neutrality/conflicts"' in again.text
    assert len(fresh(db).exec(select(Conflict)).all()) == 1

    # an exclusion deleted, then too late: refused inline (in French too), still deleted
    adjustment_id = world["adjustment"]
    client.post(
        f"/hr/neutrality/adjustments/{adjustment_id}/delete",
        data={"csrf": csrf, "confirm": "yes"},
    )
    assert fresh(db).get(PairAdjustment, adjustment_id) is None
    assert 'id="undo-delete"' not in client.get("/hr/neutrality?undo=x").text  # a bad token
    gone = client.post(
        f"/hr/neutrality/adjustments/{adjustment_id}/delete",
        data={"csrf": csrf, "confirm": "yes"},
    )
    assert gone.status_code == 404
    client.cookies.set(LANG_COOKIE, "fr")
    client.post(
        "/hr/neutrality/adjustments",
        data={
            "csrf": csrf,
            "coach_id": str(world["coach2"]),
            "request_id": str(world["request_open"]),
            "kind": "forbid",
        },
    )
    adjustment = fresh(db).exec(select(PairAdjustment)).one()
    deleted = client.post(
        f"/hr/neutrality/adjustments/{adjustment.id}/delete",
        data={"csrf": csrf, "confirm": "yes"},
        follow_redirects=False,
    )
    token = _token(client.get(deleted.headers["location"]).text)
    clock.advance(timedelta(minutes=11))
    refused = client.post("/hr/neutrality/restore", data={"csrf": csrf, "token": token})
    assert refused.status_code == 409
    assert "Cette suppression ne peut plus être annulée" in refused.text
    assert fresh(db).exec(select(PairAdjustment)).all() == []


def test_the_add_forms_still_say_their_errors_next_to_the_field(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """The neutrality forms are parsed by pydantic form models; a refusal still names the
    field, translated."""
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    client.cookies.set(LANG_COOKIE, "fr")
    refused = client.post(
        "/hr/neutrality/adjustments",
        data={"csrf": csrf, "coach_id": str(world["coach2"]), "request_id": "abc"},
    )
    assert refused.status_code == 422
    message = _error(refused.text, "request_id")
    assert message and "Input should" not in message  # in French, not pydantic's English
    assert 'value="abc"' in refused.text  # kept as typed
    empty = client.post("/hr/neutrality/conflicts", data={"csrf": csrf})
    assert empty.status_code == 422 and _error(empty.text, "person_id")


def test_stopping_a_round_asks_first_and_a_late_stop_is_said_on_its_page(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    round_id = world["round_queued"]
    url = f"/hr/rounds/{round_id}/cancel"
    page = client.get(f"/hr/rounds/{round_id}")
    assert f"Stop round {round_id}?" in _visible(page.text) and 'id="cancel-round"' in page.text
    bare = client.post(url, data={"csrf": csrf}, follow_redirects=False)
    assert bare.headers["location"] == f"/hr/rounds/{round_id}"
    assert fresh(db).get(MatchingRound, round_id).status == RoundStatus.queued
    done = client.post(url, data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
    assert done.status_code == 303
    assert fresh(db).get(MatchingRound, round_id).status == RoundStatus.cancelled
    again = client.post(url, data={"csrf": csrf, "confirm": "yes"})
    assert again.status_code == 409
    assert 'id="review-title"' in again.text  # the round's page, with the reason
    assert 'role="alert"' in again.text


def test_rejecting_a_proposal_asks_first_and_can_be_undone(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    w = _world(db, settings, client)
    round_id = w["round"]["id"]
    csrf = as_user(client, bearer_token(w["hr"]))
    olga_id = w["requests"]["olga"].id
    first, second = _open(db, olga_id)[:2]
    coach = _name(db, Coach, second.coach_id)
    row = _row(client.get(f"/hr/rounds/{round_id}").text, olga_id)
    assert f'id="reject-{second.id}"' in row
    assert f"Reject {coach} for Olga" in _visible(row)

    url = f"/hr/proposals/{second.id}/reject"
    bare = client.post(url, data={"csrf": csrf}, follow_redirects=False)
    assert bare.headers["location"] == f"/hr/rounds/{round_id}#request-{olga_id}"
    assert fresh(db).get(Proposal, second.id).status == ProposalStatus.proposed

    done = client.post(url, data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
    assert fresh(db).get(Proposal, second.id).status == ProposalStatus.rejected
    shown = _row(client.get(done.headers["location"]).text, olga_id)
    assert f"{coach} rejected for Olga" in _visible(shown) and 'id="undo-reject"' in shown
    at = re.search(r'name="at" value="([^"]+)"', shown)
    assert at is not None
    clock.advance(timedelta(minutes=5))
    undone = client.post(
        f"/hr/proposals/{second.id}/restore",
        data={"csrf": csrf, "at": at[1]},
        follow_redirects=False,
    )
    assert undone.status_code == 303
    back = fresh(db).get(Proposal, second.id)
    assert (back.status, back.decided_at) == (ProposalStatus.proposed, None)

    # both rejected: the request is open again; undoing the last makes it proposed again
    for proposal in (first, second):
        last = client.post(
            f"/hr/proposals/{proposal.id}/reject",
            data={"csrf": csrf, "confirm": "yes"},
            follow_redirects=False,
        )
    assert fresh(db).get(CoachingRequest, olga_id).status == RequestStatus.open
    stamp = re.search(r"at=([^#&]+)", last.headers["location"])
    assert stamp is not None
    client.post(f"/hr/proposals/{second.id}/restore", data={"csrf": csrf, "at": unquote(stamp[1])})
    assert fresh(db).get(CoachingRequest, olga_id).status == RequestStatus.proposed
    assert fresh(db).get(Proposal, second.id).status == ProposalStatus.proposed

    # too late: refused in the row (not an error page), still rejected
    client.post(
        f"/hr/proposals/{second.id}/reject",
        data={"csrf": csrf, "confirm": "yes"},
        follow_redirects=False,
    )
    decided = fresh(db).get(Proposal, second.id).decided_at
    assert decided is not None
    clock.advance(timedelta(minutes=11))
    late = client.post(
        f"/hr/proposals/{second.id}/restore", data={"csrf": csrf, "at": decided.isoformat()}
    )
    assert late.status_code == 409
    assert "can no longer be undone" in _row(late.text, olga_id)
    assert fresh(db).get(Proposal, second.id).status == ProposalStatus.rejected


def test_an_erasure_without_its_box_ticked_is_refused_in_its_form(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    person_id = world["person"]
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    url = f"/hr/people/{person_id}/erase"
    refused = client.post(url, data={"csrf": csrf})
    assert refused.status_code == 422
    assert f'action="{url}"' in refused.text  # the form again, the reason by the box
    assert 'id="confirm-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert fresh(db).get(Person, person_id).erased_at is None
    client.cookies.set(LANG_COOKIE, "fr")
    french = client.post(url, data={"csrf": csrf})
    assert french.status_code == 422 and 'lang="fr"' in french.text
    done = client.post(url, data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
    assert done.status_code == 303
    assert fresh(db).get(Person, person_id).erased_at is not None


def test_a_coach_deletes_the_photo_only_after_the_confirmation(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["coach"]))
    uploaded = client.post(
        "/coach/profile/photo",
        data={"csrf": csrf},
        files={"photo": ("me.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303
    page = client.get("/coach/profile")
    assert 'id="delete-photo"' in page.text and "Delete your photo?" in _visible(page.text)
    bare = client.post("/coach/profile/photo/delete", data={"csrf": csrf}, follow_redirects=False)
    assert (bare.status_code, bare.headers["location"]) == (303, "/coach/profile")
    assert len(fresh(db).exec(select(CoachPhoto)).all()) == 1
    client.post("/coach/profile/photo/delete", data={"csrf": csrf, "confirm": "yes"})
    assert fresh(db).exec(select(CoachPhoto)).all() == []


def test_a_cancel_refused_is_said_in_its_confirmation(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """The request moved on while HR read the question: the refusal is on that page,
    above the form, with the reason typed kept (not on an error page)."""
    world = build_world(db, settings, client)
    row = db.get(CoachingRequest, world["request_open"])
    assert row is not None
    url = f"/hr/requests/{row.id}/cancel"
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    assert client.get(url).status_code == 200
    row.status = RequestStatus.matched
    db.add(row)
    db.commit()
    refused = client.post(url, data={"csrf": csrf, "confirm": "yes", "reason": "left us"})
    assert refused.status_code == 409
    assert 'id="confirm-form"' in refused.text and "left us</textarea>" in refused.text
    assert '<p class="error" role="alert">The request is Matched;' in refused.text
    assert fresh(db).get(CoachingRequest, row.id).status == RequestStatus.matched


def test_the_cancel_reason_is_shown_to_hr_only(
    client: TestClient,
    db: Session,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = build_world(db, settings, client)
    request_id = world["request_open"]
    caplog.set_level(logging.DEBUG)
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    client.post(
        f"/hr/requests/{request_id}/cancel",
        data={"csrf": csrf, "confirm": "yes", "reason": REASON},
    )
    assert fresh(db).get(CoachingRequest, request_id).cancel_reason == REASON
    page = client.get(f"/hr/requests/{request_id}")
    assert re.search(rf'id="cancel-reason">{re.escape(unescape(REASON))}<', unescape(page.text))
    pipeline = client.get("/hr/requests?state=cancelled")
    row = re.search(rf'<tr id="request-{request_id}".*?</tr>', pipeline.text, re.S)
    assert row and f"Cancelled: {REASON}" in unescape(row[0])
    client.cookies.set(LANG_COOKIE, "fr")
    assert f"Annulée{NBSP}: {REASON}" in unescape(client.get("/hr/requests?state=cancelled").text)
    assert REASON not in client.get("/hr/requests.csv").text  # HR's words stay on the page

    # nobody else reads it: the coachee, the sponsor, the coach, the API, feeds, mail, logs
    for role, paths in (
        ("coachee", [f"/my/requests/{request_id}", "/my/requests", "/"]),
        ("sponsor", ["/", "/my/requests"]),
        ("coach", ["/", "/coach/availability"]),
    ):
        as_user(client, bearer_token(world["headers"][role]))
        for path in paths:
            answer = client.get(path)
            assert REASON not in answer.text, (role, path)
        feed = client.get(f"/feeds/{world['feed_tokens'][role]}.ics")
        assert REASON not in feed.text
    for role in ("hr", "coachee", "sponsor"):
        api = client.get(f"/requests/{request_id}", headers=world["headers"][role])
        assert REASON not in api.text, role
    outbox = settings.outbox_dir
    if outbox.exists():
        for mail in outbox.rglob("*"):
            if mail.is_file():
                assert REASON not in mail.read_text(errors="replace"), mail
    assert REASON not in caplog.text


def test_a_neutrality_delete_in_chromium_in_french(
    page: Any, live_server: str, client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    conflict_id = world["conflict"]
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/neutrality")
    page.click("button[name=lang][value=fr]")
    page.wait_for_load_state()
    details = page.locator(f"#delete-conflict-{conflict_id}")
    details.locator("summary").click()
    question = details.locator("span").inner_text()
    assert question.startswith("Supprimer le conflit d’intérêts entre") and f"{NBSP}?" in question
    assert fresh(db).get(Conflict, conflict_id) is not None  # opening it changes nothing
    details.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/hr/neutrality\?undo="))
    assert "Vous pouvez revenir en arrière jusqu’à" in site.text()
    assert fresh(db).get(Conflict, conflict_id) is None
    page.locator("#undo-delete button").click()
    page.wait_for_url(live_server + "/hr/neutrality")
    assert "la règle s’applique de nouveau" in site.text()
    assert len(fresh(db).exec(select(Conflict)).all()) == 1
