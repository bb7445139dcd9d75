"""Data rights (issue 12 item 6): a person's export holds every table's rows about them
and nothing about anyone else; HR's export never holds a brief or an objective; erasure
cancels the person's future sessions with CANCEL invites, leaves the programme's figures
as they were and leaves their name and address nowhere in the database; the retention
job pseudonymises old requests only."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

from api_support import (
    START,
    add_engagement,
    add_person,
    add_request,
    add_session,
    add_user,
    fresh,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from life_support import settings, w
from lifecycle_support import contract_body
from sqlalchemy import LargeBinary, func, select
from sqlmodel import Session, SQLModel, col

from api.clock import FixedClock
from api.deps import SESSION_COOKIE
from api.i18n import CATALOGS
from api.jobs.chores import PERIODIC
from api.models import (
    AuditEntry,
    CoachingRequest,
    CoachingSession,
    Conflict,
    Engagement,
    EvaluationAnswer,
    EvaluationInvitation,
    InboundReply,
    OutboxMessage,
    Person,
    RequestParticipant,
    RescheduleRequest,
    SessionAttendance,
    User,
)
from api.models.enums import EngagementStatus, RequestStatus, Role, SessionStatus
from api.privacy.inventory import INVENTORY
from api.privacy.retention import run_retention
from api.settings import Settings

FIXTURES = (settings, w)  # the life world's, for pytest
BRIEF = "PAUL-BRIEF-SENTINEL-51ab"
OBJECTIVE = "PAUL-OBJECTIVE-SENTINEL-72cd"
OTHER = {"name": "Zelda SENTINEL-OTHER-NAME", "email": "sentinel-other@example.org"}
OTHER_BRIEF = "SENTINEL-OTHER-BRIEF-88ef"


def _export(client: TestClient, path: str, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _everything_about_paul(client: TestClient, db: Session, w: dict[str, Any]) -> None:
    """Paul's brief, contract, windows, feed, notification choices, a failed sign-in, a
    declined invite, a proposed time, an open evaluation, a place in a team, a declared
    conflict; and Zelda, someone else with her own brief, windows and account."""
    paul, engagement = w["people"]["paul"], w["engagement"]
    request_id = w["requests"]["paul"].id
    h = w["paul_h"]
    assert client.patch(f"/me/requests/{request_id}", json={"description": BRIEF},
                        headers=h).status_code == 200  # fmt: skip
    assert client.put(f"/me/engagements/{engagement}/contract", json=contract_body(OBJECTIVE),
                      headers=w["karl_h"]).status_code == 200  # fmt: skip
    for who in ("paul_h", "sales_h"):
        client.post(f"/me/engagements/{engagement}/contract/acknowledge", json={"version": 1},
                    headers=w[who])  # fmt: skip
    week = {"weekday": 1, "start_time": "09:00", "end_time": "12:00"}
    assert client.post("/me/windows/weekly", json=week, headers=h).status_code == 201
    away = {"start_at": "2026-04-01T00:00:00Z", "end_at": "2026-04-02T00:00:00Z",
            "reason": "PAUL-LEAVE-REASON"}  # fmt: skip
    assert client.post("/me/windows/exceptions", json=away, headers=h).status_code == 201
    assert client.post("/me/feed", headers=h).status_code == 201
    assert client.put("/me/notifications", json={"off": ["reminder"]}, headers=h).status_code == 200
    client.post("/auth/login", json={"email": "paul@example.org", "password": "wrong one"})
    first = w["sessions"][0]
    db.add_all([
        InboundReply(message_key="k" * 64, source="mail-in", received_at=START, method="REPLY",
                     uid=first.uid, sequence=0, attendee_email=paul.email, partstat="DECLINED",
                     outcome="applied", session_id=first.id,
                     raw=f"From: {paul.name} <{paul.email}>\r\n\r\nno".encode()),
        RescheduleRequest(session_id=first.id, attendee=f"p{paul.id}", role="coachee",
                          proposed_start=first.start_at + timedelta(days=1),
                          proposed_end=first.end_at + timedelta(days=1), sequence=0,
                          created_at=START),
        EvaluationInvitation(engagement_id=engagement, person_id=paul.id, role="coachee",
                             objectives=1, created_at=START, expires_at=START + timedelta(days=9)),
        RequestParticipant(request_id=w["requests"]["olga"].id, person_id=paul.id),
        Conflict(coach_id=w["xavier"].id, person_id=paul.id, reason="knows Paul", created_at=START),
    ])  # fmt: skip
    db.commit()
    zelda = add_person(db, "Z9", manager=w["people"]["sales"], **OTHER)
    add_request(db, zelda, sponsor=w["people"]["sales"], description=OTHER_BRIEF)
    add_user(db, w["settings"], Role.coachee, person=zelda)


def _direct_references(db: Session, paul: Person, users: list[int]) -> dict[str, set[str]]:
    """Every row of every table that names Paul himself, found by looking at every column
    (not by the inventory's rules): his ids, his accounts, his attendance key, his
    addresses."""
    emails = {paul.email.lower(), "paul@example.org"}
    person_columns = {"person_id", "coachee_id", "sponsor_id", "subject_person_id"}
    user_columns = {"user_id", "actor_user_id"}
    found: dict[str, set[str]] = {}
    for table in SQLModel.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        for row in fresh(db).execute(select(table)).mappings():
            hit = (
                (table.name == "person" and row["id"] == paul.id)
                or any(row.get(c) == paul.id for c in person_columns)
                or any(row.get(c) in users for c in user_columns)
                or (table.name == "app_user" and row["id"] in users)
                or row.get("attendee") == f"p{paul.id}"
                or str(row.get("recipient", "")).lower() in emails
                or str(row.get("attendee_email", "")).lower() in emails
                or (table.name == "login_throttle" and row["key"] in emails)
            )
            if hit:
                found.setdefault(table.name, set()).add(":".join(str(row[k.name]) for k in keys))
    return found


def test_every_table_has_a_decision_and_a_title_in_both_languages() -> None:
    assert {t.name for t in SQLModel.metadata.sorted_tables} == set(INVENTORY)
    for name in INVENTORY:
        for lang in ("en", "fr"):
            assert f"data.table.{name}" in CATALOGS[lang], (name, lang)
            assert f"data.purpose.{name}" in CATALOGS[lang], (name, lang)
    assert "coachmatch:retention" in {p.name for p in PERIODIC}


def test_an_export_holds_every_row_about_the_person_and_nothing_about_anyone_else(
    client: TestClient, db: Session, w: dict[str, Any], settings: Settings
) -> None:
    w["settings"] = settings
    _everything_about_paul(client, db, w)
    paul = fresh(db).get_one(Person, w["people"]["paul"].id)
    users = [u.id for u in fresh(db).exec(select(User).where(User.person_id == paul.id)).scalars()]
    naming_him = _direct_references(db, paul, users)  # before the export's own entries
    mine = _export(client, "/me/export", w["paul_h"])
    assert mine["reader"] == "self" and mine["person_id"] == paul.id
    assert sorted(r["id"] for r in mine["tables"]["app_user"]) == sorted(users)
    exported = {
        name: {":".join(str(r[k.name]) for k in table.primary_key.columns) for r in rows}
        for name, rows in mine["tables"].items()
        for table in [SQLModel.metadata.tables[name]]
    }
    for name, rows in naming_him.items():
        assert rows <= exported[name], name  # every row naming him is in his export
    held = {name for name, rows in mine["tables"].items() if rows}
    assert held >= {
        "person", "person_window", "person_exception", "app_user", "login_session",
        "login_throttle", "feed_token", "notification_settings", "conflict",
        "coaching_request", "request_participant", "engagement", "coaching_session",
        "session_attendance", "contract_version", "contract_acknowledgement",
        "evaluation_invitation", "reschedule_request", "inbound_reply", "outbox_message",
        "audit_log",
    }  # fmt: skip
    text = json.dumps(mine)
    assert BRIEF in text and OBJECTIVE in text and "PAUL-LEAVE-REASON" in text  # his own
    for other in (*OTHER.values(), OTHER_BRIEF, "Sacha Sales", "e1@example.org", "Karl Coach",
                  "karl@example.org", "Olga Other"):  # fmt: skip
        assert other not in text, other
    # his acknowledgement, not the sponsor's; his attendance, not the coach's
    assert {a["role"] for a in mine["tables"]["contract_acknowledgement"]} == {"coachee"}
    assert {a["attendee"] for a in mine["tables"]["session_attendance"]} == {f"p{paul.id}"}
    # secrets never leave, even for him
    for secret in ("token_hash", "password_hash", "raw_mime", "raw"):
        assert f'"{secret}"' not in text, secret
    assert mine["withheld"]["outbox_message.raw_mime"]
    # an export is itself in the audit log: Paul read his own data
    entries = list(fresh(db).exec(
        select(AuditEntry).where(
            AuditEntry.action == "export", AuditEntry.subject_person_id == paul.id
        )
    ).scalars())  # fmt: skip
    assert [e.actor_role for e in entries] == ["coachee"]

    hr = _export(client, f"/people/{paul.id}/export", w["hr"])
    hr_text = json.dumps(hr)
    assert hr["reader"] == "hr"
    for secret in (BRIEF, OBJECTIVE, "PAUL-LEAVE-REASON", OTHER_BRIEF, OTHER["name"]):
        assert secret not in hr_text, secret
    assert hr["withheld"]["coaching_request.description"].startswith("the coachee's own words")
    assert hr["withheld"]["contract_version.objectives"]
    assert len(hr["tables"]["coaching_request"]) == len(mine["tables"]["coaching_request"])
    # the sponsor's own export: the request and the contract, never Paul's words
    sacha = _export(client, "/me/export", w["sales_h"])
    assert BRIEF not in json.dumps(sacha) and OBJECTIVE not in json.dumps(sacha)
    assert request_in(sacha, w["requests"]["paul"].id)
    # nor the coach's
    karl = json.dumps(_export(client, "/me/export", w["karl_h"]))
    assert BRIEF not in karl and OBJECTIVE not in karl and "Paul Coachee" not in karl


def test_hr_reads_neither_that_a_person_gave_a_testimonial_nor_their_themes(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    """Paul's engagement is over: he gives its testimonial and Karl tagged it. His own
    export holds both; HR's export and data page of him hold no row of either, with
    the same `withheld` lines as for Olga, who gave none."""
    paul, engagement = w["people"]["paul"], w["engagement"]
    theme = {"code": "workload", "label_en": "Workload", "label_fr": "Charge"}
    assert client.post("/themes", json=theme, headers=w["hr"]).status_code == 201
    tags = {"themes": ["workload"]}
    put = client.put(f"/me/engagements/{engagement}/themes", json=tags, headers=w["karl_h"])
    assert put.status_code == 200, put.text
    row = fresh(db).get_one(Engagement, engagement)
    row.status = EngagementStatus.completed
    db.add(row)
    db.commit()
    body = {"engagement_id": engagement, "text": "Useful.", "quotable": True}
    assert client.post("/me/testimonials", json=body, headers=w["paul_h"]).status_code == 201
    mine = _export(client, "/me/export", w["paul_h"])
    assert mine["tables"]["testimonial_given"] == [{"engagement_id": engagement}]
    assert [r["engagement_id"] for r in mine["tables"]["engagement_theme"]] == [engagement]
    assert "theme_id" in mine["tables"]["engagement_theme"][0]
    hr = _export(client, f"/people/{paul.id}/export", w["hr"])
    olga = _export(client, f"/people/{w['people']['olga'].id}/export", w["hr"])
    for name in ("testimonial_given", "engagement_theme"):
        assert name not in hr["tables"] and name not in olga["tables"], name
        assert hr["withheld"][name] == olga["withheld"][name], name
    assert hr["withheld"] == olga["withheld"]
    client.cookies.set(SESSION_COOKIE, w["hr"]["Authorization"].removeprefix("Bearer "))
    page = client.get(f"/hr/people/{paul.id}/data")
    client.cookies.clear()
    assert page.status_code == 200
    assert "table-testimonial_given" not in page.text
    assert "table-engagement_theme" not in page.text
    assert "<code>testimonial_given</code>" in page.text  # said to be left out


def request_in(export: dict[str, Any], request_id: int) -> bool:
    return any(r["id"] == request_id for r in export["tables"]["coaching_request"])


def test_the_export_reads_in_both_languages(
    client: TestClient, db: Session, w: dict[str, Any], settings: Settings
) -> None:
    w["settings"] = settings
    _everything_about_paul(client, db, w)
    token = w["paul_h"]["Authorization"].removeprefix("Bearer ")
    client.cookies.set(SESSION_COOKIE, token)
    english = client.get("/my/data")
    assert english.status_code == 200, english.text
    assert "<h1>My data</h1>" in english.text and BRIEF in english.text
    assert "Who read your confidential data" in english.text and "your coach" in english.text
    client.cookies.set("coachmatch_lang", "fr")
    french = client.get("/my/data")
    assert "<h1>Mes données</h1>" in french.text and "Demandes" in french.text
    assert OTHER["name"] not in french.text and OTHER_BRIEF not in french.text
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, w["hr"]["Authorization"].removeprefix("Bearer "))
    page = client.get(f"/hr/people/{w['people']['paul'].id}/data")
    assert page.status_code == 200 and "Paul Coachee" in page.text
    assert BRIEF not in page.text and OBJECTIVE not in page.text
    client.cookies.clear()


def _aggregates(db: Session) -> dict[str, Any]:
    """What the programme's reports count: people by unit and site, requests by kind and
    unit, engagements by coach, sessions held and their hours, evaluation answers."""
    fresh(db)
    people = Counter((p.unit, p.site) for p in db.exec(select(Person)).scalars())
    units = {p.id: p.unit for p in db.exec(select(Person)).scalars()}
    requests = Counter(
        (r.coaching_type, units[r.coachee_id], r.submitted_at)
        for r in db.exec(select(CoachingRequest)).scalars()
    )
    engagements = Counter(e.coach_id for e in db.exec(select(Engagement)).scalars())
    held = [s for s in db.exec(select(CoachingSession)).scalars() if s.status == SessionStatus.held]
    answers = db.execute(select(func.count()).select_from(EvaluationAnswer)).scalar_one()
    return {
        "people": people,
        "requests": requests,
        "engagements": engagements,
        "held": len(held),
        "minutes": sum((s.end_at - s.start_at).total_seconds() / 60 for s in held),
        "answers": answers,
    }


def _database_text(db: Session) -> str:
    """Every value of every table, mail and replies decoded (names hide in encodings)."""
    parts = []
    for table in SQLModel.metadata.sorted_tables:
        for row in fresh(db).execute(select(table)).mappings():
            for column, value in row.items():
                if isinstance(table.c[column].type, LargeBinary) and value is not None:
                    raw = bytes(value)
                    parts.append(raw.decode("utf-8", "replace"))
                    parsed = message_from_bytes(raw, policy=policy.default)
                    for part in parsed.walk():
                        payload = part.get_payload(decode=True)
                        if isinstance(payload, bytes):
                            parts.append(payload.decode("utf-8", "replace"))
                else:
                    parts.append(json.dumps(value, default=str, ensure_ascii=False))
    return "\n".join(parts).lower()


def _held_first_session(client: TestClient, clock: FixedClock, w: dict[str, Any]) -> None:
    first = w["sessions"][0]
    clock.set(first.end_at + timedelta(hours=1))
    held = client.post(f"/me/sessions/{first.id}/outcome", json={"status": "held"},
                       headers=w["karl_h"])  # fmt: skip
    assert held.status_code == 200, held.text


def test_erasure_cancels_the_future_keeps_the_figures_and_leaves_no_name(
    client: TestClient, db: Session, w: dict[str, Any], settings: Settings, clock: FixedClock
) -> None:
    w["settings"] = settings
    _everything_about_paul(client, db, w)
    _held_first_session(client, clock, w)
    paul = fresh(db).get_one(Person, w["people"]["paul"].id)
    old = [paul.name.lower(), paul.email.lower(), "paul@example.org", BRIEF.lower(),
           OBJECTIVE.lower(), "paul-leave-reason"]  # fmt: skip
    assert all(o in _database_text(db) for o in old)
    before = _aggregates(db)
    outbox_before = {m.id for m in fresh(db).exec(select(OutboxMessage)).scalars()}

    erased = client.post(f"/people/{paul.id}/erase", json={"confirm": True}, headers=w["hr"])
    assert erased.status_code == 200, erased.text
    report = erased.json()
    assert report["engagements_ended"] == 1 and report["sessions_cancelled"] == 3
    assert report["briefs_erased"] == 1 and report["contracts_erased"] == 1

    assert _aggregates(db) == before  # the figures do not move
    text = _database_text(db)
    for value in old:
        assert value not in text, value  # nowhere: person, accounts, mail, replies, texts
    # the engagement ended early by HR, its remaining sessions cancelled with CANCEL
    engagement = fresh(db).get_one(Engagement, w["engagement"])
    assert engagement.status == EngagementStatus.ended_early and engagement.ended_by == "hr"
    sessions = sorted(
        fresh(db)
        .exec(select(CoachingSession).where(CoachingSession.engagement_id == engagement.id))
        .scalars(),
        key=lambda s: s.number,
    )  # fmt: skip
    assert [s.status for s in sessions] == [SessionStatus.held] + [SessionStatus.cancelled] * 3
    cancels = [
        m for m in fresh(db).exec(select(OutboxMessage)).scalars()
        if m.id not in outbox_before and m.kind == "invite.cancel"
    ]  # fmt: skip
    karl_email = fresh(db).get_one(Person, w["people"]["karl"].id).email
    assert {m.recipient for m in cancels} == {karl_email}  # nobody mails the erased
    for message in cancels:
        calendar = next(
            p for p in message_from_bytes(message.raw_mime, policy=policy.default).walk()
            if p.get_content_type() == "text/calendar"
        )  # fmt: skip
        body = str(calendar.get_content())
        assert "METHOD:CANCEL" in body and "STATUS:CANCELLED" in body
        session = next(s for s in sessions if s.uid in body.replace("\r\n ", ""))
        assert f"SEQUENCE:{session.sequence}" in body and session.sequence >= 1
    # he is gone: no sign-in, no feed, no mail; again changes nothing
    assert client.get("/me", headers=w["paul_h"]).status_code == 401
    after = fresh(db).get_one(Person, paul.id)
    assert (after.active, after.unit, after.site, after.manager_id) == (
        False, paul.unit, paul.site, paul.manager_id
    )  # fmt: skip
    again = client.post(f"/people/{paul.id}/erase", json={"confirm": True}, headers=w["hr"])
    assert again.json()["already_erased"] is True
    entries = fresh(db).exec(select(AuditEntry).where(AuditEntry.action == "erase")).scalars()
    assert [(e.subject_person_id, e.actor_role) for e in entries] == [(paul.id, "hr")]


def test_erasing_a_coach_gives_their_coachees_back_to_the_next_round(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    karl = w["people"]["karl"]
    # The coach's profile names them: a bio and a photo, gone with the erasure.
    bio = {"bio": "Karl Coach, twenty years in IT, coaches new managers."}
    assert client.put("/me/coach/profile", json=bio, headers=w["karl_h"]).is_success
    png = {"photo": ("karl.png", b"\x89PNG\r\n\x1a\n" + bytes(32), "image/png")}
    assert client.put("/me/coach/photo", files=png, headers=w["karl_h"]).status_code == 204
    erased = client.post(f"/people/{karl.id}/erase", json={"confirm": True}, headers=w["hr"])
    assert erased.status_code == 200, erased.text
    from api.models import Coach, CoachPhoto

    assert fresh(db).exec(select(CoachPhoto)).all() == []
    assert fresh(db).get_one(Coach, w["karl"].id).bio is None
    assert erased.json()["engagements_released"] == 1
    assert erased.json()["sessions_cancelled"] == 4
    engagement = fresh(db).get_one(Engagement, w["engagement"])
    assert engagement.status == EngagementStatus.reassigned
    request = fresh(db).get_one(CoachingRequest, engagement.request_id)
    assert request.status == RequestStatus.open and request.description is not None
    cancels = (
        fresh(db).exec(select(OutboxMessage).where(OutboxMessage.kind == "invite.cancel")).scalars()
    )
    paul, sales = w["people"]["paul"], w["people"]["sales"]
    assert {m.recipient for m in cancels} == {paul.email, sales.email}
    assert "karl coach" not in _database_text(db)
    assert client.get("/me", headers=w["karl_h"]).status_code == 401


def test_an_erased_sponsor_leaves_and_the_engagement_goes_on(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    sales, paul, karl = w["people"]["sales"], w["people"]["paul"], w["people"]["karl"]
    first = w["sessions"][0]
    sequence = first.sequence
    erased = client.post(f"/people/{sales.id}/erase", json={"confirm": True}, headers=w["hr"])
    assert erased.status_code == 200, erased.text
    report = erased.json()
    assert report["sessions_cancelled"] == 0 and report["engagements_ended"] == 0
    assert report["sessions_updated"] == 1  # the first, tripartite session
    assert report["requests_left"] == 2  # Paul's and Olga's, both live
    assert fresh(db).get_one(Engagement, w["engagement"]).status == EngagementStatus.proposed
    for who in ("paul", "olga"):
        assert fresh(db).get_one(CoachingRequest, w["requests"][who].id).sponsor_id is None
    session = fresh(db).get_one(CoachingSession, first.id)
    assert session.status == SessionStatus.planned and session.sequence == sequence + 1
    attendees = (
        fresh(db)
        .exec(select(SessionAttendance).where(SessionAttendance.session_id == first.id))
        .scalars()
    )
    assert {a.attendee for a in attendees} == {f"p{paul.id}", f"p{karl.id}"}
    updates = (
        fresh(db)
        .exec(
            select(OutboxMessage).where(
                col(OutboxMessage.dedupe_key).startswith(
                    f"session:{first.id}:seq:{session.sequence}:"
                )
            )
        )
        .scalars()
    )
    assert {m.recipient for m in updates} == {paul.email, karl.email}
    # the contract is now the coach's and the coachee's
    assert client.get(f"/me/engagements/{w['engagement']}", headers=w["paul_h"]).json()["contract"][
        "parties"
    ] == ["coach", "coachee"]
    assert "sacha sales" not in _database_text(db)


def test_retention_pseudonymises_old_requests_only(
    client: TestClient, db: Session, w: dict[str, Any], settings: Settings
) -> None:
    olga, ines, karl = w["people"]["olga"], w["people"]["ines"], w["karl"]
    long_ago = START - timedelta(days=3 * 365 + 30)
    recently = START - timedelta(days=300)
    rows = {}
    for name, person, ended in (("old", olga, long_ago), ("recent", ines, recently)):
        request = add_request(
            db,
            person,
            sponsor=w["people"]["sales"],
            description=f"{name.upper()}-BRIEF",
            status=RequestStatus.closed,
        )
        engagement = add_engagement(db, request, karl, status=EngagementStatus.completed)
        engagement.ended_at = ended
        db.add(engagement)
        session = add_session(db, engagement, number=1, start=ended - timedelta(days=10))
        session.status = SessionStatus.held
        db.add(session)
        db.add(SessionAttendance(session_id=session.id, attendee=f"p{person.id}",
                                 role="coachee", start_at=session.start_at,
                                 end_at=session.end_at))  # fmt: skip
        db.commit()
        rows[name] = (request.id, engagement.id, person.id)
    before = _aggregates(db)

    assert run_retention(session=db, settings=settings, now=START) == 1
    old = fresh(db).get_one(CoachingRequest, rows["old"][0])
    ghost = fresh(db).get_one(Person, old.coachee_id)
    assert old.pseudonymised_at == START and old.description is None
    assert ghost.id != olga.id and ghost.erased_at == START and not ghost.active
    assert (ghost.unit, ghost.site, ghost.manager_id) == (olga.unit, olga.site, olga.manager_id)
    assert "Olga" not in ghost.name and old.sponsor_id != w["people"]["sales"].id
    attendance = fresh(db).exec(
        select(SessionAttendance)
        .join(CoachingSession, col(CoachingSession.id) == SessionAttendance.session_id)
        .where(CoachingSession.engagement_id == rows["old"][1])
    ).scalars().all()  # fmt: skip
    assert [a.attendee for a in attendance] == [f"p{ghost.id}"]
    recent = fresh(db).get_one(CoachingRequest, rows["recent"][0])
    assert recent.coachee_id == ines.id and recent.description == "RECENT-BRIEF"
    assert recent.pseudonymised_at is None
    # Olga herself, her current request and her account stay as they are
    assert fresh(db).get_one(Person, olga.id).name == "Olga Other"
    assert fresh(db).get_one(CoachingRequest, w["requests"]["olga"].id).coachee_id == olga.id
    after = _aggregates(db)
    assert after["requests"] == before["requests"] and after["held"] == before["held"]
    assert after["engagements"] == before["engagements"]
    assert run_retention(session=fresh(db), settings=settings, now=START) == 0
    (entry,) = fresh(db).exec(select(AuditEntry).where(AuditEntry.action == "retain")).scalars()
    assert entry.target_id == str(rows["old"][0]) and entry.via == "job coachmatch:retention"


def test_nothing_hr_can_read_holds_a_brief_or_an_objective(
    client: TestClient, db: Session, w: dict[str, Any], settings: Settings, app: FastAPI
) -> None:
    """HR reads every list of the API, the audit log, every person's export and data
    page: no brief, objective or leave reason shows anywhere."""
    w["settings"] = settings
    _everything_about_paul(client, db, w)
    client.get("/me/requests", headers=w["karl_h"])  # reads, now in the audit log
    client.get(f"/me/engagements/{w['engagement']}", headers=w["sales_h"])
    paths = sorted(
        path for path, ops in app.openapi()["paths"].items()
        if "get" in ops and "{" not in path and not path.startswith("/me")
        and path not in {"/metrics", "/health", "/ready"}
    )  # fmt: skip
    people = [p.id for p in fresh(db).exec(select(Person)).scalars()]
    paths += [f"/people/{p}/export" for p in people] + ["/audit?limit=500"]
    token = w["hr"]["Authorization"].removeprefix("Bearer ")
    secrets = (BRIEF, OBJECTIVE, OTHER_BRIEF, "PAUL-LEAVE-REASON", "SENTINEL-CONFIDENTIAL")
    seen = 0
    for path in paths:
        response = client.get(path, headers=w["hr"])
        if response.status_code == 200:
            seen += 1
            for secret in secrets:
                assert secret not in response.text, (path, secret)
    client.cookies.set(SESSION_COOKIE, token)
    for person in people:
        page = client.get(f"/hr/people/{person}/data")
        assert page.status_code == 200
        for secret in secrets:
            assert secret not in page.text, (person, secret)
    client.cookies.clear()
    assert seen > 20
    reads = fresh(db).exec(select(AuditEntry).where(AuditEntry.action == "read")).scalars()
    assert "hr" not in {e.actor_role for e in reads}
