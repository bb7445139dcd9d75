"""`coachmatch create-admin`: create an HR (programme admin) account."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email", required=True, help="the admin's email (their sign-in)")
    parser.add_argument("--name", default="", help="display name")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )


def _password(args: argparse.Namespace) -> str | None:
    import getpass
    import sys

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        print("coachmatch: the passwords differ", file=sys.stderr)
        return None
    return first


def run(args: argparse.Namespace) -> int:
    import sys

    from sqlmodel import Session

    from api.accounts.service import create_admin
    from api.clock import SystemClock
    from api.db import make_engine, upgrade_database
    from api.errors import ApiError
    from api.security import Passwords
    from api.settings import load_settings

    password = _password(args)
    if password is None:
        return 2
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        upgrade_database(engine)
        with Session(engine, expire_on_commit=False) as session:
            user = create_admin(
                session=session,
                passwords=Passwords(settings),
                settings=settings,
                email=args.email,
                password=password,
                name=args.name,
                now=SystemClock().now(),
            )
    except ApiError as exc:
        print(f"coachmatch: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"created HR account {user.email} (id {user.id}); sign in at {settings.base_url}")
    return 0
