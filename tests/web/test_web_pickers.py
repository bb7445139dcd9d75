"""HR's people pickers: the look-ups behind them (TestClient: who may ask, what matches,
what is never in an answer) and, in Chromium, HR choosing a coachee, a sponsor and
participants by typing part of their names and using the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import add_coach, add_person, add_request, build_world, fresh
from fastapi.testclient import TestClient
from playwright.sync_api import expect
from sqlmodel import Session, col, select
from web_support import Browser, as_user, bearer_token

from api.models import Coach, CoachingRequest, Person, RequestParticipant
from api.settings import Settings

SECRET = "SENTINEL-PICKER-BRIEF-7c1d"
PEOPLE, COACHES = "/hr/lookup/people", "/hr/lookup/coaches"


@pytest.fixture
def world(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """build_world's people, plus Hélène Çelik in "Ingénierie" and a request whose brief
    and objectives (and the coachee's name in them) are the sentinel."""
    w = build_world(db, settings, client)
    helene = add_person(
        db, "p274", name="Hélène Çelik", email="helene.celik@example.org", unit="Ingénierie"
    )
    add_person(db, "p275", name="Hugo Martin", unit="Ingénierie Système")
    add_request(db, helene, description=f"{SECRET} Hélène", objectives=SECRET)
    w["helene"] = helene
    as_user(client, bearer_token(w["headers"]["hr"]))
    return w


def _names(client: TestClient, path: str, q: str, **params: Any) -> list[str]:
    answer = client.get(path, params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert SECRET not in answer.text
    return [r["name"] for r in answer.json()["results"]]


def test_hr_finds_people_by_name_email_unit_and_id_without_accents_or_case(
    client: TestClient, world: dict[str, Any]
) -> None:
    assert _names(client, PEOPLE, "helene") == ["Hélène Çelik"]  # accents ignored
    assert _names(client, PEOPLE, "ÇELIK") == ["Hélène Çelik"]  # case too
    assert _names(client, PEOPLE, "HÉLÈNE.celik@") == ["Hélène Çelik"]  # by email
    assert _names(client, PEOPLE, "ingenierie") == ["Hélène Çelik", "Hugo Martin"]  # unit
    assert _names(client, PEOPLE, "ingé système") == ["Hugo Martin"]  # every word
    assert _names(client, PEOPLE, "P274") == ["Hélène Çelik"]  # org-chart id
    one = client.get(PEOPLE, params={"q": "celik"}).json()
    assert one == {
        "results": [
            {
                "value": "p274",
                "name": "Hélène Çelik",
                "detail": "helene.celik@example.org · Ingénierie · p274",
            }
        ],
        "more": False,
        "too_short": False,
    }
    # build_world's people by first name; no one for a name no one has
    assert _names(client, PEOPLE, "paul") == ["Paul Coachee"]
    assert _names(client, PEOPLE, "zzzz") == []


def test_the_look_up_never_shows_a_brief_nor_an_erased_or_inactive_person(
    client: TestClient, db: Session, world: dict[str, Any]
) -> None:
    # the words of the brief find nothing: requests are not searched, nor sent
    assert _names(client, PEOPLE, "SENTINEL") == []
    gone = add_person(db, "p900", name="Gaston Gone")
    gone.active = False
    db.add(gone)
    db.commit()
    assert _names(client, PEOPLE, "gaston") == []
    answer = client.get(PEOPLE, params={"q": "e", "limit": 20})
    assert answer.json() == {"results": [], "more": False, "too_short": True}
    assert client.get(PEOPLE).json()["too_short"] is True  # no query at all
    assert client.get(PEOPLE, params={"q": "   "}).json()["too_short"] is True
    assert client.get(PEOPLE, params={"q": "x" * 201}).status_code == 422


def test_at_most_twenty_people_and_a_word_that_there_are_more(
    client: TestClient, db: Session, world: dict[str, Any]
) -> None:
    for i in range(25):
        add_person(db, f"T{i:02d}", name=f"Zoé Team {i:02d}", unit="Team")
    answer = client.get(PEOPLE, params={"q": "zoe"}).json()
    assert len(answer["results"]) == 20 and answer["more"] is True
    assert answer["results"][0]["name"] == "Zoé Team 00"  # by name
    few = client.get(PEOPLE, params={"q": "zoe", "limit": 5}).json()
    assert len(few["results"]) == 5 and few["more"] is True
    exact = client.get(PEOPLE, params={"q": "zoe 02"}).json()
    assert [r["name"] for r in exact["results"]] == ["Zoé Team 02"] and not exact["more"]
    assert client.get(PEOPLE, params={"q": "zoe", "limit": 21}).status_code == 422


def test_hr_finds_coaches_by_name_firm_and_number(
    client: TestClient, db: Session, world: dict[str, Any]
) -> None:
    firm = add_coach(db, name="Émile Vendor", vendor="Cabinet Lumière", email="emile@firm.example")
    karl = db.get_one(Coach, world["coach"])
    assert _names(client, COACHES, "lumiere") == ["Émile Vendor"]
    assert _names(client, COACHES, "emile") == ["Émile Vendor"]
    assert _names(client, COACHES, str(firm.id)) == ["Émile Vendor"]  # a one-digit number
    assert _names(client, COACHES, "karl") == ["Karl Coach"]
    found = client.get(COACHES, params={"q": "karl"}).json()["results"]
    assert found[0]["value"] == str(karl.id)


@pytest.mark.parametrize("role", ["coachee", "coach", "sponsor", None])
def test_no_one_but_hr_may_look_people_up(
    client: TestClient, world: dict[str, Any], role: str | None
) -> None:
    as_user(client, bearer_token(world["headers"][role]) if role else None)
    for path in (PEOPLE, COACHES):
        answer = client.get(path, params={"q": "paul"}, follow_redirects=False)
        assert answer.status_code == (403 if role else 401), (path, answer.text)
        assert "Paul" not in answer.text


def test_the_forms_carry_the_pickers_and_still_take_an_org_chart_id(
    client: TestClient, db: Session, world: dict[str, Any]
) -> None:
    """Without the script the fields are the plain fields they were: an id goes through."""
    for path, fields in [
        ("/hr/requests/new", ("coachee_id", "sponsor_id", "participant_ids")),
        ("/hr/accounts", ("person_id", "coach_id")),
        ("/hr/coaches/new", ("person_id",)),
        ("/hr/neutrality", ("conflict-person",)),
        (f"/hr/requests/{world['request_open']}", ("sponsor_id",)),
    ]:
        page = client.get(path)
        assert page.status_code == 200
        assert '<script src="/static/picker.js" defer></script>' in page.text
        for field in fields:
            tag = page.text.split(f'id="{field}"', 1)[1].split(">", 1)[0]
            assert 'data-picker="/hr/lookup/' in tag, (path, field)
    assert client.get("/static/picker.js").status_code == 200
    assert client.get("/static/picker.css").status_code == 200
    csrf = as_user(client, bearer_token(world["headers"]["hr"]))
    sent = client.post(
        "/hr/requests/new",
        data={"csrf": csrf, "coachee_id": "p274", "sponsor_id": "B1", "language": "fr"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    helene = world["helene"]
    rows = (
        fresh(db)
        .exec(select(CoachingRequest).where(col(CoachingRequest.coachee_id) == helene.id))
        .all()
    )
    assert len(rows) == 2
    # the accounts list names people rather than showing their ids
    listed = client.get("/hr/accounts").text
    assert "Paul Coachee <small>P1</small>" in listed  # the name, the id as small print
    coach2 = db.get_one(Coach, world["coach2"])
    assert f"Coach {coach2.name}</td>" in listed  # an external coach's account, by name
    assert f"#{coach2.id}" not in listed


def test_hr_picks_people_by_name_with_the_keyboard(
    page: Any, live_server: str, db: Session, world: dict[str, Any]
) -> None:
    site = Browser(page, live_server)
    site.sign_in("hr@example.org")
    site.open("/hr/requests/new")
    coachee = page.locator("#coachee_id")
    assert coachee.get_attribute("role") == "combobox"
    assert coachee.get_attribute("aria-expanded") == "false"
    listbox = page.locator("#" + str(coachee.get_attribute("aria-controls")))

    coachee.press_sequentially("hélè")
    option = listbox.get_by_role("option", name="Hélène Çelik")
    option.wait_for()
    assert coachee.get_attribute("aria-expanded") == "true"
    status = page.locator(".picker:has(#coachee_id) [role=status]")
    assert status.inner_text() == "1 match. Up and down arrows to browse, Enter to choose."
    coachee.press("ArrowDown")
    assert coachee.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    coachee.press("Enter")
    assert coachee.input_value() == "Hélène Çelik"  # the name, not the id
    assert coachee.get_attribute("aria-expanded") == "false"
    assert page.locator("input[type=hidden][name=coachee_id]").input_value() == "p274"

    sponsor = page.locator("#sponsor_id")
    sponsor.press_sequentially("boss")
    page.locator("#sponsor_id-listbox").get_by_role("option", name="Beatrice Boss").wait_for()
    sponsor.press("ArrowDown")
    sponsor.press("Enter")
    assert sponsor.input_value() == "Beatrice Boss"

    # several participants; Escape closes the list without choosing
    others = page.locator("#participant_ids")
    others.press_sequentially("ingenierie")
    page.locator("#participant_ids-listbox [role=option]").nth(1).wait_for()
    others.press("Escape")
    assert others.get_attribute("aria-expanded") == "false"
    others.press("ArrowDown")  # opens it again, on the first
    others.press("ArrowDown")
    others.press("Enter")  # Hugo Martin, second by name
    others.press_sequentially("olga")
    page.locator("#participant_ids-listbox").get_by_role("option", name="Olga Other").wait_for()
    others.press("ArrowDown")
    others.press("Enter")

    def chosen() -> list[str]:
        return [" ".join(t.split()) for t in page.locator(".picker-chosen li").all_inner_texts()]

    assert chosen() == ["Hugo Martin p275 ×", "Olga Other P2 ×"]
    page.get_by_role("button", name="Remove Olga Other").click()
    assert chosen() == ["Hugo Martin p275 ×"]
    assert page.locator("input[type=hidden][name=participant_ids]").input_value() == "p275"

    page.select_option("#coaching_type", "team_coaching")
    page.fill("#themes", "leadership")
    page.locator("form.card button[type=submit]").click()
    assert site.heading() == "Coaching requests", page.locator(".error").all_inner_texts()
    table = page.locator("table").inner_text()
    assert "Hélène Çelik" in table and "Beatrice Boss" in table
    helene, boss = world["helene"], db.exec(select(Person).where(Person.external_id == "B1")).one()
    hugo = db.exec(select(Person).where(Person.external_id == "p275")).one()
    row = (
        fresh(db)
        .exec(
            select(CoachingRequest)
            .where(col(CoachingRequest.coachee_id) == helene.id)
            .order_by(col(CoachingRequest.id).desc())
        )
        .first()
    )
    assert row is not None
    assert (row.sponsor_id, row.themes) == (boss.id, ["leadership"])
    others_stored = fresh(db).exec(
        select(RequestParticipant.person_id).where(RequestParticipant.request_id == row.id)
    )
    assert list(others_stored) == [hugo.id]

    # the request's page names the sponsor in the field (its id sent as before)
    site.open(f"/hr/requests/{row.id}")
    field = page.locator("#sponsor_id")
    expect(field).to_have_value("Beatrice Boss")  # shown by name once found
    assert field.get_attribute("role") == "combobox"
    assert page.locator("input[type=hidden][name=sponsor_id]").input_value() == "B1"
    assert "Hélène Çelik" in site.text() and SECRET not in page.content()
    # the same in French
    page.locator("form[action='/language'] button").click()
    page.wait_for_load_state()
    field = page.locator("#sponsor_id")
    field.fill("")
    field.press_sequentially("bea")
    page.locator("#sponsor_id-listbox [role=option]").first.wait_for()
    status = page.locator(".picker:has(#sponsor_id) [role=status]")
    assert status.inner_text() == (
        "1\u00a0résultat. Flèches haut et bas pour parcourir, Entrée pour choisir."
    )
