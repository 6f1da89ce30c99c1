"""The cost result in words: the JSON contract, summary rows, a terminal report and a Markdown record."""

from __future__ import annotations

from decision._text import markdown_cell
from decision._version import SCHEMA_VERSION, __version__
from decision.cost.example import EXAMPLE_SOURCES
from decision.cost.inputs import form_value
from decision.cost.model import CHOICES, DECIMALS, FIELDS, META, CostResult, prompt_cost_answer
from decision.cost.numbers import count, duration, money, number

FORMULA = """\
batch                = 1 − batch_share × batch_discount
prompting per call   = (prompt_tokens × (1 − cached_share) × base_input_price
  (base_route tokens)   + prompt_tokens × cached_share × base_cached_input_price
                        + output_tokens × base_output_price) / 1,000,000 × batch
tuned per call       = (tuned_prompt_tokens × (1 − tuned_cached_share) × tuned_input_price
  (tuned_route tokens)  + tuned_prompt_tokens × tuned_cached_share × tuned_cached_input_price
                        + output_tokens × tuned_output_price) / 1,000,000 × batch
prompting per call   = base_gpu_price_per_hour / base_calls_per_gpu_hour        (base_route gpu)
prompting GPU fixed  = base_gpu_price_per_hour × base_gpu_hours_per_month
tuned per call       = tuned_gpu_price_per_hour / tuned_calls_per_gpu_hour      (tuned_route gpu)
tuned GPU fixed      = tuned_gpu_price_per_hour × tuned_gpu_hours_per_month
  (a GPU route is billed per call or by hours: the other of its two inputs is 0, and so is its term)

one training run     = training_examples × tokens_per_example × epochs × training_price / 1,000,000
training per month   = one training run × retrains_per_year / 12
prompting per month  = calls_per_month × prompting per call + prompting GPU fixed
tuned per month      = calls_per_month × tuned per call + tuned GPU fixed
                       + training per month + hosting_per_month + operations_per_month

break-even volume    = (tuned fixed − prompting fixed) / (prompting per call − tuned per call)
                       where the fixed parts are everything above that does not grow with calls_per_month;
                       none when the two lines never cross
payback              = (one_off_cost + one training run) / monthly gain      (never if the gain is ≤ 0)
  where monthly gain = calls_per_month × (prompting per call − tuned per call)
                       − (tuned fixed − training per month − prompting fixed)
"""


def formula_markdown() -> str:
    """The formula as Markdown for the docs page; the names are the inputs' field names."""
    return f"""\
```text
{FORMULA}```

Every figure is worked out twice, with the cached shares you give and with both set to zero, so the result
shows what prompt caching changes. `retrains_per_year` counts every training run in a year, the first one
included: one for a yearly run, four for quarterly, a half for a run every two years. Prices are per million
tokens; use one currency throughout. The fine-tune counts as cheaper only when its monthly cost is strictly
lower, so at exactly the break-even volume the answer is still "no".
"""


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS) + 0.0


def _input(result: CostResult, name: str):
    value = getattr(result.inputs, name)
    return value if name in CHOICES else _rounded(value)


