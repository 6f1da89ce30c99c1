"""The worked example (decision/data/cost_example.toml): a value and a source for every cost input.

Checked on load: a missing or unknown input, a value outside its limits, or a source that is not
listed raises ModelError naming the file and the key.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from decision._errors import AnswerError, ModelError
from decision.cost.inputs import check_inputs
from decision.cost.model import FIELDS, CostInputs

EXAMPLE_FILE = "data/cost_example.toml"


def load_example(path: Path | None = None) -> tuple[CostInputs, dict[str, str]]:
    """The example's inputs and, per input, where its value came from (the packaged file by default)."""
    if path is None:
        source = f"decision/{EXAMPLE_FILE}"
        text = resources.files("decision").joinpath(EXAMPLE_FILE).read_text(encoding="utf-8")
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
    return _read_example(raw, source)


def _read_example(raw: dict, source: str) -> tuple[CostInputs, dict[str, str]]:
    for key in raw:
        if key not in ("sources", "inputs"):
            raise ModelError(source, key, "unknown key; allowed: inputs, sources")
    sources, entries = raw.get("sources"), raw.get("inputs")
    for key, table in (("sources", sources), ("inputs", entries)):
        if not isinstance(table, dict) or not table:
            raise ModelError(source, key, "must be a non-empty table")
    for name, text in sources.items():
        if not isinstance(text, str) or not text.strip():
            raise ModelError(source, f"sources.{name}", "must be a non-empty string")
    values: dict[str, object] = {}
    notes: dict[str, str] = {}
    for name, entry in entries.items():
        where = f"inputs.{name}"
        if name not in FIELDS:
            raise ModelError(source, where, "unknown input; known inputs: " + ", ".join(FIELDS))
        if not isinstance(entry, dict):
            raise ModelError(source, where, "must be a table with value, source and an optional note")
        for key in entry:
            if key not in ("value", "source", "note"):
                raise ModelError(source, f"{where}.{key}", "unknown key; allowed: note, source, value")
        if "value" not in entry:
            raise ModelError(source, f"{where}.value", "is required")
        named = entry.get("source")
        if named not in sources:
            raise ModelError(source, f"{where}.source", f"must be one of {', '.join(sources)}, got {named!r}")
        note = entry.get("note", "")
        if not isinstance(note, str):
            raise ModelError(source, f"{where}.note", "must be a string")
        values[name] = entry["value"]
        notes[name] = sources[named] + (f"; {note}" if note else "")
    missing = [name for name in FIELDS if name not in entries]
    if missing:
        raise ModelError(source, "inputs", f"missing {', '.join(missing)}")
    inputs, errors = check_inputs(values)
    if errors:
        first: AnswerError = errors[0]
        raise ModelError(source, f"inputs.{first.field}.value", first.problem)
    assert inputs is not None
    return inputs, {name: notes[name] for name in FIELDS}


EXAMPLE, EXAMPLE_SOURCES = load_example()
