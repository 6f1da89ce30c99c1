"""The worked examples (decision/data/cost_examples.toml): a value and a dated source for every cost input.

Checked on load: a missing or unknown input, a value outside its limits, a source that is not listed, or
a default or legacy example that does not exist raises ModelError naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from decision._errors import AnswerError, ModelError
from decision.cost.inputs import check_inputs
from decision.cost.model import FIELDS, CostInputs

EXAMPLES_FILE = "data/cost_examples.toml"
STATUSES = ("current", "historical")


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    status: str  # "current", or "historical" when the offer behind its prices has ended or is ending
    checked: str  # ISO date the prices were read
    note: str
    note_source: str | None  # the source of the dates or facts in `note`, if it states any
    inputs: CostInputs
    sources: dict[str, str]  # input -> where its value came from, in words
    source_ids: dict[str, str]  # input -> source id (a docs/sources id, or "assumed")


@dataclass(frozen=True)
class Examples:
    by_id: dict[str, Example]
    default: str
    legacy: str

    def inputs(self) -> dict[str, CostInputs]:
        return {key: example.inputs for key, example in self.by_id.items()}


def load_examples(path: Path | None = None) -> Examples:
    """Every worked example, the default one and the legacy one (the packaged file by default)."""
    if path is None:
        source = f"decision/{EXAMPLES_FILE}"
        text = resources.files("decision").joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ModelError(source, "(file)", f"cannot be read: {error.strerror}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ModelError(source, "(syntax)", str(error)) from None
    return _read(raw, source)


def _text(value, source: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(source, where, "must be a non-empty string")
    return value.strip()


def _sources(table, source: str) -> dict[str, str]:
    if not isinstance(table, dict) or not table:
        raise ModelError(source, "sources", "must be a non-empty table")
    labels = {}
    for key, entry in table.items():
        where = f"sources.{key}"
        if not isinstance(entry, dict):
            raise ModelError(source, where, "must be a table with label and an optional checked date")
        unknown = sorted(set(entry) - {"label", "checked"})
        if unknown:
            raise ModelError(source, f"{where}.{unknown[0]}", "unknown key; allowed: checked, label")
        label = _text(entry.get("label"), source, f"{where}.label")
        checked = entry.get("checked")
        if checked is not None and (isinstance(checked, dt.datetime) or not isinstance(checked, dt.date)):
            raise ModelError(source, f"{where}.checked", "must be a TOML date such as 2026-11-30")
        labels[key] = label + (f", checked {checked.isoformat()}" if checked else "")
    return labels


def _note_source(value, labels: dict[str, str], source: str, where: str) -> str | None:
    if value is None:
        return None
    if value not in labels or value == "assumed":
        named = ", ".join(key for key in labels if key != "assumed")
        raise ModelError(source, where, f"must be one of {named}, got {value!r}")
    return value


def _example(entry, n: int, labels: dict[str, str], source: str) -> Example:
    here = f"examples[{n}]"
    if not isinstance(entry, dict):
        raise ModelError(source, here, "must be a table")
    unknown = sorted(set(entry) - {"id", "title", "status", "checked", "note", "note_source", "inputs"})
    if unknown:
        raise ModelError(
            source,
            f"{here}.{unknown[0]}",
            "unknown key; allowed: checked, id, inputs, note, note_source, status, title",
        )
    ident = _text(entry.get("id"), source, f"{here}.id")
    here = f"examples.{ident}"
    status = entry.get("status")
    if status not in STATUSES:
        raise ModelError(source, f"{here}.status", f"must be one of {', '.join(STATUSES)}, got {status!r}")
    checked = entry.get("checked")
    if isinstance(checked, dt.datetime) or not isinstance(checked, dt.date):
        raise ModelError(source, f"{here}.checked", "must be a TOML date such as 2026-11-30")
    entries = entry.get("inputs")
    if not isinstance(entries, dict) or not entries:
        raise ModelError(source, f"{here}.inputs", "must be a non-empty table")
    values: dict[str, object] = {}
    notes: dict[str, str] = {}
    ids: dict[str, str] = {}
    for name, item in entries.items():
        where = f"{here}.inputs.{name}"
        if name not in FIELDS:
            raise ModelError(source, where, "unknown input; known inputs: " + ", ".join(FIELDS))
        if not isinstance(item, dict):
            raise ModelError(source, where, "must be a table with value, source and an optional note")
        extra = sorted(set(item) - {"value", "source", "note"})
        if extra:
            raise ModelError(source, f"{where}.{extra[0]}", "unknown key; allowed: note, source, value")
        if "value" not in item:
            raise ModelError(source, f"{where}.value", "is required")
        named = item.get("source")
        if named not in labels:
            raise ModelError(source, f"{where}.source", f"must be one of {', '.join(labels)}, got {named!r}")
        note = item.get("note", "")
        if not isinstance(note, str):
            raise ModelError(source, f"{where}.note", "must be a string")
        values[name], ids[name] = item["value"], named
        notes[name] = labels[named] + (f"; {note}" if note else "")
    missing = [name for name in FIELDS if name not in entries]
    if missing:
        raise ModelError(source, f"{here}.inputs", f"missing {', '.join(missing)}")
    inputs, errors = check_inputs(values)
    if errors:
        first: AnswerError = errors[0]
        raise ModelError(source, f"{here}.inputs.{first.field}.value", first.problem)
    assert inputs is not None
    return Example(
        id=ident,
        title=_text(entry.get("title"), source, f"{here}.title"),
        status=status,
        checked=checked.isoformat(),
        note=_text(entry.get("note"), source, f"{here}.note"),
        note_source=_note_source(entry.get("note_source"), labels, source, f"{here}.note_source"),
        inputs=inputs,
        sources={name: notes[name] for name in FIELDS},
        source_ids={name: ids[name] for name in FIELDS},
    )


def _read(raw: dict, source: str) -> Examples:
    unknown = sorted(set(raw) - {"default", "legacy", "sources", "examples"})
    if unknown:
        raise ModelError(source, unknown[0], "unknown key; allowed: default, examples, legacy, sources")
    labels = _sources(raw.get("sources"), source)
    entries = raw.get("examples")
    if not isinstance(entries, list) or not entries:
        raise ModelError(source, "examples", "needs at least one [[examples]] entry")
    by_id: dict[str, Example] = {}
    for n, entry in enumerate(entries):
        example = _example(entry, n, labels, source)
        if example.id in by_id:
            raise ModelError(source, f"examples.{example.id}", "id given twice")
        by_id[example.id] = example
    picks = {}
    for key in ("default", "legacy"):
        value = raw.get(key)
        if value not in by_id:
            raise ModelError(source, key, f"must be the id of an example ({', '.join(by_id)}), got {value!r}")
        picks[key] = value
    if by_id[picks["default"]].status != "current":
        raise ModelError(source, "default", "must name a current example, not a historical one")
    return Examples(by_id=by_id, **picks)


EXAMPLES = load_examples()
EXAMPLE = EXAMPLES.by_id[EXAMPLES.default].inputs
EXAMPLE_SOURCES = EXAMPLES.by_id[EXAMPLES.default].sources
