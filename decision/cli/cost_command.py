"""`decision cost`: the break-even calculator on the command line.

No silent defaults: every input is required, from flags or an `--inputs` file,
unless `--example` is given; then each input left out takes the worked example's
value, and every output format says which ones did.
"""

from __future__ import annotations

from dataclasses import fields

from decision._errors import AnswerError
from decision._text import dump_json, read_text_argument
from decision.cost.chart import cost_chart
from decision.cost.example import EXAMPLE
from decision.cost.inputs import load_inputs_text, parse_inputs
from decision.cost.model import FIELDS, CostInputs, compute
from decision.cost.numbers import number
from decision.cost.render import flag, markdown_record, render_text, to_dict

HELP = "Monthly cost of a long prompt versus a fine-tune, and the volume at which tuning pays."


def register(add) -> None:
    """Add `decision cost` to the `decision` command (see decision.cli.app.SUBCOMMANDS)."""
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


def gather(args) -> tuple[CostInputs, list[str]]:
    """The inputs (file, then flags over it), and the names of those taken from the worked example."""
    raw = load_inputs_text(read_text_argument(args.inputs, "--inputs"), args.inputs) if args.inputs else {}
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
        try:
            with open(args.chart, "w", encoding="utf-8") as handle:
                handle.write(cost_chart(result))
        except OSError as error:
            raise AnswerError("--chart", f"cannot write {args.chart!r}: {error.strerror}") from None
    if args.format == "json":
        return dump_json(to_dict(result, from_example))
    if args.format == "markdown":
        return markdown_record(result, from_example)
    return render_text(result, from_example)
