"""`coachmatch send-outbox`: deliver the due outgoing email once (SMTP or .eml files)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all", action="store_true", help="repeat until no due message is left (batch by batch)"
    )


def run(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from api.clock import SystemClock
    from api.db import make_engine, upgrade_database
    from api.outbox import deliver_pending
    from api.settings import load_settings

    settings = load_settings()
    engine = make_engine(settings.database_url)
    sent = retried = failed = 0
    try:
        upgrade_database(engine)
        with Session(engine, expire_on_commit=False) as session:
            while True:
                report = deliver_pending(session, settings, SystemClock().now())
                sent, retried, failed = (
                    sent + report.sent,
                    retried + report.retried,
                    failed + report.failed,
                )
                if not args.all or report.sent < settings.outbox_batch_size or report.retried:
                    break
    finally:
        engine.dispose()
    where = (settings.smtp_url and "over SMTP") or f"into {settings.outbox_dir}"
    print(f"{sent} sent {where}, {retried} to retry later, {failed} failed")
    return 1 if retried or failed else 0