def to_dict(result: CostResult, from_example: list[str] | tuple[str, ...] = (), notes: tuple[str, ...] = ()) -> dict:
    """The JSON contract (decision/data/schemas/cost.schema.json), shared by the CLI and the browser.

    Every input by name (and which ones came from the worked example), the monthly costs, the per-call
    costs with and without caching, the break-even point (with and without caching) and on which side of
    it the fine-tune is cheaper, the verdict and any notes; floats rounded to 9 decimals so the bytes are
    the same on every Python."""
    r = result
    return {
        "schema_version": SCHEMA_VERSION,
        "engine_version": __version__,
        "inputs": {name: _input(r, name) for name in FIELDS},
        "inputs_from_example": [name for name in FIELDS if name in from_example],
        "unused_inputs": list(r.unused_inputs),
        "monthly_cost": {
            "prompting": _rounded(r.prompting_monthly),
            "prompting_usage": _rounded(r.prompting_usage_monthly),
            "prompting_gpu": _rounded(r.prompting_gpu_monthly),
            "fine_tuned": _rounded(r.tuned_monthly),
            "fine_tuned_inference": _rounded(r.tuned_inference_monthly),
            "fine_tuned_gpu": _rounded(r.tuned_gpu_monthly),
            "fine_tuned_training": _rounded(r.tuned_training_monthly),
            "fine_tuned_hosting": _rounded(r.tuned_hosting_monthly),
            "fine_tuned_operations": _rounded(r.tuned_operations_monthly),
        },
        "per_call": {
            "prompting": _rounded(r.prompting_per_call),
            "fine_tuned": _rounded(r.tuned_per_call),
            "saving": _rounded(r.saving_per_call),
            "prompting_without_caching": _rounded(r.prompting_per_call_uncached),
            "fine_tuned_without_caching": _rounded(r.tuned_per_call_uncached),
            "saving_without_caching": _rounded(r.saving_per_call_uncached),
        },
        "training_run_cost": _rounded(r.training_run),
        "upfront_cost": _rounded(r.upfront),
        "break_even_calls_per_month": _rounded(r.break_even_calls_per_month),
        "fine_tune_cheaper_when": r.tuned_cheaper,
        "break_even_without_caching": _rounded(r.break_even_uncached),
        "fine_tune_cheaper_when_without_caching": r.tuned_cheaper_uncached,
        "payback_months": _rounded(r.payback_months),
        "fine_tune_cheaper": r.fine_tune_cheaper,
        "cheaper_route": cheaper_route(r),
        "prompt_cost_answer": prompt_cost_answer(r),
        "verdict": r.verdict,
        "notes": list(notes),
    }


def cheaper_route(result: CostResult) -> str:
    """ "fine-tuned", "prompting" or "equal" at the reader's volume."""
    if result.fine_tune_cheaper:
        return "fine-tuned"
    return "equal" if result.tuned_monthly == result.prompting_monthly else "prompting"


def _row(label: str, value: str, *, part: bool = False) -> dict:
    return {"label": label, "value": value, "part": part}


def break_even_words(value: float | None, side: str) -> str:
    """A break-even volume in words: "1,234 calls/month", "never", ..."""
    if value is None:
        return "always cheaper to tune" if side == "always" else "never"
    return f"{count(value)} calls/month" + (" (tuned cheaper below)" if side == "below" else "")


def summary_rows(result: CostResult) -> list[dict]:
    """The result figures in words, in the order every surface shows them: [{label, value, part}], where
    `part` marks a row shown indented under the one above it (a component, or the same figure uncached).
    Labels are unique, so a surface can key the rows by them."""
    r = result
    payback = "never at this volume" if r.payback_months is None else duration(r.payback_months)
    rows = [
        _row(
            "Cheaper at your volume",
            {"fine-tuned": "fine-tune", "prompting": "prompting", "equal": "neither"}[cheaper_route(r)],
        ),
        _row("Prompting, per month", money(r.prompting_monthly)),
    ]
    if r.prompting_gpu_monthly:
        rows += [
            _row("per-call usage", money(r.prompting_usage_monthly), part=True),
            _row("GPU-hours, base model", money(r.prompting_gpu_monthly), part=True),
        ]
    rows += [
        _row("Fine-tuned, per month", money(r.tuned_monthly)),
        _row("inference", money(r.tuned_inference_monthly), part=True),
    ]
    if r.tuned_gpu_monthly:
        rows.append(_row("GPU-hours, tuned model", money(r.tuned_gpu_monthly), part=True))
    rows += [
        _row("training (amortised)", money(r.tuned_training_monthly), part=True),
        _row("hosting", money(r.tuned_hosting_monthly), part=True),
        _row("operations", money(r.tuned_operations_monthly), part=True),
        _row("Prompting per call", money(r.prompting_per_call)),
        _row("prompting, uncached", money(r.prompting_per_call_uncached), part=True),
        _row("Fine-tuned per call", money(r.tuned_per_call)),
        _row("fine-tuned, uncached", money(r.tuned_per_call_uncached), part=True),
        _row("One training run", money(r.training_run)),
        _row("Break-even volume", break_even_words(r.break_even_calls_per_month, r.tuned_cheaper)),
        _row("break-even, uncached", break_even_words(r.break_even_uncached, r.tuned_cheaper_uncached), part=True),
        _row("Upfront cost pays back", payback),
    ]
    return rows


