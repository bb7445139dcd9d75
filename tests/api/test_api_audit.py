"""The audit log (issue 12 item 5): every read of a brief or of a contract's objectives
and every change leaves an entry (who, when, from where), HR's view names what was read
but never shows it, each person sees who read their data (anyone but the three parties
is an alarm), and the hash chain catches an entry removed or edited behind the service's
back, which the database itself refuses anyway."""

from __future__ import annotations

import itertools
import logging
import threading
from datetime import timedelta
from typing import Any

import pytest
from api_support import START, fresh
from fastapi.testclient import TestClient
from life_support import settings, w
from lifecycle_support import contract_body
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from api.audit.chain import Draft, append, verify
from api.audit.context import bind_job
from api.cli import main
from api.models import AuditEntry, AuditHead, CoachingRequest, Person, User

FIXTURES = (settings, w)  # the life world's, for pytest
BRIEF = "BRIEF-SENTINEL-4c1d"
OBJECTIVE = "OBJECTIVE-SENTINEL-9e2b"


def _entries(db: Session, **where: Any) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(col(AuditEntry.seq))
    for name, value in where.items():
        query = query.where(getattr(AuditEntry, name) == value)
    return list(fresh(db).exec(query))


def _user(db: Session, headers: dict[str, str], client: TestClient) -> User:
    me = client.get("/me", headers=headers).json()
    return fresh(db).get_one(User, me["id"])


def _brief(client: TestClient, w: dict[str, Any]) -> int:
    """Paul writes his brief (he reads it back: one read already)."""
    request_id: int = w["requests"]["paul"].id
    saved = client.patch(
        f"/me/requests/{request_id}", json={"description": BRIEF}, headers=w["paul_h"]
    )
    assert saved.status_code == 200, saved.text
    return request_id


