"""Decide between a few-shot prompt, retrieval (RAG), a LoRA fine-tune, or a mix.

The public API, shared by the CLI, the docs build, the browser and the tests:

    >>> from decision import evaluate
    >>> evaluate({"needs_knowledge": "changing"}).approach
    'rag'
"""

__version__ = "0.1.0"

from decision.answers import AnswerError, check_answers, parse_answers_text, parse_pairs
from decision.evaluator import Result, evaluate
from decision.model import Model, ModelError, default_model, load_model
from decision.render import render_json, render_markdown, render_text

__all__ = [
    "AnswerError",
    "Model",
    "ModelError",
    "Result",
    "__version__",
    "check_answers",
    "default_model",
    "evaluate",
    "load_model",
    "parse_answers_text",
    "parse_pairs",
    "render_json",
    "render_markdown",
    "render_text",
]
