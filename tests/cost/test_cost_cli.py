"""`decision cost`: exit codes, one-line errors, the JSON contract and golden outputs.

Regenerate the golden files after a reviewed change with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/cost/test_cost_cli.py
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from decision.cli import main
from decision.cost import CHOICES, EXAMPLE, FIELDS, compute, cost_chart, form_value

ALL_FLAGS = [part for name in FIELDS for part in (f"--{name.replace('_', '-')}", form_value(getattr(EXAMPLE, name)))]


def as_json(inputs) -> dict:
    return {name: getattr(inputs, name) if name in CHOICES else float(getattr(inputs, name)) for name in FIELDS}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["cost", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("fmt", "suffix"), [("json", "json"), ("markdown", "md"), ("text", "txt")])
def test_worked_example_matches_golden(golden, capsys, fmt, suffix):
    code, out, err = run(capsys, "--example", "--format", fmt)
    assert (code, err) == (0, "")
    golden(f"cost/example.{suffix}", out)


def test_chart_matches_golden_and_is_written_on_request(golden, capsys, tmp_path):
    golden("cost/example.svg", cost_chart(compute(EXAMPLE)))
    target = tmp_path / "chart.svg"
    code, _, _ = run(capsys, "--example", "--chart", str(target))
    assert code == 0 and target.read_text(encoding="utf-8") == cost_chart(compute(EXAMPLE))


def test_json_contract(capsys):
    code, out, _ = run(capsys, *ALL_FLAGS, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert list(data["inputs"]) == list(FIELDS)
    assert data["inputs"] == as_json(EXAMPLE)
    assert data["inputs_from_example"] == [] and data["notes"] == []  # everything was given
    # Tinker, Qwen3-8B: fixed 0.44 × 1.5 × 4 / 12 + 500 = 500.22 a month; saving with the cached prefixes
    # (200 × 0.195 + 1800 × 0.039 + 200 × 0.6) − (200 × 0.195 + 200 × 0.039 + 200 × 0.6) = 62.4 per 1e6 calls
    assert data["break_even_calls_per_month"] == pytest.approx(500.22 / 0.0000624, rel=1e-12)
    assert data["break_even_without_caching"] == pytest.approx(500.22 / 0.000312, rel=1e-12)
    assert set(data["monthly_cost"]) == {
        "prompting",
        "prompting_usage",
        "prompting_gpu",
        "fine_tuned",
        "fine_tuned_inference",
        "fine_tuned_gpu",
        "fine_tuned_training",
        "fine_tuned_hosting",
        "fine_tuned_operations",
    }
    assert data["monthly_cost"]["fine_tuned"] == pytest.approx(166.8 + 0.22 + 500)
    assert data["prompt_cost_answer"] == "minor" and data["fine_tune_cheaper"] is False
    assert data["cheaper_route"] == "prompting" and data["fine_tune_cheaper_when"] == "above"
    assert {"payback_months", "per_call", "training_run_cost", "upfront_cost", "verdict", "engine_version"} <= set(data)


def test_never_is_null_in_json(capsys):
    code, out, _ = run(capsys, "--example", "--tuned-output-price", "2", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["break_even_calls_per_month"] is None and data["payback_months"] is None


def test_example_fills_only_what_is_left_out(capsys):
    code, out, _ = run(
        capsys, "--example", "--calls-per-month", "10000000", "--cached-share", "0.9", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["inputs"]["calls_per_month"] == 1e7
    assert data["inputs_from_example"] == [name for name in FIELDS if name not in ("calls_per_month", "cached_share")]
    assert data["prompt_cost_answer"] == "with-caching" and data["notes"] == []
    _, text, _ = run(capsys, "--example", "--calls-per-month", "10000000", "--cached-share", "0.9")
    marked = [line for line in text.splitlines() if line.startswith("  ") and "(example)" in line]
    assert "calls_per_month" in text and len(marked) == len(FIELDS) - 2


def test_inputs_file_and_flags_override_it(capsys, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("\n".join(f"{name.replace('_', '-')} = {json.dumps(getattr(EXAMPLE, name))}" for name in FIELDS))
    code, out, _ = run(capsys, "--inputs", str(path), "--hosting-per-month", "100", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["inputs"]["hosting_per_month"] == 100
    assert data["monthly_cost"]["fine_tuned"] == pytest.approx(166.8 + 0.22 + 500 + 100)
    saved = tmp_path / "saved.json"
    saved.write_text(out)
    code, again, _ = run(capsys, "--inputs", str(saved), "--format", "json")
    assert code == 0 and json.loads(again)["inputs"] == data["inputs"]  # a saved result loads again


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--calls-per-month", "1000"], "prompt_tokens"),  # no --example: everything else is missing
        (["--example", "--calls-per-month", "-5"], "calls_per_month"),
        (["--example", "--calls-per-month=-5"], "calls_per_month"),
        (["--example", "--epochs", "nan"], "epochs"),
        (["--example", "--epochs", "0"], "epochs"),
        (["--example", "--training-price", "inf"], "training_price"),
        (["--example", "--prompt-tokens", "lots"], "prompt_tokens"),
        (["--example", "--tuned-prompt-tokens", "5000"], "tuned_prompt_tokens"),
        (["--example", "--retrains-per-year", "0"], "retrains_per_year"),
        (["--example", "--cached-share", "1.2"], "cached_share"),
        (["--example", "--base-cached-input-price", "1"], "base_cached_input_price"),
        (["--example", "--tuned-route", "hosted"], "tuned_route"),
        (["--example", "--tuned-route", "gpu"], "tuned_gpu_hours_per_month"),
        (["--example", "nope"], "--example"),
        (["--example", "--inputs", "/nonexistent/inputs.toml"], "--inputs"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(capsys, argv, field):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"decision: error: {field}: "), err


def test_missing_inputs_explain_the_choice(capsys):
    _, _, err = run(capsys)
    assert "calls_per_month: missing" in err and "--example" in err and "--calls-per-month" in err


def test_bad_file_contents_name_the_file_or_field(capsys, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, _, err = run(capsys, "--inputs", str(broken))
    assert code == 2 and err.startswith(f"decision: error: {broken}: not valid JSON")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({**dataclasses.asdict(EXAMPLE), "epochs": "three"}))
    code, _, err = run(capsys, "--inputs", str(wrong))
    assert code == 2 and err.startswith("decision: error: epochs: must be a number")


def test_markdown_record_reproduces_itself(capsys):
    _, out, _ = run(capsys, "--example", "--format", "markdown")
    command = next(line for line in out.splitlines() if line.startswith("decision cost "))
    code, again, _ = run(capsys, *command.split()[2:], "--format", "json")
    assert code == 0 and json.loads(again)["inputs"] == as_json(EXAMPLE)
