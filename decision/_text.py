"""Text helpers shared by every surface: one Markdown cell escaper, one JSON dumper, one file reader,
one reader of JSON or TOML tables."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections.abc import Mapping

from decision._errors import AnswerError
from decision._version import SCHEMA_VERSION

_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")  # 1,234 or 1,234.5: thousands separators


def without_thousands_separators(text: str) -> str:
    """ "3,000,000" -> "3000000" as people type numbers; anything else (such as "1,5") is left for the caller
    to refuse."""
    return text.replace(",", "") if _GROUPED.fullmatch(text) else text


def short_repr(value: object, limit: int = 40) -> str:
    """repr(value), cut to `limit` characters: safe to put in a one-line error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def markdown_cell(text: str) -> str:
    """Text that stays inside one Markdown table cell: backslash and pipe escaped, newlines flattened."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def dump_json(data: object) -> str:
    """The contracts' JSON text: indented, UTF-8 kept as is, one trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read_text_argument(path: str, flag: str) -> str:
    """The text of a file named on the command line, or standard input for '-'; errors name `flag`."""
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        detail = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise AnswerError(flag, f"cannot read {path!r}: {detail}") from None


def write_text_argument(path: str, text: str, flag: str) -> None:
    """Write text to a file named on the command line; errors name `flag`."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise AnswerError(flag, f"cannot write {path!r}: {error.strerror}") from None


def load_table_text(text: str, source: str, nested: str, what: str) -> Mapping:
    """The table in a JSON or TOML file's text, unchecked; errors name `source`.

    The format follows the file's suffix (.json / .toml), else JSON then TOML is tried. A table
    with a `nested` table inside (a saved result of the CLI) yields that inner table, so a
    result can be loaded back; a saved result from a newer engine (a larger `schema_version`)
    is refused, one without `schema_version` (written before it existed) is read. `what` says
    what the table should map, for the error message.
    """
    data: object
    problems = []
    for name, loader in (("JSON", json.loads), ("TOML", tomllib.loads)):
        if (source.endswith(".toml") and name == "JSON") or (source.endswith(".json") and name == "TOML"):
            continue
        try:
            data = loader(text)
            break
        except (ValueError, RecursionError) as error:
            problems.append(f"{name}: {str(error).splitlines()[0] if str(error) else type(error).__name__}")
    else:
        raise AnswerError(source, "not valid " + "; not valid ".join(problems))
    if isinstance(data, Mapping) and isinstance(data.get(nested), Mapping):
        version = data.get("schema_version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SCHEMA_VERSION:
            raise AnswerError(
                f"{source}: schema_version",
                f"must be a whole number from 1 to {SCHEMA_VERSION} (this engine's), got {short_repr(version)}",
            )
        data = data[nested]
    if not isinstance(data, Mapping):
        raise AnswerError(source, f"must hold a table of {what}")
    return data