def test_every_read_of_a_brief_leaves_an_entry_and_hr_never_reads_one(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    request_id = _brief(client, w)
    paul = _user(db, w["paul_h"], client)
    karl = _user(db, w["karl_h"], client)
    before = len(_entries(db, action="read"))
    mine = client.get(f"/me/requests/{request_id}", headers=w["paul_h"])
    assert mine.status_code == 200 and mine.json()["description"] == BRIEF
    reads = _entries(db, action="read")
    assert len(reads) == before + 1
    entry = reads[-1]
    assert (entry.actor_user_id, entry.actor_role, entry.target) == (paul.id, "coachee", "brief")
    assert entry.subject_person_id == w["people"]["paul"].id and entry.request_id == request_id
    assert entry.ip == "testclient" and entry.via == "GET /me/requests/{request_id}"
    assert entry.fields == ["description"] and entry.at == START

    listed = client.get("/me/requests", headers=w["karl_h"])  # the engaged coach
    assert BRIEF in listed.text
    coach_reads = _entries(db, action="read", actor_user_id=karl.id)
    assert [(e.target, e.request_id) for e in coach_reads] == [("brief", request_id)]
    sponsor = client.get(f"/me/requests/{request_id}", headers=w["sales_h"])
    assert sponsor.status_code == 200 and BRIEF not in sponsor.text
    # HR reads the request, its engagement, every list: no brief, so no read entry
    for path in ("/requests", f"/requests/{request_id}", "/engagements", "/sessions"):
        response = client.get(path, headers=w["hr"])
        assert response.status_code == 200 and BRIEF not in response.text
    assert [e for e in _entries(db, action="read") if e.actor_role == "hr"] == []

    # HR's audit names the reads, never what was read
    audit = client.get("/audit", params={"action": "read"}, headers=w["hr"])
    assert audit.status_code == 200 and BRIEF not in audit.text
    summaries = [i["summary"] for i in audit.json()["items"]]
    assert f"coach (user {karl.id}) read the brief of request {request_id}" in summaries
    # Paul sees who read his brief: himself and his coach, no alarm
    seen = client.get("/me/audit", headers=w["paul_h"]).json()
    assert {(i["party"], i["what"]) for i in seen["items"]} == {
        ("you", "brief"),
        ("coach", "brief"),
    }
    assert seen["alarms"] == 0 and BRIEF not in str(seen)


def test_every_read_of_the_objectives_leaves_an_entry(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    engagement = w["engagement"]
    written = client.put(
        f"/me/engagements/{engagement}/contract",
        json=contract_body(OBJECTIVE),
        headers=w["karl_h"],
    )
    assert written.status_code == 200 and OBJECTIVE in written.text
    for who in ("coachee", "sponsor"):
        read = client.get(f"/me/engagements/{engagement}", headers=w["who"][who])
        assert read.status_code == 200 and OBJECTIVE in read.text
    hr = client.get(f"/engagements/{engagement}", headers=w["hr"])
    assert hr.status_code == 200 and OBJECTIVE not in hr.text
    reads = _entries(db, action="read", target="objectives")
    assert [e.actor_role for e in reads] == ["coach", "coachee", "sponsor"]
    assert {(e.engagement_id, e.subject_person_id) for e in reads} == {
        (engagement, w["people"]["paul"].id)
    }
    seen = client.get("/me/audit", headers=w["paul_h"]).json()["items"]
    assert [(i["party"], i["what"], i["alarm"]) for i in seen] == [
        ("sponsor", "objectives", False),
        ("you", "objectives", False),
        ("coach", "objectives", False),
    ]
    assert seen[0]["reader_name"] == "Sacha Sales"
    # the sponsor's own view: nobody read a brief of theirs
    assert client.get("/me/audit", headers=w["sales_h"]).json()["items"] == []


def test_a_reader_outside_the_three_parties_is_an_alarm(
    client: TestClient,
    db: Session,
    w: dict[str, Any],
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    request_id = _brief(client, w)
    hr = _user(db, w["hr"], client)
    olga = _user(db, w["olga_h"], client)
    xavier = _user(db, w["xavier_h"], client)
    paul_id = w["people"]["paul"].id
    # What a leak would leave: the entries the service writes when someone reads a brief.
    with engine.begin() as connection:
        for reader in (hr, olga, xavier):
            draft = Draft(
                action="read", target="brief", target_id=str(request_id), fields=("description",),
                subject_person_id=paul_id, request_id=request_id, user_id=reader.id,
                role=reader.role.value,
            )  # fmt: skip
            append(connection, [draft], at=START, via="GET /somewhere", ip="10.0.0.9",
                   user_id=None, role=None)  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="api.audit.service"):
        seen = client.get("/me/audit", headers=w["paul_h"]).json()
    alarms = [i for i in seen["items"] if i["alarm"]]
    assert {i["reader_user_id"] for i in alarms} == {hr.id, olga.id, xavier.id}
    assert seen["alarms"] == 3 and all(i["party"] is None for i in alarms)
    assert [i for i in seen["items"] if not i["alarm"]] == [
        i for i in seen["items"] if i["party"] == "you"
    ]
    warnings = [r.getMessage() for r in caplog.records if "audit alarm" in r.getMessage()]
    assert len(warnings) == 3 and all("Paul" not in m for m in warnings)  # ids only


def test_every_change_says_who_when_and_from_where(
    client: TestClient, db: Session, w: dict[str, Any], app: Any
) -> None:
    request_id = w["requests"]["olga"].id
    hr = _user(db, w["hr"], client)
    changed = client.patch(f"/requests/{request_id}", json={"priority": 1}, headers=w["hr"])
    assert changed.status_code == 200, changed.text
    (entry,) = _entries(db, target="coaching_request", action="update", target_id=str(request_id))
    assert (entry.actor_user_id, entry.actor_role) == (hr.id, "hr")
    assert entry.fields == ["priority"] and entry.via == "PATCH /requests/{request_id}"
    assert entry.subject_person_id == w["people"]["olga"].id

    # behind a trusted proxy, the client's address is the forwarded one (as throttles see it)
    app.state.settings = app.state.settings.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    proxy = TestClient(app, client=("10.0.0.2", 4000))
    forwarded = {**w["hr"], "X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert (
        proxy.patch(f"/requests/{request_id}", json={"priority": 2}, headers=forwarded).status_code
        == 200
    )
    assert _entries(db, target="coaching_request", action="update")[-1].ip == "203.0.113.7"

    # a coachee's change is theirs; a job's is the job's
    client.post("/me/windows/weekly", headers=w["paul_h"],
                json={"weekday": 1, "start_time": "09:00", "end_time": "12:00"})  # fmt: skip
    (window,) = _entries(db, target="person_window")
    assert window.actor_role == "coachee" and window.action == "insert"
    with Session(db.get_bind()) as job:
        bind_job(job, "job coachmatch:test")
        person = job.get_one(Person, w["people"]["ines"].id)
        person.site = "Lyon"
        job.add(person)
        job.commit()
    (moved,) = _entries(db, target="person", action="update")
    assert (moved.actor_user_id, moved.via, moved.fields) == (None, "job coachmatch:test", ["site"])

    # HR's filters: who, what, when
    later = START + timedelta(days=1)
    by_hr = client.get("/audit", params={"user_id": hr.id, "action": "update"}, headers=w["hr"])
    assert {i["target"] for i in by_hr.json()["items"]} == {"coaching_request"}
    assert by_hr.json()["total"] == 2
    window = {"from": START.isoformat(), "to": later.isoformat()}
    that_day = client.get("/audit", params=window, headers=w["hr"]).json()
    assert that_day["total"] == len([e for e in _entries(db) if e.at == START]) == 3
    window = {"from": later.isoformat(), "to": (later + timedelta(days=30)).isoformat()}
    assert client.get("/audit", params=window, headers=w["hr"]).json()["total"] == 0
    assert client.get("/audit", params={"action": "steal"}, headers=w["hr"]).status_code == 422


def _tamper(db: Session, statements: list[str]) -> None:
    """Change the log behind the service's back: the append-only trigger set aside first
    (as the database's superuser or the file's owner could)."""
    dialect = db.get_bind().dialect.name
    db.rollback()  # ALTER TABLE waits for every reader of the table
    with db.get_bind().begin() as connection:  # type: ignore[union-attr]
        if dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER tr_audit_log_no_update"))
            connection.execute(text("DROP TRIGGER tr_audit_log_no_delete"))
        for statement in statements:
            connection.execute(text(statement))
        if dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))


