"""Matching rounds over HTTP: preview writes nothing, commit stores proposals, same data
gives the same round, unschedulable pairs are re-matched, re-runs move little."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import fresh, row_counts
from fastapi.testclient import TestClient
from rounds_support import SENTINEL, add_window, build_programme, fast, post_round
from sqlmodel import Session, select

from api.models import CoachingRequest, Proposal, User, WeeklyWindow
from api.models.enums import ProposalStatus, RequestStatus, Role
from api.settings import Settings
from matcher.orgchart import OrgChart


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast(settings)


def _round(client: TestClient, headers: dict[str, str], commit: bool, **body: Any) -> Any:
    view = post_round(client, headers, commit=commit, **body)
    assert view["status"] == "done", view
    return view


def _comparable(view: dict[str, Any]) -> dict[str, Any]:
    """What must not change between two runs on the same data."""
    skip = {"id", "kind", "status", "progress", "created_at", "committed_at", "solve_seconds"}
    return {k: v for k, v in view.items() if k not in skip}


def test_a_preview_stores_only_itself_and_is_committed_as_shown(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    before = row_counts(db)
    preview = _round(client, w["hr"], commit=False)
    after = row_counts(db)
    # The preview is a round row (its result, to commit as shown) and nothing else.
    assert after == {**before, "matching_round": before["matching_round"] + 1}
    assert preview["kind"] == "preview" and preview["committed_at"] is None
    assert preview["matched_count"] == 3 and preview["progress"]["stage"] == "done"

    import api.rounds.runner as runner

    solved: list[int] = []
    original = runner._run_engine
    runner._run_engine = lambda *a, **k: solved.append(1) or original(*a, **k)  # type: ignore[assignment]
    try:
        stored = client.post(f"/rounds/{preview['id']}/commit", headers=w["hr"])
    finally:
        runner._run_engine = original  # type: ignore[assignment]
    assert stored.status_code == 200, stored.text
    assert solved == []  # committed as shown: no second solve
    assert stored.json()["committed_at"] is not None
    assert _comparable(stored.json()) == _comparable(preview)
    again = client.post(f"/rounds/{preview['id']}/commit", headers=w["hr"])
    assert again.status_code == 200 and again.json()["id"] == preview["id"]  # one round
    fresh(db)
    proposals = db.exec(select(Proposal)).all()
    assert {p.round_id for p in proposals} == {preview["id"]}
    assert {p.request_id for p in proposals} == {r.id for r in w["requests"].values()}
    assert all(p.status == ProposalStatus.proposed for p in proposals)
    statuses = {r.status for r in db.exec(select(CoachingRequest))}
    assert statuses == {RequestStatus.proposed}
    # the chosen coach is rank 1 and has a planned first session
    for match in preview["matches"]:
        ranks = sorted(
            (p.rank, p.coach_id) for p in proposals if p.request_id == match["request_id"]
        )
        assert ranks[0] == (1, match["coach_id"])
        assert match["first_session_at"] >= "2026-03-03"


def test_a_preview_is_not_committed_once_the_programme_changed(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    preview = _round(client, w["hr"], commit=False)
    window = add_window(db, w["xavier"], 5, 9, 12)  # Xavier now also works on Saturdays
    refused = client.post(f"/rounds/{preview['id']}/commit", headers=w["hr"])
    assert refused.status_code == 409, refused.text
    # The new window is new free time: the coach's hours and availability changed.
    assert refused.json()["changed"] == ["coaches", "availability"]
    assert "availability" in refused.json()["detail"]
    assert fresh(db).exec(select(Proposal)).all() == []
    db.delete(window)
    db.commit()
    back = client.post(f"/rounds/{preview['id']}/commit", headers=w["hr"])
    assert back.status_code == 200, back.text  # as it was when previewed


def test_a_round_that_commits_stores_the_same_round_as_its_preview(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    preview = _round(client, w["hr"], commit=False)
    stored = _round(client, w["hr"], commit=True)
    assert stored["kind"] == "commit" and stored["committed_at"] is not None
    assert _comparable(stored) == _comparable(preview)
    fresh(db)
    assert {p.round_id for p in db.exec(select(Proposal))} == {stored["id"]}


def test_same_data_and_settings_give_the_same_round(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    first = _round(client, w["hr"], commit=False, proposals=2)
    second = _round(client, w["hr"], commit=False, proposals=2)
    assert _comparable(first) == _comparable(second)


def test_neutrality_and_explanations(client: TestClient, db: Session, settings: Settings) -> None:
    w = build_programme(db, settings, client)
    view = _round(client, w["hr"], commit=True, proposals=2)
    people = w["people"]
    org = OrgChart.build(
        (str(p.id), str(p.manager_id) if p.manager_id else None) for p in people.values()
    )
    requests = {r.id: r for r in w["requests"].values()}
    karl = w["karl"]
    for match in view["matches"]:
        request = requests[match["request_id"]]
        for coach_id in [match["coach_id"], *(a["coach_id"] for a in match["alternatives"])]:
            if coach_id == karl.id:
                for party in (request.coachee_id, request.sponsor_id):
                    assert not org.in_reporting_line(str(karl.person_id), str(party))
    # Ines's sponsor is Karl's manager: only the external coach is possible
    ines = next(m for m in view["matches"] if m["request_id"] == w["requests"]["ines"].id)
    assert ines["coach_id"] == w["xavier"].id and ines["alternatives"] == []
    # internal first: Karl is chosen for Paul, with the breakdown saying why
    paul = next(m for m in view["matches"] if m["request_id"] == w["requests"]["paul"].id)
    assert paul["coach_id"] == karl.id
    assert paul["breakdown"]["internal_first"] == 15
    assert [a["coach_id"] for a in paul["alternatives"]] == [w["xavier"].id]
    assert SENTINEL not in str(view)
    listed = client.get("/rounds", headers=w["hr"]).json()
    assert listed["total"] == 1 and listed["items"][0]["matched_count"] == 3
    again = client.get(f"/rounds/{view['id']}", headers=w["hr"]).json()
    assert again == view
    proposals = client.get(f"/requests/{w['requests']['paul'].id}/proposals", headers=w["hr"])
    assert [(p["rank"], p["coach_id"]) for p in proposals.json()] == [
        (1, karl.id),
        (2, w["xavier"].id),
    ]
    assert SENTINEL not in proposals.text


def test_unmatched_reasons_have_labels(client: TestClient, db: Session, settings: Settings) -> None:
    w = build_programme(db, settings, client)
    # Xavier does not speak English any more: Ines has no one
    w["xavier"].languages = ["de"]
    db.add(w["xavier"])
    db.commit()
    view = _round(client, w["hr"], commit=False)
    ines = next(u for u in view["unmatched"] if u["request_id"] == w["requests"]["ines"].id)
    codes = {r["code"]: (r["label"], r["count"]) for r in ines["reasons"]}
    assert codes == {
        "neutrality": ("neutrality (same reporting line)", 1),
        "language": ("language", 1),
    }
    assert ines["summary"] == "neutrality (same reporting line): 1, language: 1"
    totals = {r["code"]: r["count"] for r in view["reason_totals"]}
    assert totals == {"neutrality": 1, "language": 1}
    # labels follow the reader's language
    stored = _round(client, w["hr"], commit=True)
    hr = fresh(db).exec(select(User).where(User.role == Role.hr)).one()
    hr.language = "fr"
    db.add(hr)
    db.commit()
    french = client.get(f"/rounds/{stored['id']}", headers=w["hr"]).json()
    labels = {r["code"]: r["label"] for u in french["unmatched"] for r in u["reasons"]}
    assert labels == {
        "neutrality": "neutralité (même ligne hiérarchique)",
        "language": "langue",
    }


def test_a_round_with_nothing_to_match(client: TestClient, db: Session, settings: Settings) -> None:
    from api_support import add_user, login

    hr = login(client, add_user(db, settings, Role.hr, email="hr@example.org").email)
    view = _round(client, hr, commit=True)
    assert (view["requests_count"], view["matched_count"], view["matches"]) == (0, 0, [])


def test_a_pair_that_cannot_be_scheduled_is_replaced(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    # Karl now coaches on Saturdays only: no common window with Paul's working hours.
    for window in db.exec(select(WeeklyWindow).where(WeeklyWindow.coach_id == w["karl"].id)):
        db.delete(window)
    db.commit()
    add_window(db, w["karl"], 5, 9, 12)
    view = _round(client, w["hr"], commit=True, proposals=2)
    paul = next(m for m in view["matches"] if m["request_id"] == w["requests"]["paul"].id)
    assert paul["coach_id"] == w["xavier"].id
    assert paul["alternatives"] == []
    gone = [u for u in paul["unschedulable"] if u["coach_id"] == w["karl"].id]
    assert gone and gone[0]["rematched"] and "coachee" in gone[0]["reason"]
    assert view["rematches"] >= 1
    fresh(db)
    coaches = {p.coach_id for p in db.exec(select(Proposal))}
    assert w["karl"].id not in coaches


def test_a_rerun_supersedes_and_keeps_the_proposals(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = build_programme(db, settings, client)
    first = _round(client, w["hr"], commit=True)
    second = _round(client, w["hr"], commit=True)
    assert second["moved"] == []
    pick = {m["request_id"]: m["coach_id"] for m in first["matches"]}
    assert {m["request_id"]: m["coach_id"] for m in second["matches"]} == pick
    fresh(db)
    by_round: dict[int, set[ProposalStatus]] = {}
    for p in db.exec(select(Proposal)):
        by_round.setdefault(p.round_id, set()).add(p.status)
    assert by_round == {
        first["id"]: {ProposalStatus.superseded},
        second["id"]: {ProposalStatus.proposed},
    }


def test_round_parameters_are_checked(client: TestClient, db: Session, settings: Settings) -> None:
    w = build_programme(db, settings, client)
    before = row_counts(db)
    for body, field in [
        ({"horizon_start": "2026-03-01"}, "horizon_start"),
        ({"proposals": 0}, "proposals"),
        ({"history": "sometimes"}, "history"),
        ({"surprise": 1}, "surprise"),
    ]:
        response = client.post("/rounds", json=body, headers=w["hr"])
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field
    assert row_counts(db) == before


def test_a_coachs_hours_are_their_free_time_capped_by_what_they_declared(
    client: TestClient, db: Session, settings: Settings
) -> None:
    from datetime import UTC, datetime, timedelta

    from api_support import ICS, START, add_engagement, add_request, add_session

    from api.models import AvailabilityException, BusyCalendar, ExtraWindow
    from api.rounds.problem import RoundParams, build_problem
    from matcher.problem import HistoryPolicy

    w = build_programme(db, settings, client)
    karl = w["karl"]
    params = RoundParams(
        horizon_start=START.date(),
        horizon_end=START.date() + timedelta(weeks=1),
        proposals=2,
        external_budget=None,
        time_limit_seconds=1,
        exclude_same_unit=False,
        exclude_peers=True,
        history=HistoryPolicy.AVOID,
        seed=0,
    )

    def hours() -> Any:
        built = build_problem(session=fresh(db), settings=settings, now=START, params=params)
        return built.hours[f"c{karl.id}"]

    # from now (Monday 09:00 Paris) to Sunday night: five days of 09:00-17:00
    assert hours().free == 40
    day = timedelta(days=1)
    tuesday = START + day - timedelta(hours=9)  # 00:00 Paris
    db.add(
        AvailabilityException(
            coach_id=karl.id, start_at=tuesday, end_at=tuesday + day, created_at=START
        )
    )
    saturday = datetime(2026, 3, 7, 10, tzinfo=UTC)
    db.add(
        ExtraWindow(
            coach_id=karl.id,
            start_at=saturday,
            end_at=saturday + timedelta(hours=2),
            created_at=START,
        )
    )
    calendar = ICS.encode()
    db.add(
        BusyCalendar(
            coach_id=karl.id,
            filename="b.ics",
            content=calendar,
            size=len(calendar),
            sha256="0" * 64,
            uploaded_at=START,
        )
    )
    db.commit()
    add_window(db, karl, 5, 9, 10, zone="America/New_York")  # Saturday 14:00-15:00 UTC
    # Tuesday off (-8), Saturday's extra (+2), the calendar's Thursday hour (-1), New York (+1)
    assert hours().free == 34
    olga = add_request(db, w["people"]["olga"], status=RequestStatus.matched)
    other = add_engagement(db, olga, karl)
    add_session(db, other, number=1, start=datetime(2026, 3, 4, 10, tzinfo=UTC))
    booked = hours()
    assert (booked.free, booked.held, booked.hours) == (33, 1, 34)
    karl.hours_per_month = 10
    db.add(karl)
    db.commit()
    capped = hours()
    # 10 h a month over the horizon left: from Monday 08:00 UTC, 6 days and 16 hours
    assert capped.declared == round(10 * (6 + 16 / 24) / (365.25 / 12), 2)
    assert capped.hours == capped.declared
