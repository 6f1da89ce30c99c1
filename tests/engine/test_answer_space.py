"""Invariants over the whole answer space of the model (see conftest.py for how it is walked).

They restate the guide's advice independently of the rules file, so a rule edit that contradicts the
advice fails here. Each invariant is a small function of one point of the space; one pass checks them
all and each gets its own test, which names up to three counterexamples.
"""

from __future__ import annotations

import itertools
import time

import pytest
from answer_space_walk import Sweep, component_space, point
from hypothesis import given, settings
from hypothesis import strategies as st

from decision import evaluate
from decision.engine.evaluator import FINAL, PROVISIONAL, approach_of, choose
from decision.engine.model import APPROACHES, COMPONENTS, UNANSWERED

MEASURED = {"meets-bar", "short"}
KNOWLEDGE = {"stable", "quarterly", "monthly", "weekly"}
CHANGING = {"quarterly": "refresh-quarterly", "monthly": "refresh-monthly", "weekly": "refresh-weekly"}
ADVICE_ONLY = {"stakes", "tuning_plan", "hosting"}

INVARIANTS = {}


def invariant(fn):
    INVARIANTS[fn.__name__] = fn
    return fn


@invariant
def one_approach_that_matches_the_components(model, p):
    ordered = [c for c in COMPONENTS if c in p.components]
    assert p.approach in APPROACHES and ordered
    assert p.approach == (ordered[0] if len(ordered) == 1 else "combination")


@invariant
def missing_information_gets_retrieval_and_nothing_else_does(model, p):
    assert ("rag" in p.components) == (p.state["needs_knowledge"] in KNOWLEDGE)


@invariant
def changing_information_gets_a_reindex_step_at_its_cadence(model, p):
    cadence = CHANGING.get(p.state["needs_knowledge"])
    refresh = [s for s in p.steps if s.startswith("refresh-")]
    assert refresh == ([cadence] if cadence else [])


@invariant
def no_fine_tune_before_a_measured_prompt(model, p):
    if p.state["prompt_result"] not in MEASURED:
        assert "fine-tune" not in p.components


@invariant
def fine_tune_needs_reviewed_data_an_owner_and_a_real_lever(model, p):
    if "fine-tune" not in p.components:
        return
    s = p.state
    assert s["training_data"] == "reviewed" and s["maintenance"] == "yes"
    worth_it = s["prompt_result"] == "short" and s["gap_worth"] == "yes"
    format_lever = s["strict_format"] == "yes" and s["constrained_output"] in {"fails", "unsupported"}
    skill_lever = s["specialised_behaviour"] in {"domain-language", "voice"} and s["stronger_model"] in {
        "tried",
        "ruled-out",
    }
    running_lever = s["prompt_cost"] == "with-caching" or s["latency"] == "yes"
    assert (worth_it and (format_lever or skill_lever)) or running_lever


@invariant
def no_fine_tune_for_format_unless_constrained_output_was_tried_or_ruled_out(model, p):
    s = p.state
    other_levers = (
        s["specialised_behaviour"] in {"domain-language", "voice"}
        or s["prompt_cost"] == "with-caching"
        or s["latency"] == "yes"
    )
    if "fine-tune" in p.components and not other_levers:
        assert s["constrained_output"] in {"fails", "unsupported"}


@invariant
def a_gap_not_worth_a_pipeline_never_trains_for_quality(model, p):
    s = p.state
    if s["gap_worth"] == "no" and s["prompt_cost"] != "with-caching" and s["latency"] != "yes":
        assert "fine-tune" not in p.components


@invariant
def fine_tune_is_lora_with_its_operational_plan(model, p):
    if "fine-tune" not in p.components:
        assert not {"lora-pilot", "holdout", "retrain-pipeline"} & set(p.steps)
        return
    order = [s for s in p.steps if s in ("lora-pilot", "holdout", "retrain-pipeline", "drift-alerts")]
    assert order == ["lora-pilot", "holdout", "retrain-pipeline", "drift-alerts"]
    assert {"retraining", "drift", "ops-cost", "new-models"} <= p.caveats


@invariant
def unreviewed_data_always_gets_a_reviewed_pilot_set(model, p):
    if p.state["training_data"] in {"unreviewed", "none"}:
        assert "curate-pilot" in p.steps


@invariant
def every_result_has_a_next_step(model, p):
    assert p.steps


