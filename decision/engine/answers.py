"""Turn raw answers (CLI flags, a JSON or TOML file, a URL fragment) into a checked dict.

Every error is an AnswerError whose message starts with the field at fault and
says what is allowed, so a user mistake is one readable line, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from decision._errors import AnswerError
from decision._text import load_table_text, short_repr
from decision.engine.model import Model


def field_name(key: object) -> str:
    """How an unknown key is shown: readable when plain, escaped and truncated otherwise."""
    if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,60}", key):
        return f"answers.{key}"
    return f"answers[{short_repr(key)}]"


def check_answers(raw: object, model: Model) -> dict[str, str]:
    """Validate a mapping of question id -> option value; return it in question order."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers", f"must be a mapping of question id to option value, got {type(raw).__name__}")
    known = model.question_ids
    for key, value in raw.items():
        if not isinstance(key, str) or key not in known:
            raise AnswerError(
                field_name(key), f"unknown question {short_repr(key)}; known questions: {', '.join(known)}"
            )
        allowed = model.question(key).values
        if not isinstance(value, str):
            raise AnswerError(key, f"must be one of {', '.join(allowed)} (a string), got {type(value).__name__}")
        if value not in allowed:
            raise AnswerError(key, f"{short_repr(value)} is not allowed; allowed: {', '.join(allowed)}")
    return {qid: raw[qid] for qid in known if qid in raw}


class ReadAnswers(NamedTuple):
    """Checked answers, and a note for each answer from an older model that was read in today's terms."""

    answers: dict[str, str]
    notes: list[str]


def read_older_answers(raw: Mapping, model: Model) -> tuple[dict, list[str]]:
    """Answers from model v1 whose meaning changed, rewritten as the model says, each with its note.

    Every other entry passes through unchanged for check_answers to judge, and an answer given in
    today's terms wins over one translated from an older answer.
    """
    legacy = {(entry.question, entry.value): entry for entry in model.v1_answers}
    current: dict = {}
    translated: dict[str, str] = {}
    notes: list[str] = []
    for key, value in raw.items():
        entry = legacy.get((key, value)) if isinstance(key, str) and isinstance(value, str) else None
        if entry is None:
            current[key] = value
        else:
            translated.update(entry.becomes)
            notes.append(entry.note)
    return {**translated, **current}, notes


def parse_pairs(pairs: Iterable[str], model: Model, flag: str = "--answer") -> ReadAnswers:
    """Parse ID=VALUE strings; the same id twice with different values is an error."""
    answers: dict[str, str] = {}
    for pair in pairs:
        qid, sep, value = pair.partition("=")
        qid, value = qid.strip(), value.strip()
        if not sep or not qid:
            raise AnswerError(flag, f"expected ID=VALUE, got {short_repr(pair)}")
        if qid in answers and answers[qid] != value:
            raise AnswerError(
                qid if qid in model.question_ids else field_name(qid),
                f"answered twice ({short_repr(answers[qid])} and {short_repr(value)})",
            )
        answers[qid] = value
    raw, notes = read_older_answers(answers, model)
    return ReadAnswers(check_answers(raw, model), notes)


def parse_answers_text(text: str, source: str, model: Model) -> ReadAnswers:
    """Parse the contents of an answers file (JSON or TOML).

    Either a plain table of question id -> value, or an object with an "answers"
    table, such as `decision evaluate --format json` prints, so a saved result
    can be loaded again.
    """
    raw, notes = read_older_answers(load_table_text(text, source, "answers", "question id to option value"), model)
    return ReadAnswers(check_answers(raw, model), notes)
