"""Properties of the break-even arithmetic and of the input parser, checked with hypothesis."""

from __future__ import annotations

import dataclasses
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from decision import AnswerError
from decision.cost import CHOICES, EXAMPLES, FIELDS, CostInputs, check_inputs, compute, cost_chart, parse_number
from decision.cost.inputs import resolve

INF = math.inf
money = st.integers(0, 100_000).map(lambda cents: cents / 100)  # 0.00 .. 1,000.00
share = st.integers(0, 1000).map(lambda thousandths: thousandths / 1000)  # 0.000 .. 1.000
tokens = st.integers(0, 200_000)


@st.composite
def route(draw, side: str) -> dict:
    """One route's inputs: per-token prices (cached price at most the uncached one), or a GPU billed one way."""
    price = draw(money)
    fields = {
        f"{side}_input_price": price,
        f"{side}_cached_input_price": draw(st.integers(0, round(price * 100)).map(lambda cents: cents / 100)),
        f"{side}_output_price": draw(money),
        f"{side}_gpu_price_per_hour": 0,
        f"{side}_gpu_hours_per_month": 0,
        f"{side}_calls_per_gpu_hour": 0,
        f"{side}_route": draw(st.sampled_from(("tokens", "gpu"))),
    }
    if fields[f"{side}_route"] == "gpu":
        fields[f"{side}_gpu_price_per_hour"] = draw(money)
        if draw(st.booleans()):
            fields[f"{side}_gpu_hours_per_month"] = draw(st.integers(1, 7_300))
        else:
            fields[f"{side}_calls_per_gpu_hour"] = draw(st.integers(1, 1_000_000))
    return fields


