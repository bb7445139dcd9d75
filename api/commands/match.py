"""`coachmatch match PROBLEM.json [-o RESULT.json]`: solve a problem file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("problem", type=Path, help="problem file (JSON, see README)")
    parser.add_argument("-o", "--output", type=Path, help="write the result here (default: stdout)")


def run(args: argparse.Namespace) -> int:
    from matcher.errors import MatcherError
    from matcher.solve import match_document

    try:
        text = args.problem.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.problem}: {exc}", file=sys.stderr)
        return 2
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"error: {args.problem}: invalid JSON at line {exc.lineno} column {exc.colno}: "
              f"{exc.msg}", file=sys.stderr)  # fmt: skip
        return 2
    try:
        result = match_document(document)
    except MatcherError as exc:
        print(f"error: {args.problem}: {exc}", file=sys.stderr)
        return 2
    out = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(out, encoding="utf-8")
        print(
            f"{result['status']}: {len(result['assignments'])} matched, "
            f"{len(result['unmatched'])} unmatched -> {args.output}",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(out)
    return 0
