"""Testimonials and weak signals in Chromium (issue 12 items 3-4), the coachees and the
coach in French, HR in English: coachees give testimonials for engagements that are
over; once k are pooled a coach reviews them (one approved redacted, one rejected, the
others approved); HR reads the released batch with no author, coach, unit or date. HR
keeps the theme list (adds, relabels, a refusal inline), the coach tags an engagement,
drafts a synthesis note whose small figure is refused inline by name, then publishes a
rewritten one that HR reads. No page of the story shows a brief or an objective."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_support import add_engagement, add_person, add_request, add_user, fresh
from lifecycle_support import add_contract
from report_support import build_programme
from sqlmodel import Session, select
from web_support import Browser

from api.i18n import CATALOGS
from api.models import (
    Coach,
    Engagement,
    EngagementTheme,
    Person,
    SynthesisNote,
    Theme,
)
from api.models import testimonials as stored
from api.models.enums import EngagementStatus, RequestStatus, Role
from api.settings import Settings

K = 3
BRIEF = "SENTINEL-BRIEF-5e1f"
OBJECTIVE = "SENTINEL-OBJECTIVE-5e1f"
HR = "hr@example.org"
# the coachees who give a testimonial: their names must never reach HR
AUTHORS = (
    "Ysolde Quintana",
    "Bertrand Moulinex",
    "Capucine Ferrandi",
    "Dorian Vasquelin",
    "Eulalie Brossard",
    "Fulbert Kerangal",
)
THEMES = (
    ("workload", "Workload", "Charge de travail"),
    ("change", "Change", "Changement"),
    ("conflicts", "Conflicts", "Conflits"),
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"report_k": K})


def fr(key: str, **values: Any) -> str:
    return CATALOGS["fr"][key].format(**values)


def en(key: str, **values: Any) -> str:
    return CATALOGS["en"][key].format(**values)


class Site(Browser):
    """The browser, one person at a time; every page it shows is checked for the
    confidential sentinels and for form controls without a label."""

    seen: list[str]

    def as_(self, email: str) -> None:
        if self.page.locator("form[action='/signout'] button").count():
            self.sign_out()
        self.sign_in(email)

    def go(self, path: str) -> None:
        response = self.open(path)
        assert response.status == 200, (path, response.status)
        self.look()

    def look(self) -> None:
        self.page.wait_for_load_state()
        html = self.page.content()
        for secret in (BRIEF, OBJECTIVE):
            assert secret not in html, (self.page.url, secret)
        # axe's label and duplicate-id rules, as far as these pages go
        unlabelled = self.page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => !['hidden', 'submit'].includes(e.type))
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                .map(e => e.name)"""
        )
        assert unlabelled == [], (self.page.url, unlabelled)
        ids = self.page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
        assert len(ids) == len(set(ids)), (
            self.page.url,
            sorted(i for i in ids if ids.count(i) > 1),
        )
        self.seen.append(self.page.url)

    def submit(self, selector: str) -> None:
        self.page.locator(selector).click()
        self.look()

    def flash(self) -> str:
        return str(self.page.locator(".flash").inner_text())

    def lang(self) -> str:
        return str(self.page.evaluate("document.documentElement.lang"))


@pytest.fixture
def story(db: Session, settings: Settings) -> dict[str, Any]:
    """The reports' synthetic programme of 2025 (its engagements are the theme report's),
    its first internal coach with an account in French, HR in English, and six coachees
    of that coach, in French, whose engagements are over; each request holds a brief and
    each contract an objective."""
    build_programme(db, seed=5)
    person = db.exec(select(Person).where(Person.external_id == "C0")).one()
    person.language = "fr"
    db.add(person)
    coach = db.exec(select(Coach).where(Coach.person_id == person.id)).one()
    add_user(db, settings, Role.coach, coach=coach)
    add_user(db, settings, Role.hr, email=HR)
    coachees = []
    for n, name in enumerate(AUTHORS):
        someone = add_person(db, f"T{n}", name=name, unit="Compta", site="Lyon", language="fr")
        request = add_request(db, someone, description=BRIEF, status=RequestStatus.closed)
        engagement = add_engagement(db, request, coach, status=EngagementStatus.completed)
        add_contract(db, engagement.id or 0, [OBJECTIVE])
        add_user(db, settings, Role.coachee, person=someone)
        coachees.append({"email": someone.email, "engagement": engagement.id, "name": name})
    return {"coach": coach, "coach_email": person.email, "coachees": coachees}


def _give(site: Site, coachee: dict[str, Any], text: str) -> None:
    site.as_(coachee["email"])
    site.go("/my/testimonials")
    assert site.lang() == "fr" and site.heading() == fr("testimonials.give_title")
    site.page.select_option("#engagement_id", str(coachee["engagement"]))
    site.page.fill("#text", text)
    site.page.check("#quotable")
    site.submit("#form-testimonial button[type=submit]")
    assert site.flash() == fr("flash.testimonial_recorded")
    # given once: the engagement is no longer offered
    assert site.page.locator(f"#engagement_id option[value='{coachee['engagement']}']").count() == 0


