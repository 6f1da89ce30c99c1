"""Properties of the break-even arithmetic and of the input parser, checked with hypothesis."""

from __future__ import annotations

import dataclasses
import json
import math
from urllib.parse import unquote_plus

from hypothesis import example, given, settings
from hypothesis import strategies as st

from decision import AnswerError
from decision.cost import FIELDS, CostInputs, check_inputs, compute, cost_chart, parse_number
from decision.web import calculator_response

INF = math.inf
money = st.integers(0, 100_000).map(lambda cents: cents / 100)  # 0.00 .. 1,000.00
tokens = st.integers(0, 200_000)


@st.composite
def inputs(draw) -> CostInputs:
    prompt = draw(tokens)
    examples = draw(st.integers(0, 100_000))
    return CostInputs(
        calls_per_month=draw(st.integers(0, 10**10)),
        prompt_tokens=prompt,
        tuned_prompt_tokens=draw(st.integers(0, prompt)),
        output_tokens=draw(tokens),
        base_input_price=draw(money),
        base_output_price=draw(money),
        tuned_input_price=draw(money),
        tuned_output_price=draw(money),
        training_examples=examples,
        tokens_per_example=draw(st.integers(1 if examples else 0, 20_000)),
        epochs=draw(st.integers(1 if examples else 0, 20)),
        training_price=draw(money),
        retrains_per_year=draw(st.integers(1 if examples else 0, 52)),
        hosting_per_month=draw(money),
        operations_per_month=draw(money),
    )


def even(inputs: CostInputs) -> float:
    value = compute(inputs).break_even_calls_per_month
    return INF if value is None else value


@given(inputs(), st.integers(0, 10**10), st.integers(0, 10**10))
def test_monthly_cost_rises_with_volume(base, a, b):
    low, high = sorted((a, b))
    r_low = compute(dataclasses.replace(base, calls_per_month=low))
    r_high = compute(dataclasses.replace(base, calls_per_month=high))
    assert r_low.prompting_monthly <= r_high.prompting_monthly
    assert r_low.tuned_monthly <= r_high.tuned_monthly
    if high > low and base.prompt_tokens and base.base_input_price:
        assert r_low.prompting_monthly < r_high.prompting_monthly


@given(inputs(), st.integers(1, 100_000))
def test_break_even_falls_as_more_prompt_tokens_are_removed(base, extra):
    longer_prompt = dataclasses.replace(base, prompt_tokens=base.prompt_tokens + extra)
    assert even(longer_prompt) <= even(base)
    if base.tuned_prompt_tokens:
        shorter_tuned = dataclasses.replace(base, tuned_prompt_tokens=base.tuned_prompt_tokens - 1)
        assert even(shorter_tuned) <= even(base)


@given(inputs(), st.integers(1, 10_000).map(lambda cents: cents / 100))
def test_break_even_rises_with_the_tuned_premium_and_the_hosting_fee(base, more):
    for name in ("tuned_input_price", "tuned_output_price", "hosting_per_month", "operations_per_month"):
        costlier = dataclasses.replace(base, **{name: getattr(base, name) + more})
        assert even(costlier) >= even(base), name


@given(inputs())
def test_cheaper_exactly_above_break_even(base):
    r = compute(base)
    if r.break_even_calls_per_month is None:
        assert not r.fine_tune_cheaper
    else:
        assert r.fine_tune_cheaper == (base.calls_per_month > r.break_even_calls_per_month) or math.isclose(
            base.calls_per_month, r.break_even_calls_per_month
        )
    assert r.tuned_monthly == (
        r.tuned_inference_monthly + r.tuned_training_monthly + r.tuned_hosting_monthly + r.tuned_operations_monthly
    ) or math.isclose(
        r.tuned_monthly,
        r.tuned_inference_monthly + r.tuned_training_monthly + r.tuned_hosting_monthly + r.tuned_operations_monthly,
    )


@settings(max_examples=50)
@given(inputs())
def test_chart_is_well_formed_and_deterministic(base):
    svg = cost_chart(compute(base))
    assert svg == cost_chart(compute(base))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<title" in svg and "<desc" in svg and "nan" not in svg and "inf" not in svg


@given(st.sampled_from(FIELDS), st.text(max_size=30))
def test_any_string_either_parses_or_names_its_field(name, text):
    try:
        value = parse_number(name, text)
    except AnswerError as error:
        assert error.field == name and error.problem
    else:
        assert math.isfinite(value) and value >= 0


@given(st.dictionaries(st.text(max_size=12), st.one_of(st.text(max_size=12), st.floats(), st.integers()), max_size=20))
def test_any_mapping_gives_inputs_or_named_errors(raw):
    result, errors = check_inputs(raw)
    assert (result is None) == bool(errors)
    normalised = {key.strip().replace("-", "_") for key in raw}
    for error in errors:
        assert error.field in FIELDS or error.field in raw or error.field in normalised, error


@given(st.text(max_size=80) | st.lists(st.sampled_from(["epochs", "x-y", "=", "&", "1", "%zz", "+", "#"])).map("".join))
@example("a-b=1&a_b=2")
@example("epochs=1&epochs=2")
@example("=1")
def test_any_fragment_gives_json_with_named_errors(fragment):
    data = json.loads(calculator_response(fragment, defaults=None))
    if data["ok"]:
        return
    text = unquote_plus(fragment).replace("-", "_")
    for error in data["errors"]:
        assert error["field"] in FIELDS or error["field"] == "fragment" or error["field"] in text, error
        assert error["message"].startswith(error["field"] + ": ")
