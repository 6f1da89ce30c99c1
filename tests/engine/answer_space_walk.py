"""One exhaustive pass over the answer space: the walk and what each point of it holds.

The answer space is every combination of answers the model's branching allows: each question answered
with any of its options or left open, except that a question whose `ask_when` does not hold stays open.
It factorises (tests/engine/test_answer_space.py checks why): the approach depends only on the questions
some include rule reads ("component questions"), and every other rule reads either only component
questions or only the other ("advice") questions. So the sweep walks every combination of component
questions with the advice questions open, and checks the advice questions separately against every
set of components the first walk produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from decision.engine.evaluator import _becomes, _to_ask, approach_of, choose, fired_rules
from decision.engine.model import UNANSWERED


def component_space(model):
    """Every branching-consistent state of the component questions, advice questions open (full states)."""
    ordered = [q for q in model.questions if q.id in model.component_questions]
    base = {q.id: UNANSWERED for q in model.questions}

    def walk(i: int, state: dict):
        if i == len(ordered):
            yield state
            return
        question = ordered[i]
        asked = all(state[other] in values for other, values in question.ask_when)
        for value in (*question.values, UNANSWERED) if asked else (UNANSWERED,):
            state[question.id] = value
            yield from walk(i + 1, state)
        state[question.id] = UNANSWERED

    yield from walk(0, dict(base))


@dataclass
class Point:
    state: dict[str, str]
    components: frozenset[str]
    approach: str
    rules: list  # fired rules, model order
    steps: list[str]  # in the model's step order
    caveats: set[str]
    becomes: list
    to_ask: list[str]


def point(model, state: dict[str, str]) -> Point:
    components, included = choose(model, state)
    rules = fired_rules(model, state, components, included)
    steps = {s for rule in rules for s in rule.steps}
    becomes = _becomes(model, state, components)
    return Point(
        state=dict(state),
        components=components,
        approach=approach_of(components),
        rules=rules,
        steps=[s for s in model.steps if s in steps],
        caveats={c for rule in rules for c in rule.caveats},
        becomes=becomes,
        to_ask=_to_ask(model, state, components, becomes),
    )


@dataclass
class Sweep:
    """Counterexamples per invariant (at most a few each), filled by one pass over the space."""

    size: int = 0
    seconds: float = 0.0
    failures: dict[str, list] = field(default_factory=dict)
    component_sets: dict[frozenset, dict] = field(default_factory=dict)  # each set -> one state that gives it
    approach_by_state: dict[tuple, str] = field(default_factory=dict)

    def fail(self, invariant: str, detail) -> None:
        found = self.failures.setdefault(invariant, [])
        if len(found) < 3:
            found.append(detail)