def _review_page(site: Site) -> dict[str, str]:
    """The texts to review on the coach's page: text -> its form's id."""
    site.go("/coach/testimonials")
    found = {}
    for form in site.page.locator("form[id^=form-]").all():
        found[form.locator("textarea").input_value()] = str(form.get_attribute("id"))
    return found


def test_testimonials_from_the_coachee_to_hr(
    page: Any, live_server: str, db: Session, story: dict[str, Any]
) -> None:
    site = Site(page, live_server)
    site.seen = []
    first, second, third, *later = story["coachees"]
    # A refusal first, in French, inline: the box that allows quoting is not ticked.
    site.as_(first["email"])
    site.go("/my/testimonials")
    site.page.select_option("#engagement_id", str(first["engagement"]))
    site.page.fill("#text", "Sans la case.")
    site.submit("#form-testimonial button[type=submit]")
    assert site.page.locator("#quotable-error").inner_text() == fr("error.TESTIMONIAL_CONSENT")
    assert fresh(db).exec(select(stored.Testimonial)).all() == []
    texts = {
        "named": (
            f"Moi, {first['name']}, j'ai repris confiance à Lyon en mars 2025 ; "
            "mon manager Gaston a remarqué la différence."
        ),
        "rude": "Hubert, de la compta, est un menteur et tout le monde le sait.",
        "kind": "Des séances utiles, une écoute rare ; je recommande sans hésiter.",
    }
    _give(site, first, texts["named"])
    _give(site, second, texts["rude"])
    # fewer than k pooled: the reviewers have nothing yet (no text to time)
    site.as_(story["coach_email"])
    site.go("/coach/testimonials")
    assert site.page.locator("#none").inner_text() == fr("testimonials.none_to_review", k=K)
    _give(site, third, texts["kind"])
    site.as_(story["coach_email"])
    queue = _review_page(site)
    assert len(queue) == K
    # the author's own name, the site and the date were taken out before anyone read it
    named = next(t for t in queue if "Gaston" in t)
    assert "Ysolde" not in named and "Quintana" not in named and "Lyon" not in named
    assert "mars" not in named and "2025" not in named and "[…]" in named
    # a text emptied is not approved as it was: refused inline, still to review
    site.page.locator(f"#{queue[named]} textarea").fill("")
    site.submit(f"#{queue[named]} button[value=approve]")
    error = site.page.locator(f"#{queue[named].replace('form-', 'text-')}-error")
    assert error.inner_text() == fr("invalid.testimonial_emptied")
    assert len(_review_page(site)) == K
    assert (
        fresh(db)
        .exec(select(stored.Testimonial).where(stored.Testimonial.stage == "approved"))
        .all()
        == []
    )
    # approve one redacted, reject one, approve the other
    redacted = named.replace("Gaston", "[…]")
    site.page.locator(f"#{queue[named]} textarea").fill(redacted)
    site.submit(f"#{queue[named]} button[value=approve]")
    assert site.flash() == fr("flash.testimonial_approved")
    rude = next(t for t in _review_page(site) if "Hubert" in t)
    site.submit(f"#{_review_page(site)[rude]} button[value=reject]")
    assert site.flash() == fr("flash.testimonial_rejected")
    (kind,) = _review_page(site)
    site.submit(f"#{_review_page(site)[kind]} button[value=approve]")
    assert site.page.locator("#none").count() == 1
    # two approved, fewer than k: HR reads nothing yet
    site.as_(HR)
    site.go("/hr/testimonials")
    assert site.lang() == "en" and site.heading() == en("testimonials.hr_title")
    assert site.page.locator("#none").inner_text() == en("testimonials.no_batch", k=K)
    # three more; the coach approves them; the first approval makes a batch of k
    for coachee, n in zip(later, ("une", "deux", "trois"), strict=True):
        _give(site, coachee, f"Texte numéro {n} : un vrai soutien.")
    site.as_(story["coach_email"])
    for _ in later:
        queue = _review_page(site)
        site.submit(f"#{next(iter(queue.values()))} button[value=approve]")
    site.as_(HR)
    site.go("/hr/testimonials")
    batches = site.page.locator("section.card")
    assert batches.count() == 1
    assert batches.locator("h2").inner_text() == en("testimonials.batch", n=1)
    quoted = [q.inner_text() for q in batches.locator("blockquote").all()]
    assert len(quoted) == K and redacted in quoted and kind in quoted
    assert sum(q.startswith("Texte numéro") for q in quoted) == 1  # two still wait
    shown = site.page.locator("main").inner_text()
    assert "Hubert" not in shown and "Gaston" not in shown
    # no author, coach, unit, site or date
    words = [w for a in AUTHORS for w in a.split()]
    coach_name = story["coach"].name.split()
    for word in (*words, *coach_name, "Compta", "Lyon", "mars", "2025"):
        assert word not in shown, word
    assert len(site.seen) > 10


