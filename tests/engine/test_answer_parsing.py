"""Answer parsing: arbitrary input never crashes, and every error names the field."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from decision import AnswerError, check_answers, default_model, parse_answers_text, parse_pairs
from decision.engine.answers import field_name

MODEL = default_model()
IDS = list(MODEL.question_ids)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
keys = st.sampled_from(IDS) | st.text(max_size=20)
values = st.sampled_from([v for q in MODEL.questions for v in q.values]) | json_values


def _field_is_named(error: AnswerError, candidates: set[str]) -> None:
    assert error.field in candidates, error
    assert str(error).startswith(f"{error.field}: ")
    assert "\n" not in str(error)


@settings(max_examples=400)
@given(st.dictionaries(keys, values, max_size=8))
def test_check_answers_accepts_valid_maps_and_names_the_field_otherwise(raw):
    try:
        checked = check_answers(raw, MODEL)
    except AnswerError as error:
        _field_is_named(error, {*raw, *(field_name(k) for k in raw)})
        return
    assert checked == raw
    for qid, value in checked.items():
        assert value in MODEL.question(qid).values


@settings(max_examples=400)
@given(st.lists(st.text(max_size=40) | st.builds(lambda k, v: f"{k}={v}", keys, st.text(max_size=12)), max_size=6))
def test_flag_pairs_never_crash(pairs):
    try:
        answers = parse_pairs(pairs, MODEL)
    except AnswerError as error:
        names = {"--answer"}
        for pair in pairs:
            names.add(pair.partition("=")[0].strip())
            names.add(field_name(pair.partition("=")[0].strip()))
        _field_is_named(error, names)
        return
    assert set(answers) <= set(IDS)


@settings(max_examples=300)
@given(st.text(max_size=200), st.sampled_from(["a.json", "a.toml", "answers", "-"]))
def test_answers_files_of_any_text_never_crash(text, name):
    try:
        parse_answers_text(text, name, MODEL)
    except AnswerError as error:
        assert error.field == name or error.field in IDS or error.field.startswith("answers"), error


@settings(max_examples=300)
@given(json_values)
def test_answers_files_of_any_json_never_crash(data):
    try:
        parse_answers_text(json.dumps(data), "x.json", MODEL)
    except AnswerError as error:
        assert error.field == "x.json" or error.field in IDS or error.field.startswith("answers"), error


def test_a_saved_json_result_loads_back_as_answers():
    from decision import evaluate, render_json

    answers = {"needs_knowledge": "stable", "prompt_result": "small-gap"}
    assert parse_answers_text(render_json(evaluate(answers)), "saved.json", MODEL) == answers


def test_toml_answers_are_accepted():
    text = 'needs_knowledge = "changing"\nprompt_result = "not-tried"\n'
    assert parse_answers_text(text, "a.toml", MODEL) == {"needs_knowledge": "changing", "prompt_result": "not-tried"}


def test_specific_messages_name_the_field_and_the_allowed_values():
    cases = [
        ({"nope": "x"}, "answers.nope: unknown question 'nope'; known questions: needs_knowledge"),
        ({"strict_format": "maybe"}, "strict_format: 'maybe' is not allowed; allowed: no, yes"),
        ({"strict_format": True}, "strict_format: must be one of no, yes (a string), got bool"),
    ]
    for raw, start in cases:
        try:
            check_answers(raw, MODEL)
        except AnswerError as error:
            assert str(error).startswith(start), str(error)
        else:
            raise AssertionError(f"{raw} was accepted")


def test_conflicting_flags_are_refused():
    try:
        parse_pairs(["strict_format=yes", "strict_format=no"], MODEL)
    except AnswerError as error:
        assert error.field == "strict_format" and "twice" in error.problem
    else:
        raise AssertionError("conflict accepted")
