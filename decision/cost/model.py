"""Break-even arithmetic: when does a fine-tune's shorter prompt pay for itself?

Two options serve the same calls. Prompting pays for long prompts (examples or
retrieved context) at base prices. A fine-tune needs a shorter prompt but pays
tuned prices, training runs, maybe a hosting fee, and people to look after it.

    prompting per call = (prompt_tokens × base_input_price + output_tokens × base_output_price) / 1M
    tuned per call     = (tuned_prompt_tokens × tuned_input_price + output_tokens × tuned_output_price) / 1M
    saving per call    = prompting per call − tuned per call
    one training run   = training_examples × tokens_per_example × epochs × training_price / 1M
    fixed per month    = one training run × retrains_per_year / 12 + hosting_per_month + operations_per_month
    break-even volume  = fixed per month / saving per call   (never when the saving is ≤ 0)

`retrains_per_year` counts every training run in a year, the first one
included: 1 means one run a year, 4 means quarterly, 0.5 one run every two years.

The arithmetic runs on exact fractions of the decimal values people type (0.15
stays 3/20), so the break-even boundary is exact and every platform prints the
same digits. Inputs come in as numbers or strings (CLI flags, URL fragments,
JSON or TOML files); every mistake is an AnswerError naming the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from fractions import Fraction
from types import SimpleNamespace

from decision.cost.numbers import count, duration, money

PER_MILLION = 1_000_000
SMALLEST, LARGEST = 1e-6, 1e12  # keeps every result a finite float; nothing real lies outside
DECIMALS = 9  # JSON rounding: the same bytes on every Python


def _input(label: str, unit: str, help: str, group: str, *, whole: bool = False, most: float = LARGEST):
    return field(metadata={"label": label, "unit": unit, "help": help, "group": group, "whole": whole, "max": most})


@dataclass(frozen=True)
class CostInputs:
    """Everything the comparison needs. Money is in one currency of your choice (the example uses USD)."""

    calls_per_month: float = _input(
        "Calls per month", "calls/month", "How many requests the feature serves in a month.", "Volume and tokens"
    )
    prompt_tokens: float = _input(
        "Prompt tokens, few-shot or RAG",
        "tokens/call",
        "Input tokens per call with the instructions, examples and retrieved context the base model needs.",
        "Volume and tokens",
    )
    tuned_prompt_tokens: float = _input(
        "Prompt tokens after fine-tuning",
        "tokens/call",
        "Input tokens per call once the tuned model no longer needs the examples; at most the prompt above.",
        "Volume and tokens",
    )
    output_tokens: float = _input(
        "Output tokens",
        "tokens/call",
        "Tokens the model writes per call (the same for both options).",
        "Volume and tokens",
    )
    base_input_price: float = _input(
        "Base model input price", "per 1M tokens", "List price of input tokens on the untuned model.", "Prices"
    )
    base_output_price: float = _input(
        "Base model output price", "per 1M tokens", "List price of output tokens on the untuned model.", "Prices"
    )
    tuned_input_price: float = _input(
        "Fine-tuned input price", "per 1M tokens", "Price of input tokens on your tuned model.", "Prices"
    )
    tuned_output_price: float = _input(
        "Fine-tuned output price", "per 1M tokens", "Price of output tokens on your tuned model.", "Prices"
    )
    training_examples: float = _input(
        "Training examples", "examples", "Reviewed examples in one training run.", "Training", whole=True
    )
    tokens_per_example: float = _input(
        "Tokens per example", "tokens", "Average length of one training example, prompt and answer.", "Training"
    )
    epochs: float = _input(
        "Epochs", "passes", "How many times one run goes through the examples.", "Training", whole=True, most=1000
    )
    training_price: float = _input(
        "Training price", "per 1M tokens", "Price per million training tokens (examples × tokens × epochs).", "Training"
    )
    retrains_per_year: float = _input(
        "Training runs per year",
        "runs/year",
        "Every run in a year, the first included: 1 = once a year, 4 = quarterly, 0.5 = every two years.",
        "Training",
        most=366,
    )
    hosting_per_month: float = _input(
        "Hosting fee", "per month", "Fixed fee for keeping the tuned model deployed, used or not; 0 if none.", "Running"
    )
    operations_per_month: float = _input(
        "Operations",
        "per month",
        "Engineering time for evals, drift monitoring and the retraining pipeline, priced per month.",
        "Running",
    )


FIELDS = tuple(f.name for f in fields(CostInputs))
META = {f.name: f.metadata for f in fields(CostInputs)}


@dataclass(frozen=True)
class CostResult:
    inputs: CostInputs
    prompting_per_call: float
    tuned_per_call: float
    saving_per_call: float
    training_run: float  # one run
    prompting_monthly: float
    tuned_inference_monthly: float
    tuned_training_monthly: float  # amortised: one run × retrains_per_year / 12
    tuned_hosting_monthly: float
    tuned_operations_monthly: float
    tuned_monthly: float
    break_even_calls_per_month: float | None  # None: never
    payback_months: float | None  # the first run, from the monthly saving net of hosting and operations
    fine_tune_cheaper: bool  # strictly cheaper at calls_per_month
    verdict: str


def _exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))  # the shortest decimal that round-trips: what the user typed


def compute(inputs: CostInputs) -> CostResult:
    """The formula. Validate first (parse_inputs or check_inputs): this trusts its inputs."""
    x = SimpleNamespace(**{name: _exact(getattr(inputs, name)) for name in FIELDS})
    prompting_call = (x.prompt_tokens * x.base_input_price + x.output_tokens * x.base_output_price) / PER_MILLION
    tuned_call = (x.tuned_prompt_tokens * x.tuned_input_price + x.output_tokens * x.tuned_output_price) / PER_MILLION
    saving = prompting_call - tuned_call
    training_run = x.training_examples * x.tokens_per_example * x.epochs * x.training_price / PER_MILLION
    training_monthly = training_run * x.retrains_per_year / 12
    fixed = training_monthly + x.hosting_per_month + x.operations_per_month
    break_even = fixed / saving if saving > 0 else None
    operating_gain = x.calls_per_month * saving - x.hosting_per_month - x.operations_per_month
    if training_run == 0:
        payback: Fraction | None = Fraction(0)
    else:
        payback = training_run / operating_gain if operating_gain > 0 else None
    figures = {
        "prompting_per_call": prompting_call,
        "tuned_per_call": tuned_call,
        "saving_per_call": saving,
        "training_run": training_run,
        "prompting_monthly": x.calls_per_month * prompting_call,
        "tuned_inference_monthly": x.calls_per_month * tuned_call,
        "tuned_training_monthly": training_monthly,
        "tuned_hosting_monthly": x.hosting_per_month,
        "tuned_operations_monthly": x.operations_per_month,
        "tuned_monthly": x.calls_per_month * tuned_call + fixed,
    }
    floats = {key: float(value) for key, value in figures.items()}
    return CostResult(
        inputs=inputs,
        **floats,
        break_even_calls_per_month=None if break_even is None else float(break_even),
        payback_months=None if payback is None else float(payback),
        fine_tune_cheaper=x.calls_per_month * saving > fixed,
        verdict=_verdict(floats, break_even, payback, x.calls_per_month),
    )


def prompt_cost_answer(result: CostResult) -> str:
    """The questionnaire's `prompt_cost` answer: "yes" when the fine-tune is cheaper at the stated volume."""
    return "yes" if result.fine_tune_cheaper else "no"