def _create_themes(site: Site) -> None:
    site.go("/hr/themes")
    assert site.lang() == "en" and site.heading() == en("themes.title")
    for code, label_en, label_fr in THEMES:
        site.page.fill("#code", code)
        site.page.fill("#label_en", label_en)
        site.page.fill("#label_fr", label_fr)
        site.submit("#form-theme button[type=submit]")
        assert site.flash() == en("flash.theme_saved")
    # a code taken: refused inline, nothing added
    site.page.fill("#code", "workload")
    site.page.fill("#label_en", "Again")
    site.page.fill("#label_fr", "Encore")
    site.submit("#form-theme button[type=submit]")
    assert site.page.locator("#code-error").inner_text() == en("error.THEME_CODE_TAKEN")


def _relabel(site: Site, db: Session, code: str, label_en: str, label_fr: str) -> None:
    theme = fresh(db).exec(select(Theme).where(Theme.code == code)).one()
    row = site.page.locator(f"#theme-{code}")
    if row.locator("details").get_attribute("open") is None:  # open after a refusal
        row.locator("summary").click()
    site.page.fill(f"#label_en-{theme.id}", label_en)
    site.page.fill(f"#label_fr-{theme.id}", label_fr)
    site.submit(f"#form-relabel-{theme.id} button[type=submit]")


def _tag_behind(db: Session, coach: Coach, skip: int) -> None:
    """Every engagement of the programme tagged (behind the pages: the coach's page is
    driven for one), so the theme report has visible and hidden cells."""
    themes = {t.code: t.id for t in fresh(db).exec(select(Theme))}
    for e in fresh(db).exec(select(Engagement)).all():
        if e.id == skip or e.status != EngagementStatus.in_progress:
            continue
        chosen = ["workload"] + (["change"] if (e.id or 0) % 3 == 0 else [])
        chosen += ["conflicts"] if (e.id or 0) % 5 == 0 else []
        db.add_all(EngagementTheme(engagement_id=e.id, theme_id=themes[c]) for c in chosen)
    db.commit()


def _report(site: Site) -> dict[str, dict[str, str]]:
    """The theme report's table on the page: group -> column header -> cell text."""
    table = site.page.locator("#theme-report")
    headers = [h.inner_text() for h in table.locator("thead th").all()][1:]
    out = {}
    for row in table.locator("tbody tr").all():
        cells = [c.inner_text() for c in row.locator("td").all()]
        out[row.locator("th").inner_text()] = dict(zip(headers, cells, strict=True))
    return out


