"""The break-even arithmetic against cases worked out by hand, plus input validation."""

from __future__ import annotations

import dataclasses
import json

import pytest

from decision import AnswerError
from decision.cost import (
    EXAMPLE,
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

# Round numbers that make the arithmetic easy to follow: both routes per token, nothing cached or batched.
SIMPLE = CostInputs(
    calls_per_month=1_000_000,
    prompt_tokens=1_000,
    tuned_prompt_tokens=200,
    output_tokens=100,
    cached_share=0,
    tuned_cached_share=0,
    batch_share=0,
    batch_discount=0,
    base_route="tokens",
    base_input_price=1,
    base_cached_input_price=1,
    base_output_price=2,
    base_gpu_price_per_hour=0,
    base_gpu_hours_per_month=0,
    base_calls_per_gpu_hour=0,
    tuned_route="tokens",
    tuned_input_price=1,
    tuned_cached_input_price=1,
    tuned_output_price=2,
    tuned_gpu_price_per_hour=0,
    tuned_gpu_hours_per_month=0,
    tuned_calls_per_gpu_hour=0,
    one_off_cost=0,
    training_examples=100,
    tokens_per_example=1_000,
    epochs=2,
    training_price=5,
    retrains_per_year=12,
    hosting_per_month=10,
    operations_per_month=0,
)

# The calculator's first example (gpt-4o-mini, 2024 list prices), as the first cost model read it.
GPT_4O_MINI_2024 = dataclasses.replace(
    SIMPLE,
    prompt_tokens=2_000,
    tuned_prompt_tokens=300,
    output_tokens=200,
    base_input_price=0.15,
    base_cached_input_price=0.075,
    base_output_price=0.60,
    tuned_input_price=0.30,
    tuned_cached_input_price=0.15,
    tuned_output_price=1.20,
    training_examples=1_000,
    tokens_per_example=500,
    epochs=3,
    training_price=3.00,
    retrains_per_year=4,
    hosting_per_month=0,
    operations_per_month=500,
)


def test_simple_case_by_hand():
    r = compute(SIMPLE)
    # prompting per call = (1000 × 1 + 100 × 2) / 1e6 = 0.0012
    assert r.prompting_per_call == pytest.approx(0.0012, rel=1e-15)
    # tuned per call = (200 × 1 + 100 × 2) / 1e6 = 0.0004; saving = 0.0008
    assert r.tuned_per_call == pytest.approx(0.0004, rel=1e-15)
    assert r.saving_per_call == pytest.approx(0.0008, rel=1e-15)
    # nothing is cached: the figures without caching are the same
    assert (r.prompting_per_call_uncached, r.tuned_per_call_uncached) == (r.prompting_per_call, r.tuned_per_call)
    # one run = 100 × 1000 × 2 × 5 / 1e6 = $1; twelve runs a year -> $1 a month
    assert r.training_run == 1.0
    assert r.tuned_training_monthly == 1.0
    # monthly: prompting 1e6 × 0.0012 = 1200; tuned 1e6 × 0.0004 + 1 + 10 + 0 = 411
    assert r.prompting_monthly == 1200.0
    assert r.tuned_inference_monthly == 400.0
    assert (r.tuned_hosting_monthly, r.tuned_operations_monthly, r.tuned_gpu_monthly) == (10.0, 0.0, 0.0)
    assert r.tuned_monthly == 411.0
    # break-even = fixed 11 / saving 0.0008 = 13,750 calls a month, tuned cheaper above it
    assert r.break_even_calls_per_month == 13_750.0 and r.tuned_cheaper == "above"
    assert r.break_even_uncached == 13_750.0
    # payback of the first run = $1 / (1e6 × 0.0008 − 10 − 0) = 1/790 month
    assert r.payback_months == pytest.approx(1 / 790, rel=1e-15)
    assert r.fine_tune_cheaper and prompt_cost_answer(r) == "with-caching"
    assert "Fine-tuning is cheaper at 1,000,000 calls a month" in r.verdict
    assert "13,750" in r.verdict and "Without prompt caching" not in r.verdict


def test_training_is_amortised_over_runs_per_year_counting_the_first():
    # one run a year: $1 / 12 a month; quarterly: 4 × $1 / 12; every two years: 0.5 × $1 / 12
    for runs, monthly in ((1, 1 / 12), (4, 4 / 12), (0.5, 0.5 / 12)):
        r = compute(dataclasses.replace(SIMPLE, retrains_per_year=runs))
        assert r.tuned_training_monthly == pytest.approx(monthly, rel=1e-15)


@pytest.mark.parametrize(("calls", "cheaper"), [(13_749, False), (13_750, False), (13_751, True)])
def test_exact_break_even_boundary(calls, cheaper):
    # 13,750 × 0.0012 = 16.5 = 13,750 × 0.0004 + 11: equal costs are not "cheaper"
    r = compute(dataclasses.replace(SIMPLE, calls_per_month=calls))
    assert r.fine_tune_cheaper is cheaper
    assert prompt_cost_answer(r) == ("with-caching" if cheaper else "minor")
    if calls == 13_750:
        assert r.prompting_monthly == r.tuned_monthly == 16.5
        assert "break-even point" in r.verdict
        assert to_dict(r)["cheaper_route"] == "equal"


def test_boundary_is_exact_with_decimal_prices():
    # saving = 2000 × 0.15 / 1e6 = 0.0003 a call; fixed = $300 hosting; break-even = 1,000,000 exactly.
    # In binary floats 0.15 × 2000 / 1e6 is not 0.0003, which would tip the comparison either way.
    inputs = dataclasses.replace(
        SIMPLE,
        prompt_tokens=2000,
        tuned_prompt_tokens=0,
        output_tokens=0,
        base_input_price=0.15,
        base_cached_input_price=0.15,
        tuned_input_price=0.30,
        tuned_cached_input_price=0.30,
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
        base_cached_input_price=0.15,
        tuned_input_price=0.3,
        tuned_cached_input_price=0.3,
    )
    r = compute(even)
    assert r.saving_per_call == 0.0
    assert r.break_even_calls_per_month is None and r.tuned_cheaper == "never" and r.payback_months is None
    assert not r.fine_tune_cheaper and prompt_cost_answer(r) == "minor"
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


def test_one_off_cost_counts_in_the_payback_only():
    # upfront = one-off $789 + first run $1 = $790; monthly gain 1e6 × 0.0008 − 10 = $790 -> 1 month
    r = compute(dataclasses.replace(SIMPLE, one_off_cost=789))
    assert r.upfront == 790.0 and r.payback_months == 1.0
    assert (r.tuned_monthly, r.break_even_calls_per_month) == (411.0, 13_750.0)  # monthly figures unchanged


# -- prompt caching, batch work and GPU routes


def test_the_first_example_without_caching_still_breaks_even_at_5_57_million():
    # prompting (2000 × 0.15 + 200 × 0.60) / 1e6 = 0.00042 a call; tuned (300 × 0.30 + 200 × 1.20) / 1e6 = 0.00033
    # one run 1000 × 500 × 3 × 3.00 / 1e6 = $4.50; quarterly -> $1.50 a month; + $500 operations = $501.50
    # break-even = 501.5 / 0.00009 = 5,572,222.2 calls a month
    r = compute(GPT_4O_MINI_2024)
    assert (r.prompting_monthly, r.tuned_inference_monthly, r.tuned_training_monthly) == (420.0, 330.0, 1.5)
    assert r.break_even_calls_per_month == pytest.approx(50_150_000 / 9, rel=1e-15)
    assert r.payback_months is None  # 1e6 × 0.00009 = $90 a month cannot cover $500 of operations
    assert "5,572,222" in r.verdict and "5.6 times your volume" in r.verdict


def test_caching_the_few_shot_prefix_removes_the_break_even():
    # The figures: 1,792 of the 2,000 prompt tokens (whole 128-token steps of the 1,800-token prefix)
    # at the cached price of $0.075: (208 × 0.15 + 1792 × 0.075 + 200 × 0.60) / 1e6
    #   = (31.2 + 134.4 + 120) / 1e6 = 0.0002856 a call, against 0.00033 for the tuned model
    # (300 tokens is below the 1,024-token caching minimum, so nothing of the tuned prompt is cached):
    # the saving is negative, so the fine-tune never breaks even.
    cached = dataclasses.replace(GPT_4O_MINI_2024, cached_share=0.896)
    r = compute(cached)
    assert r.prompting_per_call == pytest.approx(0.0002856, rel=1e-12)
    assert r.tuned_per_call == pytest.approx(0.00033, rel=1e-12)
    assert r.saving_per_call == pytest.approx(-0.0000444, rel=1e-9)
    assert r.break_even_calls_per_month is None and r.tuned_cheaper == "never"
    # without caching the same inputs break even at 5,572,222 calls a month, and the verdict says so
    assert r.prompting_per_call_uncached == pytest.approx(0.00042, rel=1e-12)
    assert r.break_even_uncached == pytest.approx(50_150_000 / 9, rel=1e-15)
    assert r.verdict.startswith("Prompting stays cheaper at any volume")
    assert "Without prompt caching the fine-tune would break even at 5,572,222 calls a month" in r.verdict
    data = to_dict(r)
    assert data["per_call"]["prompting"] == 0.0002856 and data["per_call"]["prompting_without_caching"] == 0.00042
    assert data["break_even_calls_per_month"] is None
    assert data["break_even_without_caching"] == round(50_150_000 / 9, 9)
    assert data["fine_tune_cheaper_when"] == "never" and data["fine_tune_cheaper_when_without_caching"] == "above"
    # a flat 90% share (1,800 tokens): (200 × 0.15 + 1800 × 0.075 + 120) / 1e6 = 0.000285: the same answer
    assert compute(dataclasses.replace(cached, cached_share=0.9)).prompting_per_call == pytest.approx(0.000285)


def test_caching_on_the_tuned_route_uses_its_own_cached_price():
    # tuned prompt 200 tokens, half cached at 0.5 instead of 1: (100 × 1 + 100 × 0.5 + 100 × 2) / 1e6 = 0.00035
    r = compute(dataclasses.replace(SIMPLE, tuned_cached_share=0.5, tuned_cached_input_price=0.5))
    assert r.tuned_per_call == pytest.approx(0.00035, rel=1e-15)
    assert r.tuned_per_call_uncached == pytest.approx(0.0004, rel=1e-15)
    # saving 0.0012 − 0.00035 = 0.00085; break-even 11 / 0.00085 = 12,941.2; without caching 13,750
    assert r.break_even_calls_per_month == pytest.approx(11 / 0.00085, rel=1e-12)
    assert r.break_even_uncached == 13_750.0
    assert "Without prompt caching it would break even at 13,750 calls a month" in r.verdict


def test_batch_discount_applies_to_the_batched_share_of_token_routes():
    # half the calls batched at half price: every token bill × (1 − 0.5 × 0.5) = × 0.75
    # prompting 0.0012 × 0.75 = 0.0009; tuned 0.0004 × 0.75 = 0.0003; break-even 11 / 0.0006 = 18,333.3
    r = compute(dataclasses.replace(SIMPLE, batch_share=0.5, batch_discount=0.5))
    assert r.prompting_per_call == pytest.approx(0.0009, rel=1e-15)
    assert r.tuned_per_call == pytest.approx(0.0003, rel=1e-15)
    assert r.break_even_calls_per_month == pytest.approx(11 / 0.0006, rel=1e-12)
    # no batched calls: the discount is not used, and the result says so
    assert "batch_discount" in compute(dataclasses.replace(SIMPLE, batch_discount=0.5)).unused_inputs


def test_tuned_model_on_a_gpu_billed_per_call():
    # $4 a GPU-hour serving 20,000 calls an hour: 4 / 20,000 = $0.0002 a call, no fixed GPU cost
    # saving 0.0012 − 0.0002 = 0.001; break-even 11 / 0.001 = 11,000 calls a month
    gpu = dataclasses.replace(
        SIMPLE, tuned_route="gpu", tuned_gpu_price_per_hour=4, tuned_calls_per_gpu_hour=20_000, tuned_input_price=99
    )
    r = compute(gpu)
    assert r.tuned_per_call == pytest.approx(0.0002, rel=1e-15) and r.tuned_gpu_monthly == 0.0
    assert r.break_even_calls_per_month == pytest.approx(11_000, rel=1e-12)
    assert "tuned_input_price" in r.unused_inputs and "tuned_gpu_price_per_hour" not in r.unused_inputs


def test_tuned_model_on_an_always_on_gpu():
    # 730 GPU-hours at $3.99 = $2,912.70 a month whatever the volume; the tuned call itself costs nothing more
    # fixed = 2912.70 + 1 + 10 = 2923.70; saving 0.0012; break-even 2923.70 / 0.0012 = 2,436,416.7 calls
    gpu = dataclasses.replace(SIMPLE, tuned_route="gpu", tuned_gpu_price_per_hour=3.99, tuned_gpu_hours_per_month=730)
    r = compute(gpu)
    assert r.tuned_per_call == 0.0 and r.tuned_gpu_monthly == pytest.approx(2912.70, rel=1e-15)
    assert r.tuned_monthly == pytest.approx(2923.70, rel=1e-15)
    assert r.break_even_calls_per_month == pytest.approx(2923.70 / 0.0012, rel=1e-12)
    assert not r.fine_tune_cheaper


def test_self_hosted_prompting_can_make_the_fine_tune_cheaper_below_a_volume():
    # prompting on an always-on GPU: 730 h × $2 = $1,460 a month, nothing per call;
    # tuned per token: 0.0004 a call + $11 fixed. The fine-tune wins while 0.0004 n + 11 < 1460,
    # that is below (1460 − 11) / 0.0004 = 3,622,500 calls a month
    base_gpu = dataclasses.replace(SIMPLE, base_route="gpu", base_gpu_price_per_hour=2, base_gpu_hours_per_month=730)
    r = compute(base_gpu)
    assert r.prompting_monthly == 1460.0 and r.prompting_gpu_monthly == 1460.0 and r.prompting_per_call == 0.0
    assert r.break_even_calls_per_month == pytest.approx(3_622_500, rel=1e-12) and r.tuned_cheaper == "below"
    assert r.fine_tune_cheaper  # 1e6 × 0.0004 + 11 = 411 < 1460
    assert "cheaper below 3,622,500 calls a month" in r.verdict
    assert not compute(dataclasses.replace(base_gpu, calls_per_month=4_000_000)).fine_tune_cheaper


def test_both_on_gpus_with_the_larger_fixed_cost_on_prompting_is_always_tuned():
    # both routes cost nothing per call; prompting's GPU ($1,460) is dearer than the tuned one's ($730 + $11)
    both = dataclasses.replace(
        SIMPLE,
        base_route="gpu",
        base_gpu_price_per_hour=2,
        base_gpu_hours_per_month=730,
        tuned_route="gpu",
        tuned_gpu_price_per_hour=1,
        tuned_gpu_hours_per_month=730,
    )
    r = compute(both)
    assert r.saving_per_call == 0.0 and r.tuned_cheaper == "always" and r.break_even_calls_per_month is None
    assert r.fine_tune_cheaper and r.verdict.startswith("The fine-tune is cheaper at any volume")


def test_examples_data():
    from decision.cost import EXAMPLES

    assert EXAMPLES.by_id[EXAMPLES.default].inputs == EXAMPLE
    assert EXAMPLES.by_id[EXAMPLES.legacy].status == "historical"
    assert {e.status for e in EXAMPLES.by_id.values()} == {"current", "historical"}
    assert any(e.inputs.tuned_route == "gpu" for e in EXAMPLES.by_id.values())  # a self-hosted example
    for example in EXAMPLES.by_id.values():
        assert set(example.sources) == set(FIELDS)
        for name in FIELDS:
            if name.endswith("_price") or name.endswith("_price_per_hour"):
                unused = name in compute(example.inputs).unused_inputs
                if not unused:  # every price the example uses has a dated source, not an assumption
                    assert "checked 2026-" in example.sources[name], (example.id, name)


def test_the_legacy_example_is_the_first_model_s_example():
    from decision.cost import EXAMPLES

    legacy = EXAMPLES.by_id[EXAMPLES.legacy].inputs
    assert dataclasses.replace(legacy, cached_share=0, batch_discount=0) == GPT_4O_MINI_2024


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


def test_shares_are_at_most_one():
    for name in ("cached_share", "tuned_cached_share", "batch_share", "batch_discount"):
        with pytest.raises(AnswerError, match=rf"^{name}: must be at most 1"):
            parse_number(name, "1.5")
        assert parse_number(name, "1") == 1.0


def _with(**changes) -> dict:
    return {**dataclasses.asdict(SIMPLE), **changes}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"tuned_prompt_tokens": 1001}, "tuned_prompt_tokens", "cannot exceed prompt_tokens"),
        ({"epochs": 0}, "epochs", "more than 0"),
        ({"tokens_per_example": 0}, "tokens_per_example", "more than 0"),
        ({"retrains_per_year": 0}, "retrains_per_year", "more than 0"),
        ({"retrains_per_year": 400}, "retrains_per_year", "at most 366"),
        ({"base_cached_input_price": 1.5}, "base_cached_input_price", "cannot exceed base_input_price"),
        ({"tuned_cached_input_price": 3}, "tuned_cached_input_price", "cannot exceed tuned_input_price"),
        ({"base_route": "gpu"}, "base_gpu_hours_per_month", "neither is set"),
        (
            {"tuned_route": "gpu", "tuned_gpu_hours_per_month": 730, "tuned_calls_per_gpu_hour": 100},
            "tuned_gpu_hours_per_month",
            "both are set",
        ),
        ({"tuned_route": "hosted"}, "tuned_route", "must be one of tokens, gpu"),
        ({"base_route": 1}, "base_route", "must be one of tokens, gpu"),
    ],
)
def test_absurd_combinations_name_the_field(changes, field, words):
    with pytest.raises(AnswerError) as caught:
        parse_inputs(_with(**changes))
    assert caught.value.field == field and words in caught.value.problem


