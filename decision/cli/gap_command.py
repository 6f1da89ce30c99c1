"""`decision gap CALCULATION`: the gap statistics on the command line.

One subcommand per calculation (bar, paired, independent, plan, cost), one flag per input. No silent
defaults: every input is required, from flags or an `--inputs` file, unless `--example` is given; then
each input left out takes the calculation's worked example's value, and every output says which did.
Alpha and power take 0.05 and 0.8 when left out, and every output shows them.
"""

from __future__ import annotations

import argparse

from decision._errors import AnswerError
from decision._text import read_text_argument, write_text_argument
from decision.gap.calculations import compute_gap
from decision.gap.chart import gap_chart
from decision.gap.examples import default_example
from decision.gap.inputs import CALCULATIONS, GapInputs, load_gap_inputs_text, parse_gap_inputs
from decision.gap.render import flag_of, gap_json, gap_markdown_record, input_text, render_text

HELP = "Is the gap real? Intervals, tests and eval sizes for accuracy scores, and the bar from the cost of an error."


def register(add) -> None:
    sub = add("gap", cmd_gap, HELP)
    calculations = sub.add_subparsers(dest="gap_calculation", required=True, parser_class=type(sub), metavar="CALC")
    for spec in CALCULATIONS.values():
        example = default_example(spec.id).inputs.values
        parser = calculations.add_parser(spec.id, help=spec.title, description=spec.help.replace("%", "%%"))
        parser.set_defaults(handler=cmd_gap)
        parser.add_argument(
            "--format", choices=("text", "json", "markdown"), default=argparse.SUPPRESS, help="output format"
        )
        for item in spec.fields:
            shown = input_text(item, example.get(item.name))
            extra = (
                f"; default {item.default:g}" if item.default is not None else ("; optional" if item.optional else "")
            )
            parser.add_argument(
                flag_of(item.name),
                dest=item.name,
                metavar="N",
                help=(item.help + (f" Example: {shown}." if shown else "") + extra).replace("%", "%%"),
            )
        parser.add_argument(
            "--inputs", metavar="FILE", help="a JSON or TOML file of inputs ('-' for standard input); flags override it"
        )
        parser.add_argument(
            "--example",
            action="store_true",
            help="take every input you leave out from this calculation's worked example",
        )
        parser.add_argument("--chart", metavar="FILE", help="also write the SVG chart to FILE")
        parser.epilog = (
            "Accuracies are proportions (0.93) or percentages with the sign (93%). "
            "Bad input exits with code 2 and one line naming the input."
        )


def gather_gap_inputs(args) -> tuple[GapInputs, list[str]]:
    """The inputs (file, then flags over it), and the names of those taken from the worked example."""
    spec = CALCULATIONS[args.gap_calculation]
    raw = load_gap_inputs_text(read_text_argument(args.inputs, "--inputs"), args.inputs) if args.inputs else {}
    raw |= {name: getattr(args, name) for name in spec.names if getattr(args, name) is not None}
    example = default_example(spec.id).inputs.values if args.example else None
    defaults = None if example is None else {k: value for k, value in example.items() if value is not None}
    try:
        inputs = parse_gap_inputs(spec.id, raw, defaults)
    except AnswerError as error:
        if error.problem.startswith("missing"):
            raise AnswerError(
                error.field,
                f"{error.problem}; give {flag_of(error.field)} (or put it in an --inputs file), "
                f"or add --example to fill what you leave out from the worked example",
            ) from None
        raise
    taken = [name for name in spec.names if name not in raw and defaults and name in defaults] if args.example else []
    return inputs, taken


def cmd_gap(args, model=None) -> str:
    inputs, from_example = gather_gap_inputs(args)
    result = compute_gap(inputs)
    if args.chart:
        write_text_argument(args.chart, gap_chart(result), "--chart")
    output = getattr(args, "format", "text")
    if output == "json":
        return gap_json(result, from_example)
    if output == "markdown":
        return gap_markdown_record(result, from_example)
    return render_text(result, from_example)
