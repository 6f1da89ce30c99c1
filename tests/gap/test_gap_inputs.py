"""Reading gap inputs: every mistake is an AnswerError naming the field and what is allowed; hostile
fragments never get further than an error."""

from __future__ import annotations

import json

import pytest
from hostile_inputs import CALCULATOR, QUESTIONNAIRE
from hypothesis import given
from hypothesis import strategies as st

from decision._errors import AnswerError
from decision.gap import CALCULATIONS, check_gap_inputs, load_gap_inputs_text, parse_gap_inputs, read_gap_fragment

PLAN = {"baseline_accuracy": "91%", "candidate_accuracy": "0.93"}


def test_percentages_and_proportions_read_the_same():
    inputs = parse_gap_inputs("plan", PLAN)
    assert inputs["baseline_accuracy"] == 0.91 and inputs["candidate_accuracy"] == 0.93
    assert parse_gap_inputs("plan", {**PLAN, "alpha": "1%", "power": "90%"})["alpha"] == 0.01
    assert (
        parse_gap_inputs("plan", {"baseline-accuracy": "12.3%", "candidate_accuracy": 0.2})["baseline_accuracy"]
        == 0.123
    )


def test_alpha_and_power_take_the_conventional_defaults():
    inputs = parse_gap_inputs("plan", PLAN)
    assert (inputs["alpha"], inputs["power"], inputs["discordant"]) == (0.05, 0.8, None)


def test_counts_are_whole_numbers_with_or_without_separators():
    inputs = parse_gap_inputs("bar", {"correct": "2,628", "items": 2888.0, "bar": "0.9"})
    assert (inputs["correct"], inputs["items"]) == (2628, 2888)
    assert isinstance(inputs["items"], int)


@pytest.mark.parametrize(
    ("calculation", "raw", "field", "says"),
    [
        ("plan", {**PLAN, "baseline_accuracy": "91"}, "baseline_accuracy", "needs the % sign"),
        ("plan", {**PLAN, "candidate_accuracy": "1.5"}, "candidate_accuracy", "from 0 to 1"),
        ("plan", {**PLAN, "candidate_accuracy": "ninety"}, "candidate_accuracy", "must be a number"),
        ("plan", {**PLAN, "candidate_accuracy": "91%"}, "candidate_accuracy", "must differ"),
        ("plan", {**PLAN, "alpha": "0.7"}, "alpha", "from 0.0001 to 0.5"),
        ("plan", {**PLAN, "power": "0.3"}, "power", "from 0.5 to 0.9999"),
        ("plan", {**PLAN, "power": True}, "power", "must be a number"),
        ("plan", {**PLAN, "discordant": "0.01"}, "discordant", "from 0.02"),
        ("plan", {**PLAN, "discordant": "0.5"}, "discordant", "at most what both"),
        ("plan", {**PLAN, "speed": "1"}, "speed", "not an input of plan"),
        ("plan", {"baseline_accuracy": "0.9"}, "candidate_accuracy", "missing"),
        ("plan", {**PLAN, "alpha": float("nan")}, "alpha", "finite"),
        ("bar", {"correct": 101, "items": 100, "bar": 0.9}, "correct", "cannot exceed items"),
        ("bar", {"correct": 0, "items": 0, "bar": 0.9}, "items", "at least 1"),
        ("bar", {"correct": 1.5, "items": 10, "bar": 0.9}, "correct", "whole number"),
        ("bar", {"correct": -1, "items": 10, "bar": 0.9}, "correct", "whole number"),
        ("bar", {"correct": 1, "items": 10_000_000, "bar": 0.9}, "items", "at most 1,000,000"),
        ("bar", {"correct": 1, "items": 10, "bar": 1}, "bar", "strictly between 0 and 1"),
        ("bar", {"correct": 1, "items": 10, "bar": 0.9, "calls_per_month": 5}, "cost_per_error", "go together"),
        (
            "paired",
            {"both_right": 0, "only_baseline_right": 0, "only_candidate_right": 0, "both_wrong": 0},
            "both_right",
            "add up to 0",
        ),
        (
            "independent",
            {"baseline_correct": 5, "baseline_items": 4, "candidate_correct": 1, "candidate_items": 2},
            "baseline_correct",
            "cannot exceed baseline_items",
        ),
        (
            "cost",
            {"calls_per_month": -1, "cost_per_error": 1, "baseline_accuracy": 0.9, "extra_monthly_cost": 1},
            "calls_per_month",
            "cannot be negative",
        ),
        (
            "cost",
            {"calls_per_month": 1, "cost_per_error": 1, "baseline_accuracy": 0.9, "extra_monthly_cost": 1e13},
            "extra_monthly_cost",
            "at most",
        ),
        (
            "cost",
            {"calls_per_month": 1, "cost_per_error": "1e999", "baseline_accuracy": 0.9, "extra_monthly_cost": 1},
            "cost_per_error",
            "finite",
        ),
    ],
)
def test_a_mistake_names_its_field_and_what_is_allowed(calculation, raw, field, says):
    with pytest.raises(AnswerError) as caught:
        parse_gap_inputs(calculation, raw)
    assert caught.value.field == field
    assert says in caught.value.problem


