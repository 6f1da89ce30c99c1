"""The worked examples are data (decision/data/cost_examples.toml), checked on load with errors naming the key;
every price they use is dated and names a source that the site's sources files define."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from decision import ModelError
from decision.cost import EXAMPLE, EXAMPLE_SOURCES, EXAMPLES, FIELDS, compute, load_examples

TEXT = resources.files("decision").joinpath("data/cost_examples.toml").read_text(encoding="utf-8")
ROOT = Path(__file__).resolve().parents[2]
TRAIN = 'training_price = { value = 0.44, source = "tinker-models-pricing", note = "train" }'
TINKER_EPOCHS = 'epochs = { value = 3, source = "assumed" }\n' + TRAIN  # the first example's epochs


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cost_examples.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packaged_examples_keep_their_figures_and_sources():
    assert load_examples() == EXAMPLES
    assert EXAMPLES.by_id["lora-platform"].inputs == EXAMPLE and EXAMPLES.default == "lora-platform"
    assert list(EXAMPLE_SOURCES) == list(FIELDS)
    assert EXAMPLE.base_input_price == 0.195 and EXAMPLE.base_cached_input_price == 0.039
    assert EXAMPLE.training_price == 0.44 and EXAMPLE.operations_per_month == 500
    assert EXAMPLE_SOURCES["base_input_price"] == "Tinker price list for Qwen3-8B, checked 2026-11-30; prefill"
    assert EXAMPLE_SOURCES["prompt_tokens"].startswith("assumption: use your own; ")
    historical = EXAMPLES.by_id["openai-2024"]
    assert historical.status == "historical" and "2027-01-06" in historical.note
    assert historical.note_source == "openai-deprecations"  # the note's dates have a source too
    assert historical.inputs.base_input_price == 0.15 and historical.inputs.tuned_output_price == 1.20
    assert EXAMPLES.by_id["self-hosted"].inputs.tuned_gpu_price_per_hour == 3.99


def test_every_source_id_is_a_site_source_and_every_used_price_is_dated():
    data = tomllib.loads(TEXT)
    site = {
        entry["id"]
        for path in sorted((ROOT / "docs" / "sources").glob("*.toml"))
        for entry in tomllib.loads(path.read_text(encoding="utf-8"))["sources"]
    }
    assert set(data["sources"]) - {"assumed"} <= site
    for example in EXAMPLES.by_id.values():
        unused = compute(example.inputs).unused_inputs
        for name in FIELDS:
            priced = name.endswith("_price") or name.endswith("_price_per_hour")
            if priced and name not in unused:
                assert example.source_ids[name] != "assumed", (example.id, name)
                assert ", checked 2026-11-30" in example.sources[name], (example.id, name)


def test_an_edited_copy_changes_the_examples(tmp_path):
    examples = load_examples(write(tmp_path, TEXT.replace('default = "lora-platform"', 'default = "self-hosted"')))
    assert examples.default == "self-hosted" and examples.by_id == EXAMPLES.by_id


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        (
            TINKER_EPOCHS,
            TINKER_EPOCHS.replace("value = 3", "value = -3"),
            "examples.lora-platform.inputs.epochs.value",
            "cannot be negative",
        ),
        ('default = "lora-platform"', 'default = "nope"', "default", "must be the id of an example"),
        ('default = "lora-platform"', 'default = "openai-2024"', "default", "current example"),
        ('legacy = "openai-2024"', "", "legacy", "must be the id of an example"),
        ('status = "historical"', 'status = "old"', "examples.openai-2024.status", "must be one of"),
        (
            'checked = 2026-11-30\nnote_source = "openai-deprecations"',
            'checked = "2026"\nnote_source = "openai-deprecations"',
            "examples.openai-2024.checked",
            "TOML date",
        ),
        (
            'base_route = { value = "tokens", source = "openai-pricing-gpt-4o-mini" }',
            'base_route = { value = "api", source = "openai-pricing-gpt-4o-mini" }',
            "examples.openai-2024.inputs.base_route.value",
            "must be one of tokens, gpu",
        ),
        (
            'base_route = { value = "tokens", source = "openai-pricing-gpt-4o-mini" }',
            'base_route = { value = "tokens", source = "openai-pricing" }',
            "examples.openai-2024.inputs.base_route.source",
            "must be one of",
        ),
        (
            'base_route = { value = "tokens", source = "openai-pricing-gpt-4o-mini" }\n',
            "",
            "examples.openai-2024.inputs",
            "missing base_route",
        ),
        (
            'assumed = { label = "assumption: use your own" }',
            'assumed = { label = "" }',
            "sources.assumed.label",
            "non-empty",
        ),
        (
            'assumed = { label = "assumption: use your own" }',
            'assumed = { label = "x", when = 1 }',
            "sources.assumed.when",
            "unknown key",
        ),
        ("\n[sources]\n", "\n[origins]\n", "origins", "unknown key"),
        (
            'note_source = "openai-deprecations"',
            'note_source = "assumed"',
            "examples.openai-2024.note_source",
            "one of",
        ),
    ],
)
def test_a_broken_example_names_the_key(tmp_path, old, new, key, problem):
    assert TEXT.count(old) == 1, old
    path = write(tmp_path, TEXT.replace(old, new))
    with pytest.raises(ModelError) as caught:
        load_examples(path)
    assert caught.value.source == str(path) and caught.value.key == key, caught.value
    assert problem in caught.value.problem, caught.value


def test_syntax_errors_and_missing_files(tmp_path):
    with pytest.raises(ModelError, match=r"\(syntax\)"):
        load_examples(write(tmp_path, "[sources\n"))
    with pytest.raises(ModelError, match=r"\(file\): cannot be read"):
        load_examples(tmp_path / "absent.toml")
