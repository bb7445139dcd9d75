"""Capacity on hold, a coach change asked by the coachee, HR's reassignment (with a coach,
or through the next round) and a flagged engagement reassigned (issue 11 item 2)."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import add_coach, fresh, row_counts
from engaged_support import outbox, sessions_of
from fastapi.testclient import TestClient
from life_support import calendar_of, invites, set_state, settings, state_of, w
from lifecycle_support import FRAME
from rounds_support import post_round, weekdays
from sqlmodel import Session

from api.clock import FixedClock
from api.models import Coach
from api.models.enums import EngagementStatus

__all__ = ["settings", "w"]  # the fixtures

S = EngagementStatus


def _one_seat(db: Session, w: dict[str, Any]) -> None:
    """Karl has one seat (Paul's) and Xavier is away: Olga can only have Karl."""
    karl = fresh(db).get_one(Coach, w["karl"].id)
    karl.max_coachees = 1
    xavier = db.get_one(Coach, w["xavier"].id)
    xavier.active = False
    db.add_all([karl, xavier])
    db.commit()


def _olga_matched(client: TestClient, w: dict[str, Any]) -> bool:
    view = post_round(client, w["hr"], commit=False, proposals=1)
    olga = w["requests"]["olga"].id
    return any(m["request_id"] == olga for m in view["matches"])


@pytest.mark.parametrize("keep", [True, False])
def test_a_hold_keeps_or_releases_the_coachs_seat_for_the_rounds(
    client: TestClient, db: Session, w: dict[str, Any], keep: bool
) -> None:
    _one_seat(db, w)
    assert not _olga_matched(client, w)  # Paul's engagement holds the seat
    held = client.post(
        f"/me/engagements/{w['engagement']}/hold", json={"keep_capacity": keep}, headers=w["karl_h"]
    )
    assert held.status_code == 200, held.text
    assert _olga_matched(client, w) is not keep


def test_resuming_needs_the_seat_a_hold_released(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    _one_seat(db, w)
    e = w["engagement"]
    client.post(f"/me/engagements/{e}/hold", json={"keep_capacity": False}, headers=w["karl_h"])
    view = post_round(client, w["hr"], commit=True, proposals=1)
    olga = w["requests"]["olga"].id
    assert any(m["request_id"] == olga for m in view["matches"])
    proposal = client.get(f"/requests/{olga}/proposals", headers=w["hr"]).json()[0]
    confirmed = client.post(f"/proposals/{proposal['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    before = row_counts(db)
    resumed = client.post(f"/me/engagements/{e}/resume", headers=w["karl_h"])
    assert resumed.status_code == 409, resumed.text
    assert resumed.json()["field"] == "keep_capacity"
    assert state_of(db, e) == S.on_hold and row_counts(db) == before
    karl = fresh(db).get_one(Coach, w["karl"].id)
    karl.max_coachees = 2
    db.add(karl)
    db.commit()
    again = client.post(f"/me/engagements/{e}/resume", headers=w["karl_h"])
    assert again.status_code == 200 and again.json()["state"] == "proposed"


def test_the_coachee_asks_for_another_coach_and_hr_is_told_once(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    e = w["engagement"]
    assert client.post(f"/me/engagements/{e}/coach-change", headers=w["sales_h"]).status_code == 403
    assert client.post(f"/me/engagements/{e}/coach-change", headers=w["karl_h"]).status_code == 403
    for _ in range(2):
        asked = client.post(f"/me/engagements/{e}/coach-change", headers=w["paul_h"])
        assert asked.status_code == 200 and asked.json()["state"] == "proposed"
    told = outbox(db, "notify.coach_change")
    assert [m.recipient for m in told] == ["hr@example.org"]
    assert client.get(f"/engagements/{e}", headers=w["hr"]).json()["coach_change_requested_at"]


def test_hr_reassigns_to_a_coach_keeping_the_history(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    from life_support import readable

    e = w["engagement"]
    body = {"objectives": ["SENTINEL-REASSIGN-OBJECTIVE"], "frame": FRAME}
    assert (
        client.put(f"/me/engagements/{e}/contract", json=body, headers=w["karl_h"]).status_code
        == 200
    )
    rows = sessions_of(db, e)
    clock.set(rows[0].end_at)
    client.post(f"/me/sessions/{rows[0].id}/outcome", json={"status": "held"}, headers=w["karl_h"])
    client.post(f"/me/engagements/{e}/coach-change", headers=w["paul_h"])
    same = client.post(
        f"/engagements/{e}/reassign", json={"coach_id": w["karl"].id}, headers=w["hr"]
    )
    assert same.status_code == 422 and same.json()["field"] == "coach_id"
    unknown = client.post(f"/engagements/{e}/reassign", json={"coach_id": 999999}, headers=w["hr"])
    assert unknown.status_code == 422 and unknown.json()["field"] == "coach_id"
    assert (
        client.post(
            f"/engagements/{e}/reassign", json={"coach_id": "x"}, headers=w["hr"]
        ).status_code
        == 422
    )
    # a coach in the coachee's reporting line (the sponsor's peer's report is not; the
    # sponsor herself is): refused like a proposal, nothing changes
    sacha = add_coach(db, person=w["people"]["sales"])
    weekdays(db, sacha)
    before = row_counts(db)
    biased = client.post(f"/engagements/{e}/reassign", json={"coach_id": sacha.id}, headers=w["hr"])
    assert biased.status_code == 409 and biased.json()["field"] == "coach_id"
    assert row_counts(db) == before and state_of(db, e) == S.proposed

    moved = client.post(
        f"/engagements/{e}/reassign", json={"coach_id": w["xavier"].id}, headers=w["hr"]
    )
    assert moved.status_code == 200, moved.text
    new = moved.json()
    assert (new["coach_id"], new["predecessor_id"], new["state"]) == (w["xavier"].id, e, "proposed")
    old = client.get(f"/engagements/{e}", headers=w["hr"]).json()
    assert (old["state"], old["end_reason"], old["coach_id"]) == (
        "reassigned",
        "coachee_request",
        w["karl"].id,
    )
    assert "SENTINEL-REASSIGN" not in moved.text + str(old)
    kept = sessions_of(db, e)
    assert [s.status for s in kept] == ["held", "cancelled", "cancelled", "cancelled"]
    for row in kept[1:]:
        assert all("METHOD:CANCEL" in calendar_of(m) for m in invites(db, row))
    owed = sessions_of(db, new["id"])
    assert len(owed) == 3 and all(s.status == "planned" for s in owed)
    assert all(invites(db, s) for s in owed)
    contract = client.get(f"/me/engagements/{new['id']}", headers=w["paul_h"]).json()["contract"]
    assert contract["objectives"] == ["SENTINEL-REASSIGN-OBJECTIVE"]
    assert contract["pending"] == ["coach", "coachee", "sponsor"]
    # Karl no longer sees the new engagement; Xavier does, and is told
    assert client.get(f"/me/engagements/{new['id']}", headers=w["karl_h"]).status_code == 404
    assert client.get(f"/me/engagements/{new['id']}", headers=w["xavier_h"]).status_code == 200
    assert [m.recipient for m in outbox(db, "notify.new_engagement")] == ["xavier@vendor.example"]
    forbid = client.get(
        "/pair-adjustments", params={"request_id": new["request_id"]}, headers=w["hr"]
    ).json()["items"]
    assert [(a["coach_id"], a["kind"]) for a in forbid] == [(w["karl"].id, "forbid")]
    both = client.get("/engagements", params={"coach_id": w["karl"].id}, headers=w["hr"]).json()
    assert [x["state"] for x in both["items"]] == ["reassigned"]
    for message in outbox(db):
        assert "SENTINEL-REASSIGN" not in readable(message)


def test_hr_reassigns_through_the_next_round_without_the_previous_coach(
    client: TestClient, db: Session, w: dict[str, Any], clock: FixedClock
) -> None:
    e = w["engagement"]
    rows = sessions_of(db, e)
    clock.set(rows[1].end_at)
    for row in rows[:2]:
        client.post(f"/me/sessions/{row.id}/outcome", json={"status": "held"}, headers=w["karl_h"])
    opened = client.post(f"/engagements/{e}/reassign", json={}, headers=w["hr"])
    assert opened.status_code == 200 and opened.json()["state"] == "reassigned"
    paul = w["requests"]["paul"].id
    assert client.get(f"/requests/{paul}", headers=w["hr"]).json()["status"] == "open"
    view = post_round(client, w["hr"], commit=True, proposals=2)
    match = next(m for m in view["matches"] if m["request_id"] == paul)
    offered = {match["coach_id"], *(a["coach_id"] for a in match["alternatives"])}
    assert w["karl"].id not in offered and match["coach_id"] == w["xavier"].id
    unmatched_karl = client.get(f"/requests/{paul}/proposals", headers=w["hr"]).json()
    assert {p["coach_id"] for p in unmatched_karl} == {w["xavier"].id}
    confirmed = client.post(f"/proposals/{unmatched_karl[0]['id']}/confirm", headers=w["hr"])
    assert confirmed.status_code == 200, confirmed.text
    new = confirmed.json()["id"]
    detail = client.get(f"/engagements/{new}", headers=w["hr"]).json()
    assert detail["predecessor_id"] == e
    assert len(sessions_of(db, new)) == 2  # four less the two held with Karl
    assert client.get(f"/engagements/{e}", headers=w["hr"]).json()["state"] == "reassigned"


def test_a_flagged_engagement_is_reassigned_or_kept(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    e = w["engagement"]
    set_state(db, e, S.flagged, status_before_flag=S.in_progress, flag_reason="neutrality")
    listed = client.get("/engagements", params={"status": "flagged"}, headers=w["hr"]).json()
    assert [x["id"] for x in listed["items"]] == [e]
    kept = client.post(f"/engagements/{e}/clear-flag", headers=w["hr"])
    assert kept.status_code == 200 and kept.json()["state"] == "in_progress"
    assert kept.json()["flag_reason"] is None
    set_state(db, e, S.flagged, status_before_flag=S.in_progress, flag_reason="neutrality")
    moved = client.post(
        f"/engagements/{e}/reassign", json={"coach_id": w["xavier"].id}, headers=w["hr"]
    )
    assert moved.status_code == 200, moved.text
    old = client.get(f"/engagements/{e}", headers=w["hr"]).json()
    assert (old["state"], old["end_reason"]) == ("reassigned", "neutrality")
    assert moved.json()["predecessor_id"] == e
    assert all(s.status == "cancelled" for s in sessions_of(db, e))
