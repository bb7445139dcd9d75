"""`coachmatch migrate`: apply the database migrations (the service does it at start-up;
deployments with several processes run this first and set COACHMATCH_MIGRATE_ON_START)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # the database comes from COACHMATCH_DATABASE_URL


def run(args: argparse.Namespace) -> int:
    from api.db import upgrade_database
    from api.settings import load_settings

    settings = load_settings()
    upgrade_database(settings.database_url)
    print("coachmatch: the database is up to date", flush=True)
    return 0
