"""`coachmatch audit verify`: walk the audit log's hash chain; exit 1 if it is broken.

Prints the head (last entry and its hash): kept somewhere else (a ticket, a log), it
also proves later that no entry was removed from the end.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    sub.add_parser("verify", help="check that no entry was removed or edited")


def run(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from api.audit.chain import verify
    from api.db import make_engine, upgrade_database
    from api.settings import load_settings

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        if settings.migrate_on_start:
            upgrade_database(engine)
        with Session(engine) as session:
            report = verify(session)
    finally:
        engine.dispose()
    print(
        f"coachmatch: audit log: {report.entries} entries, head {report.head_seq} "
        f"{report.head_hash}",
        flush=True,
    )
    if report.ok:
        print("coachmatch: the chain is whole", flush=True)
        return 0
    for problem in report.problems:
        print(f"coachmatch: {problem}", flush=True)
    return 1
