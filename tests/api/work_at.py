"""Run the job queue's worker as `coachmatch worker` does (`api.jobs.worker.run_worker`),
with the tests' clock and hooks (`serve_at.install_test_hooks`). Started by
`live_workers`, never by users; PostgreSQL only, as the command."""

from __future__ import annotations

import asyncio

from serve_at import install_test_hooks

from api.db import make_engine
from api.jobs.worker import run_worker
from api.settings import Settings

if __name__ == "__main__":
    clock = install_test_hooks()
    settings = Settings()
    engine = make_engine(settings.database_url)
    print("coachmatch: worker running (Ctrl-C to stop)", flush=True)
    try:
        asyncio.run(run_worker(settings, engine, clock))
    finally:
        engine.dispose()
