"""The decision model as plain data: load it, validate it, expose it as dataclasses.

Nothing here decides anything; `decision.engine.evaluator` does that. A malformed model
raises ModelError naming the file, the key and what is wrong.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from decision._errors import ModelError

UNANSWERED = "unanswered"
APPROACHES = ("few-shot", "rag", "fine-tune", "combination")
COMPONENTS = ("few-shot", "rag", "fine-tune")
MIXED_APPROACHES = tuple(a for a in APPROACHES if a not in COMPONENTS)  # named in [approaches], not by a component
SENTENCES = ("lora_note",)  # shared sentences every surface shows; more may be added to [sentences]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


Conditions = tuple[tuple[str, frozenset[str]], ...]  # (question id, accepted values), all must hold


@dataclass(frozen=True)
class Question:
    id: str
    topic: str  # a short name, used where a reason cites this answer
    text: str
    help: str
    options: tuple[Option, ...]
    ask_when: Conditions = ()  # asked only in these situations (branching)
    ask_if_chosen: frozenset[str] = frozenset()  # asked only once one of these components is chosen
    sources: tuple[str, ...] = ()  # ids in docs/sources/*.toml behind the facts in the help text
    kind: str = "single-choice"

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def label_of(self, value: str) -> str:
        return next(o.label for o in self.options if o.value == value)


@dataclass(frozen=True)
class Component:
    id: str
    label: str
    summary: str


@dataclass(frozen=True)
class Rule:
    id: str
    when: Conditions
    with_components: frozenset[str]
    without_components: frozenset[str]
    include: str | None
    reason: str | None
    steps: tuple[str, ...]
    caveats: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Case:
    id: str
    title: str
    summary: str
    documented_approach: str
    answers: dict[str, str]
    figures: dict[str, str]
    inferred: tuple[str, ...] = ()  # answers that are our reading, not stated by the source


@dataclass(frozen=True)
class LegacyAnswer:
    """A model-v1 answer whose meaning changed, and the v2 answers it is read as."""

    question: str
    value: str
    becomes: dict[str, str]
    note: str


@dataclass(frozen=True, eq=False)
class Model:
    questions: tuple[Question, ...]
    components: dict[str, Component]
    default_components: frozenset[str]
    steps: dict[str, str]
    caveats: dict[str, str]
    rules: tuple[Rule, ...]
    cases: tuple[Case, ...]
    approach_labels: dict[str, str]  # approaches that are not a single component ("combination")
    sentences: dict[str, str]  # shared sentences, e.g. "lora_note"
    v1_answers: tuple[LegacyAnswer, ...] = ()

    def approach_label(self, approach_id: str) -> str:
        """The reader-facing name of an approach: its component's label, or its [approaches] entry."""
        if approach_id in self.components:
            return self.components[approach_id].label
        return self.approach_labels[approach_id]

    def question(self, question_id: str) -> Question:
        return self._questions_by_id[question_id]

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @cached_property
    def include_rules(self) -> tuple[Rule, ...]:
        """The rules that pick components, in order."""
        return tuple(rule for rule in self.rules if rule.include)

    @cached_property
    def component_questions(self) -> frozenset[str]:
        """Questions that some include rule reads: only these can change the approach."""
        return frozenset(qid for rule in self.include_rules for qid, _ in rule.when)


