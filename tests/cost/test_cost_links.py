"""Links and input files from before the 2026 cost model open as they were meant, with a note; `example=` picks
a worked example; the page's reply carries both."""

from __future__ import annotations

import dataclasses
import json

import pytest

from decision.cli import main
from decision.cost import EXAMPLES, FIELDS, compute, fragment_of
from decision.cost.inputs import LEGACY_NOTE, resolve
from decision.cost.model import ADDED_IN_2026
from decision.web import calculator_response

FIRST_MODEL_FIELDS = [name for name in FIELDS if name not in ADDED_IN_2026]
# A share link the first calculator wrote for its worked example (fifteen inputs, no caching).
OLD_LINK = (
    "calls_per_month=1000000&prompt_tokens=2000&tuned_prompt_tokens=300&output_tokens=200&base_input_price=0.15"
    "&base_output_price=0.6&tuned_input_price=0.3&tuned_output_price=1.2&training_examples=1000"
    "&tokens_per_example=500&epochs=3&training_price=3&retrains_per_year=4&hosting_per_month=0"
    "&operations_per_month=500"
)


def reply(fragment: str) -> dict:
    return json.loads(calculator_response(fragment))


def test_the_first_model_had_fifteen_inputs():
    assert len(FIRST_MODEL_FIELDS) == 15 and "base_input_price" in FIRST_MODEL_FIELDS


def test_an_old_link_opens_with_the_old_answer_and_a_note():
    data = reply(OLD_LINK)
    assert data["ok"] is True
    # the same answer as before caching existed: (2000 × 0.15 + 200 × 0.6) / 1e6 = 0.00042 against 0.00033,
    # fixed 501.5 a month -> 501.5 / 0.00009 = 5,572,222.2 calls a month
    assert data["break_even_calls_per_month"] == pytest.approx(5_572_222.222222222)
    assert data["inputs"]["cached_share"] == 0 and data["inputs"]["base_cached_input_price"] == 0.15
    assert data["inputs"]["base_route"] == "tokens" and data["inputs"]["tuned_route"] == "tokens"
    assert data["notes"] == [LEGACY_NOTE]
    for words in ("prompt caching", "batch", "GPU", "no cached prompt tokens", "per token"):
        assert words in LEGACY_NOTE
    assert data["inputs_from_example"] == []  # every first-model input was given; the new ones are in the note
    # the reply's canonical fragment names every input, so the next link is read as a new one
    assert (
        "cached_share=0" in data["fragment"]
        and not resolve(
            dict(pair.split("=") for pair in data["fragment"].split("&")),
            EXAMPLES.inputs(),
            EXAMPLES.default,
            EXAMPLES.legacy,
        ).notes
    )


def test_a_partial_old_link_fills_from_the_first_model_s_example():
    # the first calculator filled left-out inputs from gpt-4o-mini's 2024 prices; so does an old link now
    data = reply("calls_per_month=20000000")
    legacy = EXAMPLES.by_id[EXAMPLES.legacy].inputs
    assert data["ok"] and data["notes"] == [LEGACY_NOTE]
    assert data["inputs"]["base_input_price"] == legacy.base_input_price == 0.15
    assert data["inputs"]["cached_share"] == 0  # read as the first model meant it, not as the example's 0.896
    assert set(data["inputs_from_example"]) == set(FIRST_MODEL_FIELDS) - {"calls_per_month"}
    assert data["prompt_cost_answer"] == "with-caching"  # 2e7 > 5,572,222: the old answer
    assert data["example"] == EXAMPLES.legacy


def test_a_new_link_is_not_read_as_an_old_one():
    data = reply(fragment_of(EXAMPLES.by_id["openai-2024"].inputs))
    assert data["ok"] and data["notes"] == [] and data["break_even_calls_per_month"] is None
    one_new_field = reply("calls_per_month=20000000&cached_share=0.5")
    assert one_new_field["ok"] and one_new_field["notes"] == [] and one_new_field["example"] == EXAMPLES.default


def test_example_key_picks_a_worked_example():
    data = reply("example=self-hosted")
    assert data["ok"] and data["example"] == "self-hosted"
    assert data["inputs"]["tuned_route"] == "gpu" and len(data["inputs_from_example"]) == len(FIELDS)
    assert any("self-hosted" in note or "H100" in note for note in data["notes"])
    bad = reply("example=gpt-5&calls_per_month=1")
    assert not bad["ok"] and bad["errors"][0]["field"] == "example"
    assert "lora-platform" in bad["errors"][0]["problem"]


def test_an_old_input_file_opens_with_a_note_in_every_format(capsys, tmp_path):
    old = tmp_path / "old.toml"
    legacy = EXAMPLES.by_id[EXAMPLES.legacy].inputs
    old.write_text("\n".join(f"{name} = {getattr(legacy, name)!r}" for name in FIRST_MODEL_FIELDS))
    assert main(["cost", "--inputs", str(old), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == [LEGACY_NOTE] and data["break_even_calls_per_month"] == pytest.approx(5_572_222.222222222)
    for fmt in ("text", "markdown"):
        assert main(["cost", "--inputs", str(old), "--format", fmt]) == 0
        assert "before it priced prompt caching" in capsys.readouterr().out


def test_an_old_saved_result_opens_too(capsys, tmp_path):
    # a JSON result saved by the first calculator: schema_version 2, fifteen inputs
    legacy = EXAMPLES.by_id[EXAMPLES.legacy].inputs
    saved = {"schema_version": 2, "inputs": {name: float(getattr(legacy, name)) for name in FIRST_MODEL_FIELDS}}
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(saved))
    assert main(["cost", "--inputs", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == [LEGACY_NOTE]


def test_flags_alone_are_new_inputs_on_the_command_line(capsys):
    # only a file can be old: `--example --calls-per-month` fills from the default example, with no note
    assert main(["cost", "--example", "--calls-per-month", "20000000", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (
        data["notes"] == [] and data["inputs"]["cached_share"] == EXAMPLES.by_id[EXAMPLES.default].inputs.cached_share
    )


def test_cli_example_ids(capsys):
    assert main(["cost", "--example", "self-hosted", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["inputs"]["tuned_route"] == "gpu"
    assert data["break_even_calls_per_month"] == pytest.approx(
        compute(EXAMPLES.by_id["self-hosted"].inputs).break_even_calls_per_month
    )
    assert main(["cost", "--example", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("decision: error: --example: must be one of") and err.count("\n") == 1


def test_the_first_model_s_example_is_kept_exactly():
    # the first calculator's example, with nothing cached, is the historical example minus its cache share
    legacy = EXAMPLES.by_id[EXAMPLES.legacy].inputs
    first = dataclasses.replace(legacy, cached_share=0)
    assert compute(first).break_even_calls_per_month == pytest.approx(50_150_000 / 9, rel=1e-15)
