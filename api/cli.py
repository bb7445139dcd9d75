"""The `coachmatch` command line: one subcommand per module in `api/commands/`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# (subcommand, module in api.commands, help). Each module has `add_arguments(parser)` and
# `run(args) -> int`; modules import heavy packages inside `run`, so start-up stays fast.
COMMANDS: list[tuple[str, str, str]] = [
    ("match", "match", "solve a matching problem file and print or write the result"),
    ("demo", "demo", "build the demo programme and show its matching"),
    ("serve", "serve", "run the web service (uvicorn on 127.0.0.1:8000)"),
    ("worker", "worker", "run background jobs (rounds, mail, chores) until stopped"),
    ("migrate", "migrate", "apply the database migrations"),
    ("import-org", "import_org", "import the org chart from a CSV file"),
    ("create-admin", "create_admin", "create an HR (programme admin) account"),
    ("send-outbox", "send_outbox", "deliver the pending outgoing email now"),
    ("mail-in", "mail_in", "read one email (a reply to an invite) on standard input"),
    ("audit", "audit", "check the audit log's hash chain (audit verify)"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coachmatch", description="coachmatch command line")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module, help_text in COMMANDS:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.set_defaults(_module=module)
        importlib.import_module(f"api.commands.{module}").add_arguments(cmd)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module = importlib.import_module(f"api.commands.{args._module}")
    code: int = module.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
