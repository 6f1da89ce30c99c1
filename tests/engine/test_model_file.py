"""A malformed model fails on load with the file, the key and what is wrong."""

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from decision import ModelError, evaluate, load_model

MODEL_TEXT = resources.files("decision").joinpath("data/model.toml").read_text(encoding="utf-8")
CASES_TEXT = resources.files("decision").joinpath("data/cases.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "model.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packaged_model_loads_and_every_catalogue_entry_is_used():
    model = load_model()
    used_steps = {s for rule in model.rules for s in rule.steps}
    used_caveats = {c for rule in model.rules for c in rule.caveats}
    assert set(model.steps) == used_steps, "unused or missing next steps"
    assert set(model.caveats) == used_caveats, "unused or missing caveats"


def test_every_option_of_every_question_is_reachable_in_some_rule():
    model = load_model()
    mentioned = {(qid, v) for rule in model.rules for qid, values in rule.when for v in values}
    for question in model.questions:
        assert any((question.id, v) in mentioned for v in question.values), question.id


@pytest.mark.parametrize(
    ("edit", "key", "problem"),
    [
        (lambda t: t.replace('id = "strict_format"', 'id = "needs_knowledge"', 1), "questions[6].id", "duplicate"),
        (lambda t: t.replace('include = "rag"', 'include = "full-fine-tune"'), "rules[0].include", "unknown component"),
        (
            lambda t: t.replace('{ value = "yes", label = "Yes, and format failures are costly" }', "3"),
            "questions[6].options[1]",
            "must be a table",
        ),
        (
            lambda t: t.replace('strict_format = ["yes"]', 'strict_format = ["sometimes"]', 1),
            "questions[7].ask_when.strict_format",
            "'sometimes' is not an option",
        ),
        (lambda t: t.replace('steps = ["ship-prompt"]', 'steps = ["celebrate"]'), "rules[9].steps", "unknown step"),
        (lambda t: t.replace("[caveats]", "[caveat]"), "(top).caveat", "unknown key"),
        (lambda t: t + '\n[[rules]]\nid = "idle"\n', "rules[", "does nothing"),
        (lambda t: t.replace('combination = "Combination"', 'mixture = "Mixture"'), "approaches.mixture", "unknown"),
        (lambda t: t.replace('combination = "Combination"', ""), "approaches", "missing combination"),
        (lambda t: t.replace("lora_note = ", "lora_sentence = "), "sentences", "missing lora_note"),
        (lambda t: t.replace('combination = "Combination"', 'combination = " "'), "approaches.combination", "empty"),
        (
            lambda t: t.replace(
                'value = "no", label = "No, or the prompt', 'value = "unanswered", label = "No, or the prompt'
            ),
            "questions[6].options[0].value",
            "reserved",
        ),
        (
            lambda t: t.replace(
                'prompt_result = ["short"], gap_worth = ["yes"], training',
                'prompt_result = ["unanswered"], gap_worth = ["yes"], training',
                1,
            ),
            "rules[1].when",
            "cannot test 'unanswered'",
        ),
        (
            lambda t: t.replace(
                'when = { prompt_result = ["not-tried"] }', 'when = { prompt_result = ["not-tried", "unanswered"] }'
            ),
            "rules[6].when.prompt_result",
            "must stand alone",
        ),
        (
            lambda t: t.replace('ask_when = { prompt_result = ["short"] }', 'ask_when = { latency = ["yes"] }'),
            "questions[3].ask_when.latency",
            "unknown question",  # branching looks back only: latency is asked later
        ),
        (
            lambda t: t.replace('value = "changing"\nbecomes', 'value = "weekly"\nbecomes'),
            "v1_answers[0].value",
            "is a current answer",
        ),
        (
            lambda t: t.replace('ask_if_chosen = ["fine-tune"]', 'ask_if_chosen = ["fine-tuning"]', 1),
            "questions[12].ask_if_chosen",
            "unknown component",
        ),
    ],
)
def test_malformed_models_name_file_key_and_problem(tmp_path, edit, key, problem):
    path = write(tmp_path, edit(MODEL_TEXT))
    with pytest.raises(ModelError) as caught:
        load_model(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert key in caught.value.key, message
    assert problem in caught.value.problem, message


def test_syntax_errors_and_missing_files_are_reported_with_the_file(tmp_path):
    with pytest.raises(ModelError, match=r"model\.toml: \(syntax\)"):
        load_model(write(tmp_path, "questions = [\n"))
    with pytest.raises(ModelError, match=r"missing\.toml: \(file\): cannot be read"):
        load_model(tmp_path / "missing.toml")


def test_a_case_with_a_bad_answer_is_refused(tmp_path):
    cases = write(tmp_path, CASES_TEXT.replace('strict_format = "yes"', 'strict_format = "always"', 1), "cases.toml")
    with pytest.raises(ModelError, match=r"cases\[0\]\.answers\.strict_format: allowed: no, yes"):
        load_model(cases_path=cases)


def test_editing_one_rule_in_the_data_file_changes_the_recommendation(tmp_path):
    # The whole point of keeping the model as data: a reviewer edits TOML, not code.
    data = tomllib.loads(MODEL_TEXT)
    assert any(rule["id"] == "tune-for-strict-format" for rule in data["rules"])
    relaxed = MODEL_TEXT.replace(
        'constrained_output = ["fails", "unsupported"], prompt_result',
        'constrained_output = ["not-tried", "fails", "unsupported"], prompt_result',
        1,
    )
    assert relaxed != MODEL_TEXT
    answers = {
        "strict_format": "yes",
        "constrained_output": "not-tried",
        "prompt_result": "short",
        "gap_worth": "yes",
        "training_data": "reviewed",
        "maintenance": "yes",
    }
    assert evaluate(answers).approach == "few-shot"
    assert evaluate(answers, load_model(write(tmp_path, relaxed))).approach == "fine-tune"


def test_a_case_may_only_mark_its_own_answers_as_inferred(tmp_path):
    cases = write(
        tmp_path, CASES_TEXT.replace('inferred = ["needs_knowledge"', 'inferred = ["latency"', 1), "cases.toml"
    )
    with pytest.raises(ModelError, match=r"cases\[0\]\.inferred: 'latency' is not one of this case's answers"):
        load_model(cases_path=cases)
