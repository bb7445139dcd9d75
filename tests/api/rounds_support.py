"""A small programme for round and session tests: an org chart, coaches with windows, and
open requests; rows written straight to the database (START is Monday 2 March 2026)."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from api_support import START, add_coach, add_person, add_request, add_user, fresh, login
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api.models import Coach, Proposal, WeeklyWindow
from api.models.enums import ProposalStatus, Role
from api.settings import Settings

SENTINEL = "SENTINEL-CONFIDENTIAL-7f3a"
FAST = {
    "round_time_limit_seconds": 2.0,
    "planner_time_limit_seconds": 0.5,
    "round_rematch_attempts": 2,
}


def fast(settings: Settings, **changes: Any) -> Settings:
    """Small solver limits for tests."""
    return settings.model_copy(update={**FAST, **changes})


def add_window(
    db: Session,
    coach: Coach,
    weekday: int,
    start: int,
    end: int,
    zone: str = "Europe/Paris",
) -> WeeklyWindow:
    row = WeeklyWindow(
        coach_id=coach.id,
        weekday=weekday,
        start_time=time(start),
        end_time=time(end),
        timezone=zone,
        created_at=START,
    )
    db.add(row)
    db.commit()
    return row


def weekdays(db: Session, coach: Coach, start: int = 9, end: int = 17) -> None:
    for day in range(5):
        add_window(db, coach, day, start, end)


def build_programme(db: Session, settings: Settings, client: TestClient) -> dict[str, Any]:
    """CEO → Sales head (sponsor) → Paul, Olga (coachees); CEO → IT head → Karl (internal
    coach) and Ines (coachee, Karl's peer). Karl and an external coach Xavier work
    weekdays; requests for Paul and Olga (sponsor: the Sales head) and Ines (sponsor: the
    IT head, Karl's manager: neutrality rules Karl out)."""
    ceo = add_person(db, "E0", name="Claire Ceo", unit="DG")
    sales = add_person(db, "E1", manager=ceo, name="Sacha Sales", unit="Sales")
    it = add_person(db, "E2", manager=ceo, name="Ivan It", unit="IT")
    paul = add_person(db, "E3", manager=sales, name="Paul Coachee", unit="Sales")
    olga = add_person(db, "E4", manager=sales, name="Olga Other", unit="Sales", language="fr")
    karl_person = add_person(db, "E5", manager=it, name="Karl Coach", unit="IT")
    ines = add_person(db, "E6", manager=it, name="Ines Peer", unit="IT")
    karl = add_coach(db, person=karl_person, max_coachees=3)
    xavier = add_coach(db, name="Xavier External", email="xavier@vendor.example", max_coachees=3)
    weekdays(db, karl)
    weekdays(db, xavier)
    r_paul = add_request(db, paul, sponsor=sales, description=SENTINEL, cadence_days=14)
    r_olga = add_request(db, olga, sponsor=sales, description=SENTINEL, cadence_days=14)
    r_ines = add_request(db, ines, sponsor=it, description=SENTINEL, cadence_days=14)
    hr = add_user(db, settings, Role.hr, email="hr@example.org")
    coach_user = add_user(db, settings, Role.coach, email="karl@example.org", coach=karl)
    xavier_user = add_user(db, settings, Role.coach, email="xavier@example.org", coach=xavier)
    paul_user = add_user(db, settings, Role.coachee, email="paul@example.org", person=paul)
    olga_user = add_user(db, settings, Role.coachee, email="olga@example.org", person=olga)
    return {
        "people": {
            "ceo": ceo,
            "sales": sales,
            "it": it,
            "paul": paul,
            "olga": olga,
            "karl": karl_person,
            "ines": ines,
        },
        "karl": karl,
        "xavier": xavier,
        "requests": {"paul": r_paul, "olga": r_olga, "ines": r_ines},
        "hr": login(client, hr.email),
        "karl_h": login(client, coach_user.email),
        "xavier_h": login(client, xavier_user.email),
        "paul_h": login(client, paul_user.email),
        "olga_h": login(client, olga_user.email),
    }


# A round is a job: `Prefer: wait=N` asks the API to answer with the result when it is
# ready within N seconds (else 202 and its Location).
WAIT = {"Prefer": "wait=60"}


def post_round(client: TestClient, headers: dict[str, str], *, commit: bool, **body: Any) -> Any:
    """Run a round through the API (a preview, or a round that stores its result) and
    return its view once finished."""
    path = "/rounds" if commit else "/rounds/preview"
    response = client.post(path, json=body, headers={**headers, **WAIT})
    assert response.status_code == 200, response.text
    view = response.json()
    assert response.headers["location"] == f"/rounds/{view['id']}"
    assert view["status"] in ("done", "failed", "cancelled"), view
    return view


def open_proposals(db: Session, request_id: int) -> list[Proposal]:
    """The request's proposals still to decide, best rank first (read afresh)."""
    rows = fresh(db).exec(
        select(Proposal)
        .where(Proposal.request_id == request_id, Proposal.status == ProposalStatus.proposed)
        .order_by(col(Proposal.rank))
    )
    return list(rows)


def review_row(html: str, request_id: int) -> str:
    """The round page's review row of one request."""
    found = re.search(rf'<tr id="request-{request_id}".*?</tr>', html, re.S)
    assert found, f"no row for request {request_id}"
    return found.group(0)