@invariant
def no_reason_states_an_open_question_as_answered(model, p):
    for rule in p.rules:
        if not rule.reason:
            continue
        for qid, values in rule.when:
            if p.state[qid] == UNANSWERED:
                assert values == {UNANSWERED}, (rule.id, qid)  # a reason written for the open question
            else:
                assert UNANSWERED not in values, (rule.id, qid)


@invariant
def named_changes_rest_on_open_questions_and_change_the_approach(model, p):
    for entry in p.becomes:
        assert entry.when and all(p.state[c.question] == UNANSWERED for c in entry.when)
        assert entry.approach != p.approach


@invariant
def every_named_change_gives_the_named_approach(model, p):
    for entry in p.becomes:
        for combo in itertools.product(*(c.answers for c in entry.when)):
            changed = p.state | {c.question: value for c, value in zip(entry.when, combo)}
            components, _ = choose(model, changed)
            assert [c for c in COMPONENTS if c in components] == entry.components, (entry, combo)
            assert approach_of(components) == entry.approach


@invariant
def only_component_questions_that_matter_are_asked(model, p):
    mattering = {c.question for entry in p.becomes for c in entry.when}
    for qid in p.to_ask:
        assert p.state[qid] == UNANSWERED
        assert all(p.state[o] in values for o, values in model.question(qid).ask_when)
        if qid in model.component_questions:
            assert qid in mattering


def _one_step_completions_are_named(model, p, sweep: Sweep):
    """Any single open answer that changes the approach is a listed change of one condition, and back.

    The walk tries every answer before leaving a question open, so each completion was visited already.
    """
    single = {(e.when[0].question, v): e.approach for e in p.becomes if len(e.when) == 1 for v in e.when[0].answers}
    for question in model.questions:
        if question.id not in model.component_questions or p.state[question.id] != UNANSWERED:
            continue
        if not all(p.state[o] in values for o, values in question.ask_when):
            continue  # outside the branching: that state is not part of the space
        for value in question.values:
            key = tuple((p.state | {question.id: value}).values())
            other = sweep.approach_by_state[key]
            if (question.id, value) in single:
                if other != single[(question.id, value)]:
                    sweep.fail("one_step_completions_are_named", (p.state, question.id, value))
            elif other != p.approach:
                sweep.fail("one_step_completions_are_named", (p.state, question.id, value))


@pytest.fixture(scope="session")
def sweep(model) -> Sweep:
    result = Sweep()
    start = time.perf_counter()
    for state in component_space(model):
        p = point(model, state)
        result.size += 1
        result.approach_by_state[tuple(state.values())] = p.approach
        result.component_sets.setdefault(p.components, dict(state))
        for name, check in INVARIANTS.items():
            try:
                check(model, p)
            except AssertionError as error:
                result.fail(name, (p.state, str(error)))
        _one_step_completions_are_named(model, p, result)
    result.seconds = time.perf_counter() - start
    print(f"\nanswer space: {result.size:,} states of the component questions, swept in {result.seconds:.1f} s")
    return result


@pytest.mark.exhaustive
def test_the_space_is_what_the_branching_allows(model, sweep):
    expected = 1
    for question in model.questions:
        if question.id in model.component_questions and not question.ask_when:
            expected *= len(question.values) + 1
    # each branching question multiplies only the states where its branch is reached
    assert sweep.size > expected
    assert len(sweep.component_sets) >= 4  # few-shot, rag, fine-tune and a combination are all reachable


@pytest.mark.exhaustive
@pytest.mark.parametrize("name", [*INVARIANTS, "one_step_completions_are_named"])
def test_invariant_holds_everywhere(sweep, name):
    assert sweep.failures.get(name, []) == []


def test_the_space_factorises_as_the_sweep_assumes(model):
    # Advice questions never feed a component, and no rule reads both kinds of question.
    assert not model.component_questions & ADVICE_ONLY
    assert set(model.question_ids) - model.component_questions == ADVICE_ONLY
    for rule in model.rules:
        read = {qid for qid, _ in rule.when}
        assert not (read & ADVICE_ONLY and read & model.component_questions), rule.id


