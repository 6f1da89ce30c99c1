"""The break-even arithmetic against cases worked out by hand, plus input validation."""

from __future__ import annotations

import dataclasses
import json

import pytest

from decision import AnswerError
from decision.cost import (
    EXAMPLE,
    EXAMPLE_SOURCES,
    FIELDS,
    CostInputs,
    check_inputs,
    compute,
    formula_markdown,
    parse_fragment,
    parse_inputs,
    parse_inputs_text,
    parse_number,
    prompt_cost_answer,
    to_dict,
)
from decision.cost.render import FORMULA
from decision.web import calculator_response

# Round numbers that make the arithmetic easy to follow.
SIMPLE = CostInputs(
    calls_per_month=1_000_000,
    prompt_tokens=1_000,
    tuned_prompt_tokens=200,
    output_tokens=100,
    base_input_price=1,
    base_output_price=2,
    tuned_input_price=1,
    tuned_output_price=2,
    training_examples=100,
    tokens_per_example=1_000,
    epochs=2,
    training_price=5,
    retrains_per_year=12,
    hosting_per_month=10,
    operations_per_month=0,
)


def test_simple_case_by_hand():
    r = compute(SIMPLE)
    # prompting per call = (1000 × 1 + 100 × 2) / 1e6 = 0.0012
    assert r.prompting_per_call == pytest.approx(0.0012, rel=1e-15)
    # tuned per call = (200 × 1 + 100 × 2) / 1e6 = 0.0004; saving = 0.0008
    assert r.tuned_per_call == pytest.approx(0.0004, rel=1e-15)
    assert r.saving_per_call == pytest.approx(0.0008, rel=1e-15)
    # one run = 100 × 1000 × 2 × 5 / 1e6 = $1; twelve runs a year -> $1 a month
    assert r.training_run == 1.0
    assert r.tuned_training_monthly == 1.0
    # monthly: prompting 1e6 × 0.0012 = 1200; tuned 1e6 × 0.0004 + 1 + 10 + 0 = 411
    assert r.prompting_monthly == 1200.0
    assert r.tuned_inference_monthly == 400.0
    assert (r.tuned_hosting_monthly, r.tuned_operations_monthly) == (10.0, 0.0)
    assert r.tuned_monthly == 411.0
    # break-even = fixed 11 / saving 0.0008 = 13,750 calls a month
    assert r.break_even_calls_per_month == 13_750.0
    # payback of the first run = $1 / (1e6 × 0.0008 − 10 − 0) = 1/790 month
    assert r.payback_months == pytest.approx(1 / 790, rel=1e-15)
    assert r.fine_tune_cheaper and prompt_cost_answer(r) == "yes"
    assert "Fine-tuning is cheaper at 1,000,000 calls a month" in r.verdict
    assert "13,750" in r.verdict


def test_training_is_amortised_over_runs_per_year_counting_the_first():
    # one run a year: $1 / 12 a month; quarterly: 4 × $1 / 12; every two years: 0.5 × $1 / 12
    for runs, monthly in ((1, 1 / 12), (4, 4 / 12), (0.5, 0.5 / 12)):
        r = compute(dataclasses.replace(SIMPLE, retrains_per_year=runs))
        assert r.tuned_training_monthly == pytest.approx(monthly, rel=1e-15)


@pytest.mark.parametrize(
    ("calls", "cheaper"),
    [(13_749, False), (13_750, False), (13_751, True)],
)
def test_exact_break_even_boundary(calls, cheaper):
    # 13,750 × 0.0012 = 16.5 = 13,750 × 0.0004 + 11: equal costs are not "cheaper"
    r = compute(dataclasses.replace(SIMPLE, calls_per_month=calls))
    assert r.fine_tune_cheaper is cheaper
    assert prompt_cost_answer(r) == ("yes" if cheaper else "no")
    if calls == 13_750:
        assert r.prompting_monthly == r.tuned_monthly == 16.5
        assert "break-even point" in r.verdict


def test_boundary_is_exact_with_decimal_prices():
    # saving = 2000 × 0.15 / 1e6 = 0.0003 a call; fixed = $300 hosting; break-even = 1,000,000 exactly.
    # In binary floats 0.15 × 2000 / 1e6 is not 0.0003, which would tip the comparison either way.
    inputs = dataclasses.replace(
        SIMPLE,
        prompt_tokens=2000,
        tuned_prompt_tokens=0,
        output_tokens=0,
        base_input_price=0.15,
        tuned_input_price=0.30,
        training_examples=0,
        hosting_per_month=300,
        calls_per_month=1_000_000,
    )
    r = compute(inputs)
    assert r.break_even_calls_per_month == 1_000_000.0
    assert r.prompting_monthly == r.tuned_monthly == 300.0
    assert not r.fine_tune_cheaper
    assert compute(dataclasses.replace(inputs, calls_per_month=1_000_001)).fine_tune_cheaper


