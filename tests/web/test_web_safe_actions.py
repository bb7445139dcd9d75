"""Safe actions (issue 14 item 5), through the real app: a destructive button only leads
to a confirmation that says what will happen; HR's cancel keeps its reason and can be
undone for ten minutes; a refused or empty session move comes back in its form with the
reason next to the field and the next free times, in the reader's language (no ISO date).
One story in Chromium."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

from api_support import add_engagement, add_person, add_session, build_world, fresh, login
from engaged_support import engage
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from test_web_forms import _error
from web_support import Browser, as_user, bearer_token

from api.clock import FixedClock
from api.models import (
    AuditEntry,
    AvailabilityException,
    BusyCalendar,
    CoachingRequest,
    CoachingSession,
    ExtraWindow,
    FeedToken,
    Person,
    SiteTravel,
    WeeklyWindow,
)
from api.models.enums import RequestStatus, SessionStatus
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
NBSP = "\u00a0"


def _visible(html: str) -> str:
    """The page's words as read (tags and their attributes left out)."""
    return unescape(re.sub(r"<[^>]*>", " ", html))


def _request_updates(db: Session, request_id: int) -> int:
    return len(
        fresh(db)
        .exec(
            select(AuditEntry).where(
                AuditEntry.target == "coaching_request",
                AuditEntry.target_id == str(request_id),
                col(AuditEntry.action) == "update",
            )
        )
        .all()
    )


