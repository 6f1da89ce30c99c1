"""The evaluator: answers in, a recommendation out. Pure and deterministic.

All judgement lives in the model's rules; this module only applies them:
  1. include rules pick components (the model's default if none fires);
  2. the other rules add reasons, next steps and caveats for that choice;
  3. single-answer flips give `what_would_change`, and completions of the open
     questions give `unanswered` (the questions that could still matter).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache

from decision.engine.answers import check_answers
from decision.engine.model import COMPONENTS, UNANSWERED, Model, Rule, default_model

# A full state: one value per question in model order, UNANSWERED for open ones.
State = tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    answers: dict[str, str]  # the answers that made the rule fire, question id -> value


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True)
class Change:
    question: str
    answer: str
    approach: str


@dataclass(frozen=True)
class CaseRef:
    id: str
    title: str


@dataclass(frozen=True)
class Result:
    answers: dict[str, str]
    approach: str
    components: list[str]
    fine_tune_method: str | None
    reasons: list[Reason]
    next_steps: list[Item]
    caveats: list[Item]
    what_would_change: list[Change]
    unanswered: list[str]
    cases: list[CaseRef]

    def to_dict(self) -> dict:
        return asdict(self)


def _fires(rule: Rule, state: Mapping[str, str], chosen: frozenset[str] | set[str]) -> bool:
    return (
        all(state[qid] in values for qid, values in rule.when)
        and rule.with_components <= chosen
        and not (rule.without_components & chosen)
    )


def _choose(model: Model, state: Mapping[str, str]) -> tuple[frozenset[str], tuple[Rule, ...]]:
    chosen: set[str] = set()
    fired = []
    for rule in model.rules:
        if rule.include and _fires(rule, state, chosen):
            chosen.add(rule.include)
            fired.append(rule)
    return frozenset(chosen or model.default_components), tuple(fired)


def approach_of(components: frozenset[str]) -> str:
    return next(iter(components)) if len(components) == 1 else "combination"


@lru_cache(maxsize=65536)
def _approach(model: Model, state: State) -> str:
    components, _ = _choose(model, dict(zip(model.question_ids, state)))
    return approach_of(components)


def _state(model: Model, answers: Mapping[str, str]) -> State:
    return tuple(answers.get(qid, UNANSWERED) for qid in model.question_ids)


def _changes(model: Model, state: State, approach: str) -> list[Change]:
    changes = []
    for i, question in enumerate(model.questions):
        for value in question.values:
            if value == state[i]:
                continue
            other = _approach(model, (*state[:i], value, *state[i + 1 :]))
            if other != approach:
                changes.append(Change(question.id, value, other))
    return changes


def _open_questions_that_matter(model: Model, state: State) -> list[str]:
    """Open questions whose answer can change the approach for some answers to the other open ones."""
    open_idx = [i for i, value in enumerate(state) if value == UNANSWERED]
    choices = [(*model.questions[i].values, UNANSWERED) for i in open_idx]
    outcomes = {}
    for combo in itertools.product(*choices):
        full = list(state)
        for i, value in zip(open_idx, combo):
            full[i] = value
        outcomes[combo] = _approach(model, tuple(full))
    matters = []
    for pos, i in enumerate(open_idx):
        seen: dict[tuple, str] = {}
        for combo, approach in outcomes.items():
            rest = combo[:pos] + combo[pos + 1 :]
            if seen.setdefault(rest, approach) != approach:
                matters.append(model.questions[i].id)
                break
    return matters


def _resembling_cases(model: Model, answers: Mapping[str, str], approach: str) -> list[CaseRef]:
    def agreement(case) -> int:
        return sum(1 for qid, value in answers.items() if case.answers.get(qid) == value)

    same = [c for c in model.cases if c.documented_approach == approach]
    same.sort(key=agreement, reverse=True)  # stable: ties keep file order
    return [CaseRef(c.id, c.title) for c in same]


def evaluate(answers: Mapping[str, object], model: Model | None = None) -> Result:
    """Recommend an approach for (possibly partial) answers. Raises AnswerError on bad input."""
    model = model or default_model()
    answers = check_answers(answers, model)
    state = _state(model, answers)
    named = dict(zip(model.question_ids, state))
    components, include_rules = _choose(model, named)
    approach = approach_of(components)

    reasons: list[Reason] = []
    steps: set[str] = set()
    caveats: set[str] = set()
    for rule in model.rules:
        fired = rule in include_rules if rule.include else _fires(rule, named, components)
        if not fired:
            continue
        if rule.reason:
            reasons.append(Reason(rule.id, rule.reason, {qid: named[qid] for qid, _ in rule.when}))
        steps.update(rule.steps)
        caveats.update(rule.caveats)

    return Result(
        answers=dict(answers),
        approach=approach,
        components=[c for c in COMPONENTS if c in components],
        fine_tune_method="lora" if "fine-tune" in components else None,
        reasons=reasons,
        next_steps=[Item(s, text) for s, text in model.steps.items() if s in steps],
        caveats=[Item(c, text) for c, text in model.caveats.items() if c in caveats],
        what_would_change=_changes(model, state, approach),
        unanswered=_open_questions_that_matter(model, state),
        cases=_resembling_cases(model, answers, approach),
    )
