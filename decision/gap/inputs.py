"""Reading the inputs of each gap calculation: numbers or strings from flags, files and URL fragments.

Accuracies are proportions (0.91) or percentages with a sign (91%); a bare 91 is refused rather than
guessed. Counts are whole numbers (1,000 with separators is fine). Every mistake is an AnswerError
naming the input and what is allowed; `check_gap_inputs` lists every problem at once (for a form),
`parse_gap_inputs` raises the first (for the CLI).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from decision._errors import AnswerError
from decision._text import load_table_text, short_repr, without_thousands_separators
from decision.gap.stats import discordant_range

MOST_ITEMS = 1_000_000  # eval sets beyond this are not a reader's case, and keep the exact sums quick
MOST_MONEY = 1e12
ALPHA_RANGE = (0.0001, 0.5)
POWER_RANGE = (0.5, 0.9999)


@dataclass(frozen=True)
class InputField:
    name: str
    label: str
    kind: str  # count | accuracy | alpha | power | money | volume | share
    help: str
    default: float | None = None  # alpha and power only: the reader's conventional defaults, always shown
    optional: bool = False  # may be left out; the calculation then skips what needs it
    signed: bool = False  # money that may be negative
    unit: str = ""


_ALPHA = InputField("alpha", "Significance level α", "alpha", "Two-sided: 0.05 gives 95% intervals.", default=0.05)
_POWER = InputField("power", "Power", "power", "Chance of detecting a difference that is really there.", default=0.8)
_CALLS = InputField(
    "calls_per_month",
    "Calls per month",
    "volume",
    "How many requests the feature serves in a month.",
    unit="calls/month",
)
_PER_ERROR = InputField(
    "cost_per_error",
    "Cost of one error",
    "money",
    "What one wrong answer costs you: rework, refunds, a support call.",
    unit="per error",
)
_EXTRA = InputField(
    "extra_monthly_cost",
    "Extra monthly cost of the fine-tune",
    "money",
    "Fine-tuned minus prompting cost a month (the cost calculator's two totals); negative if tuning is cheaper.",
    signed=True,
    unit="per month",
)


@dataclass(frozen=True)
class Calculation:
    id: str
    title: str
    fields: tuple[InputField, ...]
    help: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> InputField:
        return next(f for f in self.fields if f.name == name)


CALCULATIONS = {
    c.id: c
    for c in (
        Calculation(
            "bar",
            "One system against a quality bar",
            (
                InputField(
                    "correct", "Items right", "count", "How many eval items the system got right.", unit="items"
                ),
                InputField("items", "Items scored", "count", "How many eval items you scored.", unit="items"),
                InputField("bar", "Quality bar", "accuracy", "The accuracy you need, as 0.93 or 93%."),
                _ALPHA,
                _POWER,
                InputField(**{**vars(_CALLS), "optional": True}),
                InputField(**{**vars(_PER_ERROR), "optional": True}),
                InputField(**{**vars(_EXTRA), "optional": True}),
            ),
            "Does one system's eval score clear a bar, and if the interval holds the bar, how many items settle it? "
            "Give the three cost inputs too to tell a gap worth a fine-tune from one to live with.",
        ),
        Calculation(
            "paired",
            "Two systems on the same items",
            (
                InputField("both_right", "Both right", "count", "Items both systems got right.", unit="items"),
                InputField(
                    "only_baseline_right",
                    "Only the baseline right",
                    "count",
                    "Items only the baseline got right.",
                    unit="items",
                ),
                InputField(
                    "only_candidate_right",
                    "Only the candidate right",
                    "count",
                    "Items only the candidate got right.",
                    unit="items",
                ),
                InputField("both_wrong", "Both wrong", "count", "Items both systems got wrong.", unit="items"),
                _ALPHA,
                _POWER,
            ),
            "Is the candidate (say a fine-tune) really better than the baseline (say the prompt) on one eval set?",
        ),
        Calculation(
            "independent",
            "Two systems on different items",
            (
                InputField(
                    "baseline_correct", "Baseline: items right", "count", "Items the baseline got right.", unit="items"
                ),
                InputField(
                    "baseline_items",
                    "Baseline: items scored",
                    "count",
                    "Items the baseline was scored on.",
                    unit="items",
                ),
                InputField(
                    "candidate_correct",
                    "Candidate: items right",
                    "count",
                    "Items the candidate got right.",
                    unit="items",
                ),
                InputField(
                    "candidate_items",
                    "Candidate: items scored",
                    "count",
                    "Items the candidate was scored on.",
                    unit="items",
                ),
                _ALPHA,
                _POWER,
            ),
            "Is the candidate really better when each system was scored on its own eval set?",
        ),
        Calculation(
            "plan",
            "Items needed to detect a difference",
            (
                InputField(
                    "baseline_accuracy", "Baseline accuracy", "accuracy", "What the baseline scores, as 0.91 or 91%."
                ),
                InputField(
                    "candidate_accuracy", "Candidate accuracy", "accuracy", "The score you hope to detect: 0.93 or 93%."
                ),
                _ALPHA,
                _POWER,
                InputField(
                    "discordant",
                    "Share of items they disagree on",
                    "share",
                    "For one eval set scored by both: the share of items exactly one system gets right.",
                    optional=True,
                ),
            ),
            "How many eval items does each system need before a difference this size shows?",
        ),
        Calculation(
            "cost",
            "The bar from the cost of an error",
            (
                _CALLS,
                _PER_ERROR,
                InputField(
                    "baseline_accuracy", "Baseline accuracy", "accuracy", "What the prompt scores, as 0.91 or 91%."
                ),
                _EXTRA,
            ),
            "What accuracy must a fine-tune reach for the errors it saves to pay its extra monthly cost?",
        ),
    )
}

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _decimal(name: str, text: str, example: str) -> Decimal:
    text = text.strip()
    text = without_thousands_separators(text)
    if not _NUMBER.fullmatch(text):
        raise AnswerError(name, f"must be a number such as {example}, got {short_repr(text)}")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise AnswerError(name, f"must be a number such as {example}, got {short_repr(text)}") from None


def parse_gap_value(spec: InputField, raw: object) -> float:
    """One input value, checked against its own limits; raises AnswerError(spec.name, ...)."""
    name, kind = spec.name, spec.kind
    example = {"count": "200", "accuracy": "0.91 or 91%", "share": "0.06 or 6%"}.get(kind, "0.05")
    percent = False
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith("%") and kind in ("accuracy", "share", "alpha", "power"):
            text, percent = text[:-1], True
        number = _decimal(name, text, example)
        if len(text) > 40:
            raise AnswerError(name, f"must be a number such as {example}, got {short_repr(raw)}")
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise AnswerError(name, f"must be a finite number, got {short_repr(raw)}")
        number = Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))
    else:
        raise AnswerError(name, f"must be a number, got {type(raw).__name__}")
    value = float(number / 100) if percent else float(number)
    if not math.isfinite(value):
        raise AnswerError(name, f"must be a finite number, got {short_repr(raw)}")
    if kind == "count":
        if value != int(value) or value < 0:
            raise AnswerError(name, f"must be a whole number of items from 0 to {MOST_ITEMS:,}, got {short_repr(raw)}")
        if value > MOST_ITEMS:
            raise AnswerError(name, f"must be at most {MOST_ITEMS:,} items, got {short_repr(raw)}")
        return int(value)
    if kind in ("accuracy", "share"):
        if not 0 <= value <= 1:
            hint = " (a percentage needs the % sign)" if 1 < value <= 100 and not percent else ""
            raise AnswerError(name, f"must be a proportion from 0 to 1 such as {example}{hint}, got {short_repr(raw)}")
        return value + 0.0
    if kind in ("alpha", "power"):
        low, high = ALPHA_RANGE if kind == "alpha" else POWER_RANGE
        if not low <= value <= high:
            raise AnswerError(
                name, f"must be from {low:g} to {high:g} (or {low * 100:g}% to {high * 100:g}%), got {short_repr(raw)}"
            )
        return value
    most = MOST_MONEY
    if abs(value) > most:
        raise AnswerError(name, f"must be at most {most:g} in size, got {short_repr(raw)}")
    if value < 0 and not spec.signed:
        raise AnswerError(name, f"cannot be negative, got {short_repr(raw)}")
    return value + 0.0  # -0.0 becomes 0.0


@dataclass(frozen=True)
class GapInputs:
    calculation: str
    values: dict[str, float | int | None] = field(hash=False)

    def __getitem__(self, name: str) -> float | None:
        return self.values[name]


def _key(raw_key: object) -> str:
    return raw_key.strip().replace("-", "_") if isinstance(raw_key, str) else ""


def input_label(raw_key: object) -> str:
    """How an unknown key is named in an error: as typed when plain, escaped and cut otherwise."""
    if isinstance(raw_key, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", raw_key):
        return raw_key
    return f"inputs[{short_repr(raw_key)}]"


def check_calculation(raw: object) -> str:
    if isinstance(raw, str) and raw.strip() in CALCULATIONS:
        return raw.strip()
    raise AnswerError("calculation", f"must be one of {', '.join(CALCULATIONS)}, got {short_repr(raw)}")


def check_gap_inputs(
    calculation: str, raw: object, defaults: Mapping[str, float] | None = None
) -> tuple[GapInputs | None, list[AnswerError]]:
    """Every problem at once; the inputs only when there is none.

    Keys are field names (kebab-case accepted); a `calculation` key, if present, must agree. A missing
    input is an error unless `defaults` supplies it or it is optional (alpha and power take 0.05 and 0.8,
    shown in every output). A saved JSON result ({"inputs": {...}}) is accepted.
    """
    spec = CALCULATIONS[check_calculation(calculation)]
    if isinstance(raw, Mapping) and isinstance(raw.get("inputs"), Mapping):
        raw = raw["inputs"]
    if not isinstance(raw, Mapping):
        return None, [AnswerError("inputs", f"must be a table of input name to number, got {type(raw).__name__}")]
    given: dict[str, object] = {}
    errors = []
    for key, value in raw.items():
        name = _key(key)
        if name == "calculation":
            if value != spec.id:
                errors.append(AnswerError("calculation", f"is {spec.id} here, got {short_repr(value)}"))
        elif name not in spec.names:
            errors.append(
                AnswerError(input_label(key), f"not an input of {spec.id}; its inputs: {', '.join(spec.names)}")
            )
        elif value is None and spec.field(name).optional:
            continue  # a saved result lists an optional input it did without as null
        elif name in given and given[name] != value:
            errors.append(AnswerError(name, f"given twice ({short_repr(given[name])} and {short_repr(value)})"))
        else:
            given[name] = value
    values: dict[str, float | None] = {}
    for item in spec.fields:
        if item.name in given:
            try:
                values[item.name] = parse_gap_value(item, given[item.name])
            except AnswerError as error:
                errors.append(error)
        elif defaults is not None and item.name in defaults:
            values[item.name] = defaults[item.name]
        elif item.default is not None:
            values[item.name] = item.default
        elif item.optional:
            values[item.name] = None
        else:
            errors.append(AnswerError(item.name, "missing"))
    if errors:
        return None, errors
    errors = _consistency(spec.id, values)
    return (None, errors) if errors else (GapInputs(spec.id, values), [])


def _consistency(calculation: str, v: dict[str, float | None]) -> list[AnswerError]:
    problems = []
    if calculation == "bar":
        if v["items"] == 0:
            problems.append(AnswerError("items", "must be at least 1"))
        elif v["correct"] > v["items"]:
            problems.append(AnswerError("correct", f"cannot exceed items ({v['items']:,.0f})"))
        if v["bar"] in (0.0, 1.0):
            problems.append(
                AnswerError("bar", "must lie strictly between 0 and 1: no eval can fall below 0% or beat 100%")
            )
        cost = [name for name in ("calls_per_month", "cost_per_error", "extra_monthly_cost") if v[name] is not None]
        if cost and len(cost) < 3:
            missing = next(
                name for name in ("calls_per_month", "cost_per_error", "extra_monthly_cost") if v[name] is None
            )
            problems.append(AnswerError(missing, f"missing: the cost inputs go together (given: {', '.join(cost)})"))
    elif calculation == "paired":
        if not any(v[name] for name in ("both_right", "only_baseline_right", "only_candidate_right", "both_wrong")):
            problems.append(AnswerError("both_right", "the four counts add up to 0 items; score at least one"))
    elif calculation == "independent":
        for side in ("baseline", "candidate"):
            if v[f"{side}_items"] == 0:
                problems.append(AnswerError(f"{side}_items", "must be at least 1"))
            elif v[f"{side}_correct"] > v[f"{side}_items"]:
                problems.append(
                    AnswerError(f"{side}_correct", f"cannot exceed {side}_items ({v[f'{side}_items']:,.0f})")
                )
    elif calculation == "plan":
        base, cand = v["baseline_accuracy"], v["candidate_accuracy"]
        if base == cand:
            problems.append(
                AnswerError("candidate_accuracy", "must differ from baseline_accuracy: no eval detects no difference")
            )
        elif v["discordant"] is not None:
            low, high = discordant_range(base, cand)
            if not low <= v["discordant"] <= high:
                problems.append(
                    AnswerError(
                        "discordant",
                        f"must be from {low:.4g} to {high:.4g} for accuracies {base:g} and {cand:g} "
                        f"(at least their difference, at most what both accuracies allow)",
                    )
                )
            elif v["discordant"] == 0:
                problems.append(AnswerError("discordant", "must be more than 0"))
    return problems


def parse_gap_inputs(calculation: str, raw: object, defaults: Mapping[str, float] | None = None) -> GapInputs:
    """Like check_gap_inputs, but raise the first problem (for the CLI)."""
    inputs, errors = check_gap_inputs(calculation, raw, defaults)
    if errors:
        missing = [e.field for e in errors if e.problem == "missing"]
        if len(missing) > 1 and errors[0].problem == "missing":
            raise AnswerError(missing[0], f"missing, and {len(missing) - 1} more inputs are missing too")
        raise errors[0]
    assert inputs is not None
    return inputs


FRAGMENT_LIMIT = 4_000  # characters; a share link is a few hundred
PAIR_LIMIT = 40


def read_gap_fragment(text: str) -> tuple[str | None, dict[str, str]]:
    """A URL fragment or query string (`calculation=bar&correct=91&...`, '#' or '?' optional) split into the
    calculation named in it (None when absent) and name -> value text. Trusts nothing: length and number of
    pairs are capped, keys must be plain names, every failure is an AnswerError."""
    if not isinstance(text, str):
        raise AnswerError("fragment", f"must be text, got {type(text).__name__}")
    if len(text) > FRAGMENT_LIMIT:
        raise AnswerError("fragment", f"is {len(text):,} characters long; at most {FRAGMENT_LIMIT:,}")
    parts = [part for part in text.removeprefix("#").removeprefix("?").split("&") if part]
    if len(parts) > PAIR_LIMIT:
        raise AnswerError("fragment", f"has {len(parts)} entries; at most {PAIR_LIMIT}")
    pairs: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        key, value = _unquoted(key, "a name"), _unquoted(value, f"the value of {short_repr(key)}")
        if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,39}", key.strip()):
            raise AnswerError("fragment", f"expected name=value with a plain name, got {short_repr(part)}")
        name = _key(key)
        if name in pairs and pairs[name] != value:
            raise AnswerError(name, f"given twice ({short_repr(pairs[name])} and {short_repr(value)})")
        pairs[name] = value
    calculation = pairs.pop("calculation", None)
    if calculation is not None:
        check_calculation(calculation)
    return calculation, pairs


def _unquoted(text: str, what: str) -> str:
    try:
        return unquote(text.replace("+", " "), errors="strict")
    except UnicodeDecodeError:
        raise AnswerError("fragment", f"{what} is not UTF-8 text") from None


def load_gap_inputs_text(text: str, source: str) -> dict:
    """The raw table in a JSON or TOML file's text (name -> value, or a saved JSON result), unchecked."""
    data = load_table_text(text, source, "inputs", "input name to number")
    return {(_key(key) or key): value for key, value in data.items()}
