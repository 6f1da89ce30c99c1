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
        answers, _notes = parse_pairs(pairs, MODEL)
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

    answers = {"needs_knowledge": "stable", "prompt_result": "short", "gap_worth": "no"}
    assert parse_answers_text(render_json(evaluate(answers)), "saved.json", MODEL) == (answers, [])


def test_toml_answers_are_accepted():
    text = 'needs_knowledge = "monthly"\nprompt_result = "not-tried"\n'
    assert parse_answers_text(text, "a.toml", MODEL).answers == {
        "needs_knowledge": "monthly",
        "prompt_result": "not-tried",
    }


# Answers written for model v1 (saved files, decision records' reproduce commands) are read in today's
# terms, each with a note that says what changed; answers that kept their meaning pass unchanged.
V1_SAVED = {
    "needs_knowledge": "changing",
    "strict_format": "no",
    "specialised_behaviour": "voice",
    "prompt_cost": "no",
    "prompt_result": "large-gap",
    "training_data": "yes",
    "maintenance": "yes",
}


def test_a_v1_answers_file_is_read_in_todays_terms_with_a_note_for_each_change():
    answers, notes = parse_answers_text(json.dumps({"answers": V1_SAVED}), "old.json", MODEL)
    assert answers == {
        "needs_knowledge": "weekly",
        "prompt_result": "short",
        "gap_worth": "yes",
        "training_data": "reviewed",
        "maintenance": "yes",
        "strict_format": "no",
        "specialised_behaviour": "voice",
    }  # prompt_cost "no, or not checked" said neither, so it is left open
    assert len(notes) == 4 and all(
        note.split(":")[0] in {"Knowledge", "Prompt cost", "Prompt result", "Training data"} for note in notes
    )
    assert any("left open" in note for note in notes)


def test_v1_values_on_the_command_line_are_read_too_and_todays_answer_wins():
    answers, notes = parse_pairs(["prompt_result=small-gap", "gap_worth=yes"], MODEL)
    assert answers == {"prompt_result": "short", "gap_worth": "yes"} and len(notes) == 1
    answers, notes = parse_pairs(["gap_worth=yes", "prompt_result=small-gap"], MODEL)
    assert answers == {"prompt_result": "short", "gap_worth": "yes"}


def test_current_answers_carry_no_notes():
    assert parse_pairs(["needs_knowledge=weekly", "prompt_cost=minor"], MODEL).notes == []


def test_specific_messages_name_the_field_and_the_allowed_values():
    cases = [
        ({"nope": "x"}, "answers.nope: unknown question 'nope'; known questions: needs_knowledge"),
        ({"strict_format": "maybe"}, "strict_format: 'maybe' is not allowed; allowed: no, yes"),
        ({"needs_knowledge": "daily"}, "needs_knowledge: 'daily' is not allowed; allowed: no, stable, quarterly"),
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