@pytest.mark.exhaustive
def test_advice_questions_against_every_set_of_components(model, sweep):
    advice = [model.question(q) for q in sorted(ADVICE_ONLY)]
    for representative in sweep.component_sets.values():
        answers = {q: v for q, v in representative.items() if v != UNANSWERED}
        for combo in itertools.product(*((*q.values, None) for q in advice)):
            extra = {q.id: v for q, v in zip(advice, combo) if v is not None}
            result = evaluate(answers | extra)
            steps = {s.id for s in result.next_steps}
            caveats = {c.id for c in result.caveats}
            reasons = {r.rule for r in result.reasons}
            if extra.get("stakes") == "high":
                assert {"cite-sources", "abstain", "expert-review"} <= steps and "high-stakes" in caveats
                assert "high-stakes" in reasons
            else:
                assert not {"abstain", "expert-review"} & steps
            if extra.get("tuning_plan") == "full":
                assert "lora-not-full" in steps and "full-to-lora" in reasons and "full-fine-tune" in caveats
            if extra.get("hosting") == "hosted-api":
                assert "check-vendor-lifecycle" in steps and "hosted-retirement" in caveats
            tuned = "fine-tune" in result.components
            assert ("choose-hosting" in steps) == (tuned and "hosting" not in extra)
            assert ("tuning_plan" in result.to_ask) == (tuned and "tuning_plan" not in extra)


@pytest.mark.exhaustive
def test_fully_answered_states_are_final(model, sweep):
    for representative in sweep.component_sets.values():
        answers = {q: v for q, v in representative.items() if v != UNANSWERED}
        full = {**{q.id: q.values[0] for q in model.questions}, **answers}
        assert evaluate(full).status == FINAL


def test_a_team_that_cannot_answer_one_question_hears_the_condition(model):
    # The old model collapsed to few-shot when ownership was open; now the headline names the condition.
    case = next(c for c in model.cases if c.id == "strict-format")
    answers = {k: v for k, v in case.answers.items() if k != "maintenance"}
    result = evaluate(answers)
    assert result.status == PROVISIONAL and result.approach == "few-shot"
    assert [(b.approach, [(c.question, c.answers) for c in b.when]) for b in result.becomes] == [
        ("fine-tune", [("maintenance", ["yes"])])
    ]


@pytest.mark.exhaustive
def test_what_would_change_is_exactly_right(model):
    for representative in list(component_space(model))[::997]:
        answers = {q: v for q, v in representative.items() if v != UNANSWERED}
        result = evaluate(answers)
        named = {(c.question, c.answer): c.approach for c in result.what_would_change}
        for question in model.questions:
            for value in question.values:
                if answers.get(question.id) == value:
                    continue
                other = evaluate({**answers, question.id: value}).approach
                if (question.id, value) in named:
                    assert other == named[(question.id, value)] != result.approach
                else:
                    assert other == result.approach


def _state_strategy():
    from decision import default_model

    model = default_model()
    return st.fixed_dictionaries(
        {q.id: st.sampled_from((*q.values, UNANSWERED)) for q in model.questions}
    ), st.fixed_dictionaries({q.id: st.sampled_from(q.values) for q in model.questions})


STATES, FULL = _state_strategy()


@settings(max_examples=400)
@given(STATES, FULL)
def test_no_unnamed_completion_changes_the_approach(state, completion):
    # Any way of answering the open questions that changes the approach contains one of the named changes.
    answers = {q: v for q, v in state.items() if v != UNANSWERED}
    result = evaluate(answers)
    completed = {**completion, **answers}
    if evaluate(completed).approach == result.approach:
        return
    assert any(all(completed[c.question] in c.answers for c in entry.when) for entry in result.becomes)


def test_evaluation_is_deterministic(model):
    for case in model.cases:
        assert evaluate(dict(reversed(list(case.answers.items())))) == evaluate(case.answers)


@pytest.mark.parametrize("case_id", ["strict-format", "custom-dsl", "brand-voice", "ticket-classification"])
def test_leaving_any_answers_of_a_case_open_names_a_change_back_to_it(model, case_id):
    # Every subset of a case's answers left open: the case's own answers complete the state, so if they give
    # another approach than the partial answers, one of the named changes must hold for them.
    case = next(c for c in model.cases if c.id == case_id)
    full = evaluate(case.answers)
    items = list(case.answers.items())
    for mask in range(1 << len(items)):
        partial = {q: v for i, (q, v) in enumerate(items) if not mask >> i & 1}
        result = evaluate(partial)
        if result.approach == full.approach:
            continue
        assert result.status == PROVISIONAL, partial
        assert any(all(case.answers.get(c.question) in c.answers for c in b.when) for b in result.becomes), partial
