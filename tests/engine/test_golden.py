"""Golden files: the JSON and Markdown for every case study are committed, so any change
of wording or logic shows up as a reviewed diff. Regenerate with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/engine/test_golden.py
"""

import os
from pathlib import Path

import pytest

from decision import default_model, evaluate, render_json, render_markdown

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "cases"
CASES = default_model().cases
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.parametrize(("suffix", "render"), [(".json", render_json), (".md", render_markdown)])
def test_case_output_matches_its_golden_file(case, suffix, render):
    path = GOLDEN / f"{case.id}{suffix}"
    actual = render(evaluate(case.answers))
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 and review the diff"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} changed; review and regenerate"


def test_no_stale_golden_files():
    expected = {f"{c.id}{s}" for c in CASES for s in (".json", ".md")}
    assert {p.name for p in GOLDEN.iterdir()} == expected
