"""The decision engine: the model file, answers, the evaluator and its three renderings.

Pure and standard library only. It imports only the shared helpers (`decision._errors`,
`decision._text`, `decision._version`); the cost model, the browser adapters and the CLI sit above it.
"""

from decision.engine.answers import check_answers, parse_answers_text, parse_pairs
from decision.engine.evaluator import Result, evaluate
from decision.engine.flow import fired_include_rules, flow_svg, values_phrase
from decision.engine.model import Model, default_model, load_model
from decision.engine.render import (
    approach_title,
    becomes_phrase,
    headline,
    reason_line,
    render_json,
    render_markdown,
    render_text,
    status_text,
    summary,
)

__all__ = [
    "Model",
    "Result",
    "approach_title",
    "becomes_phrase",
    "check_answers",
    "default_model",
    "evaluate",
    "fired_include_rules",
    "flow_svg",
    "headline",
    "load_model",
    "parse_answers_text",
    "parse_pairs",
    "reason_line",
    "render_json",
    "render_markdown",
    "render_text",
    "status_text",
    "summary",
    "values_phrase",
]
