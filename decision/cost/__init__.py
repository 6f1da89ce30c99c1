"""Break-even arithmetic: when does a fine-tune's shorter prompt pay for itself?

Rooms, each importing only those listed before it: `numbers` (figures in words), `model` (the inputs,
the formula, the verdict), `inputs` (reading and checking inputs), `example` (the worked example from
decision/data/cost_example.toml), `chart` (the SVG chart), `render` (JSON contract, text, Markdown).
Standard library only; the CLI (`decision.cli`) and the browser (`decision.web`) sit above it.
"""

from decision.cost.chart import RESULT_CHART_ID, cost_chart, describe_chart
from decision.cost.example import EXAMPLE, EXAMPLE_SOURCES, load_example
from decision.cost.inputs import (
    check_inputs,
    fragment_of,
    load_inputs_text,
    parse_fragment,
    parse_inputs,
    parse_inputs_text,
    parse_number,
)
from decision.cost.model import FIELDS, META, CostInputs, CostResult, compute, prompt_cost_answer
from decision.cost.numbers import count, duration, money, number, plain
from decision.cost.render import (
    flag,
    formula_markdown,
    markdown_record,
    render_markdown,
    render_text,
    reproduce,
    summary_rows,
    to_dict,
)

__all__ = [
    "EXAMPLE",
    "EXAMPLE_SOURCES",
    "FIELDS",
    "META",
    "RESULT_CHART_ID",
    "CostInputs",
    "CostResult",
    "check_inputs",
    "compute",
    "cost_chart",
    "count",
    "describe_chart",
    "duration",
    "flag",
    "formula_markdown",
    "fragment_of",
    "load_example",
    "load_inputs_text",
    "markdown_record",
    "money",
    "number",
    "parse_fragment",
    "parse_inputs",
    "parse_inputs_text",
    "parse_number",
    "plain",
    "prompt_cost_answer",
    "render_markdown",
    "render_text",
    "reproduce",
    "summary_rows",
    "to_dict",
]
