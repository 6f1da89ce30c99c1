"""`decision gap`: the CLI's input rules and exit codes, the JSON contract, the records and the charts."""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET

import pytest

import decision.cli.app as app
from decision._version import SCHEMA_VERSION
from decision.cli.gap_command import register
from decision.gap import CALCULATIONS, compute_gap, default_example, gap_chart, gap_json, worked_examples


@pytest.fixture
def run(monkeypatch, capsys):
    """Run `decision ...` with the gap subcommand registered the way the lead wires it; (code, out, err)."""
    if register not in app.SUBCOMMANDS:
        monkeypatch.setattr(app, "SUBCOMMANDS", (*app.SUBCOMMANDS, register))

    def call(*argv: str) -> tuple[int, str, str]:
        code = app.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.mark.parametrize("calculation", list(CALCULATIONS))
def test_example_json_is_the_contract(run, calculation):
    code, out, err = run("gap", calculation, "--example", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["schema_version"] == SCHEMA_VERSION and data["calculation"] == calculation
    example = default_example(calculation)
    assert out == gap_json(compute_gap(example.inputs), data["inputs_from_example"])
    assert set(data["inputs_from_example"]) == {k for k, v in example.inputs.values.items() if v is not None}
    for number in re.findall(r"-?\d+\.\d+", out):
        assert len(number.split(".")[1]) <= 9, number


def test_format_goes_before_or_after_the_calculation(run):
    after = run("gap", "plan", "--example", "--format", "json")
    before = run("gap", "--format", "json", "plan", "--example")
    assert after == before and after[0] == 0


def test_flags_override_an_inputs_file_and_nothing_is_filled_silently(run, tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('baseline_accuracy = "91%"\ncandidate_accuracy = 0.95\n', encoding="utf-8")
    code, out, _ = run("gap", "plan", "--inputs", str(path), "--candidate-accuracy", "93%", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["inputs"]["candidate_accuracy"] == 0.93 and data["inputs_from_example"] == []
    assert data["results"]["items_per_system"] == 2888


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["gap", "plan", "--baseline-accuracy", "0.9"], "candidate_accuracy"),
        (["gap", "bar", "--correct", "5", "--items", "4", "--bar", "0.9"], "correct"),
        (["gap", "bar", "--example", "--bar", "93"], "bar"),
        (["gap", "paired", "--example", "--alpha", "0.9"], "alpha"),
        (["gap", "cost", "--inputs", "/nonexistent/inputs.toml"], "--inputs"),
        (["gap", "cost", "--example", "--chart", "/nonexistent/dir/chart.svg"], "--chart"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(run, argv, field):
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"decision: error: {field}: ")


def test_a_missing_input_says_how_to_give_it(run):
    code, _, err = run("gap", "independent", "--baseline-correct", "5")
    assert code == 2 and "give --baseline-items" in err and "--example" in err


@pytest.mark.parametrize("argv", [["gap", "--help"]] + [["gap", name, "--help"] for name in CALCULATIONS])
def test_help_prints_for_every_calculation(run, argv):
    with pytest.raises(SystemExit) as done:
        run(*argv)
    assert done.value.code == 0


def test_an_unknown_calculation_is_a_usage_error(run):
    code, _, err = run("gap", "anova")
    assert code == 2 and "invalid choice" in err


@pytest.mark.parametrize("example", worked_examples(), ids=lambda e: e.id)
def test_the_markdown_record_reproduces_itself(run, example):
    result = compute_gap(example.inputs)
    code, record, _ = run("gap", example.calculation, *_flags(example.inputs.values), "--format", "markdown")
    assert code == 0 and record.startswith("# Gap record: ")
    command = re.search(r"```sh\n(decision gap .*)\n```", record).group(1)
    again = run(*shlex.split(command)[1:], "--format", "json")
    assert json.loads(again[1])["results"] == json.loads(gap_json(result))["results"]
    assert "| Result | Value |" in record and "**Verdict:**" in record


def _flags(values: dict) -> list[str]:
    flags = []
    for name, value in values.items():
        if value is not None:
            flags += ["--" + name.replace("_", "-"), repr(value)]
    return flags


def test_text_marks_the_inputs_taken_from_the_example(run):
    code, out, _ = run("gap", "bar", "--example", "--correct", "95")
    assert code == 0
    assert re.search(r"correct\s+95 items\n", out)  # given: no mark
    assert re.search(r"items\s+100 items\s+\(example\)", out)
    assert "Inputs marked (example)" in out


@pytest.mark.parametrize("example", worked_examples(), ids=lambda e: e.id)
def test_charts_are_deterministic_strict_svg(example):
    result = compute_gap(example.inputs)
    svg = gap_chart(result)
    assert svg == gap_chart(compute_gap(example.inputs))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "style=" not in svg and "<style" not in svg  # the CSP allows no inline styles
    assert "currentColor" in svg and not re.search(r'(fill|stroke)="#', svg)
    assert root.find("{http://www.w3.org/2000/svg}desc").text == result.verdict


def test_a_chart_escapes_its_words(run, tmp_path):
    path = tmp_path / "chart.svg"
    code, _, _ = run("gap", "cost", "--example", "--chart", str(path), "--cost-per-error", "0")
    svg = path.read_text(encoding="utf-8")
    assert code == 0 and ET.fromstring(svg) is not None


def test_flat_and_extreme_inputs_still_draw():
    from decision.gap import parse_gap_inputs

    for calculation, raw in [
        ("bar", {"correct": 0, "items": 1, "bar": 0.5}),
        ("bar", {"correct": 1_000_000, "items": 1_000_000, "bar": 0.999}),
        ("paired", {"both_right": 5, "only_baseline_right": 0, "only_candidate_right": 0, "both_wrong": 0}),
        ("plan", {"baseline_accuracy": 0.999, "candidate_accuracy": 1}),
        ("cost", {"calls_per_month": 0, "cost_per_error": 0, "baseline_accuracy": 1, "extra_monthly_cost": 0}),
    ]:
        ET.fromstring(gap_chart(compute_gap(parse_gap_inputs(calculation, raw))))