def test_themes_tags_and_synthesis_notes(
    page: Any, live_server: str, db: Session, story: dict[str, Any]
) -> None:
    site = Site(page, live_server)
    site.seen = []
    # HR keeps the list: three themes, then a relabelling (a blank label refused inline)
    site.as_(HR)
    _create_themes(site)
    _relabel(site, db, "change", "", "Changement")
    change = fresh(db).exec(select(Theme).where(Theme.code == "change")).one()
    assert site.page.locator(f"#label_en-{change.id}-error").count() == 1
    assert site.page.locator(f"#label_en-{change.id}").get_attribute("aria-invalid") == "true"
    assert fresh(db).get_one(Theme, change.id).label_en == "Change"
    _relabel(site, db, "change", "Organisational change", "Changement d'organisation")
    assert site.flash() == en("flash.theme_saved")
    stored = fresh(db).get_one(Theme, change.id)
    assert (stored.code, stored.label_en, stored.label_fr, stored.active) == (
        "change",
        "Organisational change",
        "Changement d'organisation",
        True,
    )
    assert "Organisational change" in site.page.locator("#theme-change").inner_text()
    # the coach, in French, tags one engagement from the active list only
    coach = story["coach"]
    mine = [
        e
        for e in fresh(db).exec(select(Engagement).where(Engagement.coach_id == coach.id)).all()
        if e.status == EngagementStatus.in_progress
    ]
    target = mine[0].id
    site.as_(story["coach_email"])
    site.go("/coach/themes")
    assert site.lang() == "fr" and site.heading() == fr("themes.tag_title")
    form = site.page.locator(f"#form-tags-{target}")
    labels = form.locator("label.check").all_inner_texts()
    assert [x.strip() for x in labels] == [
        "Changement d'organisation",
        "Conflits",
        "Charge de travail",
    ]
    form.locator("input[value=workload]").check()
    form.locator("input[value=change]").check()
    site.submit(f"#form-tags-{target} button[type=submit]")
    assert site.flash() == fr("flash.tags_saved")
    tagged = (
        fresh(db)
        .exec(
            select(Theme.code)
            .join(EngagementTheme, EngagementTheme.theme_id == Theme.id)  # type: ignore[arg-type]
            .where(EngagementTheme.engagement_id == target)
        )
        .all()
    )
    assert sorted(tagged) == ["change", "workload"]
    assert site.page.locator(f"#form-tags-{target} input[value=change]").is_checked()
    _tag_behind(db, coach, skip=target or 0)
    # the synthesis page: the 2025-Q2 theme report, hidden cells marked
    site.go("/coach/syntheses")
    site.page.select_option("#period-choice", "2025-Q2")
    site.submit("form.filters button[type=submit]")
    report = _report(site)
    total = report[fr("syntheses.all")][fr("syntheses.engagements")]
    assert total.isdigit() and int(total) >= K
    hidden = fr("reports.suppressed", k=K)
    cells = [v for row in report.values() for v in row.values()]
    assert hidden in cells  # small groups are there, and hidden
    visible = {int(v) for v in cells if v.isdigit()}
    assert min(visible) == 0 or min(visible) >= K
    # a figure that would show a small group: refused inline, by name, nothing written
    site.page.fill("#title", "Signaux faibles, 2025-T2")
    site.page.fill("#body", "À Finance, 2 accompagnements parlent de conflits.")
    site.submit("#form-note button[type=submit]")
    assert site.page.locator("#body-error").inner_text() == fr(
        "error.SYNTHESIS_FIGURE_SMALL", figure="2", k=K
    )
    assert site.page.locator("#body").input_value().startswith("À Finance, 2")
    assert fresh(db).exec(select(SynthesisNote)).all() == []
    # a number that is no visible cell: refused too (hidden or absent alike)
    unknown = max(visible) + 1
    site.page.fill("#body", f"{unknown} accompagnements en tout.")
    site.submit("#form-note button[type=submit]")
    assert site.page.locator("#body-error").inner_text() == fr(
        "error.SYNTHESIS_FIGURE_UNKNOWN", figure=str(unknown), period="2025-Q2"
    )
    # a draft quoting the visible total: saved, HR does not read it
    site.page.fill("#body", f"{total} accompagnements étiquetés ; la charge revient souvent.")
    site.submit("#form-note button[type=submit]")
    assert site.flash() == fr("flash.note_saved")
    (note,) = fresh(db).exec(select(SynthesisNote)).all()
    assert (note.published, note.period_start.isoformat()) == (False, "2025-04-01")
    site.as_(HR)
    site.go("/hr/syntheses")
    assert site.page.locator("#no-notes").inner_text() == en("syntheses.no_notes")
    # the coach rewrites it: a small figure refused again, then published
    site.as_(story["coach_email"])
    site.go("/coach/syntheses?period=2025-Q2")
    site.page.locator(f"#edit-note-{note.id}").click()
    site.look()
    assert site.heading() == fr("syntheses.edit_title")
    assert site.page.locator("#title").input_value() == "Signaux faibles, 2025-T2"
    assert site.page.locator("#body").input_value().startswith(total)
    assert _report(site) == report  # the note's own period, beside the form
    site.page.fill("#body", f"{total} accompagnements, dont 1 en conflit ouvert.")
    site.page.check("input[name=published]")
    site.submit("#form-note button[type=submit]")
    assert site.page.locator("#body-error").inner_text() == fr(
        "error.SYNTHESIS_FIGURE_SMALL", figure="1", k=K
    )
    assert fresh(db).get_one(SynthesisNote, note.id).published is False
    rewritten = (
        f"{total} accompagnements étiquetés au deuxième trimestre : la charge de travail "
        "domine, le changement d'organisation suit."
    )
    site.page.fill("#body", rewritten)
    site.submit("#form-note button[type=submit]")
    assert site.flash() == fr("flash.note_saved")
    assert site.page.url.endswith("/coach/syntheses?period=2025-Q2")
    stored_note = fresh(db).get_one(SynthesisNote, note.id)
    assert (stored_note.body, stored_note.published) == (rewritten, True)
    assert len(fresh(db).exec(select(SynthesisNote)).all()) == 1
    # HR, in English, reads the published note
    site.as_(HR)
    site.go("/hr/syntheses")
    assert site.lang() == "en" and site.heading() == en("syntheses.hr_title")
    article = site.page.locator(f"#note-{note.id}")
    assert article.locator("h3").inner_text().startswith("Signaux faibles, 2025-T2")
    assert rewritten in article.inner_text()
    assert site.page.locator("a[href^='/coach/']").count() == 0  # no way to edit
    text = site.page.locator("main").inner_text()
    for word in (*(w for a in AUTHORS for w in a.split()), *coach.name.split()):
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    assert len(site.seen) > 10
