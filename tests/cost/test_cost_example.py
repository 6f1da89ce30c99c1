"""The worked example is data (decision/data/cost_example.toml), checked on load with errors naming the key."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from decision import ModelError
from decision.cost import EXAMPLE, EXAMPLE_SOURCES, FIELDS, load_example

TEXT = resources.files("decision").joinpath("data/cost_example.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cost_example.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packaged_example_keeps_its_figures_and_sources():
    assert load_example() == (EXAMPLE, EXAMPLE_SOURCES)
    assert list(EXAMPLE_SOURCES) == list(FIELDS)
    assert EXAMPLE.calls_per_month == 1_000_000 and EXAMPLE.base_input_price == 0.15
    assert EXAMPLE.training_price == 3.0 and EXAMPLE.operations_per_month == 500
    assert EXAMPLE_SOURCES["prompt_tokens"] == "assumption: use your own; instructions plus a handful of examples"
    assert EXAMPLE_SOURCES["base_input_price"] == "OpenAI list price for gpt-4o-mini, circa Nov 2024; re-check"


def test_an_edited_copy_changes_the_example(tmp_path):
    inputs, sources = load_example(write(tmp_path, TEXT.replace("value = 1_000_000,", "value = 2_500_000,")))
    assert inputs.calls_per_month == 2_500_000 and sources == EXAMPLE_SOURCES


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("epochs = { value = 3,", "epochs = { value = -3,", "inputs.epochs.value", "cannot be negative"),
        ("epochs = { value = 3,", "epochs = { value = 2.5,", "inputs.epochs.value", "whole number"),
        ('epochs = { value = 3, source = "assumed" }\n', "", "inputs", "missing epochs"),
        ("epochs = { value = 3,", "epoch = { value = 3,", "inputs.epoch", "unknown input"),
        (
            'epochs = { value = 3, source = "assumed" }',
            'epochs = { source = "assumed" }',
            "inputs.epochs.value",
            "required",
        ),
        (
            'epochs = { value = 3, source = "assumed" }',
            'epochs = { value = 3, source = "guess" }',
            "inputs.epochs.source",
            "must be one of",
        ),
        (
            'epochs = { value = 3, source = "assumed" }',
            'epochs = { value = 3, source = "assumed", why = "x" }',
            "inputs.epochs.why",
            "unknown key",
        ),
        (
            "tuned_prompt_tokens = { value = 300,",
            "tuned_prompt_tokens = { value = 3000,",
            "inputs.tuned_prompt_tokens.value",
            "cannot exceed",
        ),
        ('assumed = "assumption: use your own"', 'assumed = ""', "sources.assumed", "non-empty"),
        ("\n[sources]\n", "\n[origins]\n", "origins", "unknown key"),
        ("epochs = { value = 3,", 'epochs = { value = "three",', "inputs.epochs.value", "must be a number"),
    ],
)
def test_a_broken_example_names_the_key(tmp_path, old, new, key, problem):
    assert TEXT.count(old) == 1, old
    path = write(tmp_path, TEXT.replace(old, new))
    with pytest.raises(ModelError) as caught:
        load_example(path)
    assert caught.value.source == str(path) and caught.value.key == key, caught.value
    assert problem in caught.value.problem, caught.value


def test_syntax_errors_and_missing_files(tmp_path):
    with pytest.raises(ModelError, match=r"\(syntax\)"):
        load_example(write(tmp_path, "[inputs\n"))
    with pytest.raises(ModelError, match=r"\(file\): cannot be read"):
        load_example(tmp_path / "absent.toml")