def test_the_chain_catches_an_entry_removed_or_edited(
    client: TestClient,
    db: Session,
    w: dict[str, Any],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _brief(client, w)
    client.get("/me/requests", headers=w["karl_h"])
    report = verify(fresh(db))
    assert report.ok and report.entries == len(_entries(db)) > 10
    monkeypatch.setenv("COACHMATCH_DATABASE_URL", database_url)
    assert main(["audit", "verify"]) == 0
    assert "the chain is whole" in capsys.readouterr().out
    assert client.get("/audit/verify", headers=w["hr"]).json()["ok"] is True

    last = report.last or 0
    edited, removed = last - 5, last - 2
    _tamper(db, [
        f"UPDATE audit_log SET target_id = '999' WHERE seq = {edited}",
        f"DELETE FROM audit_log WHERE seq = {removed}",
    ])  # fmt: skip
    report = verify(fresh(db))
    assert [(p.seq, p.problem) for p in report.problems] == [
        (edited, "edited"),
        (removed, "missing"),
        (removed + 1, "broken_link"),
    ]
    answer = client.get("/audit/verify", headers=w["hr"]).json()
    assert answer["ok"] is False and f"entry {removed}: missing" in answer["problems"]
    assert main(["audit", "verify"]) == 1
    assert f"entry {edited}: edited" in capsys.readouterr().out


def test_an_edit_that_rehashes_its_entry_breaks_the_next_and_a_lost_tail_the_head(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    from api.audit.chain import digest

    _brief(client, w)
    entries = _entries(db)
    target, last = entries[-3], entries[-1].seq
    forged = target.model_dump() | {"actor_user_id": 1}
    _tamper(db, [
        f"UPDATE audit_log SET actor_user_id = 1, hash = '{digest(forged)}' "
        f"WHERE seq = {target.seq}",
        f"DELETE FROM audit_log WHERE seq = {last}",
    ])  # fmt: skip
    problems = [(p.seq, p.problem) for p in verify(fresh(db)).problems]
    assert problems == [(target.seq + 1, "broken_link"), (last, "head")]


def test_the_database_refuses_to_update_or_delete_an_entry(
    client: TestClient, db: Session, w: dict[str, Any]
) -> None:
    _brief(client, w)
    count = len(_entries(db))
    statements = ["UPDATE audit_log SET ip = '1.2.3.4'", "DELETE FROM audit_log"]
    if db.get_bind().dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    db.rollback()  # no read of ours holds the table (TRUNCATE would wait for it)
    for statement in statements:
        with (
            pytest.raises(DBAPIError, match="append-only"),
            db.get_bind().begin() as connection,  # type: ignore[union-attr]
        ):
            connection.execute(text(statement))
    assert len(_entries(db)) == count and verify(fresh(db)).ok


def test_two_writers_at_once_keep_one_chain(engine: Engine, db: Session) -> None:
    """Two real connections commit changes at the same moment, many times over: every
    entry is appended once, numbered in one sequence, each naming the one before."""
    from api_support import add_person

    people = [add_person(db, f"R{n}", name=f"Racer {n}").id for n in range(2)]
    start = len(_entries(db))
    rounds = 15
    together = threading.Barrier(2, timeout=30)
    postgres = engine.dialect.name == "postgresql"
    errors: list[BaseException] = []

    def writer(person_id: int) -> None:
        try:
            for n in range(rounds):
                with Session(engine) as session:
                    person = session.get_one(Person, person_id)
                    person.unit = f"unit {n}"
                    session.add(person)
                    if postgres:
                        session.flush()  # both changes made, then both commit at once
                        together.wait()
                    session.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)
            together.abort()

    threads = [threading.Thread(target=writer, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    entries = _entries(db)
    assert len(entries) == start + 2 * rounds
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    head = fresh(db).get_one(AuditHead, 1)
    assert (head.seq, head.hash) == (entries[-1].seq, entries[-1].hash)
    assert verify(fresh(db)).ok


def test_a_rolled_back_change_leaves_no_entry(db: Session, w: dict[str, Any]) -> None:
    count = len(_entries(db))
    request = fresh(db).get_one(CoachingRequest, w["requests"]["olga"].id)
    request.priority = 5
    db.add(request)
    db.flush()
    db.rollback()
    with db.begin_nested():
        request = db.get_one(CoachingRequest, w["requests"]["olga"].id)
        request.priority = 4
        db.add(request)
    nested = db.begin_nested()
    request.themes = ["gone"]
    db.add(request)
    db.flush()
    nested.rollback()
    db.commit()
    (entry,) = _entries(db)[count:]
    assert (entry.target, entry.fields) == ("coaching_request", ["priority"])


def test_hr_has_no_audit_of_its_own_data(client: TestClient, w: dict[str, Any]) -> None:
    assert client.get("/me/audit", headers=w["hr"]).status_code == 403
    mine = client.get("/me/audit", headers=w["karl_h"])  # Karl's person: nobody read his
    assert mine.status_code == 200 and mine.json()["items"] == []
