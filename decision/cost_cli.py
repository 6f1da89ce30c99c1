"""`decision cost`: the break-even calculator on the command line.

No silent defaults: every input is required, from flags or an `--inputs` file,
unless `--example` is given; then each input left out takes the worked example's
value, and every output format says which ones did.
"""

from __future__ import annotations

import sys
from dataclasses import fields

from decision.answers import AnswerError
from decision.cost import (
    EXAMPLE,
    EXAMPLE_SOURCES,
    FIELDS,
    META,
    CostInputs,
    CostResult,
    compute,
    count,
    dumps,
    duration,
    load_inputs_text,
    money,
    number,
    parse_inputs,
    plain,
    to_dict,
)

HELP = "Monthly cost of a long prompt versus a fine-tune, and the volume at which tuning pays."


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def register(add) -> None:
    sub = add("cost", cmd_cost, HELP)
    sub.epilog = (
        "Every input is required (flags, or an --inputs file that flags override) unless --example is given; "
        "then each input left out takes the worked example's value and the output says which ones did. "
        "Bad input exits with code 2 and one line naming the input."
    )
    for item in fields(CostInputs):
        meta = item.metadata
        example = number(getattr(EXAMPLE, item.name))
        sub.add_argument(
            flag(item.name), dest=item.name, metavar="N", help=f"{meta['label']} ({meta['unit']}); example: {example}"
        )
    sub.add_argument(
        "--inputs", metavar="FILE", help="a JSON or TOML file of inputs ('-' for standard input); flags override it"
    )
    sub.add_argument(
        "--example",
        action="store_true",
        help="take every input you leave out from the worked example (gpt-4o-mini list prices, Nov 2024)",
    )
    sub.add_argument("--chart", metavar="FILE", help="also write the SVG chart to FILE")


def _read(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        detail = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise AnswerError("--inputs", f"cannot read {path!r}: {detail}") from None


def gather(args) -> tuple[CostInputs, list[str]]:
    """The inputs (file, then flags over it), and the names of those taken from the worked example."""
    raw = load_inputs_text(_read(args.inputs), args.inputs) if args.inputs else {}
    raw |= {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    try:
        inputs = parse_inputs(raw, EXAMPLE if args.example else None)
    except AnswerError as error:
        if error.problem.startswith("missing"):
            raise AnswerError(
                error.field,
                f"{error.problem}; give {flag(error.field)} (or put it in an --inputs file), "
                f"or add --example to fill what you leave out from the worked example",
            ) from None
        raise
    return inputs, [name for name in FIELDS if name not in raw] if args.example else []


def cmd_cost(args, model=None) -> str:
    inputs, from_example = gather(args)
    result = compute(inputs)
    if args.chart:
        from decision.chart import cost_chart

        try:
            with open(args.chart, "w", encoding="utf-8") as handle:
                handle.write(cost_chart(result))
        except OSError as error:
            raise AnswerError("--chart", f"cannot write {args.chart!r}: {error.strerror}") from None
    if args.format == "json":
        return dumps(to_dict(result, from_example))
    if args.format == "markdown":
        return markdown_record(result, from_example)
    return render_text(result, from_example)


def _value(result: CostResult, name: str) -> str:
    return number(getattr(result.inputs, name))


def _rows(result: CostResult) -> list[tuple[str, str]]:
    r = result
    never = "never"
    payback = never + " at this volume" if r.payback_months is None else duration(r.payback_months)
    even = never if r.break_even_calls_per_month is None else f"{count(r.break_even_calls_per_month)} calls/month"
    return [
        ("Prompting, per month", money(r.prompting_monthly)),
        ("Fine-tuned, per month", money(r.tuned_monthly)),
        ("  inference", money(r.tuned_inference_monthly)),
        ("  training (amortised)", money(r.tuned_training_monthly)),
        ("  hosting", money(r.tuned_hosting_monthly)),
        ("  operations", money(r.tuned_operations_monthly)),
        ("Saving per call", money(r.saving_per_call)),
        ("One training run", money(r.training_run)),
        ("Break-even volume", even),
        ("First run pays back", payback),
    ]


def reproduce(result: CostResult) -> str:
    return "decision cost " + " ".join(f"{flag(name)} {plain(getattr(result.inputs, name))}" for name in FIELDS)


def render_text(result: CostResult, from_example: list[str]) -> str:
    lines = ["Cost break-even: long prompt versus fine-tune", "", "Inputs"]
    for name in FIELDS:
        mark = "(example)" if name in from_example else ""
        lines.append(f"  {name:22} {_value(result, name):>12} {META[name]['unit']:14}{mark}".rstrip())
    lines += ["", f"At {count(result.inputs.calls_per_month)} calls a month"]
    lines += [f"  {label:24} {value:>16}" for label, value in _rows(result)]
    lines += ["", result.verdict, ""]
    if from_example:
        lines += ["Inputs marked (example) come from the worked example; replace them with your own.", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(result: CostResult, from_example: list[str] | None = None, *, sources: bool = True) -> str:
    """A cost record for a design document: inputs (with where each came from), costs, verdict."""
    from_example = from_example or []
    lines = ["| Input | Value | Unit | Source |" if sources else "| Input | Value | Unit |"]
    lines.append("| --- | ---: | --- | --- |" if sources else "| --- | ---: | --- |")
    for name in FIELDS:
        meta = META[name]
        row = f"| {meta['label']} (`{name}`) | {_value(result, name)} | {meta['unit']} |"
        if sources:
            row += f" {_cell(EXAMPLE_SOURCES[name]) if name in from_example else 'given'} |"
        lines.append(row)
    lines += ["", "| Output | Value |", "| --- | ---: |"]
    lines += [f"| {'… ' if label.startswith(' ') else ''}{label.strip()} | {value} |" for label, value in _rows(result)]
    lines += ["", f"**Verdict:** {result.verdict}", ""]
    return "\n".join(lines)


def markdown_record(result: CostResult, from_example: list[str]) -> str:
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
