"""Shared helpers for the scheduling tests: the independent parsers."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

JS_DIR = Path(__file__).resolve().parents[1] / "js"


@pytest.fixture
def ical_js() -> Any:
    return parse_with_ical_js


def parse_with_ical_js(*documents: bytes) -> list[dict[str, Any]]:
    """Parse each document with Mozilla ical.js under node (tests/js/check.mjs)."""
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.fail("node and tests/js/node_modules are required: run `make test`")
    paths = []
    tmp = Path(tempfile.mkdtemp())
    for i, doc in enumerate(documents):
        path = tmp / f"doc{i}.ics"
        path.write_bytes(doc)
        paths.append(str(path))
    out = subprocess.run(
        [node, str(JS_DIR / "check.mjs"), *paths], capture_output=True, check=True, timeout=60
    )
    shutil.rmtree(tmp)
    result: list[dict[str, Any]] = json.loads(out.stdout)
    for item in result:
        assert "error" not in item, item
    return result
