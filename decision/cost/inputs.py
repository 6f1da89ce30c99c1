"""Reading cost inputs: numbers or strings from flags, files and URL fragments, each checked against its limits.

Every mistake is an AnswerError naming the input; `check_inputs` lists every problem at once (for a form),
`parse_inputs` raises the first (for the CLI).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from urllib.parse import unquote_plus

from decision._errors import AnswerError
from decision._text import load_table_text, short_repr
from decision.cost.model import FIELDS, META, SMALLEST, CostInputs
from decision.cost.numbers import count, plain

_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def parse_number(name: str, raw: object) -> float:
    """One input value, checked against its own limits; raises AnswerError(name, ...)."""
    meta = META[name]
    if isinstance(raw, str):
        text = raw.strip()
        text = text.replace(",", "") if _GROUPED.fullmatch(text) else text
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(name, f"must be a number such as 1000 or 0.15, got {short_repr(raw)}") from None
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            value = float(raw)
        except OverflowError:
            raise AnswerError(name, f"must be at most {meta['max']:g}") from None
    else:
        raise AnswerError(name, f"must be a number, got {type(raw).__name__}")
    if not math.isfinite(value):
        raise AnswerError(name, f"must be a finite number, got {short_repr(raw)}")
    if value < 0:
        raise AnswerError(name, f"cannot be negative, got {short_repr(raw)}")
    if 0 < value < SMALLEST:
        raise AnswerError(name, f"must be 0 or at least {SMALLEST:g}, got {short_repr(raw)}")
    if value > meta["max"]:
        raise AnswerError(name, f"must be at most {meta['max']:g}, got {short_repr(raw)}")
    if meta["whole"] and value != int(value):
        raise AnswerError(name, f"must be a whole number, got {short_repr(raw)}")
    return value + 0.0  # -0.0 becomes 0.0


def _consistency(v: Mapping[str, float]) -> list[AnswerError]:
    problems = []
    if v["tuned_prompt_tokens"] > v["prompt_tokens"]:
        problems.append(
            AnswerError(
                "tuned_prompt_tokens",
                f"cannot exceed prompt_tokens ({count(v['prompt_tokens'])}): tuning removes prompt tokens, "
                f"it cannot remove more than the prompt has",
            )
        )
    if v["training_examples"] > 0:
        for name, what in (("tokens_per_example", "tokens"), ("epochs", "epochs"), ("retrains_per_year", "runs")):
            if v[name] == 0:
                problems.append(AnswerError(name, f"must be more than 0 when there are training examples (no {what})"))
    return problems


def check_inputs(raw: object, defaults: CostInputs | None = None) -> tuple[CostInputs | None, list[AnswerError]]:
    """Every problem at once (for a form); the inputs only when there is none.

    Keys are field names (kebab-case accepted). A missing input is an error
    unless `defaults` supplies it. A saved JSON result ({"inputs": {...}}) is accepted.
    """
    if isinstance(raw, Mapping) and isinstance(raw.get("inputs"), Mapping):
        raw = raw["inputs"]
    if not isinstance(raw, Mapping):
        return None, [AnswerError("inputs", f"must be a table of input name to number, got {type(raw).__name__}")]
    given: dict[str, object] = {}
    errors = []
    for key, value in raw.items():
        name = key.strip().replace("-", "_") if isinstance(key, str) else key
        if name not in META:
            errors.append(AnswerError(short_repr(key, 60) if not isinstance(key, str) else key, _unknown()))
        elif name in given and given[name] != value:
            errors.append(AnswerError(name, f"given twice ({short_repr(given[name])} and {short_repr(value)})"))
        else:
            given[name] = value
    values: dict[str, float] = {}
    for name in FIELDS:
        if name in given:
            try:
                values[name] = parse_number(name, given[name])
            except AnswerError as error:
                errors.append(error)
        elif defaults is not None:
            values[name] = getattr(defaults, name)
        else:
            errors.append(AnswerError(name, "missing"))
    if errors:
        return None, errors
    errors = _consistency(values)
    return (None, errors) if errors else (CostInputs(**values), [])


def _unknown() -> str:
    return "unknown input; known inputs: " + ", ".join(FIELDS)


def parse_inputs(raw: object, defaults: CostInputs | None = None) -> CostInputs:
    """Like check_inputs, but raise the first problem (for the CLI)."""
    inputs, errors = check_inputs(raw, defaults)
    if errors:
        missing = [e.field for e in errors if e.problem == "missing"]
        if len(missing) > 1 and errors[0].problem == "missing":
            raise AnswerError(missing[0], f"missing, and {len(missing) - 1} more inputs are missing too")
        raise errors[0]
    assert inputs is not None
    return inputs


def parse_fragment(text: str) -> dict[str, str]:
    """Split a URL fragment or query string (`a=1&b=2`, '#' or '?' optional) into name -> value text, unchecked.

    Strict: raises AnswerError for a pair without '=' or a name given twice with different values.
    """
    pairs: dict[str, str] = {}
    for part in text.lstrip("#?").split("&"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = unquote_plus(key), unquote_plus(value)
        if not sep or not key.strip():
            raise AnswerError("fragment", f"expected name=value, got {short_repr(part)}")
        name = key.strip().replace("-", "_")
        if name in pairs and pairs[name] != value:
            raise AnswerError(name, f"given twice ({short_repr(pairs[name])} and {short_repr(value)})")
        pairs[name] = value
    return pairs


def load_inputs_text(text: str, source: str) -> dict:
    """The raw table in a JSON or TOML file's text (name -> value, or a saved JSON result), unchecked."""
    data = load_table_text(text, source, "inputs", "input name to number")
    return {key.strip().replace("-", "_") if isinstance(key, str) else key: value for key, value in data.items()}


def parse_inputs_text(text: str, source: str, defaults: CostInputs | None = None) -> CostInputs:
    """Checked inputs from a JSON or TOML file's text."""
    return parse_inputs(load_inputs_text(text, source), defaults)


def fragment_of(inputs: CostInputs) -> str:
    """The canonical share fragment (no '#'): every input by field name, as a form would show it."""
    return "&".join(f"{name}={plain(getattr(inputs, name))}" for name in FIELDS)
