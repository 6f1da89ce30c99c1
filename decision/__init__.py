"""Decide between a few-shot prompt, retrieval (RAG), a LoRA fine-tune, or a mix.

The public API, shared by the CLI, the docs build, the browser and the tests:

    >>> from decision import evaluate
    >>> evaluate({"needs_knowledge": "monthly"}).approach
    'rag'

Rooms below this facade: `decision.engine` (model, answers, evaluator, render), `decision.cost`
(break-even arithmetic and its chart), `decision.web` (what the browser calls), `decision.cli`
(the `decision` command), and the shared helpers `_version`, `_errors` and `_text` under them all.
"""

from decision._errors import AnswerError, ModelError
from decision._version import SCHEMA_VERSION, __version__
from decision.engine import (
    Model,
    Result,
    approach_title,
    becomes_phrase,
    check_answers,
    default_model,
    evaluate,
    fired_include_rules,
    flow_svg,
    headline,
    load_model,
    parse_answers_text,
    parse_pairs,
    reason_line,
    render_json,
    render_markdown,
    render_text,
    status_text,
    summary,
    values_phrase,
)

__all__ = [
    "SCHEMA_VERSION",
    "AnswerError",
    "Model",
    "ModelError",
    "Result",
    "__version__",
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
