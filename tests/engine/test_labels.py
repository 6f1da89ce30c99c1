"""Every reader-facing label and shared sentence comes from decision/data/model.toml, on every surface.

Each test edits a copy of the model file and checks that the decision record, the terminal text and
the model's own accessors all change with it: no surface keeps a hard-coded copy.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from decision import default_model, evaluate, load_model, render_json, render_markdown, render_text

MODEL_TEXT = resources.files("decision").joinpath("data/model.toml").read_text(encoding="utf-8")
RAG = {"needs_knowledge": "weekly"}
VOICE = next(case.answers for case in default_model().cases if case.documented_approach == "combination")


def edited(tmp_path: Path, old: str, new: str):
    assert MODEL_TEXT.count(old) == 1, old
    path = tmp_path / "model.toml"
    path.write_text(MODEL_TEXT.replace(old, new), encoding="utf-8")
    return load_model(path)


def test_approach_labels_come_from_the_components_and_the_approaches_table():
    model = default_model()
    assert model.approach_label("few-shot") == model.components["few-shot"].label == "Few-shot prompt"
    assert model.approach_label("rag") == "Retrieval (RAG)"
    assert model.approach_label("fine-tune") == "LoRA fine-tune"
    assert model.approach_label("combination") == "Combination"
    with pytest.raises(KeyError):
        model.approach_label("full-fine-tune")


def test_editing_a_component_label_changes_the_decision_record_title(tmp_path):
    model = edited(tmp_path, 'label = "Retrieval (RAG)"', 'label = "Document retrieval"')
    result = evaluate(RAG, model)
    assert result.approach == "rag"
    record = render_markdown(result, model)
    assert record.startswith("# Decision record: Document retrieval\n")
    assert "**Document retrieval** (`rag`)" in record
    assert "Retrieval (RAG)" not in record
    assert render_text(result, model).startswith("Recommendation: Document retrieval [rag, provisional]\n")


def test_editing_labels_changes_a_combination_title_and_what_would_change(tmp_path):
    model = edited(tmp_path, 'combination = "Combination"', 'combination = "A mix"')
    record = render_markdown(evaluate(VOICE, model), model)
    assert record.startswith("# Decision record: A mix: ")
    assert "Combination" not in record
    fine_tune = edited(tmp_path, 'label = "LoRA fine-tune"', 'label = "Adapter training"')
    tuned = render_markdown(evaluate(VOICE, fine_tune), fine_tune)
    assert "Adapter training" in tuned.splitlines()[0] and "LoRA fine-tune" not in tuned.splitlines()[0]


def test_the_lora_sentence_is_read_from_the_model(tmp_path):
    old = "Fine-tuning here means a LoRA adapter, not a full fine-tune."
    assert default_model().sentences["lora_note"] == old
    model = edited(tmp_path, f'lora_note = "{old}"', 'lora_note = "A small adapter, never a full fine-tune."')
    result = evaluate(VOICE, model)
    assert result.fine_tune_method == "lora"
    for text in (render_markdown(result, model), render_text(result, model)):
        assert "A small adapter, never a full fine-tune." in text and old not in text
    assert "adapter" not in render_text(evaluate(RAG, model), model)  # only when a fine-tune is chosen


def test_the_json_contract_holds_ids_not_labels_outside_its_two_sentences(tmp_path):
    # Labels are presentation: renaming one changes only the headline and summary sentences of the contract.
    import json

    model = edited(tmp_path, 'label = "Retrieval (RAG)"', 'label = "Document retrieval"')
    renamed, original = json.loads(render_json(evaluate(RAG, model), model)), json.loads(render_json(evaluate(RAG)))
    assert renamed["headline"].startswith("Document retrieval for now") and "Retrieval (RAG)" in original["headline"]
    for data in (renamed, original):
        del data["headline"], data["summary"]
    assert renamed == original
