"""The declared dependencies cover the library API the scheduling core uses."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def requirement(name: str) -> Requirement:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    found = [Requirement(r) for r in project["dependencies"] if Requirement(r).name == name]
    assert len(found) == 1, f"{name} is required once in pyproject.toml"
    return found[0]


def test_icalendar_pin_excludes_releases_the_code_cannot_run_on():
    """Issue 8 item 16: `vCalAddress.new`, `Event.new` and `icalendar.enums` appear in 7.0;
    7.0.0 writes a feed's header properties in another order than the golden files (and
    than 7.0.1 on), so 7.0.1 is the first release the core runs on unchanged."""
    spec = requirement("icalendar").specifier
    for too_old in ("6.1.0", "6.3.2", "7.0.0"):
        assert Version(too_old) not in spec, f"icalendar {too_old} is allowed by {spec}"
    for supported in ("7.0.1", "7.3.2"):
        assert Version(supported) in spec, f"icalendar {supported} is refused by {spec}"
    assert Version("8.0.0") not in spec, "a next major release may change the typed API"


def test_the_installed_icalendar_has_the_api_used():
    import icalendar
    from icalendar import Event, vCalAddress
    from icalendar.enums import PARTSTAT, ROLE, STATUS, TRANSP

    assert Version(icalendar.__version__) in requirement("icalendar").specifier
    assert callable(Event.new) and callable(vCalAddress.new)
    assert {PARTSTAT.NEEDS_ACTION, ROLE.REQ_PARTICIPANT, STATUS.CANCELLED, TRANSP.OPAQUE}
