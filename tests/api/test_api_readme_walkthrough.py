"""The README's walkthrough, replayed: every curl command under its "Walkthrough" heading
is parsed and sent to the app, on a database holding the demo programme, in order. A
command that fails, a body that is not JSON, a variable never set, or a line that is not
a curl command or a plain assignment fails the test, so the README cannot rot."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from api_support import START, fresh
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.demo import load_demo
from api.models import (
    CoachingRequest,
    CoachingSession,
    ContractAcknowledgement,
    ContractVersion,
    Engagement,
    PendingEvaluation,
)
from api.models.enums import EndReason, EngagementStatus
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HEADING = re.compile(r"^## Walkthrough\b.*$", re.MULTILINE)
CAPTURE = re.compile(r"^([A-Z_]+)=\$\((.*)\)$", re.DOTALL)
ASSIGN = re.compile(r"^([A-Z_]+)=(\S+)$")
JQ = re.compile(r"^(.*?)\s*\|\s*jq -r\s+(\S+)$", re.DOTALL)
VARIABLE = re.compile(r"\$\{?([A-Z_]+)\}?")


@dataclass
class Call:
    line: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    upload: str | None = None  # file=@path
    capture: str | None = None  # the variable set from the output
    jq: str | None = None


def walkthrough_commands(text: str) -> list[str]:
    """The shell commands of the walkthrough's ```sh blocks, continuations joined."""
    heading = HEADING.search(text)
    assert heading, "README.md has no '## Walkthrough' section"
    end = re.search(r"^## ", text[heading.end() :], re.MULTILINE)
    section = text[heading.end() : heading.end() + end.start() if end else len(text)]
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL):
        buffer = ""
        for line in block.replace("\\\n", " ").splitlines():
            if not buffer and (not line.strip() or line.lstrip().startswith("#")):
                continue
            buffer = f"{buffer}\n{line}" if buffer else line.strip()
            try:
                shlex.split(buffer)
            except ValueError:  # a quoted string goes on to the next line
                continue
            commands.append(buffer)
            buffer = ""
        assert not buffer, f"unterminated command: {buffer}"
    return commands


def parse(command: str) -> Call | tuple[str, str]:
    """A curl call, or a plain assignment (NAME, value)."""
    capture = None
    match = CAPTURE.match(command)
    if match:
        capture, command = match.group(1), match.group(2).strip()
    elif ASSIGN.match(command):
        name, value = ASSIGN.match(command).groups()  # type: ignore[union-attr]
        return name, value
    jq = None
    piped = JQ.match(command)
    if piped:
        command, jq = piped.group(1), shlex.split(piped.group(2))[0]
    assert capture is None or jq, f"a captured command must end with | jq -r FILTER: {command}"
    words = shlex.split(command)
    assert words[:2] == ["curl", "-s"], f"not a `curl -s` command: {command}"
    call = Call(line=command, method="", url="", capture=capture, jq=jq)
    rest = iter(words[2:])
    for word in rest:
        if word == "-X":
            call.method = next(rest)
        elif word == "-H":
            name, _, value = next(rest).partition(":")
            call.headers[name.strip()] = value.strip()
        elif word == "-d":
            call.body = next(rest)
        elif word == "-F":
            call.upload = next(rest)
        elif word.startswith("-"):
            raise AssertionError(f"unsupported curl option {word}: {command}")
        else:
            assert not call.url, f"two URLs: {command}"
            call.url = word
    assert call.url, f"no URL: {command}"
    call.method = call.method or ("POST" if call.body is not None or call.upload else "GET")
    return call


