"""Many connections at once on a real server: every request gets its answer.

A request holds a database connection from its first query until its session closes,
and between the two it waits for request threads (a sync dependency, the endpoint,
the response's validation) more than once. With more requests in flight than the pool
has connections, each waiting for a thread while every thread waited for a connection,
the process stopped answering (0 requests/s at 100 connections, until the pool's
30-second timeout turned them into 500s). These tests hammer real uvicorn processes
(the app's own thread and pool sizes) and want every answer, soon: a hang, not a speed.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
from api_support import add_coach, add_user, login
from fastapi.testclient import TestClient
from live_servers import live_servers
from sqlmodel import Session

from api.models.enums import Role
from api.settings import Settings

CONNECTIONS = 100  # far more than the default 15 request threads and 20 connections
REQUESTS = 400
DEADLINE = 90.0  # seconds for them all; a stalled process needs 30 s for its first error


async def _hammer(url: str, headers: dict[str, str]) -> Counter[int | str]:
    """GET `url` REQUESTS times over CONNECTIONS connections open at once: how many
    answers of each status, and of each error where no answer came."""
    # The client drops a connection idle for 1 s, well before the server's 5 s
    # keep-alive: otherwise a request sent just as the server closes an idle
    # connection is lost on the way (a client's race, not a server's failure).
    limits = httpx.Limits(
        max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS, keepalive_expiry=1.0
    )
    async with httpx.AsyncClient(limits=limits, timeout=DEADLINE, headers=headers) as http:

        async def one() -> int | str:
            try:
                return (await http.get(url)).status_code
            except httpx.TransportError as error:
                return type(error).__name__

        codes = await asyncio.wait_for(
            asyncio.gather(*(one() for _ in range(REQUESTS))), timeout=DEADLINE
        )
    return Counter(codes)


def test_a_hundred_connections_on_a_signed_in_read_all_get_answered(
    client: TestClient, db: Session, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    user = add_user(db, settings, Role.coach, coach=add_coach(db))
    auth = login(client, user.email)
    with live_servers(database_url, tmp_path, count=1) as (server,):
        codes = asyncio.run(_hammer(f"{server.url}/me/availability", auth))
        assert codes == {200: REQUESTS}, server.output()[-3000:]
        # The process still answers once the crowd has gone.
        assert httpx.get(f"{server.url}/me/availability", headers=auth).status_code == 200
