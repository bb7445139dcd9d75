"""`coachmatch worker`: run the job queue's worker (PostgreSQL deployments; on SQLite the
worker runs inside `coachmatch serve`)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options: everything comes from the COACHMATCH_* settings


def run(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from api.clock import SystemClock
    from api.db import make_engine, upgrade_database
    from api.jobs.worker import run_worker
    from api.settings import load_settings

    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if settings.is_sqlite:
        print(
            "coachmatch: on SQLite the worker runs inside `coachmatch serve`; "
            "a separate worker needs PostgreSQL",
            flush=True,
        )
        return 2
    engine = make_engine(settings.database_url)
    if settings.migrate_on_start:
        upgrade_database(engine)
    print("coachmatch: worker running (Ctrl-C to stop)", flush=True)
    try:
        asyncio.run(run_worker(settings, engine, SystemClock()))
    finally:
        engine.dispose()
    return 0
