"""Running one measurement in its own Python process, so its peak memory is its own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    """This process's peak resident memory. (ru_maxrss would carry the parent's peak
    across exec on Linux.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_json(module: str, call: str, what: str) -> dict[str, Any]:
    """Import `module` in a new interpreter, evaluate `call` (a function of it, with its
    arguments) there and return the JSON object it gives; `what` names the measurement
    in the error if it fails."""
    code = f"import json, {module} as m; print(json.dumps(m.{call}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"{what} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result
