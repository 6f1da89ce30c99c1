"""The evaluator: answers in, a recommendation out. Pure and deterministic.

All judgement lives in the model's rules; this module only applies them:
  1. include rules pick components (the model's default if none fires);
  2. the other rules add reasons, next steps and caveats for that choice;
  3. the include rules that open questions could still satisfy give `becomes`:
     each is a set of answers that would change the approach, and together they
     are exact (a verdict with none is final; see `_becomes`);
  4. single-answer flips give `what_would_change`; the model's branching gives
     `to_ask`, the open questions still worth asking, in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from decision.engine.answers import check_answers
from decision.engine.model import COMPONENTS, UNANSWERED, Model, Rule, default_model

FINAL, PROVISIONAL = "final", "provisional"
SIMILAR_CASES = 3  # nearest case studies listed with a result


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    answers: dict[str, str]  # the answers the rule read, question id -> value (UNANSWERED when open)


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
class Condition:
    question: str
    answers: list[str]  # any of these


@dataclass(frozen=True)
class Becomes:
    """Answering the open questions like this would change the approach."""

    when: list[Condition]  # all of them
    approach: str
    components: list[str]
    rule: str


@dataclass(frozen=True)
class Difference:
    question: str
    yours: str | None  # None: left open
    theirs: str | None  # None: the case study does not say


@dataclass(frozen=True)
class CaseMatch:
    id: str
    title: str
    documented_approach: str
    differences: list[Difference]


@dataclass(frozen=True)
class Result:
    answers: dict[str, str]
    approach: str
    status: str  # FINAL or PROVISIONAL
    components: list[str]
    fine_tune_method: str | None
    reasons: list[Reason]
    next_steps: list[Item]
    caveats: list[Item]
    becomes: list[Becomes]  # empty exactly when the status is final
    what_would_change: list[Change]
    unanswered: list[str]  # open questions that could change the approach
    to_ask: list[str]  # open questions still worth asking, in model order
    cases: list[CaseMatch]
    notes: list[str] = field(default_factory=list)  # how older answers were read

    def to_dict(self) -> dict:
        return asdict(self)


def _fires(rule: Rule, state: Mapping[str, str], chosen: frozenset[str] | set[str]) -> bool:
    if not rule.with_components <= chosen or rule.without_components & chosen:
        return False
    for qid, values in rule.when:  # noqa: SIM110 - a plain loop: this is the engine's innermost step
        if state[qid] not in values:
            return False
    return True


def choose(model: Model, state: Mapping[str, str]) -> tuple[frozenset[str], tuple[Rule, ...]]:
    """The components for a full state (every question id -> value or UNANSWERED), and the include rules that fired."""
    chosen: set[str] = set()
    fired = []
    for rule in model.include_rules:
        if _fires(rule, state, chosen):
            chosen.add(rule.include)
            fired.append(rule)
    return frozenset(chosen or model.default_components), tuple(fired)


def approach_of(components: frozenset[str] | set[str]) -> str:
    return next(iter(components)) if len(components) == 1 else "combination"


def full_state(model: Model, answers: Mapping[str, str]) -> dict[str, str]:
    return {qid: answers.get(qid, UNANSWERED) for qid in model.question_ids}


def fired_rules(
    model: Model, state: Mapping[str, str], components: frozenset[str], included: tuple[Rule, ...]
) -> list[Rule]:
    """Every rule that fires for this state, in model order; `included` is what choose() returned with the
    components."""
    return [r for r in model.rules if (r in included if r.include else _fires(r, state, components))]


def _becomes(model: Model, state: Mapping[str, str], components: frozenset[str]) -> list[Becomes]:
    """For each include rule that open questions could still satisfy: the answers that would make it fire.

    Exact because include rules never test UNANSWERED and never use `without` (the model loader refuses
    both), so answering open questions can only make more of them fire: any set of answers that changes
    the components makes some rule below fire, and so contains one of the listed conditions.
    """
    found: list[Becomes] = []
    seen: set[tuple] = set()
    for rule in model.include_rules:
        if rule.include in components or not rule.with_components <= components:
            continue
        needed: list[Condition] = []
        for qid, values in rule.when:
            value = state[qid]
            if value == UNANSWERED:
                needed.append(Condition(qid, [v for v in model.question(qid).values if v in values]))
            elif value not in values:
                break  # an answer already rules it out
        else:
            key = tuple((c.question, tuple(c.answers)) for c in needed)
            if not needed or key in seen:
                continue
            seen.add(key)
            changed = dict(state) | {c.question: c.answers[0] for c in needed}
            new_components, _ = choose(model, changed)
            found.append(
                Becomes(needed, approach_of(new_components), [c for c in COMPONENTS if c in new_components], rule.id)
            )
    found.sort(key=lambda b: len(b.when))  # stable: the fewest answers first, then rule order
    return [entry for i, entry in enumerate(found) if not any(_implies(entry, other) for other in found[:i])]


def _implies(entry: Becomes, other: Becomes) -> bool:
    """Whether `entry` only narrows `other` to the same outcome, so naming it adds nothing."""
    if entry.components != other.components:
        return False
    needed = {c.question: set(c.answers) for c in entry.when}
    return all(c.question in needed and needed[c.question] <= set(c.answers) for c in other.when)


@lru_cache(maxsize=65536)
def _components_at(model: Model, values: tuple[str, ...]) -> frozenset[str]:
    """choose() for a state given as values in question order; cached, since flips revisit states."""
    return choose(model, dict(zip(model.question_ids, values)))[0]


def _changes(model: Model, state: Mapping[str, str], approach: str) -> list[Change]:
    """Single different answers that would change the approach (only questions some include rule reads can)."""
    values = tuple(state[qid] for qid in model.question_ids)
    changes = []
    for i, question in enumerate(model.questions):
        if question.id not in model.component_questions:
            continue
        for value in question.values:
            if value == values[i]:
                continue
            other = approach_of(_components_at(model, (*values[:i], value, *values[i + 1 :])))
            if other != approach:
                changes.append(Change(question.id, value, other))
    return changes


def _asked_when(model: Model, state: Mapping[str, str], qid: str) -> bool:
    return all(state[other] in values for other, values in model.question(qid).ask_when)


def _to_ask(model: Model, state: Mapping[str, str], components: frozenset[str], becomes: list[Becomes]) -> list[str]:
    """Open questions worth asking now: their branch is reached and their answer can still change something."""
    mattering = {c.question for b in becomes for c in b.when}
    ask = []
    for question in model.questions:
        if state[question.id] != UNANSWERED or not _asked_when(model, state, question.id):
            continue
        if question.id in model.component_questions:
            if question.id in mattering:
                ask.append(question.id)
        elif not question.ask_if_chosen or question.ask_if_chosen & components:
            ask.append(question.id)
    return ask


def similar_cases(model: Model, answers: Mapping[str, str]) -> list[CaseMatch]:
    """The case studies nearest to these answers (fewest differing answers), each with what differs."""
    ranked = []
    for index, case in enumerate(model.cases):
        differences = [
            Difference(qid, answers.get(qid), case.answers.get(qid))
            for qid in model.question_ids
            if answers.get(qid) != case.answers.get(qid)
        ]
        ranked.append((len(differences), index, CaseMatch(case.id, case.title, case.documented_approach, differences)))
    ranked.sort(key=lambda entry: entry[:2])
    return [match for _, _, match in ranked[:SIMILAR_CASES]]


def evaluate(answers: Mapping[str, object], model: Model | None = None, notes: Sequence[str] = ()) -> Result:
    """Recommend an approach for (possibly partial) answers. Raises AnswerError on bad input.

    `notes` (how answers from an older model were read) are carried into the result unchanged.
    """
    model = model or default_model()
    answers = check_answers(answers, model)
    state = full_state(model, answers)
    components, included = choose(model, state)
    approach = approach_of(components)

    reasons: list[Reason] = []
    steps: set[str] = set()
    caveats: set[str] = set()
    for rule in fired_rules(model, state, components, included):
        if rule.reason:
            reasons.append(Reason(rule.id, rule.reason, {qid: state[qid] for qid, _ in rule.when}))
        steps.update(rule.steps)
        caveats.update(rule.caveats)

    becomes = _becomes(model, state, components)
    unanswered = []
    for entry in becomes:
        unanswered += [c.question for c in entry.when if c.question not in unanswered]
    return Result(
        answers=dict(answers),
        approach=approach,
        status=PROVISIONAL if becomes else FINAL,
        components=[c for c in COMPONENTS if c in components],
        fine_tune_method="lora" if "fine-tune" in components else None,
        reasons=reasons,
        next_steps=[Item(s, text) for s, text in model.steps.items() if s in steps],
        caveats=[Item(c, text) for c, text in model.caveats.items() if c in caveats],
        becomes=becomes,
        what_would_change=_changes(model, state, approach),
        unanswered=[q for q in model.question_ids if q in unanswered],
        to_ask=_to_ask(model, state, components, becomes),
        cases=similar_cases(model, answers),
        notes=list(notes),
    )