def flag(name: str) -> str:
    """The command-line flag of an input: calls_per_month -> --calls-per-month."""
    return "--" + name.replace("_", "-")


def reproduce(result: CostResult) -> str:
    """The `decision cost` command line that prints this result again."""
    return "decision cost " + " ".join(f"{flag(name)} {form_value(getattr(result.inputs, name))}" for name in FIELDS)


def _value(result: CostResult, name: str) -> str:
    value = getattr(result.inputs, name)
    return value if name in CHOICES else number(value)


def render_text(result: CostResult, from_example: list[str], notes: tuple[str, ...] = ()) -> str:
    """A terminal report: inputs (marking those from the worked example and those unused), costs, verdict."""
    lines = ["Cost break-even: long prompt versus fine-tune", "", "Inputs"]
    for name in FIELDS:
        mark = "(example)" if name in from_example else ""
        mark += " (not used)" if name in result.unused_inputs else ""
        lines.append(f"  {name:26} {_value(result, name):>12} {META[name]['unit']:16}{mark}".rstrip())
    lines += ["", f"At {count(result.inputs.calls_per_month)} calls a month"]
    lines += [f"  {'  ' * row['part'] + row['label']:26} {row['value']:>30}" for row in summary_rows(result)]
    lines += ["", result.verdict, ""]
    if from_example:
        lines += ["Inputs marked (example) come from the worked example; replace them with your own.", ""]
    lines += [*(f"Note: {note}" for note in notes), *([""] if notes else [])]
    return "\n".join(lines)


def render_markdown(
    result: CostResult,
    from_example: list[str] | None = None,
    *,
    sources: bool = True,
    example_sources: dict[str, str] | None = None,
    notes: tuple[str, ...] = (),
) -> str:
    """A cost record for a design document: inputs (with where each came from), costs, verdict, notes."""
    from_example = from_example or []
    where = example_sources or EXAMPLE_SOURCES
    lines = ["| Input | Value | Unit | Source |" if sources else "| Input | Value | Unit |"]
    lines.append("| --- | ---: | --- | --- |" if sources else "| --- | ---: | --- |")
    for name in FIELDS:
        meta = META[name]
        unused = " (not used)" if name in result.unused_inputs else ""
        row = f"| {meta['label']} (`{name}`){unused} | {_value(result, name)} | {meta['unit']} |"
        if sources:
            row += f" {markdown_cell(where[name]) if name in from_example else 'given'} |"
        lines.append(row)
    lines += ["", "| Output | Value |", "| --- | ---: |"]
    lines += [f"| {'… ' * row['part']}{markdown_cell(row['label'])} | {row['value']} |" for row in summary_rows(result)]
    lines += ["", f"**Verdict:** {result.verdict}", ""]
    lines += [*(f"**Note:** {markdown_cell(note)}" for note in notes), *([""] if notes else [])]
    return "\n".join(lines)


def markdown_record(result: CostResult, from_example: list[str], **options) -> str:
    """render_markdown under a title and the command that reproduces it."""
    return "\n".join(
        [
            "# Cost record: long prompt versus fine-tune",
            "",
            "To reproduce it:",
            "",
            "```sh",
            reproduce(result),
            "```",
            "",
            render_markdown(result, from_example, **options),
        ]
    )
