"""A rejected proposal keeps HR's reason: typed in the row's confirmation, stored with the
proposal, shown in the round's review row ("Rejected: …") and in HR's API view, to HR
only: never on the coachee's pages, in mail, logs or anybody's data export; a reason too
long is refused in the row; undoing the rejection forgets it; erasing the coachee erases
it. Through the real app and database, and in Chromium."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import pytest
from api_support import fresh
from fastapi.testclient import TestClient
from rounds_support import build_programme, fast, open_proposals, post_round, review_row
from sqlmodel import Session, select
from web_support import Browser, as_user, bearer_token

from api.models import OutboxMessage, Proposal
from api.models.enums import ProposalStatus
from api.privacy.retention import pseudonymise_request
from api.settings import Settings

REASON = "Too close to Olga's own project team"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _world(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    w = build_programme(db, settings, client)
    w["round"] = post_round(client, w["hr"], commit=True, proposals=2)
    return w


def test_the_reason_is_kept_and_shown_to_hr_only(
    client: TestClient, db: Session, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    w = _world(db, settings, client)
    round_id, olga_id = w["round"]["id"], w["requests"]["olga"].id
    csrf = as_user(client, bearer_token(w["hr"]))
    html = client.get(f"/hr/rounds/{round_id}").text
    second = open_proposals(db, olga_id)[-1]
    assert f'<textarea id="reject-{second.id}-reason" name="reason"' in review_row(html, olga_id)
    caplog.set_level(logging.DEBUG)
    done = client.post(
        f"/hr/proposals/{second.id}/reject",
        data={"csrf": csrf, "confirm": "yes", "reason": f"  {REASON}  "},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    stored = fresh(db).get_one(Proposal, second.id)
    assert (stored.status, stored.reject_reason) == (ProposalStatus.rejected, REASON)
    row = review_row(client.get(f"/hr/rounds/{round_id}").text, olga_id)
    assert f'id="reject-reason-{second.id}"' in row
    assert f"Rejected: {REASON}".replace("'", "&#39;") in row
    # HR's API view of the request's proposals carries it
    views = client.get(f"/requests/{olga_id}/proposals", headers=w["hr"]).json()
    assert {v["id"]: v["reject_reason"] for v in views}[second.id] == REASON
    # never in a log line, a mail, the coachee's pages or anybody's export
    assert all(REASON not in r.getMessage() for r in caplog.records)
    assert all(REASON not in m.raw_mime.decode() for m in fresh(db).exec(select(OutboxMessage)))
    as_user(client, bearer_token(w["olga_h"]))
    assert "Too close" not in client.get("/my/proposals").text
    assert "Too close" not in client.get("/me/proposals", headers=w["olga_h"]).text
    olga = w["people"]["olga"].id
    for path, headers in (
        ("/me/export", w["olga_h"]),
        (f"/people/{olga}/export", w["hr"]),
        ("/me/export", w["karl_h"]),
        (f"/people/{w['people']['karl'].id}/export", w["hr"]),
    ):
        export = client.get(path, headers=headers)
        assert export.status_code == 200, export.text
        assert "Too close" not in export.text
    mine = client.get("/me/export", headers=w["olga_h"]).json()
    assert "proposal.reject_reason" in mine["withheld"]

    # undoing the rejection forgets the reason
    at = done.headers["location"].split("at=", 1)[1].split("#", 1)[0]
    as_user(client, bearer_token(w["hr"]))
    undone = client.post(
        f"/hr/proposals/{second.id}/restore",
        data={"csrf": csrf, "at": unquote(at)},
        follow_redirects=False,
    )
    assert undone.status_code == 303, undone.text
    restored = fresh(db).get_one(Proposal, second.id)
    assert (restored.status, restored.reject_reason) == (ProposalStatus.proposed, None)


def test_a_reason_too_long_is_refused_in_the_row_and_the_api_keeps_one_too(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    round_id, olga_id = w["round"]["id"], w["requests"]["olga"].id
    paul_id = w["requests"]["paul"].id
    csrf = as_user(client, bearer_token(w["hr"]))
    second = open_proposals(db, olga_id)[-1]
    refused = client.post(
        f"/hr/proposals/{second.id}/reject",
        data={"csrf": csrf, "confirm": "yes", "reason": "x" * 501},
    )
    assert refused.status_code == 422
    assert "Not done: The reason is too long: at most 500 characters." in review_row(
        refused.text, olga_id
    )
    assert fresh(db).get_one(Proposal, second.id).status == ProposalStatus.proposed
    # no reason: rejected all the same, nothing shown
    client.post(
        f"/hr/proposals/{second.id}/reject", data={"csrf": csrf, "confirm": "yes", "reason": " "}
    )
    bare = fresh(db).get_one(Proposal, second.id)
    assert (bare.status, bare.reject_reason) == (ProposalStatus.rejected, None)
    assert "Rejected:" not in review_row(client.get(f"/hr/rounds/{round_id}").text, olga_id)
    # the API takes the reason in an optional body
    other = open_proposals(db, paul_id)[-1]
    api = client.post(
        f"/proposals/{other.id}/reject", json={"reason": "on leave until June"}, headers=w["hr"]
    )
    assert api.status_code == 200, api.text
    assert api.json()["reject_reason"] == "on leave until June"
    assert fresh(db).get_one(Proposal, other.id).reject_reason == "on leave until June"


def test_erasing_the_coachee_erases_the_reason(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    olga_id = w["requests"]["olga"].id
    second = open_proposals(db, olga_id)[-1]
    client.post(f"/proposals/{second.id}/reject", json={"reason": REASON}, headers=w["hr"])
    assert fresh(db).get_one(Proposal, second.id).reject_reason == REASON
    erased = client.post(
        f"/people/{w['people']['olga'].id}/erase", json={"confirm": True}, headers=w["hr"]
    )
    assert erased.status_code == 200, erased.text
    assert fresh(db).get_one(Proposal, second.id).reject_reason is None


def test_hr_rejects_with_a_reason_in_chromium(
    page: Any, live_server: str, db: Session, settings: Settings, client: TestClient
) -> None:
    w = _world(db, settings, client)
    round_id, olga_id = w["round"]["id"], w["requests"]["olga"].id
    second = open_proposals(db, olga_id)[-1]
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open(f"/hr/rounds/{round_id}")
    box = page.locator(f"details#reject-{second.id}")
    box.locator("summary").click()
    box.get_by_label("Reason (optional, seen by HR only)").fill("Prefers a French speaker")
    box.locator("button", has_text="Yes, reject").click()
    row = page.locator(f"tr#request-{olga_id}")
    assert "Rejected: Prefers a French speaker" in row.inner_text()
    stored = fresh(db).get_one(Proposal, second.id)
    assert stored.reject_reason == "Prefers a French speaker"


def test_pseudonymising_an_old_request_erases_the_reason(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    paul_id = w["requests"]["paul"].id
    second = open_proposals(db, paul_id)[-1]
    client.post(f"/proposals/{second.id}/reject", json={"reason": REASON}, headers=w["hr"])
    olga_second = open_proposals(db, w["requests"]["olga"].id)[-1]
    client.post(f"/proposals/{olga_second.id}/reject", json={"reason": REASON}, headers=w["hr"])
    session = fresh(db)
    pseudonymise_request(session, paul_id, datetime.now(UTC))
    session.commit()
    assert fresh(db).get_one(Proposal, second.id).reject_reason is None
    assert fresh(db).get_one(Proposal, olga_second.id).reject_reason == REASON  # another's