def test_never_when_the_tuned_premium_eats_the_saving():
    # prompting: 1000 × 0.15 / 1e6 = 0.00015; tuned: 500 × 0.30 / 1e6 = 0.00015: saving 0 -> never
    even = dataclasses.replace(
        SIMPLE,
        prompt_tokens=1000,
        tuned_prompt_tokens=500,
        output_tokens=0,
        base_input_price=0.15,
        tuned_input_price=0.3,
    )
    r = compute(even)
    assert r.saving_per_call == 0.0
    assert r.break_even_calls_per_month is None and r.payback_months is None
    assert not r.fine_tune_cheaper and prompt_cost_answer(r) == "no"
    assert r.verdict.startswith("Prompting stays cheaper at any volume")
    # a tuned output price of 2.5 instead of 2 costs 100 × 0.5 / 1e6 more per call than it saves on input
    worse = compute(dataclasses.replace(even, output_tokens=100, tuned_output_price=2.5))
    assert worse.saving_per_call == pytest.approx(-0.00005, rel=1e-12)
    assert worse.break_even_calls_per_month is None
    assert to_dict(worse)["break_even_calls_per_month"] is None


def test_no_fixed_costs_means_cheaper_from_the_first_call():
    free = dataclasses.replace(SIMPLE, training_examples=0, hosting_per_month=0)
    r = compute(free)
    assert r.break_even_calls_per_month == 0.0 and r.payback_months == 0.0
    assert not compute(dataclasses.replace(free, calls_per_month=0)).fine_tune_cheaper  # 0 = 0: not cheaper


def test_payback_never_when_hosting_and_operations_eat_the_saving():
    # monthly gain = 1e6 × 0.0008 − 10 − 790 = 0 -> the first run never pays back
    r = compute(dataclasses.replace(SIMPLE, operations_per_month=790))
    assert r.payback_months is None and not r.fine_tune_cheaper


def test_worked_example():
    # gpt-4o-mini, Nov 2024: prompting (2000 × 0.15 + 200 × 0.60) / 1e6 = 0.00042 a call -> $420 a month
    # tuned (300 × 0.30 + 200 × 1.20) / 1e6 = 0.00033 a call -> $330 a month, saving 0.00009 a call
    # one run 1000 × 500 × 3 × 3.00 / 1e6 = $4.50; quarterly -> $1.50 a month; + $0 hosting + $500 operations
    # break-even = 501.5 / 0.00009 = 5,572,222.2 calls a month
    r = compute(EXAMPLE)
    assert (r.prompting_monthly, r.tuned_inference_monthly, r.tuned_training_monthly) == (420.0, 330.0, 1.5)
    assert r.tuned_monthly == 831.5 and r.training_run == 4.5
    assert r.break_even_calls_per_month == pytest.approx(50_150_000 / 9, rel=1e-15)
    assert r.payback_months is None  # 1e6 × 0.00009 = $90 a month cannot cover $500 of operations
    assert prompt_cost_answer(r) == "no"
    assert "5,572,222" in r.verdict and "5.6 times your volume" in r.verdict


def test_every_example_value_has_a_source_and_every_price_a_date():
    assert set(EXAMPLE_SOURCES) == set(FIELDS)
    for name in FIELDS:
        if name.endswith("_price"):
            assert "gpt-4o-mini" in EXAMPLE_SOURCES[name] and "Nov 2024" in EXAMPLE_SOURCES[name]


def test_every_field_has_label_unit_and_help():
    for item in dataclasses.fields(CostInputs):
        assert {"label", "unit", "help"} <= set(item.metadata), item.name
        assert all(item.metadata[key] for key in ("label", "unit", "help"))


def test_the_formula_text_names_every_input():
    for name in FIELDS:
        assert name in FORMULA, name
    assert FORMULA in formula_markdown()


# -- validation


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("-1", "cannot be negative"),
        (-1, "cannot be negative"),
        ("nan", "finite"),
        ("inf", "finite"),
        (float("-inf"), "finite"),
        ("1e400", "finite"),
        (10**400, "at most"),
        ("abc", "must be a number"),
        ("", "must be a number"),
        ("1,5", "must be a number"),
        (True, "must be a number"),
        (None, "must be a number"),
        ([1], "must be a number"),
        ("1e-9", "at least"),
        ("2e12", "at most"),
    ],
)
def test_bad_values_name_the_field(raw, problem):
    with pytest.raises(AnswerError) as caught:
        parse_number("calls_per_month", raw)
    assert caught.value.field == "calls_per_month"
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1000", 1000.0), (" 1e3 ", 1000.0), ("1,000,000", 1e6), ("1_000", 1000.0), (2.5, 2.5), ("-0", 0.0)],
)
def test_good_values(raw, value):
    assert parse_number("calls_per_month", raw) == value


