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

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from urllib.parse import unquote_plus

from decision.answers import AnswerError, load_table_text

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

# The worked example: public list prices, then assumptions to replace with your own numbers.
_OPENAI = "OpenAI list price for gpt-4o-mini, circa Nov 2024; re-check"
_ASSUMED = "assumption: use your own"
EXAMPLE = CostInputs(
    calls_per_month=1_000_000,
    prompt_tokens=2_000,
    tuned_prompt_tokens=300,
    output_tokens=200,
    base_input_price=0.15,
    base_output_price=0.60,
    tuned_input_price=0.30,
    tuned_output_price=1.20,
    training_examples=1_000,
    tokens_per_example=500,
    epochs=3,
    training_price=3.00,
    retrains_per_year=4,
    hosting_per_month=0,
    operations_per_month=500,
)
EXAMPLE_SOURCES = {
    "calls_per_month": _ASSUMED,
    "prompt_tokens": _ASSUMED + "; instructions plus a handful of examples",
    "tuned_prompt_tokens": _ASSUMED + "; instructions only",
    "output_tokens": _ASSUMED,
    "base_input_price": _OPENAI,
    "base_output_price": _OPENAI,
    "tuned_input_price": _OPENAI,
    "tuned_output_price": _OPENAI,
    "training_examples": _ASSUMED + "; a first run of 500 to 1,000 reviewed examples",
    "tokens_per_example": _ASSUMED,
    "epochs": _ASSUMED,
    "training_price": _OPENAI,
    "retrains_per_year": _ASSUMED + "; quarterly",
    "hosting_per_month": "OpenAI bills tuned models per token, no hosting fee, circa Nov 2024; "
    "Azure OpenAI charges hourly hosting",
    "operations_per_month": _ASSUMED + "; a few engineer hours a month",
}


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


# -- words


def money(value: float) -> str:
    """$1,234.50 for amounts from a dollar up; three significant digits below ($0.00042)."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    if 0 < value < 1:
        return f"{sign}${format(Decimal(f'{value:.3g}'), 'f')}"
    return f"{sign}${value:,.2f}"


def count(value: float) -> str:
    """A volume in words: whole numbers with thousands separators."""
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.2f}"


def number(value: float) -> str:
    """An input as typed: 1,000,000 or 0.15."""
    return f"{int(value):,}" if value == int(value) else format(Decimal(repr(value)), ",f")


def plain(value: float) -> str:
    """An input as a form or a command line wants it: 1000000 or 0.15."""
    return str(int(value)) if value == int(value) else repr(value)


def duration(months: float) -> str:
    days = math.ceil(months * 365 / 12)
    return f"{days} day{'s' * (days > 1)}" if months < 1 else f"{months:,.1f} months"


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


FORMULA = """\
prompting per call = (prompt_tokens × base_input_price + output_tokens × base_output_price) / 1,000,000
tuned per call     = (tuned_prompt_tokens × tuned_input_price + output_tokens × tuned_output_price) / 1,000,000
saving per call    = prompting per call − tuned per call
one training run   = training_examples × tokens_per_example × epochs × training_price / 1,000,000
training per month = one training run × retrains_per_year / 12
fixed per month    = training per month + hosting_per_month + operations_per_month

prompting per month = calls_per_month × prompting per call
tuned per month     = calls_per_month × tuned per call + fixed per month
break-even volume   = fixed per month / saving per call        (never if saving per call ≤ 0)
first-run payback   = one training run / monthly gain           (never if monthly gain ≤ 0)
  where monthly gain = calls_per_month × saving per call − hosting_per_month − operations_per_month
"""


def formula_markdown() -> str:
    """The formula as Markdown for the docs page; the names are the inputs' field names."""
    return f"""\
```text
{FORMULA}```

`retrains_per_year` counts every training run in a year, the first one included: 1 is one run a year,
4 is quarterly, 0.5 is a run every two years. Prices are per million tokens; use one currency throughout.
The fine-tune counts as cheaper only when its monthly cost is strictly lower, so at exactly the break-even
volume the answer is still "no".
"""


# -- reading inputs: numbers or strings from flags, files and URL fragments

_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_number(name: str, raw: object) -> float:
    """One input value, checked against its own limits; raises AnswerError(name, ...)."""
    meta = META[name]
    if isinstance(raw, str):
        text = raw.strip()
        text = text.replace(",", "") if _GROUPED.fullmatch(text) else text
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(name, f"must be a number such as 1000 or 0.15, got {_short(raw)}") from None
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            value = float(raw)
        except OverflowError:
            raise AnswerError(name, f"must be at most {meta['max']:g}") from None
    else:
        raise AnswerError(name, f"must be a number, got {type(raw).__name__}")
    if not math.isfinite(value):
        raise AnswerError(name, f"must be a finite number, got {_short(raw)}")
    if value < 0:
        raise AnswerError(name, f"cannot be negative, got {_short(raw)}")
    if 0 < value < SMALLEST:
        raise AnswerError(name, f"must be 0 or at least {SMALLEST:g}, got {_short(raw)}")
    if value > meta["max"]:
        raise AnswerError(name, f"must be at most {meta['max']:g}, got {_short(raw)}")
    if meta["whole"] and value != int(value):
        raise AnswerError(name, f"must be a whole number, got {_short(raw)}")
    return value + 0.0  # -0.0 becomes 0.0