def test_a_cached_price_above_the_input_price_is_fine_on_a_gpu_route():
    gpu = _with(base_route="gpu", base_cached_input_price=9, base_gpu_price_per_hour=2, base_calls_per_gpu_hour=10)
    assert parse_inputs(gpu).base_cached_input_price == 9


def test_route_words_ignore_case_and_spaces():
    assert parse_inputs(_with(tuned_route=" Tokens ")).tuned_route == "tokens"


def test_zero_epochs_are_fine_without_training_examples():
    assert parse_inputs(_with(training_examples=0, epochs=0, retrains_per_year=0)).epochs == 0


def test_missing_and_unknown_inputs():
    raw = _with()
    del raw["epochs"]
    with pytest.raises(AnswerError, match=r"^epochs: missing$"):
        parse_inputs(raw)
    assert parse_inputs(raw, defaults=SIMPLE) == SIMPLE
    with pytest.raises(AnswerError) as caught:
        parse_inputs({**_with(), "callz": 1})
    assert caught.value.field == "callz" and "known inputs" in caught.value.problem
    with pytest.raises(AnswerError, match=rf"^prompt_tokens: missing, and {len(FIELDS) - 2} more"):
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
    saved = json.loads(json.dumps(to_dict(compute(EXAMPLE))))
    assert parse_inputs(saved) == EXAMPLE  # a saved JSON result loads again through its "inputs"


