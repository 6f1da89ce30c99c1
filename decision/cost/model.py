"""Break-even arithmetic: when does a fine-tune's shorter prompt pay for itself?

Two routes serve the same calls. Prompting sends the long prompt (examples or retrieved context) to the
base model; the fine-tune sends a shorter prompt to the tuned model but pays for training, maybe hosting,
and people to look after it. Each route is billed either per token (a hosted API, with part of the prompt
at the cached-input price and part of the calls at the batch discount) or by GPU time (your own server,
either a fixed number of GPU-hours a month or a price per call from the calls one GPU-hour serves).

    token route, per call = (prompt × (1 − cached_share) × input_price + prompt × cached_share × cached_input_price
                             + output_tokens × output_price) / 1M × (1 − batch_share × batch_discount)
    GPU route, per call   = gpu_price_per_hour / calls_per_gpu_hour        (0 when billed by hours)
    GPU route, per month  = gpu_price_per_hour × gpu_hours_per_month       (0 when billed per call)
    one training run      = training_examples × tokens_per_example × epochs × training_price / 1M
    fine-tune fixed       = GPU per month + one training run × retrains_per_year / 12 + hosting + operations
    break-even volume     = (fine-tune fixed − prompting fixed) / (prompting per call − tuned per call)

`retrains_per_year` counts every training run in a year, the first one included (as before the 2026
model). `one_off_cost` is spent once before launch and enters only the payback time.

The arithmetic runs on exact fractions of the decimal values people type (0.15 stays 3/20), so the
break-even boundary is exact and every platform prints the same digits. Validate first
(decision.cost.inputs); `compute` trusts its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from fractions import Fraction
from types import SimpleNamespace

from decision.cost.numbers import count, duration, money

PER_MILLION = 1_000_000
SMALLEST, LARGEST = 1e-6, 1e12  # keeps every result a finite float; nothing real lies outside
DECIMALS = 9  # JSON rounding: the same bytes on every Python
TOKENS, GPU = "tokens", "gpu"
ROUTES = (TOKENS, GPU)


def _input(label: str, unit: str, help: str, group: str, *, whole=False, most=LARGEST, choices=(), since=1):
    """One input's metadata. `choices` makes it a choice (text) instead of a number; `since` is the cost
    model that added it (2 = the 2026 model: caching, batch, GPU routes, one-off cost)."""
    kind = "choice" if choices else "number"
    return field(
        metadata={
            "label": label,
            "unit": unit,
            "help": help,
            "group": group,
            "kind": kind,
            "choices": tuple(choices),
            "whole": whole,
            "max": most,
            "since": since,
        }
    )


VOLUME, CACHING, PROMPTING, TUNED, TRAINING, RUNNING = (
    "Volume and tokens",
    "Caching and batch",
    "Prompting route (base model)",
    "Fine-tuned route",
    "Training",
    "Running",
)


@dataclass(frozen=True)
class CostInputs:
    """Everything the comparison needs. Money is in one currency of your choice (the examples use USD)."""

    calls_per_month: float = _input(
        "Calls per month", "calls/month", "How many requests the feature serves in a month.", VOLUME
    )
    prompt_tokens: float = _input(
        "Prompt tokens, few-shot or RAG",
        "tokens/call",
        "Input tokens per call with the instructions, examples and retrieved context the base model needs.",
        VOLUME,
    )
    tuned_prompt_tokens: float = _input(
        "Prompt tokens after fine-tuning",
        "tokens/call",
        "Input tokens per call once the tuned model no longer needs the examples; at most the prompt above.",
        VOLUME,
    )
    output_tokens: float = _input(
        "Output tokens", "tokens/call", "Tokens the model writes per call (the same for both routes).", VOLUME
    )
    cached_share: float = _input(
        "Cached share of the long prompt",
        "share",
        "Share of the prompting route's prompt tokens billed at the cached-input price: the fixed prefix "
        "(instructions, examples) over the whole prompt when the provider caches it; zero for no caching.",
        CACHING,
        most=1,
        since=2,
    )
    tuned_cached_share: float = _input(
        "Cached share of the tuned prompt",
        "share",
        "The same for the fine-tuned route's shorter prompt; many providers cache nothing below a minimum length.",
        CACHING,
        most=1,
        since=2,
    )
    batch_share: float = _input(
        "Share of calls sent as batch work",
        "share",
        "Calls that can wait for an asynchronous batch tier; applies to routes billed per token.",
        CACHING,
        most=1,
        since=2,
    )
    batch_discount: float = _input(
        "Batch discount",
        "share",
        "How much cheaper batched tokens are, as a share of the full price: a half means half price.",
        CACHING,
        most=1,
        since=2,
    )
    base_route: str = _input(
        "How the base model is billed",
        "route",
        "tokens: a hosted API's per-token prices; gpu: your own GPU time.",
        PROMPTING,
        choices=ROUTES,
        since=2,
    )
    base_input_price: float = _input(
        "Base model input price", "per 1M tokens", "List price of uncached input tokens on the base model.", PROMPTING
    )
    base_cached_input_price: float = _input(
        "Base model cached-input price",
        "per 1M tokens",
        "Price of input tokens served from the provider's prompt cache; at most the input price.",
        PROMPTING,
        since=2,
    )
    base_output_price: float = _input(
        "Base model output price", "per 1M tokens", "List price of output tokens on the base model.", PROMPTING
    )
    base_gpu_price_per_hour: float = _input(
        "Base model GPU price", "per GPU-hour", "What one GPU-hour costs you (route gpu only).", PROMPTING, since=2
    )
    base_gpu_hours_per_month: float = _input(
        "Base model GPU-hours",
        "GPU-hours/month",
        "GPU-hours you pay for each month whatever the volume (one GPU always on is every hour of the month); "
        "or zero, and give calls per GPU-hour instead.",
        PROMPTING,
        since=2,
    )
    base_calls_per_gpu_hour: float = _input(
        "Base model calls per GPU-hour",
        "calls/GPU-hour",
        "Calls one GPU-hour serves with the long prompt, from your own load test; or zero, and give GPU-hours instead.",
        PROMPTING,
        since=2,
    )
    tuned_route: str = _input(
        "How the tuned model is billed",
        "route",
        "tokens: a hosted API's per-token prices; gpu: your own GPU time (e.g. vLLM serving the adapter).",
        TUNED,
        choices=ROUTES,
        since=2,
    )
    tuned_input_price: float = _input(
        "Fine-tuned input price", "per 1M tokens", "Price of uncached input tokens on your tuned model.", TUNED
    )
    tuned_cached_input_price: float = _input(
        "Fine-tuned cached-input price",
        "per 1M tokens",
        "Price of cached input tokens on your tuned model; at most its input price.",
        TUNED,
        since=2,
    )
    tuned_output_price: float = _input(
        "Fine-tuned output price", "per 1M tokens", "Price of output tokens on your tuned model.", TUNED
    )
    tuned_gpu_price_per_hour: float = _input(
        "Tuned model GPU price", "per GPU-hour", "What one GPU-hour costs you (route gpu only).", TUNED, since=2
    )
    tuned_gpu_hours_per_month: float = _input(
        "Tuned model GPU-hours",
        "GPU-hours/month",
        "GPU-hours you pay for each month whatever the volume (one GPU always on is every hour of the month); "
        "or zero, and give calls per GPU-hour instead.",
        TUNED,
        since=2,
    )
    tuned_calls_per_gpu_hour: float = _input(
        "Tuned model calls per GPU-hour",
        "calls/GPU-hour",
        "Calls one GPU-hour serves with the short prompt, from your own load test; or zero, and give GPU-hours "
        "instead.",
        TUNED,
        since=2,
    )
    one_off_cost: float = _input(
        "One-off cost",
        "once",
        "Spent once before launch: building the training set and the eval set, the first pipeline. "
        "Counts in the payback time, not in the monthly cost.",
        TRAINING,
        since=2,
    )
    training_examples: float = _input(
        "Training examples", "examples", "Reviewed examples in one training run.", TRAINING, whole=True
    )
    tokens_per_example: float = _input(
        "Tokens per example", "tokens", "Average length of one training example, prompt and answer.", TRAINING
    )
    epochs: float = _input(
        "Epochs", "passes", "How many times one run goes through the examples.", TRAINING, whole=True, most=1000
    )
    training_price: float = _input(
        "Training price",
        "per 1M tokens",
        "Price per million tokens of training (examples × tokens × epochs).",
        TRAINING,
    )
    retrains_per_year: float = _input(
        "Training runs per year",
        "runs/year",
        "Every run in a year, the first included: one for a yearly run, four for quarterly, a half for every "
        "two years.",
        TRAINING,
        most=366,
    )
    hosting_per_month: float = _input(
        "Hosting fee",
        "per month",
        "Fixed fee for keeping the tuned model deployed, used or not, beyond any GPU-hours above; zero if none.",
        RUNNING,
    )
    operations_per_month: float = _input(
        "Operations",
        "per month",
        "Engineering time for evals, drift monitoring and the retraining pipeline, priced per month.",
        RUNNING,
    )


FIELDS = tuple(f.name for f in fields(CostInputs))
META = {f.name: f.metadata for f in fields(CostInputs)}
NUMBERS = tuple(name for name in FIELDS if META[name]["kind"] == "number")
CHOICES = tuple(name for name in FIELDS if META[name]["kind"] == "choice")
ADDED_IN_2026 = tuple(name for name in FIELDS if META[name]["since"] == 2)

# The inputs each route leaves unused (shown as a note, never silently dropped from the record).
UNUSED_BY_ROUTE = {
    ("base", TOKENS): ("base_gpu_price_per_hour", "base_gpu_hours_per_month", "base_calls_per_gpu_hour"),
    ("base", GPU): ("base_input_price", "base_cached_input_price", "base_output_price", "cached_share"),
    ("tuned", TOKENS): ("tuned_gpu_price_per_hour", "tuned_gpu_hours_per_month", "tuned_calls_per_gpu_hour"),
    ("tuned", GPU): ("tuned_input_price", "tuned_cached_input_price", "tuned_output_price", "tuned_cached_share"),
}


@dataclass(frozen=True)
class CostResult:
    inputs: CostInputs
    prompting_per_call: float
    prompting_per_call_uncached: float
    tuned_per_call: float
    tuned_per_call_uncached: float
    saving_per_call: float
    saving_per_call_uncached: float
    training_run: float  # one run
    upfront: float  # one_off_cost + one training run: what the payback time repays
    prompting_usage_monthly: float  # calls × prompting per call
    prompting_gpu_monthly: float  # GPU-hours billed whatever the volume
    prompting_monthly: float
    tuned_inference_monthly: float  # calls × tuned per call
    tuned_gpu_monthly: float
    tuned_training_monthly: float  # amortised: one run × retrains_per_year / 12
    tuned_hosting_monthly: float
    tuned_operations_monthly: float
    tuned_monthly: float
    break_even_calls_per_month: float | None  # where the two monthly costs meet; None: they never do
    tuned_cheaper: str  # "above" or "below" the break-even volume, or "always" / "never"
    break_even_uncached: float | None  # the same without prompt caching
    tuned_cheaper_uncached: str
    payback_months: float | None  # the upfront cost, from the monthly saving before amortised training
    fine_tune_cheaper: bool  # strictly cheaper at calls_per_month
    unused_inputs: tuple[str, ...]  # inputs the chosen routes do not use
    verdict: str


def _exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))  # the shortest decimal that round-trips: what the user typed


def _token_call(tokens, share, price, cached_price, output_tokens, output_price, batch) -> Fraction:
    cached = tokens * share
    return ((tokens - cached) * price + cached * cached_price + output_tokens * output_price) / PER_MILLION * batch


def _route(x, side: str, tokens: Fraction, share: Fraction, batch: Fraction) -> tuple[Fraction, Fraction, Fraction]:
    """(per call, per call without caching, fixed per month) of one route."""
    if getattr(x, f"{side}_route") == GPU:
        price, per_hour = getattr(x, f"{side}_gpu_price_per_hour"), getattr(x, f"{side}_calls_per_gpu_hour")
        if per_hour > 0:
            return price / per_hour, price / per_hour, Fraction(0)
        return Fraction(0), Fraction(0), price * getattr(x, f"{side}_gpu_hours_per_month")
    prices = (
        getattr(x, f"{side}_input_price"),
        getattr(x, f"{side}_cached_input_price"),
        x.output_tokens,
        getattr(x, f"{side}_output_price"),
        batch,
    )
    price, cached_price, output_tokens, output_price, batch = prices
    call = _token_call(tokens, share, price, cached_price, output_tokens, output_price, batch)
    uncached = _token_call(tokens, Fraction(0), price, cached_price, output_tokens, output_price, batch)
    return call, uncached, Fraction(0)


def crossing(saving: Fraction, extra_fixed: Fraction) -> tuple[Fraction | None, str]:
    """Where prompting's and the fine-tune's monthly costs meet, and on which side the fine-tune is cheaper.

    The fine-tune is cheaper at n calls when n × saving > extra_fixed (its fixed costs beyond prompting's).
    """
    if saving > 0:
        even = extra_fixed / saving
        return (even, "above") if even >= 0 else (None, "always")
    if saving < 0:
        even = extra_fixed / saving
        return (even, "below") if even > 0 else (None, "never")
    return (None, "always") if extra_fixed < 0 else (None, "never")


def compute(inputs: CostInputs) -> CostResult:
    """The formula. Validate first (decision.cost.inputs): this trusts its inputs."""
    x = SimpleNamespace(
        **{name: (_exact(getattr(inputs, name)) if name in NUMBERS else getattr(inputs, name)) for name in FIELDS}
    )
    batch = 1 - x.batch_share * x.batch_discount
    prompting_call, prompting_uncached, prompting_fixed = _route(x, "base", x.prompt_tokens, x.cached_share, batch)
    tuned_call, tuned_uncached, tuned_gpu = _route(x, "tuned", x.tuned_prompt_tokens, x.tuned_cached_share, batch)
    training_run = x.training_examples * x.tokens_per_example * x.epochs * x.training_price / PER_MILLION
    training_monthly = training_run * x.retrains_per_year / 12
    tuned_fixed = tuned_gpu + training_monthly + x.hosting_per_month + x.operations_per_month
    extra_fixed = tuned_fixed - prompting_fixed
    saving, saving_uncached = prompting_call - tuned_call, prompting_uncached - tuned_uncached
    even, side = crossing(saving, extra_fixed)
    even_uncached, side_uncached = crossing(saving_uncached, extra_fixed)
    upfront = x.one_off_cost + training_run
    operating_gain = x.calls_per_month * saving - (extra_fixed - training_monthly)
    if upfront == 0:
        payback: Fraction | None = Fraction(0)
    else:
        payback = upfront / operating_gain if operating_gain > 0 else None
    figures = {
        "prompting_per_call": prompting_call,
        "prompting_per_call_uncached": prompting_uncached,
        "tuned_per_call": tuned_call,
        "tuned_per_call_uncached": tuned_uncached,
        "saving_per_call": saving,
        "saving_per_call_uncached": saving_uncached,
        "training_run": training_run,
        "upfront": upfront,
        "prompting_usage_monthly": x.calls_per_month * prompting_call,
        "prompting_gpu_monthly": prompting_fixed,
        "prompting_monthly": x.calls_per_month * prompting_call + prompting_fixed,
        "tuned_inference_monthly": x.calls_per_month * tuned_call,
        "tuned_gpu_monthly": tuned_gpu,
        "tuned_training_monthly": training_monthly,
        "tuned_hosting_monthly": x.hosting_per_month,
        "tuned_operations_monthly": x.operations_per_month,
        "tuned_monthly": x.calls_per_month * tuned_call + tuned_fixed,
    }
    floats = {key: float(value) for key, value in figures.items()}
    unused = UNUSED_BY_ROUTE[("base", x.base_route)] + UNUSED_BY_ROUTE[("tuned", x.tuned_route)]
    if x.batch_share == 0 or TOKENS not in (x.base_route, x.tuned_route):
        unused += ("batch_discount",)
    cheaper = x.calls_per_month * saving > extra_fixed
    return CostResult(
        inputs=inputs,
        **floats,
        break_even_calls_per_month=None if even is None else float(even),
        tuned_cheaper=side,
        break_even_uncached=None if even_uncached is None else float(even_uncached),
        tuned_cheaper_uncached=side_uncached,
        payback_months=None if payback is None else float(payback),
        fine_tune_cheaper=cheaper,
        unused_inputs=tuple(name for name in FIELDS if name in unused),
        verdict=_verdict(floats, x.calls_per_month, (even, side), (even_uncached, side_uncached), payback, cheaper),
    )


def prompt_cost_answer(result: CostResult) -> str:
    """The questionnaire's `prompt_cost` answer. The calculator counts prompt caching (at the cache share given,
    which may be none), so a cheaper fine-tune is "with-caching", and otherwise the prompt cost is "minor"."""
    return "with-caching" if result.fine_tune_cheaper else "minor"


def _caching_clause(cached: tuple, uncached: tuple) -> str:
    """What prompt caching changed, in one sentence (empty when it changed nothing about the crossing)."""
    (even, side), (even_u, side_u) = cached, uncached
    if (even, side) == (even_u, side_u):
        return ""
    if side_u == "above" and side == "never":
        return (
            f" Without prompt caching the fine-tune would break even at {count(float(even_u))} calls a month; "
            f"the cache discount on the long prompt removes that point."
        )
    if side_u == "above" and side == "above":
        return f" Without prompt caching it would break even at {count(float(even_u))} calls a month."
    if side_u == "above":
        return f" Without prompt caching the break-even volume would be {count(float(even_u))} calls a month."
    if side_u == "below":
        return f" Without prompt caching the fine-tune would be cheaper below {count(float(even_u))} calls a month."
    return (
        " Without prompt caching the fine-tune would be cheaper at any volume."
        if side_u == "always"
        else (" Without prompt caching the fine-tune would never be cheaper.")
    )


def _verdict(f: dict, calls: Fraction, cached: tuple, uncached: tuple, payback, cheaper: bool) -> str:
    prompting, tuned, volume = money(f["prompting_monthly"]), money(f["tuned_monthly"]), count(float(calls))
    even, side = cached
    caching = _caching_clause(cached, uncached)
    per_call = f"a tuned call costs {money(f['tuned_per_call'])} and a prompted call {money(f['prompting_per_call'])}"
    if side == "never":
        return (
            f"Prompting stays cheaper at any volume: {per_call}, so the shorter prompt saves nothing per call "
            f"that could repay training, hosting and upkeep.{caching}"
        )
    if side == "always":
        return (
            f"The fine-tune is cheaper at any volume: {tuned} a month against {prompting} for prompting at "
            f"{volume} calls, and its fixed costs are below prompting's.{caching}"
        )
    where = count(float(even))
    if side == "below":
        lead = (
            f"The fine-tune is cheaper below {where} calls a month and prompting above it, because {per_call} "
            f"while prompting carries the larger fixed cost."
        )
        now = f" At {volume} calls a month: {tuned} for the fine-tune against {prompting} for prompting."
        return lead + now + caching
    if cheaper:
        repaid = (
            "at once"
            if payback == 0
            else ("never at this volume" if payback is None else "in " + duration(float(payback)))
        )
        return (
            f"Fine-tuning is cheaper at {volume} calls a month: {tuned} against {prompting} for prompting, "
            f"{money(f['prompting_monthly'] - f['tuned_monthly'])} a month less. Fine-tuning breaks even at "
            f"{where} calls a month, and the upfront cost pays for itself {repaid}.{caching}"
        )
    if calls == even:
        return f"Both routes cost {prompting} a month at {volume} calls: this volume is the break-even point.{caching}"
    times = f", {float(even / calls):,.1f} times your volume" if calls else ""
    return (
        f"Prompting is cheaper at {volume} calls a month: {prompting} against {tuned} for the fine-tune. "
        f"Fine-tuning breaks even at {where} calls a month{times}.{caching}"
    )