def test_a_form_gets_every_problem_at_once():
    inputs, errors = check_gap_inputs("bar", {"correct": "x", "items": -1, "bar": "200%", "alpha": "9"})
    assert inputs is None
    assert [e.field for e in errors] == ["correct", "items", "bar", "alpha"]


def test_negative_extra_cost_is_allowed_where_it_means_tuning_is_cheaper():
    inputs = parse_gap_inputs(
        "cost", {"calls_per_month": 1000, "cost_per_error": 1, "baseline_accuracy": 0.9, "extra_monthly_cost": "-50"}
    )
    assert inputs["extra_monthly_cost"] == -50


def test_an_unknown_calculation_is_refused():
    with pytest.raises(AnswerError, match="calculation: must be one of bar, paired, independent, plan, cost"):
        parse_gap_inputs("power", PLAN)


def test_a_saved_json_result_loads_back():
    from decision.gap import compute_gap, gap_json

    result = compute_gap(parse_gap_inputs("plan", PLAN))
    raw = load_gap_inputs_text(gap_json(result), "saved.json")
    assert parse_gap_inputs("plan", raw) == result.inputs


def test_files_name_themselves_when_broken():
    with pytest.raises(AnswerError, match=r"^inputs\.toml: not valid TOML"):
        load_gap_inputs_text("baseline_accuracy = ", "inputs.toml")


# -- URL fragments


def test_a_fragment_reads_the_calculation_and_the_inputs():
    calculation, pairs = read_gap_fragment("#calculation=plan&baseline_accuracy=91%25&candidate-accuracy=0.93")
    assert calculation == "plan"
    assert pairs == {"baseline_accuracy": "91%", "candidate_accuracy": "0.93"}
    assert parse_gap_inputs(calculation, pairs)["baseline_accuracy"] == 0.91


@pytest.mark.parametrize(
    ("fragment", "field"),
    [
        ("calculation=rm%20-rf", "calculation"),
        ("baseline_accuracy=1&baseline_accuracy=2", "baseline_accuracy"),
        ("<script>=1", "fragment"),
        ("baseline_accuracy=0." + "1" * 5000, "fragment"),  # well formed, but longer than any share link
        ("&".join(f"k{i}=1" for i in range(41)), "fragment"),
        ("x=%ff", "fragment"),
        ("novalue", "fragment"),
    ],
    ids=lambda value: value[:40],
)
def test_a_bad_fragment_names_what_is_wrong(fragment, field):
    with pytest.raises(AnswerError) as caught:
        read_gap_fragment(fragment)
    assert caught.value.field == field


HOSTILE = [
    *QUESTIONNAIRE,
    *CALCULATOR,
    "calculation=plan&baseline_accuracy=<script>alert(1)</script>&candidate_accuracy=0.9",
    "calculation=bar&correct=1e400&items=NaN&bar=Infinity",
    "calculation=bar&correct=-0&items=1&bar=0.5%25%25",
    "calculation=paired&both_right=0x10&only_baseline_right=1_000&only_candidate_right=%E2%80%AE1&both_wrong=１",
    "calculation=plan&baseline_accuracy=" + "9" * 400 + "&candidate_accuracy=0.5",
    "calculation=cost&calls_per_month=1&cost_per_error=1&baseline_accuracy=.5&extra_monthly_cost=--1",
    "calculation=__proto__",
    "calculation=plan&__proto__=1",
]


@pytest.mark.parametrize("fragment", HOSTILE, ids=lambda value: value[:40])
def test_hostile_fragments_end_in_a_named_error_or_a_checked_input(fragment):
    try:
        calculation, pairs = read_gap_fragment(fragment)
        inputs, errors = check_gap_inputs(calculation or "plan", pairs)
    except AnswerError as error:
        errors, inputs = [error], None
    if inputs is None:
        assert errors
        for error in errors:
            assert "<" not in error.field and len(error.field) <= 60  # a field name is plain or escaped and short
            json.dumps({"field": error.field, "message": str(error)})  # always serialisable
    else:  # only a harmless, fully checked set of numbers gets through
        assert all(value is None or isinstance(value, int | float) for value in inputs.values.values())


@given(st.text(max_size=300))
def test_any_text_as_a_fragment_is_an_error_or_pairs_of_text(text):
    try:
        calculation, pairs = read_gap_fragment(text)
    except AnswerError as error:
        assert error.field
        return
    assert calculation is None or calculation in CALCULATIONS
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in pairs.items())


@given(st.dictionaries(st.text(max_size=20), st.one_of(st.text(max_size=20), st.floats(), st.integers(), st.none())))
def test_any_table_is_checked_without_a_traceback(raw):
    for calculation in CALCULATIONS:
        inputs, errors = check_gap_inputs(calculation, raw)
        assert (inputs is None) == bool(errors)
