"""HR reviews a round in place: one row per request (the coachee by name, the coaches
proposed with their points, or why the request stayed unmatched and what would unblock
it), decisions taken in the row and back to it, several confirmed at once, refusals shown
in their rows. Through the real app (TestClient) and in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_support import add_person, add_request, fresh
from fastapi.testclient import TestClient
from rounds_support import (
    SENTINEL,
    build_programme,
    fast,
    open_proposals,
    post_round,
    review_row,
)
from sqlmodel import Session, select
from web_support import Browser, as_user, bearer_token

from api.models import Engagement, Proposal
from api.models.enums import ProposalStatus, RequestStatus
from api.settings import Settings
from api.web.viewer import LANG_COOKIE


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _world(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    """The rounds' small programme, plus a request in a language no coach speaks, and a
    committed round with two proposals per matched request."""
    w = build_programme(db, settings, client)
    hans = add_person(db, "E7", manager=w["people"]["sales"], name="Hans Deutsch", unit="Sales")
    w["requests"]["hans"] = add_request(db, hans, language="de", description=SENTINEL)
    w["round"] = post_round(client, w["hr"], commit=True, proposals=2)
    return w


def test_one_row_per_request_names_people_and_says_what_would_unblock(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    as_user(client, bearer_token(w["hr"]))
    page = client.get(f"/hr/rounds/{w['round']['id']}")
    assert page.status_code == 200
    html = page.text
    assert SENTINEL not in html
    paul = review_row(html, w["requests"]["paul"].id)
    assert "Paul Coachee" in paul and "chosen by the round" in paul
    assert "Xavier External" in paul or "Karl Coach" in paul
    assert re.search(r"\d+ points", paul)
    assert 'name="proposal"' in paul and 'form="bulk-confirm"' in paul
    assert 'data-state="to_decide"' in paul
    hans = review_row(html, w["requests"]["hans"].id)
    assert "Hans Deutsch" in hans and 'data-state="unmatched"' in hans
    assert "language" in hans and "What would unblock it" in hans
    assert "Add a coach who speaks the request" in hans
    assert 'name="proposal"' not in hans
    # No coach or request shown by a bare number where a name exists.
    assert not re.search(r"<td>#\d+</td>", html)
    client.cookies.set(LANG_COOKIE, "fr")
    french = client.get(f"/hr/rounds/{w['round']['id']}").text
    assert "Les demandes de ce tour" in french
    assert "Ajouter un coach qui parle la langue de la demande" in french
    assert "Sans coach" in review_row(french, w["requests"]["hans"].id)


def test_a_decision_in_a_row_comes_back_to_that_row(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    round_id = w["round"]["id"]
    csrf = as_user(client, bearer_token(w["hr"]))
    paul_id = w["requests"]["paul"].id
    first = open_proposals(db, paul_id)[0]
    done = client.post(
        f"/hr/proposals/{first.id}/confirm", data={"csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/hr/rounds/{round_id}#request-{paul_id}"
    row = review_row(client.get(f"/hr/rounds/{round_id}").text, paul_id)
    assert 'data-state="confirmed"' in row and "Confirmed" in row
    assert 'name="proposal"' not in row  # nothing left to select in this row
    olga_id = w["requests"]["olga"].id
    second = open_proposals(db, olga_id)[-1]
    rejected = client.post(
        f"/hr/proposals/{second.id}/reject",
        data={"csrf": csrf, "confirm": "yes"},
        follow_redirects=False,
    )
    location = rejected.headers["location"]  # the row, with its "Undo"
    assert location.startswith(f"/hr/rounds/{round_id}?undo={second.id}&at=")
    assert location.endswith(f"#request-{olga_id}")
    assert 'data-state="to_decide"' in review_row(
        client.get(f"/hr/rounds/{round_id}").text, olga_id
    )


def test_a_refused_decision_is_shown_in_itsreview_row(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    csrf = as_user(client, bearer_token(w["hr"]))
    paul_id = w["requests"]["paul"].id
    first, other = open_proposals(db, paul_id)[:2]
    assert client.post(f"/hr/proposals/{first.id}/confirm", data={"csrf": csrf}).status_code == 200
    # The other proposal of the request was superseded: confirming it (an old tab) is
    # refused, on the round's page, in Paul's row.
    again = client.post(f"/hr/proposals/{other.id}/confirm", data={"csrf": csrf})
    assert again.status_code == 409
    assert "Not done:" in review_row(again.text, paul_id)
    assert "Not done:" not in review_row(again.text, w["requests"]["olga"].id)
    engagements = fresh(db).exec(select(Engagement).where(Engagement.request_id == paul_id)).all()
    assert len(engagements) == 1


def test_the_selected_are_confirmed_at_once(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    round_id = w["round"]["id"]
    csrf = as_user(client, bearer_token(w["hr"]))
    picks = [open_proposals(db, w["requests"][who].id)[0].id for who in ("paul", "olga")]
    done = client.post(
        f"/hr/rounds/{round_id}/confirm",
        data={"csrf": csrf, "proposal": [str(p) for p in picks]},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/hr/rounds/{round_id}#review"
    db = fresh(db)
    for who in ("paul", "olga"):
        request = db.get_one(type(w["requests"][who]), w["requests"][who].id)
        assert request.status == RequestStatus.matched
    html = client.get(f"/hr/rounds/{round_id}").text
    for who in ("paul", "olga"):
        assert 'data-state="confirmed"' in review_row(html, w["requests"][who].id)


def test_a_bulk_confirm_keeps_what_holds_and_shows_what_was_refused(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    round_id = w["round"]["id"]
    csrf = as_user(client, bearer_token(w["hr"]))
    paul_id, olga_id = w["requests"]["paul"].id, w["requests"]["olga"].id
    paul_first, paul_other = open_proposals(db, paul_id)[:2]
    client.post(f"/hr/proposals/{paul_first.id}/confirm", data={"csrf": csrf})
    olga_first = open_proposals(db, olga_id)[0]
    page = client.post(
        f"/hr/rounds/{round_id}/confirm",
        data={"csrf": csrf, "proposal": [str(paul_other.id), str(olga_first.id)]},
    )
    assert page.status_code == 409
    assert "Confirmed: 1; refused: 1" in page.text
    assert "Not done:" in review_row(page.text, paul_id)
    assert 'data-state="confirmed"' in review_row(page.text, olga_id)
    assert fresh(db).get_one(Proposal, olga_first.id).status == ProposalStatus.accepted


def test_a_bulk_confirm_checks_every_proposal_before_deciding_any(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _world(db, settings, client)
    round_id = w["round"]["id"]
    csrf = as_user(client, bearer_token(w["hr"]))
    paul_first = open_proposals(db, w["requests"]["paul"].id)[0]
    foreign = client.post(
        f"/hr/rounds/{round_id + 1000}/confirm",
        data={"csrf": csrf, "proposal": [str(paul_first.id)]},
    )
    assert foreign.status_code == 404
    mixed = client.post(
        f"/hr/rounds/{round_id}/confirm",
        data={"csrf": csrf, "proposal": [str(paul_first.id), "999999"]},
    )
    assert mixed.status_code == 404
    assert fresh(db).get_one(Proposal, paul_first.id).status == ProposalStatus.proposed
    empty = client.post(f"/hr/rounds/{round_id}/confirm", data={"csrf": csrf})
    assert empty.status_code == 422
    assert "Select at least one request to confirm." in empty.text
    assert fresh(db).exec(select(Engagement)).all() == []


def test_hr_confirms_two_requests_from_the_rows_in_chromium(
    page: Any, live_server: str, db: Session, settings: Settings, client: TestClient
) -> None:
    w = _world(db, settings, client)
    round_id = w["round"]["id"]
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open(f"/hr/rounds/{round_id}")
    assert site.heading() == f"Round {round_id}"
    paul_id, olga_id = w["requests"]["paul"].id, w["requests"]["olga"].id
    # Confirm Paul's chosen coach from his row: the page comes back at his row.
    page.locator(f"tr#request-{paul_id} button", has_text="Confirm").first.click()
    assert "Match confirmed." in site.text()
    assert page.url.endswith(f"#request-{paul_id}")
    assert page.locator(f"tr#request-{paul_id}").get_attribute("data-state") == "confirmed"
    # Olga's by ticking her row and confirming the selection.
    page.get_by_label("Select the request of Olga Other").check()
    page.click("button:has-text('Confirm the selected')")
    assert "The selected matches are confirmed." in site.text()
    assert page.locator(f"tr#request-{olga_id}").get_attribute("data-state") == "confirmed"
    hans = page.locator(f"tr#request-{w['requests']['hans'].id}")
    assert "What would unblock it" in hans.inner_text()
    assert SENTINEL not in page.content()


def test_every_state_and_unblocking_hint_is_in_both_catalogs() -> None:
    from api.i18n import CATALOGS
    from api.web.round_review import STATES, UNBLOCKABLE

    for language in ("en", "fr"):
        for code in UNBLOCKABLE:
            assert f"review.unblock.{code}" in CATALOGS[language], (language, code)
        for state in STATES:
            assert f"review.state.{state}" in CATALOGS[language], (language, state)
