"""Run benchmark suites and write bench/README.md with the machine and date.

Each suite is a module in `bench/` with a `run() -> str` returning a Markdown section,
kept in `bench/results/<suite>.md` with the date and machine of its run; the README is
put together from every suite's latest result, so running one suite keeps the others.
Speed targets are compared side by side within one run (ratios), since the machine is
shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

SUITES = ["bench.load", "bench.matcher", "bench.real", "bench.scale", "bench.scheduling"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("suites", nargs="*", help="suite modules to run (default: all)")
    args = parser.parse_args()
    names = [f"bench.{s}" if not s.startswith("bench.") else s for s in args.suites] or SUITES
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
            continue
        print(f"== {name}", file=sys.stderr)
        before = os.getloadavg()[0]
        section = module.run().strip() + "\n"
        # The machine is shared: the load beside the run says how far CPU seconds read high.
        stamp = (
            f"_Run on {dt.date.today().isoformat()}; machine: {machine()}; load average "
            f"{before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end._\n\n"
        )
        title, _, body = section.partition("\n")
        (results / f"{name.removeprefix('bench.')}.md").write_text(
            f"{title}\n\n{stamp}{body.lstrip()}"
        )
    parts = [
        (results / f"{suite.removeprefix('bench.')}.md").read_text()
        for suite in SUITES
        if (results / f"{suite.removeprefix('bench.')}.md").exists()
    ]
    text = (
        "# Benchmarks\n\nWritten by `make bench` (`python -m bench [suite ...]`).\n\n"
        + "\n".join(parts)
    )
    Path(__file__).with_name("README.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
