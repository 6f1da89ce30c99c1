"""The worked examples (decision/gap/examples.toml), checked on load: each names a calculation, and its
inputs pass that calculation's checks. A broken file raises ModelError naming the example and the key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from decision._errors import AnswerError, ModelError
from decision.gap.inputs import CALCULATIONS, GapInputs, check_gap_inputs

EXAMPLES_FILE = "gap/examples.toml"
_KEYS = {"id", "calculation", "title", "source", "claim", "inputs"}
_LINKED = "from_cost_example"  # optional: inputs taken from the cost calculator's worked example


@dataclass(frozen=True)
class WorkedExample:
    id: str
    calculation: str
    title: str
    source: str
    claim: str
    inputs: GapInputs


def read_examples(text: str, source: str) -> tuple[WorkedExample, ...]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ModelError(source, "(syntax)", str(error)) from None
    entries = raw.get("examples")
    if set(raw) != {"examples"} or not isinstance(entries, list) or not entries:
        raise ModelError(source, "examples", "must be the only key: a non-empty array of tables")
    found, seen = [], set()
    for index, entry in enumerate(entries):
        where = f"examples[{index}]"
        if not isinstance(entry, dict) or not _KEYS <= set(entry) <= _KEYS | {_LINKED}:
            raise ModelError(source, where, f"must have the keys {', '.join(sorted(_KEYS))}, and may have {_LINKED}")
        if entry["id"] in seen:
            raise ModelError(source, f"{where}.id", f"{entry['id']!r} is used twice")
        seen.add(entry["id"])
        if entry["calculation"] not in CALCULATIONS:
            raise ModelError(source, f"{where}.calculation", f"must be one of {', '.join(CALCULATIONS)}")
        linked = entry.get(_LINKED, [])
        if not isinstance(linked, list) or not set(linked) <= set(cost_example_figures()):
            raise ModelError(source, f"{where}.{_LINKED}", f"may list only {', '.join(cost_example_figures())}")
        raw = dict(entry["inputs"]) if isinstance(entry["inputs"], dict) else entry["inputs"]
        if isinstance(raw, dict):
            raw |= {name: cost_example_figures()[name] for name in linked}
        inputs, errors = check_gap_inputs(entry["calculation"], raw)
        if errors or inputs is None:
            error: AnswerError = errors[0]
            raise ModelError(source, f"{where}.inputs.{error.field}", error.problem)
        texts = {key: entry[key] for key in ("id", "title", "source", "claim")}
        for key, value in texts.items():
            if not isinstance(value, str) or not value.strip():
                raise ModelError(source, f"{where}.{key}", "must be a non-empty string")
        found.append(WorkedExample(calculation=entry["calculation"], inputs=inputs, **texts))
    missing = [name for name in CALCULATIONS if name not in {example.calculation for example in found}]
    if missing:
        raise ModelError(source, "examples", f"no example for {', '.join(missing)}")
    return tuple(found)


@cache
def cost_example_figures() -> dict[str, float]:
    """From the cost calculator's worked example: its volume, and what the fine-tune costs beyond prompting a
    month, to the cent."""
    from decision.cost import EXAMPLE, compute

    result = compute(EXAMPLE)
    return {
        "calls_per_month": EXAMPLE.calls_per_month,
        "extra_monthly_cost": round(result.tuned_monthly - result.prompting_monthly, 2),
    }


@cache
def worked_examples() -> tuple[WorkedExample, ...]:
    """The packaged examples, read once."""
    text = resources.files("decision").joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")
    return read_examples(text, f"decision/{EXAMPLES_FILE}")


def default_example(calculation: str) -> WorkedExample:
    """The first example of a calculation: what `--example` fills left-out inputs from."""
    return next(example for example in worked_examples() if example.calculation == calculation)