def substitute(text: str, variables: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in variables, f"${name} is used before it is set"
        return variables[name]

    return VARIABLE.sub(value, text)


def jq(document: Any, path: str) -> str:
    """The subset of jq the README uses: .a.b, .[0], .items[0].id"""
    assert path.startswith("."), path
    for key, index in re.findall(r"\.?([A-Za-z_]\w*)|\[(\d+)\]", path[1:] or ""):
        document = document[key] if key else document[int(index)]
    return document if isinstance(document, str) else json.dumps(document)


def send(client: Any, call: Call, variables: dict[str, str]) -> Any:
    url = urlsplit(substitute(call.url, variables))
    path = url.path + (f"?{url.query}" if url.query else "")
    headers = {k: substitute(v, variables) for k, v in call.headers.items()}
    kwargs: dict[str, Any] = {"headers": headers}
    if call.body is not None:
        body = substitute(call.body, variables)
        json.loads(body)  # the README's body must be JSON once the variables are in
        kwargs["content"] = body.encode()
    if call.upload:
        name, _, at = call.upload.partition("=@")
        kwargs["files"] = {name: (Path(at).name, (ROOT / at).read_bytes(), "text/csv")}
    response = client.request(call.method, path, **kwargs)
    assert response.is_success, f"{call.line}\n-> {response.status_code} {response.text}"
    return response


def test_the_walkthrough_has_the_whole_flow() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = {c.url.split("$API", 1)[-1] for c in map(parse, walkthrough_commands(text))
             if isinstance(c, Call)}  # fmt: skip
    for path in (
        "/auth/login",
        "/people/import",
        "/coaches",
        "/me/availability/weekly",
        "/requests",
        "/rounds/preview",
        "/rounds",
        "/proposals/$PROPOSAL/confirm",
        "/me/sessions",
        "/me/feed",
        "/me/sessions/$SESSION/reschedule",
        "/me/engagements/$ENGAGEMENT/contract",
        "/me/engagements/$ENGAGEMENT/contract/acknowledge",
        "/me/engagements/$ENGAGEMENT/end",
        "/me/evaluations/$EVALUATION",
    ):
        assert any(p.startswith(path) for p in paths), f"the walkthrough never calls {path}"


def test_the_readme_walkthrough_works(
    engine: Engine, settings: Settings, client: TestClient, db: Session
) -> None:
    # The demo with its first 12 requests (same org, coaches and accounts): the rounds
    # solve in a second instead of half a minute.
    load_demo(engine=engine, settings=settings, now=START, requests=12)
    replay_walkthrough(client, db)


def replay_walkthrough(client: Any, db: Session) -> None:
    """Send the README walkthrough's commands through `client` (the app in process, or
    real servers: anything with `request`, `get` and `cookies`) and check its story on
    the database: who coaches, what moved, the contract, the end, the evaluation, and
    that HR never read the brief or the objectives."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = walkthrough_commands(text)
    assert len(commands) >= 10
    variables: dict[str, str] = {}
    hr_views: list[str] = []
    for command in commands:
        parsed = parse(command)
        if isinstance(parsed, tuple):
            variables[parsed[0]] = parsed[1]
            continue
        response = send(client, parsed, variables)
        client.cookies.clear()  # as curl: only the token authenticates
        if "$HR" in parsed.headers.get("Authorization", ""):
            hr_views.append(response.text)
        if parsed.capture:
            assert parsed.jq is not None
            variables[parsed.capture] = jq(response.json(), parsed.jq)
            assert variables[parsed.capture] not in ("", "null"), command
        if parsed.url.endswith("/proposals/$PROPOSAL/confirm"):
            _the_first_session_is_the_one_promised(client, db, variables)
    # The brief the walkthrough submitted never came back to HR.
    request_id = int(variables["REQUEST"])
    brief = db.exec(select(CoachingRequest.description).where(CoachingRequest.id == request_id))
    description = brief.one()
    assert description
    for view in hr_views:
        assert description not in view
    # The walkthrough's story happened: the demo coach coaches the request, and the first
    # session was moved (a new SEQUENCE for the invites and feeds).
    fresh(db)
    engagement = db.exec(select(Engagement).where(Engagement.request_id == request_id)).one()
    assert engagement.coach_id == int(variables["COACH_ID"])
    moved = db.get(CoachingSession, int(variables["SESSION"]))
    assert moved is not None and moved.engagement_id == engagement.id and moved.sequence >= 1
    # ... then contracted by the three parties, ended early and evaluated; the contract's
    # objectives never came back to HR
    assert engagement.id == int(variables["ENGAGEMENT"])
    assert engagement.status == EngagementStatus.ended_early
    assert engagement.end_reason == EndReason.objectives_reached
    (version,) = db.exec(
        select(ContractVersion).where(ContractVersion.engagement_id == engagement.id)
    )
    assert len(version.objectives) == 2
    assert [a.role for a in db.exec(select(ContractAcknowledgement))] == [
        "coach",
        "coachee",
        "sponsor",
    ]
    for objective in version.objectives:
        assert all(objective not in view for view in hr_views)
    assert len(db.exec(select(PendingEvaluation)).all()) == 1


def _the_first_session_is_the_one_promised(
    client: Any, db: Session, variables: dict[str, str]
) -> None:
    """Confirming booked the first session the proposal promised (issue 9 item 8)."""
    headers = {"Authorization": f"Bearer {variables['HR']}"}
    proposals = client.get(f"/requests/{variables['REQUEST']}/proposals", headers=headers)
    client.cookies.clear()
    chosen = next(p for p in proposals.json() if p["id"] == int(variables["PROPOSAL"]))
    first = (
        fresh(db)
        .exec(
            select(CoachingSession)
            .where(CoachingSession.engagement_id == int(variables["ENGAGEMENT"]))
            .order_by(CoachingSession.number)  # type: ignore[arg-type]
        )
        .first()
    )
    assert first is not None
    promised = chosen["first_session_at"].replace("Z", "+00:00")
    assert first.start_at.isoformat() == promised, (first.start_at, promised)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "TOKEN=$(curl -s \"$API/auth/login\" -H 'Content-Type: application/json' "
            "-d '{\"a\": 1}' | jq -r .token)",
            ("POST", "$API/auth/login", "TOKEN", ".token"),
        ),
        (
            'curl -s -X DELETE "$API/me/feed" -H "Authorization: Bearer $C"',
            ("DELETE", "$API/me/feed", None, None),
        ),
    ],
)
def test_the_parser_reads_the_readme_style(command: str, expected: tuple[Any, ...]) -> None:
    call = parse(command)
    assert isinstance(call, Call)
    assert (call.method, call.url, call.capture, call.jq) == expected
    assert jq({"items": [{"id": 7}]}, ".items[0].id") == "7"
    assert jq([{"id": "x"}], ".[0].id") == "x"


def test_the_configuration_table_names_every_setting_and_no_other() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### Configuration")
    table = text[start : text.index("\n#", start + 1)]
    documented = set(re.findall(r"`(COACHMATCH_[A-Z0-9_]+)`", table))
    settings = {f"COACHMATCH_{name.upper()}" for name in Settings.model_fields}
    assert settings - documented == set(), "settings missing from the README's table"
    assert documented - settings == set(), "the README's table names unknown settings"


def test_the_example_org_chart_is_the_demos_with_one_new_hire() -> None:
    from api.demo.content import build
    from api.demo.load import demo_start

    demo = build(start=demo_start(START)).org_csv.decode()
    example = (ROOT / "examples" / "org.csv").read_text(encoding="utf-8")
    assert example.startswith(demo)
    assert example[len(demo) :].startswith("p401,Nina Rousseau,nina.rousseau@example.com,")
    assert example.count("\n") == demo.count("\n") + 1