def test_whole_number_fields():
    with pytest.raises(AnswerError, match=r"^epochs: must be a whole number"):
        parse_number("epochs", "2.5")
    assert parse_number("training_examples", "1000.0") == 1000.0


def _example_with(**changes) -> dict:
    return {**dataclasses.asdict(EXAMPLE), **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tuned_prompt_tokens": 2001}, "tuned_prompt_tokens"),
        ({"epochs": 0}, "epochs"),
        ({"tokens_per_example": 0}, "tokens_per_example"),
        ({"retrains_per_year": 0}, "retrains_per_year"),
        ({"retrains_per_year": 400}, "retrains_per_year"),
    ],
)
def test_absurd_combinations_name_the_field(changes, field):
    with pytest.raises(AnswerError) as caught:
        parse_inputs(_example_with(**changes))
    assert caught.value.field == field


def test_zero_epochs_are_fine_without_training_examples():
    assert parse_inputs(_example_with(training_examples=0, epochs=0, retrains_per_year=0)).epochs == 0


def test_missing_and_unknown_inputs():
    raw = _example_with()
    del raw["epochs"]
    with pytest.raises(AnswerError, match=r"^epochs: missing$"):
        parse_inputs(raw)
    assert parse_inputs(raw, defaults=EXAMPLE) == EXAMPLE
    with pytest.raises(AnswerError) as caught:
        parse_inputs({**_example_with(), "callz": 1})
    assert caught.value.field == "callz" and "known inputs" in caught.value.problem
    with pytest.raises(AnswerError, match=r"^prompt_tokens: missing, and 13 more"):
        parse_inputs({"calls_per_month": 1})
    with pytest.raises(AnswerError, match=r"^inputs: must be a table"):
        parse_inputs([1, 2])


def test_check_inputs_lists_every_problem():
    inputs, errors = check_inputs({"calls_per_month": "-1", "epochs": "x", "bogus": "1"}, defaults=EXAMPLE)
    assert inputs is None
    assert [e.field for e in errors] == ["bogus", "calls_per_month", "epochs"]


def test_kebab_case_keys_and_saved_results_are_accepted():
    kebab = {name.replace("_", "-"): value for name, value in dataclasses.asdict(EXAMPLE).items()}
    assert parse_inputs(kebab) == EXAMPLE
    saved = json.loads(calculator_response(_fragment(EXAMPLE)))
    assert parse_inputs(saved) == EXAMPLE  # a saved JSON result loads again through its "inputs"


def test_files_in_json_and_toml():
    toml = "\n".join(f"{name} = {value!r}" for name, value in dataclasses.asdict(EXAMPLE).items())
    assert parse_inputs_text(toml, "inputs.toml") == EXAMPLE
    assert parse_inputs_text(json.dumps(dataclasses.asdict(EXAMPLE)), "inputs.json") == EXAMPLE
    with pytest.raises(AnswerError, match=r"^inputs.json: not valid JSON"):
        parse_inputs_text("{", "inputs.json")
    with pytest.raises(AnswerError, match=r"^x: not valid JSON: .*; not valid TOML"):
        parse_inputs_text("[", "x")
    with pytest.raises(AnswerError, match=r"^x: must hold a table"):
        parse_inputs_text("[1]", "x")


# -- fragments and the browser helper


def _fragment(inputs: CostInputs) -> str:
    return "&".join(f"{name}={getattr(inputs, name)!r}" for name in FIELDS)


def test_fragment_parsing():
    assert parse_fragment("#a=1&b=%20two+three&&") == {"a": "1", "b": " two three"}
    with pytest.raises(AnswerError, match=r"^fragment: expected name=value"):
        parse_fragment("calls_per_month")
    with pytest.raises(AnswerError, match=r"^epochs: given twice"):
        parse_fragment("epochs=1&epochs=2")


def test_json_rounds_and_is_stable():
    data = to_dict(compute(EXAMPLE))
    assert data["break_even_calls_per_month"] == round(50_150_000 / 9, 9)
    assert list(data["inputs"]) == list(FIELDS)
    assert data["per_call"] == {"prompting": 0.00042, "fine_tuned": 0.00033, "saving": 0.00009}