class _Reader:
    """Typed access to a parsed TOML table, with errors that say where."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, problem: str) -> ModelError:
        return ModelError(self.source, key, problem)

    def get(self, table: dict, key: str, kind: type, where: str, default: Any = ...) -> Any:
        if key not in table:
            if default is ...:
                raise self.fail(f"{where}.{key}", "is required")
            return default
        value = table[key]
        if not isinstance(value, kind):
            raise self.fail(f"{where}.{key}", f"must be a {kind.__name__}, got {type(value).__name__}")
        return value

    def text(self, table: dict, key: str, where: str, default: Any = ...) -> str:
        value = self.get(table, key, str, where, default)
        if isinstance(value, str) and not value.strip() and default is ...:
            raise self.fail(f"{where}.{key}", "must not be empty")
        return value

    def strings(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        items = self.get(table, key, list, where, [])
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise self.fail(f"{where}.{key}[{i}]", "must be a string")
        return tuple(items)

    def only_keys(self, table: dict, allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(f"{where}.{key}", f"unknown key; allowed: {', '.join(sorted(allowed))}")


def _parse_toml(path: Path | None, name: str) -> tuple[dict, str]:
    if path is None:
        text = resources.files("decision").joinpath(f"data/{name}").read_text(encoding="utf-8")
        source = f"decision/data/{name}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ModelError(str(path), "(file)", f"cannot be read: {error.strerror}") from None
        source = str(path)
    try:
        return tomllib.loads(text), source
    except tomllib.TOMLDecodeError as error:
        raise ModelError(source, "(syntax)", str(error)) from None


def _unique(read: _Reader, ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise read.fail(f"{where}[{i}].id", f"duplicate id {item!r}")
        seen.add(item)


def _read_conditions(read: _Reader, table: dict, key: str, where: str, questions: dict) -> Conditions:
    """A `when`-style table: question id -> non-empty list of option values (or "unanswered" alone)."""
    conditions = []
    for qid, values in read.get(table, key, dict, where, {}).items():
        c_where = f"{where}.{key}.{qid}"
        if qid not in questions:
            raise read.fail(c_where, f"unknown question; known: {', '.join(questions)}")
        if not isinstance(values, list) or not values:
            raise read.fail(c_where, "must be a non-empty list of option values")
        allowed_values = (*questions[qid].values, UNANSWERED)
        for value in values:
            if value not in allowed_values:
                raise read.fail(c_where, f"{value!r} is not an option; allowed: {', '.join(allowed_values)}")
        if UNANSWERED in values and len(values) > 1:
            # a reason written for an open question must never read as if it had been answered
            raise read.fail(c_where, f"{UNANSWERED!r} must stand alone, not beside answered values")
        conditions.append((qid, frozenset(values)))
    return tuple(conditions)


def _read_questions(read: _Reader, raw: dict) -> tuple[Question, ...]:
    questions: dict[str, Question] = {}
    allowed = {"id", "topic", "text", "help", "kind", "options", "ask_when", "ask_if_chosen", "sources"}
    for qi, table in enumerate(read.get(raw, "questions", list, "(top)")):
        where = f"questions[{qi}]"
        if not isinstance(table, dict):
            raise read.fail(where, "must be a table")
        read.only_keys(table, allowed, where)
        kind = read.text(table, "kind", where, "single-choice")
        if kind != "single-choice":
            raise read.fail(f"{where}.kind", "must be 'single-choice'")
        options = []
        for oi, option in enumerate(read.get(table, "options", list, where)):
            o_where = f"{where}.options[{oi}]"
            if not isinstance(option, dict):
                raise read.fail(o_where, "must be a table with value and label")
            read.only_keys(option, {"value", "label"}, o_where)
            value = read.text(option, "value", o_where)
            if value == UNANSWERED:
                raise read.fail(f"{o_where}.value", f"{UNANSWERED!r} is reserved for an open question")
            options.append(Option(value, read.text(option, "label", o_where)))
        if len(options) < 2:
            raise read.fail(f"{where}.options", "needs at least two options")
        if len({o.value for o in options}) != len(options):
            raise read.fail(f"{where}.options", "option values must be unique")
        qid = read.text(table, "id", where)
        if qid in questions:
            raise read.fail(f"questions[{qi}].id", f"duplicate id {qid!r}")
        # branching looks back only: a question depends on answers asked before it
        ask_when = _read_conditions(read, table, "ask_when", where, questions)
        possible = read.strings(table, "ask_if_chosen", where)
        for name in possible:
            if name not in COMPONENTS:
                allowed_components = ", ".join(COMPONENTS)
                raise read.fail(f"{where}.ask_if_chosen", f"unknown component {name!r}; allowed: {allowed_components}")
        questions[qid] = Question(
            id=qid,
            topic=read.text(table, "topic", where),
            text=read.text(table, "text", where),
            help=read.text(table, "help", where),
            options=tuple(options),
            ask_when=ask_when,
            ask_if_chosen=frozenset(possible),
            sources=read.strings(table, "sources", where),
            kind=kind,
        )
    return tuple(questions.values())


def _read_rules(read: _Reader, raw: dict, model_parts: dict) -> tuple[Rule, ...]:
    questions = {q.id: q for q in model_parts["questions"]}
    rules = []
    allowed = {"id", "when", "with", "without", "include", "reason", "steps", "caveats"}
    for ri, table in enumerate(read.get(raw, "rules", list, "(top)")):
        where = f"rules[{ri}]"
        if not isinstance(table, dict):
            raise read.fail(where, "must be a table")
        read.only_keys(table, allowed, where)
        conditions = _read_conditions(read, table, "when", where, questions)
        for key in ("with", "without"):
            for name in read.strings(table, key, where):
                if name not in model_parts["components"]:
                    raise read.fail(f"{where}.{key}", f"unknown component {name!r}")
        include = read.get(table, "include", str, where, None)
        if include is not None and include not in model_parts["components"]:
            raise read.fail(f"{where}.include", f"unknown component {include!r}; allowed: {', '.join(COMPONENTS)}")
        if include is not None:
            # the evaluator names what open questions could change the approach by reading these rules
            # symbolically; that is exact only while answering a question can never stop a rule firing
            if any(UNANSWERED in values for _, values in conditions):
                raise read.fail(f"{where}.when", f"a rule with include cannot test {UNANSWERED!r}")
            if "without" in table:
                raise read.fail(f"{where}.without", "a rule with include cannot use without")
        for key, catalogue in (("steps", model_parts["steps"]), ("caveats", model_parts["caveats"])):
            for name in read.strings(table, key, where):
                if name not in catalogue:
                    raise read.fail(f"{where}.{key}", f"unknown {key[:-1]} {name!r}")
        rule = Rule(
            id=read.text(table, "id", where),
            when=conditions,
            with_components=frozenset(read.strings(table, "with", where)),
            without_components=frozenset(read.strings(table, "without", where)),
            include=include,
            reason=read.get(table, "reason", str, where, None),
            steps=read.strings(table, "steps", where),
            caveats=read.strings(table, "caveats", where),
        )
        if not (rule.include or rule.reason or rule.steps or rule.caveats):
            raise read.fail(where, "does nothing: give it include, reason, steps or caveats")
        rules.append(rule)
    _unique(read, [r.id for r in rules], "rules")
    return tuple(rules)


def _read_v1_answers(read: _Reader, raw: dict, questions: tuple[Question, ...]) -> tuple[LegacyAnswer, ...]:
    by_id = {q.id: q for q in questions}
    legacy = []
    for li, table in enumerate(read.get(raw, "v1_answers", list, "(top)", [])):
        where = f"v1_answers[{li}]"
        if not isinstance(table, dict):
            raise read.fail(where, "must be a table")
        read.only_keys(table, {"question", "value", "becomes", "note"}, where)
        qid, value = read.text(table, "question", where), read.text(table, "value", where)
        if qid not in by_id:
            raise read.fail(f"{where}.question", f"unknown question {qid!r}")
        if value in by_id[qid].values:
            raise read.fail(f"{where}.value", f"{value!r} is a current answer, so an old one cannot be told from it")
        becomes = read.get(table, "becomes", dict, where)
        for key, new in becomes.items():
            if key not in by_id or new not in by_id[key].values:
                raise read.fail(f"{where}.becomes.{key}", "must name a question and one of its current answers")
        legacy.append(LegacyAnswer(qid, value, dict(becomes), read.text(table, "note", where)))
    return tuple(legacy)


def _read_catalogue(read: _Reader, raw: dict, key: str) -> dict[str, str]:
    table = read.get(raw, key, dict, "(top)")
    for name, text in table.items():
        if not isinstance(text, str) or not text.strip():
            raise read.fail(f"{key}.{name}", "must be a non-empty string")
    return dict(table)


def _read_cases(path: Path | None, questions: tuple[Question, ...]) -> tuple[Case, ...]:
    raw, source = _parse_toml(path, "cases.toml")
    read = _Reader(source)
    by_id = {q.id: q for q in questions}
    cases = []
    for ci, table in enumerate(read.get(raw, "cases", list, "(top)")):
        where = f"cases[{ci}]"
        if not isinstance(table, dict):
            raise read.fail(where, "must be a table")
        read.only_keys(
            table, {"id", "title", "summary", "documented_approach", "answers", "figures", "inferred"}, where
        )
        approach = read.text(table, "documented_approach", where)
        if approach not in APPROACHES:
            raise read.fail(f"{where}.documented_approach", f"must be one of {', '.join(APPROACHES)}")
        answers = read.get(table, "answers", dict, where)
        for qid, value in answers.items():
            if qid not in by_id:
                raise read.fail(f"{where}.answers.{qid}", "unknown question")
            if value not in by_id[qid].values:
                raise read.fail(f"{where}.answers.{qid}", f"allowed: {', '.join(by_id[qid].values)}")
        figures = read.get(table, "figures", dict, where, {})
        inferred = read.strings(table, "inferred", where)
        for qid in inferred:
            if qid not in answers:
                raise read.fail(f"{where}.inferred", f"{qid!r} is not one of this case's answers")
        cases.append(
            Case(
                id=read.text(table, "id", where),
                title=read.text(table, "title", where),
                summary=read.text(table, "summary", where),
                documented_approach=approach,
                answers={q.id: answers[q.id] for q in questions if q.id in answers},
                figures={str(k): str(v) for k, v in figures.items()},
                inferred=tuple(q.id for q in questions if q.id in inferred),
            )
        )
    _unique(read, [c.id for c in cases], "cases")
    return tuple(cases)


def load_model(path: Path | None = None, cases_path: Path | None = None) -> Model:
    """Read and validate a model (the packaged one by default)."""
    raw, source = _parse_toml(path, "model.toml")
    read = _Reader(source)
    read.only_keys(
        raw,
        {
            *("default_components", "components", "approaches", "sentences"),
            *("questions", "steps", "caveats", "rules", "v1_answers"),
        },
        "(top)",
    )
    components = {}
    for cid, table in read.get(raw, "components", dict, "(top)").items():
        if cid not in COMPONENTS:
            raise read.fail(f"components.{cid}", f"unknown component; allowed: {', '.join(COMPONENTS)}")
        components[cid] = Component(
            cid, read.text(table, "label", f"components.{cid}"), read.text(table, "summary", f"components.{cid}")
        )
    missing = [c for c in COMPONENTS if c not in components]
    if missing:
        raise read.fail("components", f"missing {', '.join(missing)}")
    default = read.strings(raw, "default_components", "(top)")
    if not default or any(c not in components for c in default):
        raise read.fail("default_components", f"must list components from {', '.join(COMPONENTS)}")
    parts: dict[str, Any] = {
        "questions": _read_questions(read, raw),
        "components": components,
        "steps": _read_catalogue(read, raw, "steps"),
        "caveats": _read_catalogue(read, raw, "caveats"),
    }
    rules = _read_rules(read, raw, parts)
    approach_labels = _read_catalogue(read, raw, "approaches")
    sentences = _read_catalogue(read, raw, "sentences")
    for name in approach_labels:
        if name not in MIXED_APPROACHES:
            raise read.fail(f"approaches.{name}", f"unknown approach; allowed: {', '.join(MIXED_APPROACHES)}")
    for key, table, required in (
        ("approaches", approach_labels, MIXED_APPROACHES),
        ("sentences", sentences, SENTENCES),
    ):
        missing = [name for name in required if name not in table]
        if missing:
            raise read.fail(key, f"missing {', '.join(missing)}")
    return Model(
        questions=parts["questions"],
        components=components,
        default_components=frozenset(default),
        steps=parts["steps"],
        caveats=parts["caveats"],
        rules=rules,
        cases=_read_cases(cases_path, parts["questions"]),
        approach_labels=approach_labels,
        sentences=sentences,
        v1_answers=_read_v1_answers(read, raw, parts["questions"]),
    )


@cache
def default_model() -> Model:
    """The packaged model, loaded once."""
    return load_model()
