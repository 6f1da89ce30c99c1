"""`decision cost`: the break-even calculator on the command line.

No silent defaults: every input is required, from flags or an `--inputs` file, unless `--example` is
given; then each input left out takes a worked example's value, and every output format says which
ones did. An input file written for the first cost model (before caching, batch work and GPU routes) is
read as it was meant then, and every output format carries a note saying so.
"""

from __future__ import annotations

from dataclasses import fields

from decision._errors import AnswerError
from decision._text import dump_json, read_text_argument, write_text_argument
from decision.cost.chart import cost_chart
from decision.cost.example import EXAMPLES
from decision.cost.inputs import EXAMPLE_KEY, is_legacy, load_inputs_text, resolve
from decision.cost.model import CHOICES, FIELDS, CostInputs, compute
from decision.cost.numbers import number
from decision.cost.render import flag, markdown_record, render_text, to_dict

HELP = "Monthly cost of a long prompt versus a fine-tune, and the volume at which tuning pays."


def register(add) -> None:
    """Add `decision cost` to the `decision` command (see decision.cli.app.SUBCOMMANDS)."""
    sub = add("cost", cmd_cost, HELP)
    sub.epilog = (
        "Every input is required (flags, or an --inputs file that flags override) unless --example is given; "
        "then each input left out takes the worked example's value and the output says which ones did. "
        "An --inputs file written before the 2026 cost model (no caching, batch or GPU inputs) is read as it "
        "was meant then, with a note. Bad input exits with code 2 and one line naming the input."
    )
    default = EXAMPLES.by_id[EXAMPLES.default]
    for item in fields(CostInputs):
        meta = item.metadata
        value = getattr(default.inputs, item.name)
        shown = value if item.name in CHOICES else number(value)
        sub.add_argument(
            flag(item.name),
            dest=item.name,
            metavar="|".join(meta["choices"]) if item.name in CHOICES else "N",
            help=f"{meta['label']} ({meta['unit']}); example: {shown}",
        )
    sub.add_argument(
        "--inputs", metavar="FILE", help="a JSON or TOML file of inputs ('-' for standard input); flags override it"
    )
    ids = ", ".join(f"{key} ({example.status})" for key, example in EXAMPLES.by_id.items())
    sub.add_argument(
        "--example",
        nargs="?",
        const=EXAMPLES.default,
        metavar="ID",
        help=f"take every input you leave out from a worked example: {ids}; default {EXAMPLES.default}",
    )
    sub.add_argument("--chart", metavar="FILE", help="also write the SVG chart to FILE")


def gather(args) -> tuple[CostInputs, list[str], tuple[str, ...]]:
    """The inputs (file, then flags over it), the names of those taken from a worked example, and notes."""
    raw = load_inputs_text(read_text_argument(args.inputs, "--inputs"), args.inputs) if args.inputs else {}
    # a file that names only the first cost model's inputs is read as that model meant it; flags are new
    first_model = is_legacy(raw)
    raw |= {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    named_example = args.example is not None and args.example != EXAMPLES.default
    if named_example:
        raw[EXAMPLE_KEY] = args.example
    default = EXAMPLES.default if args.example else None
    reading = resolve(raw, EXAMPLES.inputs(), default, EXAMPLES.legacy, first_model=first_model)
    if reading.errors:
        error = reading.errors[0]
        if error.field == EXAMPLE_KEY:
            raise AnswerError("--example", error.problem)
        missing = [e.field for e in reading.errors if e.problem == "missing"]
        if missing and error.problem == "missing":
            more = f", and {len(missing) - 1} more inputs are missing too" if len(missing) > 1 else ""
            raise AnswerError(
                error.field,
                f"missing{more}; give {flag(error.field)} (or put it in an --inputs file), "
                f"or add --example to fill what you leave out from the worked example",
            )
        raise error
    assert reading.inputs is not None
    return reading.inputs, list(reading.from_example), reading.notes


def cmd_cost(args, model=None) -> str:
    inputs, from_example, notes = gather(args)
    result = compute(inputs)
    if args.chart:
        write_text_argument(args.chart, cost_chart(result), "--chart")
    sources = EXAMPLES.by_id[args.example].sources if args.example in EXAMPLES.by_id else None
    if notes and from_example:  # a first-model request filled from the first model's example
        sources = EXAMPLES.by_id[EXAMPLES.legacy].sources
    if args.format == "json":
        return dump_json(to_dict(result, from_example, notes))
    if args.format == "markdown":
        return markdown_record(result, from_example, example_sources=sources, notes=notes)
    return render_text(result, from_example, notes)
