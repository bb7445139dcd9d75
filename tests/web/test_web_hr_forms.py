"""HR's request edit, neutrality and outbox pages, and the coachee's own request, through
the real app (TestClient): what they write, their refusals by field, what they never show."""

from __future__ import annotations

from pathlib import Path

from api_support import add_person, build_world, fresh, row_counts
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from test_web_forms import _error
from web_support import as_user, bearer_token

from api.app import create_app
from api.clock import FixedClock
from api.models import CoachingRequest, Conflict, OutboxMessage, PairAdjustment
from api.models.enums import AdjustmentKind, OutboxStatus, RequestStatus
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

SECRET = "SENTINEL-OPEN-BRIEF"


def test_hr_edits_an_open_request_and_never_sees_its_brief(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    request_id = world["request_open"]
    row = db.get(CoachingRequest, request_id)
    assert row is not None
    row.description, row.objectives = SECRET, SECRET
    db.add(row)
    db.commit()
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    page = client.get(f"/hr/requests/{request_id}")
    assert page.status_code == 200 and SECRET not in page.text
    assert 'value="B1"' in page.text  # the sponsor, by org-chart id
    listed = client.get("/hr/requests")
    assert f'href="/hr/requests/{request_id}"' in listed.text

    url = f"/hr/requests/{request_id}"
    base = {"csrf": csrf, "language": "en", "sessions": "4", "themes": "leadership"}
    before = row_counts(db)
    for data, field, words in [
        ({**base, "priority": "9"}, "priority", "Enter a value of at most 5."),
        ({**base, "sponsor_id": "NOBODY"}, "sponsor_id", "No one has the org-chart id “NOBODY”."),
        ({**base, "sponsor_id": "P1"}, "sponsor_id", "The coachee cannot be their own sponsor."),
        ({**base, "sessions": "0"}, "sessions", "Enter a value of at least 1."),
    ]:
        refused = client.post(url, data=data)
        assert refused.status_code == 422, refused.text
        assert _error(refused.text, field) == words
        assert SECRET not in refused.text
    assert row_counts(db) == before
    assert fresh(db).get(CoachingRequest, request_id).priority == 3

    saved = client.post(
        url,
        data={**base, "priority": "1", "themes": "conflits, prise de poste", "cadence_days": "21"},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == url
    stored = fresh(db).get(CoachingRequest, request_id)
    assert (stored.priority, stored.themes, stored.cadence_days, stored.sponsor_id) == (
        1,
        ["conflits", "prise de poste"],
        21,
        None,  # the sponsor field was left empty: no sponsor any more
    )
    assert stored.description == SECRET and stored.objectives == SECRET

    # a matched request is shown, not edited
    matched = world["request"]
    shown = client.get(f"/hr/requests/{matched}")
    assert 'id="not-editable"' in shown.text
    assert f'action="/hr/requests/{matched}"' not in shown.text
    assert "SENTINEL-R1" not in shown.text
    before = row_counts(db)
    late = client.post(f"/hr/requests/{matched}", data={**base, "priority": "1"})
    assert late.status_code == 409
    assert "The request is Matched; this needs it to be Open." in late.text
    assert row_counts(db) == before
    assert fresh(db).get(CoachingRequest, matched).priority == 3


def test_hr_declares_conflicts_and_adjustments(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    client.cookies.set(LANG_COOKIE, "fr")
    coach2, request_open = str(world["coach2"]), str(world["request_open"])
    page = client.get("/hr/neutrality")
    assert page.status_code == 200 and "<h1>Neutralité</h1>" in page.text
    assert "Olga Other" in page.text  # the declared conflict of the world
    before = row_counts(db)
    unknown = client.post(
        "/hr/neutrality/conflicts", data={"csrf": csrf, "coach_id": coach2, "person_id": "P9"}
    )
    assert unknown.status_code == 422
    assert "P9" in _error(unknown.text, "person_id")
    twice = client.post(
        "/hr/neutrality/conflicts",
        data={"csrf": csrf, "coach_id": str(world["coach"]), "person_id": "P2"},
    )
    assert twice.status_code == 409 and "person_id-error" in twice.text
    no_weight = client.post(
        "/hr/neutrality/adjustments",
        data={"csrf": csrf, "coach_id": coach2, "request_id": request_open, "kind": "bonus"},
    )
    assert no_weight.status_code == 422
    assert _error(no_weight.text, "weight") == "Un bonus a besoin de points (de 1 à 100)."
    assert 'value="' + request_open + '"' in no_weight.text  # the input is kept
    assert row_counts(db) == before

    done = client.post(
        "/hr/neutrality/conflicts",
        data={"csrf": csrf, "coach_id": coach2, "person_id": "P1", "reason": "same team"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    conflict = fresh(db).exec(select(Conflict).where(Conflict.coach_id == world["coach2"])).one()
    assert (conflict.person_id, conflict.reason) == (world["people"]["coachee"], "same team")
    bonus = client.post(
        "/hr/neutrality/adjustments",
        data={
            "csrf": csrf,
            "coach_id": coach2,
            "request_id": request_open,
            "kind": "bonus",
            "weight": "30",
        },
        follow_redirects=False,
    )
    assert bonus.status_code == 303
    adjustment = (
        fresh(db)
        .exec(select(PairAdjustment).where(PairAdjustment.coach_id == world["coach2"]))
        .one()
    )
    assert (adjustment.request_id, adjustment.kind, adjustment.weight) == (
        world["request_open"],
        AdjustmentKind.bonus,
        30,
    )
    page = client.get("/hr/neutrality")
    assert "Bonus de 30" in page.text and "same team" in page.text
    for model, row_id, kind in (
        (Conflict, conflict.id, "conflicts"),
        (PairAdjustment, adjustment.id, "adjustments"),
    ):
        url = f"/hr/neutrality/{kind}/{row_id}/delete"
        confirmed = {"csrf": csrf, "confirm": "yes"}
        assert client.post(url, data=confirmed, follow_redirects=False).status_code == 303
        assert client.post(url, data=confirmed).status_code == 404
        fresh(db).expunge_all()
        assert db.get(model, row_id) is None


def test_hr_reads_the_outbox_and_delivers_it(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    add_person(db, "Q1", name="Olga Newhire")
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    invited = client.post(
        "/hr/accounts",
        data={"csrf": csrf, "role": "sponsor", "person_id": "Q1"},
        follow_redirects=False,
    )
    assert invited.status_code == 303
    [message] = fresh(db).exec(select(OutboxMessage)).all()
    page = client.get("/hr/outbox")
    assert page.status_code == 200 and "q1@example.org" in page.text
    assert "Waiting" in page.text and "accept-invitation" not in page.text  # never the body
    assert client.get("/hr/outbox", params={"status": "sent"}).text.count("q1@") == 0
    delivered = client.post("/hr/outbox/deliver", data={"csrf": csrf}, follow_redirects=False)
    assert delivered.status_code == 303
    stored = fresh(db).get(OutboxMessage, message.id)
    assert stored.status == OutboxStatus.sent and stored.attempts == 1
    assert len(list(Path(settings.outbox_dir).glob("*.eml"))) == 1
    sent = client.get("/hr/outbox", params={"status": "sent"})
    assert "q1@example.org" in sent.text and "Sent" in sent.text


def test_a_coachee_submits_their_own_request(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["coachee"]))
    mine = client.get("/my/requests")
    assert 'href="/my/requests/new"' in mine.text
    form = client.get("/my/requests/new")
    assert form.status_code == 200
    assert '<option value="B1" selected>Beatrice Boss</option>' in form.text  # the manager
    base = {"csrf": csrf, "sponsor_id": "B1", "language": "fr", "description": "my own words"}
    before = row_counts(db)
    refused = client.post("/my/requests/new", data={**base, "sessions": "0"})
    assert refused.status_code == 422
    assert _error(refused.text, "sessions") == "Enter a value of at least 1."
    assert "my own words" in refused.text  # their own brief, kept for them
    nobody = client.post("/my/requests/new", data={**base, "sponsor_id": "NOBODY"})
    assert _error(nobody.text, "sponsor_id") == "No one has the org-chart id “NOBODY”."
    assert row_counts(db) == before
    done = client.post(
        "/my/requests/new",
        data={**base, "themes": "confiance, prise de parole", "modality": "remote"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    row = fresh(db).exec(select(CoachingRequest).order_by(col(CoachingRequest.id).desc())).first()
    assert row is not None and done.headers["location"] == f"/my/requests/{row.id}"
    assert (row.coachee_id, row.sponsor_id, row.status) == (
        world["people"]["coachee"],
        world["people"]["boss"],
        RequestStatus.open,
    )
    assert (row.description, row.themes, row.submitted_by_id) == (
        "my own words",
        ["confiance", "prise de parole"],
        world["users"]["coachee"].id,
    )
    assert "my own words" in client.get(done.headers["location"]).text


def test_hr_reads_times_in_the_configured_default_zone(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    """HR has no person: pages and feed use COACHMATCH_DEFAULT_TIMEZONE (Europe/Paris by
    default). The world's first session starts on Wednesday 4 March 2026 at 09:00 UTC."""
    world = build_world(db, settings, client)
    assert settings.default_timezone == "Europe/Paris"
    as_user(client, bearer_token(world["headers"]["hr"]))
    assert "Wednesday 4\u00a0March\u00a02026, 10:00" in client.get("/hr/sessions").text
    feed = client.get(f"/feeds/{world['feed_tokens']['hr']}.ics")
    assert "X-WR-TIMEZONE:Europe/Paris" in feed.text
    montreal = settings.model_copy(update={"default_timezone": "America/Montreal"})
    with TestClient(create_app(montreal, clock=clock)) as other:
        as_user(other, bearer_token(world["headers"]["hr"]))
        assert "Wednesday 4\u00a0March\u00a02026, 04:00" in other.get("/hr/sessions").text
        # a coachee's pages stay in their own zone (Paul's: Europe/Paris)
        as_user(other, bearer_token(world["headers"]["coachee"]))
        assert "Wednesday 4\u00a0March\u00a02026, 10:00" in other.get("/my/sessions").text
        feed = other.get(f"/feeds/{world['feed_tokens']['hr']}.ics")
        assert "X-WR-TIMEZONE:America/Montreal" in feed.text


def test_hr_names_a_mediations_other_party_by_org_chart_id(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """The request form takes the other participants (a team's members, a mediation's
    other party) by org-chart id; a wrong one is refused by field, nothing written."""
    from api.models import RequestParticipant

    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    form = client.get("/hr/requests/new")
    assert 'name="participant_ids"' in form.text
    base = {
        "csrf": csrf,
        "coachee_id": "P1",
        "sponsor_id": "B1",
        "coaching_type": "mediation",
        "language": "fr",
        "description": "two colleagues at odds",
    }
    before = row_counts(db)
    nobody = client.post("/hr/requests/new", data={**base, "participant_ids": "P2, NOBODY"})
    assert nobody.status_code == 422
    assert _error(nobody.text, "participant_ids") == "No one has the org-chart id “NOBODY”."
    coaching = client.post(
        "/hr/requests/new", data={**base, "coaching_type": "coaching", "participant_ids": "P2"}
    )
    assert coaching.status_code == 422 and _error(coaching.text, "participant_ids")
    assert row_counts(db) == before
    done = client.post(
        "/hr/requests/new", data={**base, "participant_ids": "P2"}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    row = fresh(db).exec(select(CoachingRequest).order_by(col(CoachingRequest.id).desc())).first()
    assert row is not None and str(row.coaching_type) == "mediation"
    parties = (
        fresh(db)
        .exec(select(RequestParticipant.person_id).where(RequestParticipant.request_id == row.id))
        .all()
    )
    assert parties == [world["people"]["other"]]
