"""The objectives are declared once: the optimiser's stages, the explanations' labels
and the README's list all follow `OBJECTIVES`."""

from __future__ import annotations

import re
from pathlib import Path

from matcher.explain import STAGE_LABELS
from matcher.instance import prepare
from matcher.objectives import BY_NAME, DECIDING, OBJECTIVES, plan
from matcher.schema import parse_problem
from matcher.synthetic import programme

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_objectives() -> list[tuple[str, str]]:
    """(name, text) of each numbered objective in the README's matching section."""
    text = README.read_text()
    section = text[text.index("## Matching") : text.index("### Result format")]
    items = re.findall(r"^(\d+)\. `(\w+)`: (.*?)(?=^\d+\. |^\n)", section, re.S | re.M)
    assert [int(i) for i, _, _ in items] == list(range(len(items)))
    return [(name, " ".join(body.split())) for _, name, body in items]


def test_the_readme_lists_every_objective_in_order_with_its_label():
    listed = _readme_objectives()
    assert [name for name, _ in listed] == [o.name for o in OBJECTIVES]
    for (_, body), objective in zip(listed, OBJECTIVES, strict=True):
        assert objective.label in body


def test_explanations_label_every_stage():
    assert list(STAGE_LABELS) == [o.name for o in OBJECTIVES]
    assert DECIDING in BY_NAME and BY_NAME[DECIDING].maximise


def test_the_stages_run_are_the_objectives_that_apply_in_order():
    inst = prepare(parse_problem(programme(requests=20, seed=2))).instance
    names = [o.name for o in plan(inst)]
    # No re-solve here: the confirmed and previous matches' objectives do not apply.
    assert names == [
        o.name for o in OBJECTIVES if o.name not in ("kept_confirmed", "kept_previous")
    ]
