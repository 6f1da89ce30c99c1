"""Reading cost inputs: numbers, route names and strings from flags, files and URL fragments, each checked.

Every mistake is an AnswerError naming the input; `check_inputs` lists every problem at once (for a form),
`parse_inputs` raises the first (for the CLI). `resolve` reads a whole request (a fragment, a file's table
or a saved result) the same way for every surface: which worked example fills what it leaves out, and
whether it was written for the cost model before prompt caching (then it opens with a note, see LEGACY_NOTE).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus

from decision._errors import AnswerError
from decision._text import load_table_text, short_repr, without_thousands_separators
from decision.cost.model import ADDED_IN_2026, CHOICES, FIELDS, META, SMALLEST, TOKENS, CostInputs
from decision.cost.numbers import count, plain

EXAMPLE_KEY = "example"  # a request may name the worked example that fills what it leaves out

# What a request written for the first cost model (no caching, no batch, per-token routes, no one-off cost)
# meant by the inputs added in 2026; the cached prices follow the uncached ones, so they change nothing.
LEGACY_VALUES = {
    "cached_share": 0.0,
    "tuned_cached_share": 0.0,
    "batch_share": 0.0,
    "batch_discount": 0.0,
    "base_route": TOKENS,
    "base_gpu_price_per_hour": 0.0,
    "base_gpu_hours_per_month": 0.0,
    "base_calls_per_gpu_hour": 0.0,
    "tuned_route": TOKENS,
    "tuned_gpu_price_per_hour": 0.0,
    "tuned_gpu_hours_per_month": 0.0,
    "tuned_calls_per_gpu_hour": 0.0,
    "one_off_cost": 0.0,
}
LEGACY_FOLLOWS = {"base_cached_input_price": "base_input_price", "tuned_cached_input_price": "tuned_input_price"}
LEGACY_NOTE = (
    "These inputs were written for the calculator before it priced prompt caching, batch work and GPU "
    "hosting (cost model 2, 2026-11-30). They were read as they were meant then: no cached prompt tokens "
    "(cached_share and tuned_cached_share 0, cached prices equal to the input prices), no batch work, both "
    "models billed per token, and no one-off cost. Inputs left out come from the 2024 gpt-4o-mini example "
    "that the calculator used then. Change any of these to see what caching or a GPU route would do."
)


def parse_number(name: str, raw: object) -> float:
    """One numeric input value, checked against its own limits; raises AnswerError(name, ...)."""
    meta = META[name]
    if isinstance(raw, str):
        text = raw.strip()
        text = without_thousands_separators(text)
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


def parse_choice(name: str, raw: object) -> str:
    """One choice input (a route): exactly one of its allowed words, case and spaces ignored."""
    allowed = META[name]["choices"]
    if isinstance(raw, str) and raw.strip().lower() in allowed:
        return raw.strip().lower()
    return _raise(AnswerError(name, f"must be one of {', '.join(allowed)}, got {short_repr(raw)}"))


def _raise(error: AnswerError):
    raise error


def parse_value(name: str, raw: object) -> float | str:
    return parse_choice(name, raw) if name in CHOICES else parse_number(name, raw)


def _consistency(v: Mapping[str, object]) -> list[AnswerError]:
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
    for side in ("base", "tuned"):
        if v[f"{side}_route"] == TOKENS:
            cached, uncached = f"{side}_cached_input_price", f"{side}_input_price"
            if v[cached] > v[uncached]:
                problems.append(
                    AnswerError(
                        cached,
                        f"cannot exceed {uncached} ({plain(v[uncached])}): a cached input token costs at most "
                        f"an uncached one",
                    )
                )
        else:
            hours, per_hour = f"{side}_gpu_hours_per_month", f"{side}_calls_per_gpu_hour"
            given = [name for name in (hours, per_hour) if v[name] > 0]
            if len(given) != 1:
                problem = "both are" if given else "neither is"
                problems.append(
                    AnswerError(
                        hours,
                        f"{side}_route is gpu: give either {hours} (GPU-hours paid each month) or {per_hour} "
                        f"(calls one GPU-hour serves), and 0 for the other; {problem} set",
                    )
                )
    return problems


def _name(key: object) -> object:
    return key.strip().replace("-", "_") if isinstance(key, str) else key


def check_inputs(raw: object, defaults: CostInputs | None = None) -> tuple[CostInputs | None, list[AnswerError]]:
    """Every problem at once (for a form); the inputs only when there is none.

    Keys are field names (kebab-case accepted). A missing input is an error unless `defaults` supplies
    it. A saved JSON result ({"inputs": {...}}) is accepted.
    """
    if isinstance(raw, Mapping) and isinstance(raw.get("inputs"), Mapping):
        raw = raw["inputs"]
    if not isinstance(raw, Mapping):
        return None, [AnswerError("inputs", f"must be a table of input name to value, got {type(raw).__name__}")]
    given: dict[str, object] = {}
    errors = []
    for key, value in raw.items():
        name = _name(key)
        if name not in META:
            errors.append(AnswerError(short_repr(key, 60) if not isinstance(key, str) else key, _unknown()))
        elif name in given and given[name] != value:
            errors.append(AnswerError(name, f"given twice ({short_repr(given[name])} and {short_repr(value)})"))
        else:
            given[name] = value
    values: dict[str, object] = {}
    for name in FIELDS:
        if name in given:
            try:
                values[name] = parse_value(name, given[name])
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
    data = load_table_text(text, source, "inputs", "input name to value")
    return {_name(key): value for key, value in data.items()}


def parse_inputs_text(text: str, source: str, defaults: CostInputs | None = None) -> CostInputs:
    """Checked inputs from a JSON or TOML file's text (no legacy reading: see `resolve` for that)."""
    return parse_inputs(load_inputs_text(text, source), defaults)


