"""`coachmatch import-org FILE.csv`: import the org chart (same rules as the HTTP import)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", help="CSV with columns id,name,email,manager_id,unit,site,timezone,language"
    )
    parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    parser.add_argument(
        "--confirm-deactivations",
        action="store_true",
        help="apply an import that deactivates more than COACHMATCH_ORG_MAX_DEACTIVATION_SHARE "
        "of the active people",
    )


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from sqlmodel import Session

    from api.clock import SystemClock
    from api.db import make_engine, upgrade_database
    from api.errors import Conflict, ImportRejected
    from api.people.service import import_org_chart
    from api.settings import load_settings

    settings = load_settings()
    try:
        content = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"coachmatch: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    try:
        upgrade_database(engine)
        with Session(engine, expire_on_commit=False) as session:
            report = import_org_chart(
                session=session,
                content=content,
                now=SystemClock().now(),
                dry_run=args.dry_run,
                confirm_deactivations=args.confirm_deactivations,
                settings=settings,
            )
    except ImportRejected as exc:
        print(f"coachmatch: {exc.message}", file=sys.stderr)
        for error in exc.errors:
            where = f"line {error['line']}" if error["line"] else "file"
            field = f" [{error['field']}]" if error["field"] else ""
            print(f"  {where}{field}: {error['message']}", file=sys.stderr)
        if exc.error_count > len(exc.errors):
            print(f"  ... and {exc.error_count - len(exc.errors)} more", file=sys.stderr)
        return 2
    except Conflict as exc:
        print(f"coachmatch: {exc.message} (--confirm-deactivations)", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    prefix = "dry run: " if report.dry_run else ""
    if report.dry_run and report.confirmation_required:
        print("dry run: applying it will need --confirm-deactivations")
    print(
        f"{prefix}{report.rows} people: {report.created} created, {report.updated} updated, "
        f"{report.reactivated} reactivated, {report.deactivated} deactivated "
        f"({report.accounts_deactivated} accounts), {report.unchanged} unchanged"
    )
    for change in report.changes:
        if change.fields:
            fields = ", ".join(
                f"{k}: {v['old']!r} -> {v['new']!r}" for k, v in change.fields.items()
            )
            print(f"  {change.change} {change.external_id}: {fields}")
    for flag in report.flagged:
        print(f"  flagged engagement {flag.engagement_id}: {flag.reason}")
    return 0