def _verdict(f: dict[str, float], break_even: Fraction | None, payback: Fraction | None, calls: Fraction) -> str:
    prompting, tuned, volume = money(f["prompting_monthly"]), money(f["tuned_monthly"]), count(float(calls))
    if break_even is None:
        return (
            f"Prompting stays cheaper at any volume: a tuned call costs {money(f['tuned_per_call'])} and a prompted "
            f"call {money(f['prompting_per_call'])}, so the shorter prompt saves nothing per call that could "
            f"repay training, hosting and upkeep."
        )
    where = f"Fine-tuning breaks even at {count(float(break_even))} calls a month"
    if calls > break_even:
        repaid = "at once" if payback == 0 else "in " + duration(float(payback))
        return (
            f"Fine-tuning is cheaper at {volume} calls a month: {tuned} against {prompting} for prompting, "
            f"{money(f['prompting_monthly'] - f['tuned_monthly'])} a month less. {where}, and the first training "
            f"run pays for itself {repaid}."
        )
    if calls == break_even:
        return f"Both options cost {prompting} a month at {volume} calls: this volume is the break-even point."
    times = f", {float(break_even / calls):,.1f} times your volume" if calls else ""
    cheaper = f"Prompting is cheaper at {volume} calls a month: {prompting} against {tuned} for the fine-tune."
    return f"{cheaper} {where}{times}."