def _consistency(v: Mapping[str, float]) -> list[AnswerError]:
    problems = []
    if v["tuned_prompt_tokens"] > v["prompt_tokens"]:
        problems.append(
            AnswerError(
                "tuned_prompt_tokens",
                f"cannot exceed prompt_tokens ({count(v['prompt_tokens'])}): tuning removes prompt tokens, "
                f"it cannot remove more than the prompt has",
            )
        )
    if v["training_examples"] > 0:
        for name, what in (("tokens_per_example", "tokens"), ("epochs", "epochs"), ("retrains_per_year", "runs")):
            if v[name] == 0:
                problems.append(AnswerError(name, f"must be more than 0 when there are training examples (no {what})"))
    return problems


def check_inputs(raw: object, defaults: CostInputs | None = None) -> tuple[CostInputs | None, list[AnswerError]]:
    """Every problem at once (for a form); the inputs only when there is none.

    Keys are field names (kebab-case accepted). A missing input is an error
    unless `defaults` supplies it. A saved JSON result ({"inputs": {...}}) is accepted.
    """
    if isinstance(raw, Mapping) and isinstance(raw.get("inputs"), Mapping):
        raw = raw["inputs"]
    if not isinstance(raw, Mapping):
        return None, [AnswerError("inputs", f"must be a table of input name to number, got {type(raw).__name__}")]
    given: dict[str, object] = {}
    errors = []
    for key, value in raw.items():
        name = key.strip().replace("-", "_") if isinstance(key, str) else key
        if name not in META:
            errors.append(AnswerError(_short(key, 60) if not isinstance(key, str) else key, _unknown()))
        elif name in given and given[name] != value:
            errors.append(AnswerError(name, f"given twice ({_short(given[name])} and {_short(value)})"))
        else:
            given[name] = value
    values: dict[str, float] = {}
    for name in FIELDS:
        if name in given:
            try:
                values[name] = parse_number(name, given[name])
            except AnswerError as error:
                errors.append(error)
        elif defaults is not None:
            values[name] = getattr(defaults, name)
        else:
            errors.append(AnswerError(name, "missing"))
    if errors:
        return None, errors
    errors = _consistency(values)
    return (None, errors) if errors else (CostInputs(**values), [])


def _unknown() -> str:
    return "unknown input; known inputs: " + ", ".join(FIELDS)


def parse_inputs(raw: object, defaults: CostInputs | None = None) -> CostInputs:
    """Like check_inputs, but raise the first problem (for the CLI)."""
    inputs, errors = check_inputs(raw, defaults)
    if errors:
        missing = [e.field for e in errors if e.problem == "missing"]
        if len(missing) > 1 and errors[0].problem == "missing":
            raise AnswerError(missing[0], f"missing, and {len(missing) - 1} more inputs are missing too")
        raise errors[0]
    assert inputs is not None
    return inputs


def parse_fragment(text: str) -> dict[str, str]:
    """Split a URL fragment or query string (`a=1&b=2`, '#' or '?' optional) into name -> value."""
    pairs: dict[str, str] = {}
    for part in text.lstrip("#?").split("&"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = unquote_plus(key), unquote_plus(value)
        if not sep or not key.strip():
            raise AnswerError("fragment", f"expected name=value, got {_short(part)}")
        name = key.strip().replace("-", "_")
        if name in pairs and pairs[name] != value:
            raise AnswerError(name, f"given twice ({_short(pairs[name])} and {_short(value)})")
        pairs[name] = value
    return pairs


def load_inputs_text(text: str, source: str) -> dict:
    """The raw table in a JSON or TOML file's text (name -> value, or a saved JSON result), unchecked."""
    data = load_table_text(text, source, "inputs", "input name to number")
    return {key.strip().replace("-", "_") if isinstance(key, str) else key: value for key, value in data.items()}


def parse_inputs_text(text: str, source: str, defaults: CostInputs | None = None) -> CostInputs:
    """Checked inputs from a JSON or TOML file's text."""
    return parse_inputs(load_inputs_text(text, source), defaults)


# -- the contract shared by the CLI and the browser


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS) + 0.0