def test_hr_cancel_asks_first_keeps_the_reason_and_can_be_undone(
    client: TestClient, db: Session, settings: Settings, clock: FixedClock
) -> None:
    world = build_world(db, settings, client)
    request_id = world["request_open"]
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    url = f"/hr/requests/{request_id}/cancel"

    listed = client.get("/hr/requests")
    assert f'href="{url}"' in listed.text
    assert f'action="{url}"' not in listed.text  # the row holds a link, not the action

    # the old one-click post (or a forged one) leads to the confirmation, changes nothing
    before = _request_updates(db, request_id)
    clicked = client.post(url, data={"csrf": csrf}, follow_redirects=False)
    assert clicked.status_code == 303 and clicked.headers["location"] == url
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.open
    assert _request_updates(db, request_id) == before

    asked = client.get(url)
    assert asked.status_code == 200
    words = _visible(asked.text)
    assert "Cancel the request of Paul Coachee?" in words
    assert f"#{request_id}" not in words
    assert "You can undo this for 10 minutes." in words
    assert 'name="reason"' in asked.text and 'name="confirm"' in asked.text
    client.cookies.set(LANG_COOKIE, "fr")
    assert f"Annuler la demande de Paul Coachee{NBSP}?" in _visible(client.get(url).text)
    client.cookies.delete(LANG_COOKIE)

    no_reason = client.post(url, data={"csrf": csrf, "confirm": "yes", "reason": " "})
    assert no_reason.status_code == 422
    assert _error(no_reason.text, "reason") == "Say why, in a few words."
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.open

    done = client.post(
        url,
        data={"csrf": csrf, "confirm": "yes", "reason": "Paul left the company"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/hr/requests?undo={request_id}&at=")
    stored = fresh(db).get(CoachingRequest, request_id)
    assert stored.status == RequestStatus.cancelled
    assert stored.cancel_reason == "Paul left the company"
    assert stored.status_before_cancel == RequestStatus.open
    offer = client.get(done.headers["location"])
    assert "Request cancelled." in offer.text
    words = _visible(offer.text)
    assert "The request of Paul Coachee is cancelled. You can undo this until" in words
    stamp = re.search(r'name="at" value="([^"]+)"', offer.text)
    assert stamp is not None
    first_stamp = stamp[1]

    clock.advance(timedelta(minutes=9))
    undone = client.post(
        f"/hr/requests/{request_id}/restore",
        data={"csrf": csrf, "at": first_stamp},
        follow_redirects=False,
    )
    assert undone.status_code == 303
    stored = fresh(db).get(CoachingRequest, request_id)
    assert (stored.status, stored.cancel_reason) == (RequestStatus.open, None)
    assert _request_updates(db, request_id) == before + 2  # the cancel and its undo

    # the same undo again: the request changed since (it is open), refused
    again = client.post(
        f"/hr/requests/{request_id}/restore", data={"csrf": csrf, "at": first_stamp}
    )
    assert again.status_code == 409
    assert "can no longer be undone" in again.text
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.open

    # cancelled again, then too late: refused, still cancelled
    client.post(url, data={"csrf": csrf, "confirm": "yes", "reason": "for good"})
    second = fresh(db).get(CoachingRequest, request_id)
    assert second.status == RequestStatus.cancelled
    late_stamp = second.updated_at.isoformat()
    clock.advance(timedelta(minutes=11))
    assert "undo-cancel" not in client.get(f"/hr/requests?undo={request_id}&at={late_stamp}").text
    late = client.post(f"/hr/requests/{request_id}/restore", data={"csrf": csrf, "at": late_stamp})
    assert late.status_code == 409
    client.cookies.set(LANG_COOKIE, "fr")
    late_fr = client.post(
        f"/hr/requests/{request_id}/restore", data={"csrf": csrf, "at": late_stamp}
    )
    assert "Cette annulation ne peut plus être défaite" in late_fr.text
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.cancelled
    assert fresh(db).get(CoachingRequest, request_id).cancel_reason == "for good"


def test_a_proposed_request_cancel_is_confirmed_and_not_undone(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    row = db.get(CoachingRequest, world["request_open"])
    assert row is not None
    row.status = RequestStatus.proposed
    db.add(row)
    db.commit()
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    url = f"/hr/requests/{row.id}/cancel"
    assert "This cannot be undone" in _visible(client.get(url).text)
    done = client.post(url, data={"csrf": csrf, "confirm": "yes", "reason": "duplicate"})
    assert done.status_code == 200 and "undo-cancel" not in done.text
    assert fresh(db).get(CoachingRequest, row.id).status == RequestStatus.cancelled


def _move_world(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    w = engage(client, db, settings)
    w["csrf"] = as_user(client, bearer_token(login(client, "karl@example.org")))
    return w


def test_session_buttons_only_lead_to_their_forms(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _move_world(client, db, settings)
    first = w["sessions"][0]
    listed = client.get("/my/sessions")
    assert f'href="/my/sessions/{first.id}/move"' in listed.text
    assert f'href="/my/sessions/{first.id}/cancel"' in listed.text
    assert "/reschedule" not in listed.text and 'action="/my/sessions' not in listed.text

    # a cancel posted without the confirmation: to the confirmation, nothing cancelled
    url = f"/my/sessions/{first.id}/cancel"
    clicked = client.post(url, data={"csrf": w["csrf"]}, follow_redirects=False)
    assert clicked.status_code == 303 and clicked.headers["location"] == url
    assert fresh(db).get(CoachingSession, first.id).status == SessionStatus.planned
    asked = _visible(client.get(url).text)
    assert "Session 1 with Paul Coachee" in asked and not ISO_DAY.search(asked)
    confirmed = client.post(url, data={"csrf": w["csrf"], "confirm": "yes"}, follow_redirects=False)
    assert confirmed.status_code == 303
    assert fresh(db).get(CoachingSession, first.id).status == SessionStatus.cancelled


def test_a_refused_move_comes_back_in_its_form_with_free_times(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _move_world(client, db, settings)
    first = w["sessions"][0]
    url = f"/my/sessions/{first.id}/reschedule"
    start, sequence = first.start_at, first.sequence  # (`fresh` reloads `first` itself)

    def unchanged() -> None:
        now = fresh(db).get(CoachingSession, first.id)
        assert (now.start_at, now.sequence, now.status) == (start, sequence, SessionStatus.planned)

    empty = client.post(url, data={"csrf": w["csrf"], "start_at": ""})
    assert empty.status_code == 422
    assert _error(empty.text, "start_at") == "Choose a new time."
    unchanged()

    # Olga's session with Karl two hours after Paul's first: that time is taken
    olga = add_engagement(db, w["requests"]["olga"], w["karl"])
    add_session(db, olga, number=1, start=start + timedelta(hours=2))
    db.commit()
    zone = re.search(r"your zone \(([^)]+)\)", client.get(f"/my/sessions/{first.id}/move").text)
    assert zone is not None
    local = start.astimezone(ZoneInfo(zone[1]))
    taken = (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    night = local.replace(hour=3, minute=0).strftime("%Y-%m-%dT%H:%M")
    for lang, typed, heading, error in (
        ("en", taken, "Next free times", "The coach (Karl Coach) already has a session from"),
        ("fr", taken, "Prochains créneaux libres", "Le coach (Karl Coach) a déjà une séance de"),
        ("en", night, "Next free times", "The coach is not available then"),
        ("fr", night, "Prochains créneaux libres", "Le coach n’est pas disponible"),
    ):
        client.cookies.set(LANG_COOKIE, lang)
        refused = client.post(url, data={"csrf": w["csrf"], "start_at": typed})
        assert refused.status_code == 409, refused.text
        assert error in _error(refused.text, "start_at")
        assert f'value="{typed}"' in refused.text  # the typed time is kept
        words = _visible(refused.text)
        assert heading in words and not ISO_DAY.search(words), words
        proposals = re.findall(r'name="start_at" value="([^"]+)" class="secondary', refused.text)
        assert len(proposals) == 3 and taken not in proposals
        unchanged()
    client.cookies.delete(LANG_COOKIE)

    # a proposed time is one the move accepts
    moved = client.post(
        url, data={"csrf": w["csrf"], "start_at": proposals[0]}, follow_redirects=False
    )
    assert moved.status_code == 303
    after = fresh(db).get(CoachingSession, first.id)
    assert after.start_at != start and after.sequence == sequence + 1


def test_the_cancel_story_in_chromium(
    page: Any, live_server: str, client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    request_id = world["request_open"]
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/requests")
    page.locator(f"a[href='/hr/requests/{request_id}/cancel']").click()
    assert site.heading() == "Cancel the request of Paul Coachee?"
    reason = page.locator("#reason")
    assert reason.evaluate("e => e.validity.valueMissing")  # the browser will not send it
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.open
    reason.fill("Paul moved to another programme")
    page.locator("#confirm-submit").click()
    page.wait_for_url(re.compile(r".*/hr/requests\?undo="))
    assert "You can undo this until" in site.text()
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.cancelled
    page.locator("#undo-cancel button").click()
    page.wait_for_url(live_server + "/hr/requests")
    assert "the request is open again" in site.text()
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.open


def test_a_coachee_withdraws_only_after_the_confirmation(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    request_id = world["request_open"]
    csrf = as_user(client, bearer_token(world["headers"]["coachee"]))
    url = f"/my/requests/{request_id}/cancel"
    shown = client.get(f"/my/requests/{request_id}")
    assert f'href="{url}"' in shown.text and f'action="{url}"' not in shown.text
    clicked = client.post(url, data={"csrf": csrf}, follow_redirects=False)
    assert clicked.status_code == 303 and clicked.headers["location"] == url
    assert fresh(db).get(CoachingRequest, request_id).status == RequestStatus.open
    client.cookies.set(LANG_COOKIE, "fr")
    assert f"Retirer votre demande{NBSP}?" in _visible(client.get(url).text)
    done = client.post(
        url,
        data={"csrf": csrf, "confirm": "yes", "reason": "found a mentor"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    stored = fresh(db).get(CoachingRequest, request_id)
    assert (stored.status, stored.cancel_reason) == (RequestStatus.cancelled, "found a mentor")


def test_deletes_are_confirmed_inline(client: TestClient, db: Session, settings: Settings) -> None:
    """Each delete button opens a <details> saying what goes; its form sends confirm=yes,
    and a post without it deletes nothing (also on someone else's row: 404 as before)."""
    world = build_world(db, settings, client)
    csrf = as_user(client, bearer_token(world["headers"]["coach"]))
    page = client.get("/coach/availability")
    assert page.text.count('<details class="confirm inline"') >= 3  # weekly, away, extra, ics
    assert 'name="confirm" value="yes"' in page.text
    for kind, key, model in (
        ("weekly", "weekly", WeeklyWindow),
        ("exceptions", "exception", AvailabilityException),
        ("extra", "extra", ExtraWindow),
    ):
        url = f"/coach/availability/{kind}/{world[key]}/delete"
        asked = client.post(url, data={"csrf": csrf}, follow_redirects=False)
        assert asked.status_code == 303 and asked.headers["location"] == "/coach/availability"
        assert fresh(db).get(model, world[key]) is not None, kind
        foreign = client.post(
            f"/coach/availability/{kind}/{world[key + '2']}/delete", data={"csrf": csrf}
        )
        assert foreign.status_code == 404
        done = client.post(url, data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
        assert done.status_code == 303 and fresh(db).get(model, world[key]) is None, kind
    kept = client.post("/coach/availability/ics/delete", data={"csrf": csrf})
    assert "Nothing was changed: confirm first" in kept.text
    assert fresh(db).exec(select(BusyCalendar)).first() is not None

    client.cookies.set(LANG_COOKIE, "fr")
    kept_link = client.post("/my/feed", data={"csrf": csrf})  # a new link would cut the old
    assert f"Rien n’a été modifié{NBSP}: confirmez d’abord" in kept_link.text
    feed = client.get("/my/feed")
    assert f"Remplacer le lien{NBSP}?" in _visible(feed.text)
    assert f"Révoquer le lien{NBSP}?" in _visible(feed.text)
    refused = client.post("/my/feed/revoke", data={"csrf": csrf})
    assert f"Rien n’a été modifié{NBSP}: confirmez d’abord" in refused.text
    coach_user = world["users"]["coach"].id
    live = select(FeedToken).where(
        FeedToken.user_id == coach_user, col(FeedToken.revoked_at).is_(None)
    )
    assert fresh(db).exec(live).first() is not None


def test_a_travel_reset_without_its_confirmation_keeps_the_value(
    client: TestClient, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings, client)
    boss = db.get(Person, world["people"]["boss"])
    assert boss is not None
    boss.site = "Paris"
    add_person(db, "S1", manager=boss, site="Lyon")
    db.add(boss)
    db.commit()
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    pair = {"csrf": csrf, "a": "Lyon", "b": "Paris"}
    saved = client.post("/hr/travel", data={**pair, "action": "save", "minutes": "150"})
    assert saved.status_code == 200, saved.text
    page = client.get("/hr/travel")
    assert 'name="action" value="reset"' in page.text and "<details" in page.text
    asked = client.post("/hr/travel", data={**pair, "action": "reset"})
    assert "Nothing was changed: confirm first" in asked.text
    assert [r.minutes for r in fresh(db).exec(select(SiteTravel)).all()] == [150]
    client.post("/hr/travel", data={**pair, "action": "reset", "confirm": "yes"})
    assert fresh(db).exec(select(SiteTravel)).all() == []


def test_an_outcome_other_than_held_or_no_show_is_refused(
    client: TestClient, db: Session, settings: Settings
) -> None:
    w = _move_world(client, db, settings)
    first = w["sessions"][0]
    url = f"/my/sessions/{first.id}/outcome"
    refused = client.post(url, data={"csrf": w["csrf"], "status": "cancelled"})
    assert refused.status_code == 422
    assert "<p>Choose one of the options.</p>" in refused.text
    assert fresh(db).get_one(CoachingSession, first.id).status == SessionStatus.planned