def fragment_of(inputs: CostInputs) -> str:
    """The canonical share fragment (no '#'): every input by field name, as a form would show it."""
    return "&".join(f"{name}={form_value(getattr(inputs, name))}" for name in FIELDS)


def form_value(value: float | str) -> str:
    """An input as a form, a fragment or a command line shows it: 1000000, 0.15, gpu."""
    return value if isinstance(value, str) else plain(value)


# ---------------------------------------------------------------- one reading of a request for every surface


@dataclass(frozen=True)
class Reading:
    """A request read: the inputs (None on a mistake), every problem, the names filled from an example,
    the example's id, notes to show beside the result (the legacy note), and what the request itself gave
    (names normalised, the example key left out)."""

    inputs: CostInputs | None
    errors: tuple[AnswerError, ...]
    from_example: tuple[str, ...]
    example: str | None
    notes: tuple[str, ...]
    raw: Mapping


def is_legacy(names) -> bool:
    """A request that names inputs but none of those added in 2026 (nor an example) was written for the
    first cost model."""
    names = set(names)
    return bool(names & set(FIELDS)) and not names & (set(ADDED_IN_2026) | {EXAMPLE_KEY})


def resolve(
    raw: object, examples: Mapping, default: str | None, legacy: str, *, first_model: bool | None = None
) -> Reading:
    """Read a request (a mapping of input names to values, or a saved result) for any surface.

    `examples` maps example ids to CostInputs. `example=<id>` in the request picks the one that fills the
    inputs it leaves out; without it `default` does (None: nothing is filled and every input is required).
    A request for the first cost model (see is_legacy) is read as it was meant then: the inputs added in
    2026 take LEGACY_VALUES (the cached prices follow the uncached ones), left-out inputs come from the
    `legacy` example when anything is filled at all, and LEGACY_NOTE says so. `first_model` overrides the
    detection (the command line decides it from the input file alone, not from the flags).
    """
    if isinstance(raw, Mapping) and isinstance(raw.get("inputs"), Mapping):
        raw = raw["inputs"]
    if not isinstance(raw, Mapping):
        error = AnswerError("inputs", f"must be a table of input name to value, got {type(raw).__name__}")
        return Reading(None, (error,), (), None, (), {})
    named = {_name(key): value for key, value in raw.items()}
    given = {key: value for key, value in named.items() if key != EXAMPLE_KEY}  # what the request itself said
    example_id, notes = default, ()
    if EXAMPLE_KEY in named:
        chosen = named.pop(EXAMPLE_KEY)
        if not (isinstance(chosen, str) and chosen.strip() in examples):
            error = AnswerError(EXAMPLE_KEY, f"must be one of {', '.join(examples)}, got {short_repr(chosen)}")
            return Reading(None, (error,), (), None, (), given)
        example_id = chosen.strip()
    elif is_legacy(named) if first_model is None else first_model:
        example_id = legacy if default is not None else None
        filled = dict(LEGACY_VALUES)
        for cached, uncached in LEGACY_FOLLOWS.items():
            if uncached in named:
                filled[cached] = named[uncached]
            elif example_id is not None:
                filled[cached] = getattr(examples[example_id], uncached)
        named = filled | named
        notes = (LEGACY_NOTE,)
    defaults = examples[example_id] if example_id is not None else None
    inputs, errors = check_inputs(named, defaults)
    from_example = tuple(name for name in FIELDS if name not in named) if defaults is not None and inputs else ()
    return Reading(inputs, tuple(errors), from_example, example_id, notes, given)
