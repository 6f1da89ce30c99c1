"""Turn raw answers (CLI flags, a JSON or TOML file, a URL fragment) into a checked dict.

Every error is an AnswerError whose message starts with the field at fault and
says what is allowed, so a user mistake is one readable line, never a traceback.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping

from decision.model import Model


class AnswerError(ValueError):
    """A user-supplied answer is not acceptable. `field` names what was wrong."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_name(key: object) -> str:
    """How an unknown key is shown: readable when plain, escaped and truncated otherwise."""
    if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,60}", key):
        return f"answers.{key}"
    return f"answers[{_short(key)}]"


def check_answers(raw: object, model: Model) -> dict[str, str]:
    """Validate a mapping of question id -> option value; return it in question order."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers", f"must be a mapping of question id to option value, got {type(raw).__name__}")
    known = model.question_ids
    for key, value in raw.items():
        if not isinstance(key, str) or key not in known:
            raise AnswerError(field_name(key), f"unknown question {_short(key)}; known questions: {', '.join(known)}")
        allowed = model.question(key).values
        if not isinstance(value, str):
            raise AnswerError(key, f"must be one of {', '.join(allowed)} (a string), got {type(value).__name__}")
        if value not in allowed:
            raise AnswerError(key, f"{_short(value)} is not allowed; allowed: {', '.join(allowed)}")
    return {qid: raw[qid] for qid in known if qid in raw}


def parse_pairs(pairs: Iterable[str], model: Model, flag: str = "--answer") -> dict[str, str]:
    """Parse ID=VALUE strings; the same id twice with different values is an error."""
    answers: dict[str, str] = {}
    for pair in pairs:
        qid, sep, value = pair.partition("=")
        qid, value = qid.strip(), value.strip()
        if not sep or not qid:
            raise AnswerError(flag, f"expected ID=VALUE, got {_short(pair)}")
        if qid in answers and answers[qid] != value:
            raise AnswerError(
                qid if qid in model.question_ids else field_name(qid),
                f"answered twice ({_short(answers[qid])} and {_short(value)})",
            )
        answers[qid] = value
    return check_answers(answers, model)


def load_table_text(text: str, source: str, nested: str, what: str) -> Mapping:
    """The table in a JSON or TOML file's text, unchecked; errors name `source`.

    The format follows the file's suffix (.json / .toml), else JSON then TOML is tried. A table
    with a `nested` table inside (a saved result of the CLI) yields that inner table, so a
    result can be loaded back. `what` says what the table should map, for the error message.
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
        data = data[nested]
    if not isinstance(data, Mapping):
        raise AnswerError(source, f"must hold a table of {what}")
    return data


def parse_answers_text(text: str, source: str, model: Model) -> dict[str, str]:
    """Parse the contents of an answers file (JSON or TOML).

    Either a plain table of question id -> value, or an object with an "answers"
    table, such as `decision evaluate --format json` prints, so a saved result
    can be loaded again.
    """
    return check_answers(load_table_text(text, source, "answers", "question id to option value"), model)
