"""The engagement's lifecycle through the API (issue 11 item 2): every transition, and
every action refused in every state it does not allow (409 naming the state)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from api_support import fresh, row_counts
from engaged_support import sessions_of
from fastapi.testclient import TestClient
from httpx import Response
from life_support import life, set_state, settings, state_of, w
from lifecycle_support import contract_body
from sqlmodel import Session, select

from api.clock import FixedClock
from api.engagements.lifecycle import ALLOWED, Action
from api.models import EvaluationInvitation
from api.models.enums import EngagementStatus
from api.settings import Settings

__all__ = ["settings", "w"]  # the fixtures

S = EngagementStatus


def _outcome(client: TestClient, w: dict[str, Any], session_id: int) -> None:
    response = client.post(
        f"/me/sessions/{session_id}/outcome", json={"status": "held"}, headers=w["karl_h"]
    )
    assert response.status_code == 200, response.text


def test_a_whole_engagement_from_proposed_to_completed(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    e = w["engagement"]
    path = f"/me/engagements/{e}"
    seen = client.get(path, headers=w["paul_h"]).json()
    assert seen["state"] == "proposed"
    assert seen["contract"]["version"] == 0
    assert seen["contract"]["pending"] == ["coach", "coachee", "sponsor"]
    early = client.post(f"{path}/contract/acknowledge", headers=w["paul_h"])
    assert early.status_code == 409 and early.json()["field"] == "contract"

    written = client.put(
        f"{path}/contract",
        json=contract_body("Hold the yearly reviews", "Delegate"),
        headers=w["karl_h"],
    )
    assert written.status_code == 200, written.text
    assert written.json()["contract"]["pending"] == ["coachee", "sponsor"]
    clock.advance(timedelta(hours=1))
    assert client.post(f"{path}/contract/acknowledge", headers=w["paul_h"]).status_code == 200
    assert state_of(db, e) == S.proposed  # two of three
    clock.advance(timedelta(hours=1))
    acked = client.post(
        f"{path}/contract/acknowledge", json={"version": 1}, headers=w["sales_h"]
    ).json()
    assert acked["state"] == "contracted"
    assert [(a["role"], a["acknowledged_at"]) for a in acked["contract"]["acknowledgements"]] == [
        ("coach", "2026-03-02T08:00:00Z"),
        ("coachee", "2026-03-02T09:00:00Z"),
        ("sponsor", "2026-03-02T10:00:00Z"),
    ]
    assert acked["contract"]["complete"] is True

    rows = sessions_of(db, e)
    assert len(rows) == 4
    clock.set(rows[0].end_at)
    _outcome(client, w, rows[0].id)
    assert state_of(db, e) == S.in_progress
    clock.set(rows[1].end_at)
    _outcome(client, w, rows[1].id)
    assert state_of(db, e) == S.midway_review  # two of four over
    review = client.post(f"{path}/review", headers=w["karl_h"])
    assert review.status_code == 200 and review.json()["state"] == "in_progress"
    clock.set(rows[2].end_at)
    _outcome(client, w, rows[2].id)
    assert state_of(db, e) == S.in_progress  # the review is done once
    assert not fresh(db).exec(select(EvaluationInvitation)).all()
    clock.set(rows[3].end_at)
    _outcome(client, w, rows[3].id)
    assert state_of(db, e) == S.closing
    closed = client.post(f"{path}/close", headers=w["karl_h"])
    assert closed.status_code == 200 and closed.json()["state"] == "completed"
    assert closed.json()["ended_at"] is not None
    for who in ("paul_h", "sales_h"):
        open_ = client.get("/me/evaluations", headers=w[who]).json()
        assert [x["engagement_id"] for x in open_] == [e]
        assert open_[0]["objectives"] == ["Hold the yearly reviews", "Delegate"]
    hr = client.get(f"/engagements/{e}", headers=w["hr"]).json()
    assert hr["state"] == "completed"


def test_without_the_midway_policy_the_work_goes_straight_to_closing(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock, app: Any
) -> None:
    w = life(client, db, settings)
    e = w["engagement"]
    set_state(db, e, S.contracted)
    app.state.settings = settings.model_copy(update={"midway_review": False})
    rows = sessions_of(db, e)
    for row in rows:
        clock.set(row.end_at)
        _outcome(client, w, row.id)
        if row.number < len(rows):
            assert state_of(db, e) == S.in_progress
    assert state_of(db, e) == S.closing


# Every hand-made action: (method, path under the engagement, who, body). `sessions` is
# a coach cancelling a planned session (cancel and reschedule share the check).
ME = "/me/engagements/{e}"
ACTIONS: dict[Action, tuple[str, str, str, dict[str, Any] | None]] = {
    Action.acknowledge: ("POST", ME + "/contract/acknowledge", "paul_h", None),
    Action.contract: ("PUT", ME + "/contract", "karl_h", contract_body("Listen")),
    Action.end: ("POST", ME + "/end", "paul_h", {"reason": "no_fit"}),
    Action.hold: ("POST", ME + "/hold", "karl_h", {}),
    Action.resume: ("POST", ME + "/resume", "karl_h", None),
    Action.review: ("POST", ME + "/review", "karl_h", None),
    Action.close: ("POST", ME + "/close", "karl_h", None),
    Action.reassign: ("POST", "/engagements/{e}/reassign", "hr", {}),
    Action.coach_change: ("POST", ME + "/coach-change", "paul_h", None),
    Action.clear_flag: ("POST", "/engagements/{e}/clear-flag", "hr", None),
    Action.sessions: ("POST", "/me/sessions/{s}/cancel", "karl_h", None),
}


def _act(client: TestClient, w: dict[str, Any], action: Action) -> Response:
    method, path, who, body = ACTIONS[action]
    url = path.format(e=w["engagement"], s=w["sessions"][-1].id)
    return client.request(method, url, json=body, headers=w[who])


def test_every_action_is_declared_and_reachable() -> None:
    assert set(ACTIONS) == set(Action) == set(ALLOWED)


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_every_refusal_names_the_state_and_changes_nothing(
    client: TestClient, db: Session, w: dict[str, Any], action: Action
) -> None:
    e = w["engagement"]
    refused = [s for s in S if s not in ALLOWED[action]]
    assert refused, action
    for state in refused:
        set_state(db, e, state, status_before_hold=S.contracted, status_before_flag=S.contracted)
        before = row_counts(db)
        response = _act(client, w, action)
        assert response.status_code == 409, (action, state, response.text)
        body = response.json()
        assert body["field"] == "state", body
        assert f"the engagement is {state.value}" in body["detail"], body
        assert action.value in body["detail"]
        assert state_of(db, e) == state
        assert row_counts(db) == before, (action, state)


def test_end_early_cancels_the_remaining_sessions_with_cancel_invites(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    from life_support import calendar_of, invites

    e = w["engagement"]
    rows = sessions_of(db, e)
    clock.set(rows[0].end_at)
    _outcome(client, w, rows[0].id)
    sequences = [s.sequence for s in sessions_of(db, e)]  # rows are live: keep the numbers
    free_text = client.post(
        f"/me/engagements/{e}/end", json={"reason": "he shouted at me"}, headers=w["sales_h"]
    )
    assert free_text.status_code == 422 and free_text.json()["field"] == "reason"
    extra = client.post(
        f"/me/engagements/{e}/end",
        json={"reason": "no_fit", "comment": "secret words"},
        headers=w["sales_h"],
    )
    assert extra.status_code == 422
    ended = client.post(f"/me/engagements/{e}/end", json={"reason": "no_fit"}, headers=w["sales_h"])
    assert ended.status_code == 200, ended.text
    assert ended.json()["state"] == "ended_early" and ended.json()["end_reason"] == "no_fit"
    after = sessions_of(db, e)
    assert after[0].status == "held" and after[0].sequence == sequences[0]
    for old, new in zip(sequences[1:], after[1:], strict=True):
        assert new.status == "cancelled"
        assert new.sequence == old + 1
        queued = invites(db, new)
        assert len(queued) >= 2  # the coach and the coachee (session 1 had the sponsor)
        for message in queued:
            calendar = calendar_of(message)
            assert "METHOD:CANCEL" in calendar and "STATUS:CANCELLED" in calendar
            assert f"SEQUENCE:{new.sequence}" in calendar
    hr = client.get(f"/engagements/{e}", headers=w["hr"]).json()
    assert (hr["state"], hr["end_reason"]) == ("ended_early", "no_fit")
    assert client.get(f"/requests/{hr['request_id']}", headers=w["hr"]).json()["status"] == "closed"
    assert {x["role"] for x in client.get("/me/evaluations", headers=w["paul_h"]).json()} == {
        "coachee"
    }
    again = client.post(f"/me/engagements/{e}/end", json={"reason": "no_fit"}, headers=w["paul_h"])
    assert again.status_code == 409 and "ended_early" in again.json()["detail"]


@pytest.mark.parametrize("who", ["coach", "coachee", "sponsor"])
def test_each_party_may_end_early_and_nobody_else(
    client: TestClient, db: Session, w: dict[str, Any], who: str
) -> None:
    e = w["engagement"]
    body = {"reason": "availability"}
    assert (
        client.post(f"/me/engagements/{e}/end", json=body, headers=w["olga_h"]).status_code == 404
    )
    assert (
        client.post(f"/me/engagements/{e}/end", json=body, headers=w["xavier_h"]).status_code == 404
    )
    response = client.post(f"/me/engagements/{e}/end", json=body, headers=w["who"][who])
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "ended_early"
    assert client.get(f"/engagements/{e}", headers=w["hr"]).json()["end_reason"] == "availability"


def test_hold_and_resume_plan_the_sessions_still_owed_again(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    e = w["engagement"]
    set_state(db, e, S.contracted)
    rows = sessions_of(db, e)
    clock.set(rows[0].end_at)
    _outcome(client, w, rows[0].id)
    assert state_of(db, e) == S.in_progress
    coachee_hold = client.post(f"/me/engagements/{e}/hold", headers=w["paul_h"])
    assert coachee_hold.status_code == 403
    held = client.post(
        f"/me/engagements/{e}/hold", json={"keep_capacity": True}, headers=w["karl_h"]
    )
    assert held.status_code == 200 and held.json()["state"] == "on_hold"
    assert [s.status for s in sessions_of(db, e)] == ["held", "cancelled", "cancelled", "cancelled"]
    clock.advance(timedelta(days=20))
    resumed = client.post(f"/me/engagements/{e}/resume", headers=w["karl_h"])
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["state"] == "in_progress"
    now = clock.now()
    after = sessions_of(db, e)
    planned = [s for s in after if s.status == "planned"]
    assert [s.number for s in planned] == [5, 6, 7]  # three still owed, numbered on
    assert all(s.start_at > now for s in planned)
    assert client.get(f"/engagements/{e}", headers=w["hr"]).json()["hold_keeps_capacity"]
