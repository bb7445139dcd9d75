"""`coachmatch mail-in`: one email on standard input, as an MTA delivers to a program
(e.g. an alias `coaching: "|coachmatch mail-in"`): an invite's reply is applied, anything
else is quarantined. Exit 0 once the message is recorded; 75 (EX_TEMPFAIL: the MTA
retries later) when the database cannot be reached."""

from __future__ import annotations

import argparse
import sys

EX_TEMPFAIL = 75


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    from api.clock import SystemClock
    from api.db import make_engine, upgrade_database
    from api.replies.service import handle_message
    from api.settings import load_settings

    settings = load_settings()
    # One byte past the limit is enough to know the message is too large.
    raw = sys.stdin.buffer.read(settings.reply_max_bytes + 1)
    engine = make_engine(settings.database_url)
    try:
        upgrade_database(engine)
        with Session(engine, expire_on_commit=False) as session:
            report = handle_message(
                session=session,
                settings=settings,
                raw=raw,
                source="mail-in",
                now=SystemClock().now(),
            )
    except OperationalError as exc:
        print(f"coachmatch mail-in: database unavailable ({type(exc).__name__})", file=sys.stderr)
        return EX_TEMPFAIL
    finally:
        engine.dispose()
    if not args.quiet:
        outcome = next(
            name
            for name in ("applied", "counters", "stale", "quarantined", "duplicates")
            if getattr(report, name)
        )
        reason = f" ({report.reasons[0]})" if report.reasons else ""
        print(f"coachmatch mail-in: {outcome}{reason}", file=sys.stderr)
    return 0