@st.composite
def inputs(draw, base_route: str | None = None) -> CostInputs:
    prompt = draw(tokens)
    examples = draw(st.integers(0, 100_000))
    base = draw(route("base"))
    if base_route == "tokens" and base["base_route"] == "gpu":
        base = {**base, "base_route": "tokens", "base_gpu_price_per_hour": 0}
        base |= {"base_gpu_hours_per_month": 0, "base_calls_per_gpu_hour": 0}
    return CostInputs(
        calls_per_month=draw(st.integers(0, 10**10)),
        prompt_tokens=prompt,
        tuned_prompt_tokens=draw(st.integers(0, prompt)),
        output_tokens=draw(tokens),
        cached_share=draw(share),
        tuned_cached_share=draw(share),
        batch_share=draw(share),
        batch_discount=draw(share),
        **base,
        **draw(route("tuned")),
        one_off_cost=draw(money),
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


@given(inputs())
def test_drawn_inputs_are_valid(base):
    raw = dataclasses.asdict(base)
    assert check_inputs(raw) == (base, [])


@given(inputs(), share, share)
def test_a_larger_cache_share_never_makes_prompting_dearer(base, a, b):
    low, high = sorted((a, b))
    r_low = compute(dataclasses.replace(base, cached_share=low))
    r_high = compute(dataclasses.replace(base, cached_share=high))
    assert r_high.prompting_per_call <= r_low.prompting_per_call
    assert r_high.prompting_monthly <= r_low.prompting_monthly
    # and caching never makes a call dearer than the same call uncached
    assert r_low.prompting_per_call <= r_low.prompting_per_call_uncached


@given(inputs(base_route="tokens"), share, share)
def test_the_break_even_never_falls_as_the_cache_share_grows(base, a, b):
    # prompting billed per token has no fixed cost, so the fine-tune can only win above a break-even volume;
    # a larger cache share lowers prompting's cost per call and so can only push that volume up (or away)
    low, high = sorted((a, b))
    assert even(dataclasses.replace(base, cached_share=high)) >= even(dataclasses.replace(base, cached_share=low))


@given(inputs(), share, share)
def test_a_larger_cache_share_never_turns_the_answer_towards_the_fine_tune(base, a, b):
    # for every route and every volume: if the fine-tune is not cheaper with less caching, more caching
    # on the long prompt cannot make it cheaper
    low, high = sorted((a, b))
    if not compute(dataclasses.replace(base, cached_share=low)).fine_tune_cheaper:
        assert not compute(dataclasses.replace(base, cached_share=high)).fine_tune_cheaper


@given(inputs(), share, share)
def test_a_larger_tuned_cache_share_never_makes_the_fine_tune_dearer(base, a, b):
    low, high = sorted((a, b))
    r_low = compute(dataclasses.replace(base, tuned_cached_share=low))
    r_high = compute(dataclasses.replace(base, tuned_cached_share=high))
    assert r_high.tuned_per_call <= r_low.tuned_per_call and r_high.tuned_monthly <= r_low.tuned_monthly


@given(inputs(), st.integers(0, 10**10), st.integers(0, 10**10))
def test_monthly_cost_rises_with_volume(base, a, b):
    low, high = sorted((a, b))
    r_low = compute(dataclasses.replace(base, calls_per_month=low))
    r_high = compute(dataclasses.replace(base, calls_per_month=high))
    assert r_low.prompting_monthly <= r_high.prompting_monthly
    assert r_low.tuned_monthly <= r_high.tuned_monthly


@given(inputs(base_route="tokens"), st.integers(1, 100_000))
def test_break_even_falls_as_more_prompt_tokens_are_removed(base, extra):
    longer_prompt = dataclasses.replace(base, prompt_tokens=base.prompt_tokens + extra)
    assert even(longer_prompt) <= even(base)


@given(inputs(base_route="tokens"), st.integers(1, 10_000).map(lambda cents: cents / 100))
def test_break_even_rises_with_the_tuned_premium_and_the_fixed_costs(base, more):
    for name in ("tuned_input_price", "tuned_output_price", "hosting_per_month", "operations_per_month"):
        costlier = dataclasses.replace(base, **{name: getattr(base, name) + more})
        if name.startswith("tuned_"):  # keep the cached price at most the input price
            costlier = dataclasses.replace(costlier, tuned_cached_input_price=base.tuned_cached_input_price)
        assert even(costlier) >= even(base), name


@given(inputs())
def test_cheaper_exactly_on_the_fine_tune_s_side_of_the_break_even(base):
    r = compute(base)
    calls, point = base.calls_per_month, r.break_even_calls_per_month
    if r.tuned_cheaper in ("never", "always"):
        assert point is None and r.fine_tune_cheaper == (r.tuned_cheaper == "always")
    elif not math.isclose(calls, point, rel_tol=1e-9):
        assert r.fine_tune_cheaper == (calls > point if r.tuned_cheaper == "above" else calls < point)
    parts = r.tuned_inference_monthly + r.tuned_gpu_monthly + r.tuned_training_monthly
    parts += r.tuned_hosting_monthly + r.tuned_operations_monthly
    assert math.isclose(r.tuned_monthly, parts, rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(r.prompting_monthly, r.prompting_usage_monthly + r.prompting_gpu_monthly, rel_tol=1e-12)


@settings(max_examples=50)
@given(inputs())
def test_chart_is_well_formed_and_deterministic(base):
    svg = cost_chart(compute(base))
    assert svg == cost_chart(compute(base))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<title" in svg and "<desc" in svg and "nan" not in svg and "inf" not in svg


@given(st.sampled_from(FIELDS), st.text(max_size=30))
def test_any_string_either_parses_or_names_its_field(name, text):
    from decision.cost.inputs import parse_value

    try:
        value = parse_value(name, text)
    except AnswerError as error:
        assert error.field == name and error.problem
    else:
        if name in CHOICES:
            assert value in ("tokens", "gpu")
        else:
            assert math.isfinite(value) and value >= 0 and value == parse_number(name, text)


@given(st.dictionaries(st.text(max_size=12), st.one_of(st.text(max_size=12), st.floats(), st.integers()), max_size=20))
def test_any_mapping_gives_inputs_or_named_errors(raw):
    for reading in (
        resolve(raw, EXAMPLES.inputs(), None, EXAMPLES.legacy),
        resolve(raw, EXAMPLES.inputs(), EXAMPLES.default, EXAMPLES.legacy),
    ):
        assert (reading.inputs is None) == bool(reading.errors)
        normalised = {key.strip().replace("-", "_") for key in raw}
        for error in reading.errors:
            assert error.field in FIELDS or error.field in raw or error.field in normalised, error
