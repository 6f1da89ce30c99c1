"""Golden files: the JSON and Markdown for every case study are committed, so any change
of wording or logic shows up as a reviewed diff. Regenerate with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/engine/test_golden.py tests/cost/test_cost_cli.py

Update mode writes the files and then fails every test it rewrote: read `git diff tests/golden`,
then run again without UPDATE_GOLDEN to see them pass.
"""

from pathlib import Path

import pytest

from decision import default_model, evaluate, render_json, render_markdown

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "cases"
CASES = default_model().cases


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.parametrize(("suffix", "render"), [(".json", render_json), (".md", render_markdown)])
def test_case_output_matches_its_golden_file(golden, case, suffix, render):
    golden(f"cases/{case.id}{suffix}", render(evaluate(case.answers)))


def test_no_stale_golden_files():
    expected = {f"{c.id}{s}" for c in CASES for s in (".json", ".md")}
    assert {p.name for p in GOLDEN.iterdir()} == expected


def test_update_mode_writes_then_fails(tmp_path, golden_comparison):
    # Regenerated files must be reviewed: update mode may never pass on its own.
    compare_with_golden = golden_comparison
    path = tmp_path / "sample.md"
    with pytest.raises(pytest.fail.Exception, match="review"):
        compare_with_golden(path, "new text\n", update=True)
    assert path.read_text(encoding="utf-8") == "new text\n"
    compare_with_golden(path, "new text\n", update=False)
    with pytest.raises(AssertionError, match="changed"):
        compare_with_golden(path, "other text\n", update=False)
