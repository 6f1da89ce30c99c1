"""The cost result in words: the JSON contract, summary rows, a terminal report and a Markdown record."""

from __future__ import annotations

from decision._text import markdown_cell
from decision._version import SCHEMA_VERSION, __version__
from decision.cost.example import EXAMPLE_SOURCES
from decision.cost.model import DECIMALS, FIELDS, META, CostResult, prompt_cost_answer
from decision.cost.numbers import count, duration, money, number, plain

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


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS) + 0.0


def to_dict(result: CostResult, from_example: list[str] | tuple[str, ...] = ()) -> dict:
    """The JSON contract (decision/data/schemas/cost.schema.json), shared by the CLI and the browser.

    Every input by name (and which ones came from the worked example), the monthly costs, the break-even
    point and the verdict; floats rounded to 9 decimals so the bytes are the same on every Python."""
    r = result
    return {
        "schema_version": SCHEMA_VERSION,
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


def _row(label: str, value: str, *, part: bool = False) -> dict:
    return {"label": label, "value": value, "part": part}


def summary_rows(result: CostResult) -> list[dict]:
    """The result figures in words, in the order every surface shows them: [{label, value, part}], where
    `part` marks a component of the fine-tune's monthly cost (shown indented under it)."""
    r = result
    payback = "never at this volume" if r.payback_months is None else duration(r.payback_months)
    even = "never" if r.break_even_calls_per_month is None else f"{count(r.break_even_calls_per_month)} calls/month"
    return [
        _row("Prompting, per month", money(r.prompting_monthly)),
        _row("Fine-tuned, per month", money(r.tuned_monthly)),
        _row("inference", money(r.tuned_inference_monthly), part=True),
        _row("training (amortised)", money(r.tuned_training_monthly), part=True),
        _row("hosting", money(r.tuned_hosting_monthly), part=True),
        _row("operations", money(r.tuned_operations_monthly), part=True),
        _row("Saving per call", money(r.saving_per_call)),
        _row("One training run", money(r.training_run)),
        _row("Break-even volume", even),
        _row("First run pays back", payback),
    ]


def flag(name: str) -> str:
    """The command-line flag of an input: calls_per_month -> --calls-per-month."""
    return "--" + name.replace("_", "-")


def reproduce(result: CostResult) -> str:
    """The `decision cost` command line that prints this result again."""
    return "decision cost " + " ".join(f"{flag(name)} {plain(getattr(result.inputs, name))}" for name in FIELDS)


def _value(result: CostResult, name: str) -> str:
    return number(getattr(result.inputs, name))


def render_text(result: CostResult, from_example: list[str]) -> str:
    """A terminal report: inputs (marking those from the worked example), costs, verdict."""
    lines = ["Cost break-even: long prompt versus fine-tune", "", "Inputs"]
    for name in FIELDS:
        mark = "(example)" if name in from_example else ""
        lines.append(f"  {name:22} {_value(result, name):>12} {META[name]['unit']:14}{mark}".rstrip())
    lines += ["", f"At {count(result.inputs.calls_per_month)} calls a month"]
    lines += [f"  {'  ' * row['part'] + row['label']:24} {row['value']:>16}" for row in summary_rows(result)]
    lines += ["", result.verdict, ""]
    if from_example:
        lines += ["Inputs marked (example) come from the worked example; replace them with your own.", ""]
    return "\n".join(lines)


def render_markdown(result: CostResult, from_example: list[str] | None = None, *, sources: bool = True) -> str:
    """A cost record for a design document: inputs (with where each came from), costs, verdict."""
    from_example = from_example or []
    lines = ["| Input | Value | Unit | Source |" if sources else "| Input | Value | Unit |"]
    lines.append("| --- | ---: | --- | --- |" if sources else "| --- | ---: | --- |")
    for name in FIELDS:
        meta = META[name]
        row = f"| {meta['label']} (`{name}`) | {_value(result, name)} | {meta['unit']} |"
        if sources:
            row += f" {markdown_cell(EXAMPLE_SOURCES[name]) if name in from_example else 'given'} |"
        lines.append(row)
    lines += ["", "| Output | Value |", "| --- | ---: |"]
    lines += [f"| {'… ' * row['part']}{markdown_cell(row['label'])} | {row['value']} |" for row in summary_rows(result)]
    lines += ["", f"**Verdict:** {result.verdict}", ""]
    return "\n".join(lines)


def markdown_record(result: CostResult, from_example: list[str]) -> str:
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
            render_markdown(result, from_example),
        ]
    )