def test_files_in_json_and_toml():
    toml = "\n".join(f"{name} = {value!r}".replace("'", '"') for name, value in dataclasses.asdict(EXAMPLE).items())
    assert parse_inputs_text(toml, "inputs.toml") == EXAMPLE
    assert parse_inputs_text(json.dumps(dataclasses.asdict(EXAMPLE)), "inputs.json") == EXAMPLE
    with pytest.raises(AnswerError, match=r"^inputs.json: not valid JSON"):
        parse_inputs_text("{", "inputs.json")
    with pytest.raises(AnswerError, match=r"^x: not valid JSON: .*; not valid TOML"):
        parse_inputs_text("[", "x")
    with pytest.raises(AnswerError, match=r"^x: must hold a table"):
        parse_inputs_text("[1]", "x")


def test_fragment_parsing():
    assert parse_fragment("#a=1&b=%20two+three&&") == {"a": "1", "b": " two three"}
    with pytest.raises(AnswerError, match=r"^fragment: expected name=value"):
        parse_fragment("calls_per_month")
    with pytest.raises(AnswerError, match=r"^epochs: given twice"):
        parse_fragment("epochs=1&epochs=2")


def test_json_rounds_and_is_stable():
    data = to_dict(compute(GPT_4O_MINI_2024))
    assert data["break_even_calls_per_month"] == round(50_150_000 / 9, 9)
    assert list(data["inputs"]) == list(FIELDS)
    assert data["inputs"]["base_route"] == "tokens"
    assert data["per_call"] == {
        "prompting": 0.00042,
        "fine_tuned": 0.00033,
        "saving": 0.00009,
        "prompting_without_caching": 0.00042,
        "fine_tuned_without_caching": 0.00033,
        "saving_without_caching": 0.00009,
    }