def to_dict(result: CostResult, from_example: list[str] | tuple[str, ...] = ()) -> dict:
    """Every input by name (and which ones came from the worked example), the monthly costs, the break-even
    point and the verdict; floats rounded to 9 decimals so the bytes are the same on every Python."""
    from decision import __version__

    r = result
    return {
        "engine_version": __version__,
        "inputs": {name: _rounded(getattr(r.inputs, name)) for name in FIELDS},
        "inputs_from_example": [name for name in FIELDS if name in from_example],
        "monthly_cost": {
            "prompting": _rounded(r.prompting_monthly),
            "fine_tuned": _rounded(r.tuned_monthly),
            "fine_tuned_inference": _rounded(r.tuned_inference_monthly),
            "fine_tuned_training": _rounded(r.tuned_training_monthly),
            "fine_tuned_hosting": _rounded(r.tuned_hosting_monthly),
            "fine_tuned_operations": _rounded(r.tuned_operations_monthly),
        },
        "per_call": {
            "prompting": _rounded(r.prompting_per_call),
            "fine_tuned": _rounded(r.tuned_per_call),
            "saving": _rounded(r.saving_per_call),
        },
        "training_run_cost": _rounded(r.training_run),
        "break_even_calls_per_month": _rounded(r.break_even_calls_per_month),
        "payback_months": _rounded(r.payback_months),
        "fine_tune_cheaper": r.fine_tune_cheaper,
        "prompt_cost_answer": prompt_cost_answer(r),
        "verdict": r.verdict,
    }


def dumps(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def evaluate_json(source: str | Mapping, defaults: CostInputs | None = None) -> str:
    """For the browser: a URL fragment (`calls_per_month=1000&...`) or a mapping in, JSON out.

    {"ok": true, ...to_dict..., "chart_svg": "<svg ..."} or
    {"ok": false, "errors": [{"field", "problem", "message"}, ...]} listing every problem.
    """
    from decision.chart import cost_chart

    try:
        raw = parse_fragment(source) if isinstance(source, str) else source
    except AnswerError as error:
        raw, errors = {}, [error]
    else:
        inputs, errors = check_inputs(raw, defaults)
    if errors:
        listed = [{"field": e.field, "problem": e.problem, "message": str(e)} for e in errors]
        return dumps({"ok": False, "errors": listed})
    named = {key.strip().replace("-", "_") for key in raw if isinstance(key, str)}
    from_example = [name for name in FIELDS if name not in named] if defaults is not None else []
    result = compute(inputs)
    return dumps({"ok": True, **to_dict(result, from_example), "chart_svg": cost_chart(result)})


# -- the in-page calculator: one request in, one JSON reply out

RESULT_CHART_ID = "cost-result-chart"


def fragment_of(inputs: CostInputs) -> str:
    """The canonical share fragment (no '#'): every input by field name, as a form would show it."""
    return "&".join(f"{name}={plain(getattr(inputs, name))}" for name in FIELDS)


def summary_rows(result: CostResult) -> list[dict]:
    """The result figures in words: [{label, value, part}], `part` marking the fine-tune's cost components."""
    from decision.cost_cli import _rows

    return [{"label": label.strip(), "value": value, "part": label.startswith(" ")} for label, value in _rows(result)]


def web_response(request: str | Mapping, defaults: CostInputs | None = EXAMPLE) -> str:
    """The calculator page's reply to a URL fragment or mapping: evaluate_json's contract plus what the page shows.

    On success it adds `fragment` (canonical share fragment), `form` (field -> value text for the inputs),
    `summary` (summary_rows) and `questionnaire_fragment` (`prompt_cost=yes|no`); the chart's ids start
    with RESULT_CHART_ID. Inputs the request leaves out come from `defaults` (the worked example) and are
    listed in `inputs_from_example`. On failure: evaluate_json's `errors`, plus `given` (known field -> the
    text it was given, to put back in the form) and `known_fields`.
    """
    from decision.chart import cost_chart

    try:
        raw = parse_fragment(request) if isinstance(request, str) else request
    except AnswerError as error:
        raw, inputs, errors = {}, None, [error]
    else:
        inputs, errors = check_inputs(raw, defaults)
    if errors or inputs is None:
        given = {}
        if isinstance(raw, Mapping):
            for key, value in raw.items():
                name = key.strip().replace("-", "_") if isinstance(key, str) else None
                if name in META and isinstance(value, str | int | float):
                    given[name] = str(value)[:100]
        listed = [{"field": e.field, "problem": e.problem, "message": str(e)} for e in errors]
        return dumps({"ok": False, "errors": listed, "given": given, "known_fields": list(FIELDS)})
    named = {key.strip().replace("-", "_") for key in raw if isinstance(key, str)}
    from_example = [name for name in FIELDS if name not in named] if defaults is not None else []
    result = compute(inputs)
    return dumps(
        {
            "ok": True,
            **to_dict(result, from_example),
            "chart_svg": cost_chart(result, id_prefix=RESULT_CHART_ID),
            "fragment": fragment_of(inputs),
            "form": {name: plain(getattr(inputs, name)) for name in FIELDS},
            "summary": summary_rows(result),
            "questionnaire_fragment": "prompt_cost=" + prompt_cost_answer(result),
        }
    )
