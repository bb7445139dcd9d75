"""A whole engagement through the pages, in Chromium, as coach, coachee, sponsor and HR,
in English and in French: the contract written, acknowledged by the three parties, the
sessions held, the mid-way and final reviews, the evaluations; a hold, a coach change
and HR's reassignment, an early end with its reason code; refusals shown inline in the
reader's language; the printable contract; HR's pages never show the objectives."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from api_support import add_user, fresh
from engaged_support import engage, sessions_of
from fastapi.testclient import TestClient
from lifecycle_support import FRAME, contract_body
from sqlmodel import Session, select
from test_web_forms import _error
from web_support import Browser, as_user, bearer_token

from api.clock import FixedClock
from api.i18n import CATALOGS
from api.models import ContractVersion, Engagement, EvaluationInvitation, PendingEvaluation
from api.models.enums import (
    OPTIONAL_NOTIFICATIONS,
    EndReason,
    EngagementStatus,
    RequestType,
    Role,
)
from api.records.schemas import ReferencingAction
from api.settings import Settings
from api.web.viewer import LANG_COOKIE

OBJECTIVE = "SENTINEL-OBJECTIVE-4c1d lead the yearly reviews"
OBJECTIVE2 = "SENTINEL-OBJECTIVE-4c1d delegate more"
SENTINEL = "SENTINEL-OBJECTIVE-4c1d"
COACH, COACHEE, SPONSOR, HR = (
    "karl@example.org",
    "paul@example.org",
    "sacha@example.org",
    "hr@example.org",
)


@pytest.fixture
def world(client: TestClient, db: Session, settings: Settings) -> dict[str, Any]:
    """Paul's engagement with Karl (four sessions planned), and Sacha, his sponsor, with
    an account."""
    w = engage(client, db, settings)
    add_user(db, settings, Role.sponsor, email=SPONSOR, person=w["people"]["sales"])
    return w


class Site(Browser):
    """The browser, signed in as one person at a time."""

    def as_(self, email: str) -> None:
        if self.page.locator("form[action='/signout'] button").count():
            self.sign_out()
        self.sign_in(email)

    def engagement(self, engagement_id: int) -> None:
        self.open(f"/my/engagements/{engagement_id}")

    def state(self) -> str:
        return str(self.page.locator("#state").inner_text())

    def submit(self, form: str) -> None:
        self.page.locator(f"#{form} button[type=submit]").click()
        self.page.wait_for_load_state()

    def flash(self) -> str:
        return str(self.page.locator(".flash").inner_text())

    def french(self) -> None:
        self.open("/signin")
        self.page.locator("form[action='/language'] button[value=fr]").click()
        self.page.wait_for_load_state()


def words(text: str) -> str:
    """Text as one line (a list laid out in a row reads with breaks)."""
    return " ".join(text.replace("\u00a0", " ").split()).replace(" :", ":")


def write(client: TestClient, world: dict[str, Any], *objectives: str) -> None:
    """The coach writes (or revises) the contract through the API."""
    response = client.put(
        f"/me/engagements/{world['engagement']}/contract",
        json=contract_body(*objectives),
        headers=world["karl_h"],
    )
    assert response.status_code == 200, response.text


def _hold_sessions(site: Site, clock: FixedClock, db: Session, engagement_id: int, n: int) -> None:
    """The coach records the next `n` sessions as held, each once it has ended (days
    later: the coach signs in again)."""
    for _ in range(n):
        planned = [s for s in sessions_of(db, engagement_id) if s.status.value == "planned"]
        clock.set(planned[0].end_at + timedelta(minutes=5))
        site.as_(COACH)
        site.open("/my/sessions?past=1")
        assert site.page.locator("button[value=held]").count(), (clock.now(), site.text())
        site.page.locator("button[value=held]").first.click()
        site.page.wait_for_load_state()


def _hr_sees_no_objectives(site: Site, engagement_id: int) -> None:
    for path in ("/hr/engagements", f"/hr/engagements/{engagement_id}", "/hr/sessions", "/hr"):
        site.open(path)
        assert SENTINEL not in site.page.content(), path


def test_a_whole_engagement_in_english(
    page: Any, live_server: str, world: dict[str, Any], db: Session, clock: FixedClock
) -> None:
    e = world["engagement"]
    site = Site(page, live_server)
    # The coach writes the contract from the engagement's page.
    site.as_(COACH)
    site.open("/my/engagements")
    page.locator(f"a[href='/my/engagements/{e}']").click()
    assert site.heading() == "Engagement of Paul Coachee"
    assert site.state() == "Contract to agree"
    assert "The coach has not written the contract yet" in site.text()
    page.fill("#objectives", f"{OBJECTIVE}\n\n{OBJECTIVE2}\n")
    page.fill("#sessions", "4")
    page.select_option("#modality", "remote")
    site.submit("form-contract")
    assert site.flash() == "Contract saved: the others are asked to acknowledge it."
    contract = page.locator("#engagement-contract")
    assert contract.locator("ol.objectives li").all_inner_texts() == [OBJECTIVE, OBJECTIVE2]
    acks = contract.locator("table.acks tbody tr").all_inner_texts()
    assert acks[0].startswith("Coach\t") and "2026" in acks[0]
    assert acks[1] == "Coachee\tAwaited" and acks[2] == "Sponsor\tAwaited"
    assert "What is said in the sessions stays between the coachee and the coach" in site.text()
    assert page.locator("#form-acknowledge").count() == 0  # the coach acknowledged by writing

    # The coachee, then the sponsor, acknowledge: contracted.
    for email in (COACHEE, SPONSOR):
        site.as_(email)
        site.engagement(e)
        assert OBJECTIVE in site.text()
        site.submit("form-acknowledge")
        assert site.flash() == "Thank you: your acknowledgement is recorded."
    assert site.state() == "Contracted"
    assert "Acknowledged by the three parties." in site.text()
    # The sponsor sees how far the sessions are, never when.
    assert page.locator("#engagement-sessions ol").count() == 0
    assert "Planned: 4" in words(page.locator("#engagement-sessions").inner_text())

    # HR sees the state and who acknowledged, never the objectives.
    site.as_(HR)
    site.open(f"/hr/engagements/{e}")
    assert site.state() == "Contracted"
    assert "Version 1 of" in site.text()
    _hr_sees_no_objectives(site, e)

    # The sessions are held; half-way, the mid-way review; then the closing review.
    site.as_(COACH)
    _hold_sessions(site, clock, db, e, 2)
    site.engagement(e)
    assert site.state() == "Mid-way review"
    site.submit("form-review")
    assert site.flash() == "Mid-way review recorded."
    assert site.state() == "In progress"
    _hold_sessions(site, clock, db, e, 2)
    site.engagement(e)
    assert site.state() == "Closing review"
    # Closing asks for confirmation: the browser does not send the form unticked.
    page.locator("#form-close button[type=submit]").click()
    assert page.locator("#close-confirm:invalid").count() == 1
    assert site.state() == "Closing review"
    page.check("#close-confirm")
    site.submit("form-close")
    assert site.flash() == "The engagement is completed; the evaluations are open."
    assert site.state() == "Completed"
    assert "Nothing to do for you at this stage." in site.text()

    # The coachee and the sponsor evaluate it, each on their own.
    for email in (COACHEE, SPONSOR):
        site.as_(email)
        site.open("/my/evaluations")
        form = page.locator("form[id^=form-ev]")
        assert form.locator("legend").first.inner_text() == OBJECTIVE
        # a first try without the satisfaction: refused next to it, nothing stored
        form.locator("input[name=objective_0][value='4']").check()
        form.locator("input[name=objective_1][value='5']").check()
        form.locator("input[name=recommend][value=yes]").check()
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "This field is required." in page.locator(".scale.invalid").inner_text()
        form = page.locator("form[id^=form-ev]")
        assert form.locator("input[name=objective_1][value='5']").is_checked()
        form.locator("input[name=satisfaction][value='5']").check()
        form.locator("textarea[name=testimonial]").fill("Very useful.")
        form.locator("input[name=quotable]").check()
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert site.flash() == "Thank you: your evaluation is recorded, detached from your name."
        assert "No evaluation is waiting for you." in site.text()
    pool = fresh(db).exec(select(PendingEvaluation)).all()
    assert sorted(p.objectives for p in pool) == [[4, 5], [4, 5]]
    assert all(SENTINEL not in str(p.model_dump()) for p in pool)
    assert fresh(db).exec(select(EvaluationInvitation)).all() == []
    # The coach's own summary waits for k answers.
    site.as_(COACH)
    site.open("/coach/evaluations")
    assert page.locator("#summary").inner_text() == (
        "Fewer than 5 answers so far: nothing is shown yet."
    )
    site.as_(HR)
    _hr_sees_no_objectives(site, e)


def test_hold_coach_change_reassign_and_early_end_in_french(
    page: Any,
    live_server: str,
    world: dict[str, Any],
    client: TestClient,
    db: Session,
    clock: FixedClock,
) -> None:
    e = world["engagement"]
    write(client, world, OBJECTIVE)
    site = Site(page, live_server)
    site.french()
    # The coach puts it on hold (confirmed), then resumes it.
    site.as_(COACH)
    site.engagement(e)
    assert site.heading() == "Accompagnement de Paul Coachee"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert site.state() == "Contrat à conclure"
    page.uncheck("#hold-keep")
    page.check("#hold-confirm")
    site.submit("form-hold")
    assert site.flash() == "L’accompagnement est suspendu\u00a0; les séances à venir sont annulées."
    assert site.state() == "Suspendu"
    assert "Annulée: 4" in words(page.locator("#engagement-sessions").inner_text())
    site.submit("form-resume")
    assert site.flash() == "L’accompagnement reprend\u00a0; les séances dues sont planifiées."
    assert site.state() == "Contrat à conclure"

    # The coachee asks for another coach; HR reassigns to Xavier.
    site.as_(COACHEE)
    site.engagement(e)
    page.check("#coach_change-confirm")
    site.submit("form-coach_change")
    assert site.flash() == "Votre demande d’un autre coach est transmise aux RH."
    assert "Autre coach demandé le" in site.text()
    assert page.locator("#form-coach_change").count() == 0
    site.as_(HR)
    site.open("/hr/engagements")
    assert "Autre coach demandé" in page.locator("table").inner_text()
    page.locator(f"a[href='/hr/engagements/{e}']").first.click()
    page.wait_for_load_state()
    assert site.heading() == "Accompagnement de Paul Coachee avec Karl Coach"
    page.select_option("#coach_id", str(world["xavier"].id))
    page.check("#reassign-confirm")
    site.submit("form-reassign")
    assert site.flash() == "Réattribué\u00a0: l’accompagnement continue avec le nouveau coach."
    new = fresh(db).exec(select(Engagement).where(Engagement.predecessor_id == e)).one()
    assert page.url.endswith(f"/hr/engagements/{new.id}")
    assert site.state() == "Contrat à conclure"
    assert "Xavier External" in site.text()
    _hr_sees_no_objectives(site, e)
    _hr_sees_no_objectives(site, new.id or 0)
    site.open(f"/hr/engagements/{e}")
    assert site.state() == "Coach changé"
    assert "À la demande du coaché" in site.text()

    # The contract carried over; the sponsor ends the new engagement with a reason code.
    site.as_(SPONSOR)
    site.engagement(new.id or 0)
    assert OBJECTIVE in site.text()
    page.select_option("#end-reason", EndReason.role_change.value)
    page.check("#end-confirm")
    site.submit("form-end")
    assert site.flash() == "L’accompagnement est arrêté\u00a0; les séances à venir sont annulées."
    assert site.state() == "Arrêté avant terme"
    assert "Le coaché a changé de poste ou est parti" in site.text()
    site.as_(HR)
    site.open(f"/hr/engagements/{new.id}")
    assert "Le coaché a changé de poste ou est parti" in site.text()
    assert SENTINEL not in page.content()


@pytest.mark.parametrize(
    ("lang", "stale", "ended"),
    [
        (
            "en",
            "Version 1 is no longer the current one (2): read it again.",
            "The engagement is now “Ended early”: “End the engagement early” is possible only "
            "when it is",
        ),
        (
            "fr",
            "La version 1 n’est plus la version en cours (2)\u00a0: relisez-la.",
            "L’accompagnement est désormais à l’état «\u00a0Arrêté avant terme\u00a0»\u00a0: "
            "«\u00a0Arrêter l’accompagnement avant terme\u00a0» n’est possible qu’à l’état",
        ),
    ],
)
def test_refusals_are_shown_on_the_page(
    lang: str,
    stale: str,
    ended: str,
    page: Any,
    live_server: str,
    world: dict[str, Any],
    client: TestClient,
    db: Session,
) -> None:
    e = world["engagement"]
    karl = world["karl_h"]
    assert client.put(
        f"/me/engagements/{e}/contract", json=contract_body("A"), headers=karl
    ).is_success
    site = Site(page, live_server)
    if lang == "fr":
        site.french()
    site.as_(COACHEE)
    site.engagement(e)
    # Meanwhile the coach revises the contract: acknowledging version 1 is refused.
    assert client.put(
        f"/me/engagements/{e}/contract", json=contract_body("B"), headers=karl
    ).is_success
    site.submit("form-acknowledge")
    refusal = page.locator("#acknowledge-refusal")
    assert refusal.get_attribute("role") == "alert"
    assert refusal.inner_text() == stale
    assert (
        page.locator("h1").count() == 1 and site.state()
    )  # the engagement's page, not an error page
    assert page.locator("#engagement-contract ol.objectives").inner_text() == "B"
    site.submit("form-acknowledge")  # the page now carries version 2
    assert page.locator(".flash.success").count() == 1

    # The sponsor's page offers to end; the coachee ends it first.
    site.as_(SPONSOR)
    site.engagement(e)
    response = client.post(
        f"/me/engagements/{e}/end", json={"reason": "no_fit"}, headers=world["paul_h"]
    )
    assert response.status_code == 200, response.text
    page.select_option("#end-reason", "other")
    page.check("#end-confirm")
    site.submit("form-end")
    assert page.locator("#end-refusal").inner_text().startswith(ended)
    assert site.state() in ("Ended early", "Arrêté avant terme")
    assert fresh(db).get(Engagement, e).end_reason == EndReason.no_fit  # type: ignore[union-attr]


def _refusal(html: str, form: str) -> list[str]:
    """The lines of the refusal shown above `form` (none: no refusal there)."""
    marker = f'id="{form}-refusal">'
    if marker not in html:
        return []
    block = html.split(marker, 1)[1].split("</div>", 1)[0]
    return [unescape(p.split("</p>", 1)[0]) for p in block.split("<p>")[1:]]


def test_a_reassignment_refused_says_why_above_its_form(
    world: dict[str, Any], client: TestClient, db: Session
) -> None:
    """HR's reassignment without its box ticked, or naming a coach that is no coach's
    number, is refused above its form, in French here; the engagement keeps its coach."""
    e = world["engagement"]
    csrf = as_user(client, bearer_token(world["hr"]))
    client.cookies.set(LANG_COOKIE, "fr")
    xavier = str(world["xavier"].id)
    unticked = client.post(f"/hr/engagements/{e}/reassign", data={"csrf": csrf, "coach_id": xavier})
    assert unticked.status_code == 422
    assert _refusal(unticked.text, "reassign") == [CATALOGS["fr"]["invalid.confirm"]]
    named = client.post(
        f"/hr/engagements/{e}/reassign",
        data={"csrf": csrf, "coach_id": "Xavier", "confirm": "yes"},
    )
    assert named.status_code == 422
    assert _refusal(named.text, "reassign") == [CATALOGS["fr"]["invalid.choice"]]
    assert fresh(db).get_one(Engagement, e).coach_id == world["karl"].id
    assert fresh(db).exec(select(Engagement).where(Engagement.predecessor_id == e)).all() == []


def test_the_contract_prints(
    page: Any, live_server: str, world: dict[str, Any], client: TestClient
) -> None:
    e = world["engagement"]
    body = contract_body(OBJECTIVE, OBJECTIVE2)
    assert client.put(
        f"/me/engagements/{e}/contract", json=body, headers=world["karl_h"]
    ).is_success
    site = Site(page, live_server)
    site.french()
    site.as_(COACHEE)
    site.engagement(e)
    page.locator(f"a[href='/my/engagements/{e}/contract']").click()
    page.wait_for_load_state()
    assert site.heading() == "Contrat de coaching — Paul Coachee"
    assert page.locator("link[rel=stylesheet][media=print][href='/static/print.css']").count() == 1
    assert page.request.get(live_server + "/static/print.css").ok
    assert page.locator("button[data-print]").is_visible()  # the script shows it
    for text in (OBJECTIVE, OBJECTIVE2, "Ce qui se dit en séance reste entre", "Fin prévue"):
        assert text in site.text()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.locator("button[data-print]").is_visible()
    assert page.locator("ol.objectives").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    page.emulate_media(media="screen")
    assert page.locator("header.top").is_visible()


def test_records_and_notifications(
    page: Any, live_server: str, world: dict[str, Any], db: Session
) -> None:
    site = Site(page, live_server)
    # The coach is short of supervision (none logged by March), then logs some.
    site.as_(COACH)
    site.open("/coach/record")
    assert site.heading() == "My professional record"
    assert page.locator("#supervision-short").is_visible()
    page.fill("#day", "2026-03-01")
    page.fill("#hours", "-1")
    site.submit("form-supervision")
    assert "Enter a value greater than 0." in page.locator(".field.invalid").inner_text()
    page.fill("#hours", "3")
    site.submit("form-supervision")
    assert site.flash() == "Supervision logged."
    assert page.locator("#supervision-short").count() == 0
    assert "3.0 h of supervision logged in 2026" in site.text()

    # HR records a certification and moves the external coach's referencing.
    site.as_(HR)
    karl = world["karl"].id
    site.open(f"/hr/coaches/{karl}/record")
    page.fill("#body", "ICF")
    page.fill("#level", "PCC")
    page.fill("#obtained", "2024-05-01")
    page.fill("#valid_until", "2028-05-01")
    site.submit("form-certification")
    assert site.flash() == "Certification added."
    assert "ICF\tPCC" in page.locator("table").inner_text()
    xavier = world["xavier"].id
    site.open("/hr/coaches")
    page.locator(f"a[href='/hr/coaches/{xavier}/record']").click()
    page.wait_for_load_state()
    assert page.locator("#referencing-state").inner_text() == "Referenced"
    page.select_option("#action", ReferencingAction.review.value)
    site.submit("form-referencing")
    refusal = page.locator("#action-error").inner_text()
    assert refusal == (
        "The referencing is “Referenced”: “Put under review” is possible only when it is "
        "Proposed or Lapsed."
    )
    page.select_option("#action", ReferencingAction.lapse.value)
    site.submit("form-referencing")
    assert page.locator("#referencing-state").inner_text() == "Lapsed"
    assert page.locator("#lapsed").is_visible()
    page.select_option("#action", ReferencingAction.review.value)
    site.submit("form-referencing")
    page.select_option("#action", ReferencingAction.reference.value)
    page.fill("#until", (date(2026, 3, 2) + timedelta(days=365)).isoformat())
    site.submit("form-referencing")
    assert page.locator("#referencing-state").inner_text() == "Referenced"
    assert page.locator("#lapsed").count() == 0

    # Each person chooses their notifications.
    site.as_(COACHEE)
    site.open("/my/notifications")
    assert page.locator("input[name=on][value=reminder]").is_checked()
    page.uncheck("input[name=on][value=reminder]")
    page.fill("#reminder_hours", "500")
    site.submit("form-notifications")
    assert "Enter a value of at most 168." in site.text()
    assert not page.locator("input[name=on][value=reminder]").is_checked()
    page.fill("#reminder_hours", "12")
    site.submit("form-notifications")
    assert site.flash() == "Your choices are saved."
    assert not page.locator("input[name=on][value=reminder]").is_checked()
    assert page.locator("input[name=on][value=evaluation]").is_checked()
    assert page.locator("#reminder_hours").input_value() == "12"


def test_every_lifecycle_word_is_translated() -> None:
    from api.engagements.lifecycle import Action

    keys = [f"engagement.action.{a.value}" for a in Action]
    keys += [f"engagement.state_hint.{s.value}" for s in EngagementStatus]
    keys += [f"reason.end.{r.value}" for r in EndReason]
    keys += [f"contract.clause.{t.value}" for t in RequestType]
    keys += [f"referencing.action.{a.value}" for a in ReferencingAction]
    keys += [f"notification.{k.value}" for k in OPTIONAL_NOTIFICATIONS]
    for lang in ("en", "fr"):
        missing = [k for k in keys if k not in CATALOGS[lang]]
        assert missing == [], (lang, missing)


def test_a_refused_contract_or_end_says_why_by_its_field(
    world: dict[str, Any], client: TestClient, db: Session
) -> None:
    """The coach's contract ending before it starts is refused next to its end date, the
    objectives kept, no version written; ending without ticking the box is refused above
    the end form, the engagement left as it was."""
    e = world["engagement"]
    csrf = as_user(client, bearer_token(world["karl_h"]))
    frame = {key: str(value) for key, value in FRAME.items()}
    refused = client.post(
        f"/my/engagements/{e}/contract",
        data={"csrf": csrf, "objectives": OBJECTIVE, **frame, "expected_end": "2026-03-01"},
    )
    assert refused.status_code == 422
    assert _error(refused.text, "expected_end") == "Must not be before the start."
    assert OBJECTIVE in refused.text  # the input is kept
    assert (
        fresh(db).exec(select(ContractVersion).where(ContractVersion.engagement_id == e)).all()
        == []
    )
    unticked = client.post(f"/my/engagements/{e}/end", data={"csrf": csrf, "reason": "no_fit"})
    assert unticked.status_code == 422
    assert _refusal(unticked.text, "end") == [CATALOGS["en"]["invalid.confirm"]]
    assert fresh(db).get_one(Engagement, e).end_reason is None
