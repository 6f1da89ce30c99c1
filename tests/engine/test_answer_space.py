"""Invariants over the whole answer space (every option of every question, and 'left open').

They restate the guide's advice independently of the rules file, so a rule edit
that contradicts the advice fails here.
"""

import itertools

from decision import evaluate
from decision.engine.model import APPROACHES, COMPONENTS

MEASURED = {"meets-bar", "small-gap", "large-gap"}


def key(answers: dict) -> tuple:
    return tuple(sorted(answers.items()))


def test_the_space_is_complete_and_small(model, sweep):
    expected = 1
    for question in model.questions:
        expected *= len(question.values) + 1
    assert len(sweep) == expected
    assert len(sweep) < 20_000, "keep the model small enough to sweep exhaustively"


def test_exactly_one_approach_consistent_with_components(sweep):
    for answers, result in sweep:
        assert result.approach in APPROACHES
        assert result.components and set(result.components) <= set(COMPONENTS)
        assert result.components == [c for c in COMPONENTS if c in result.components]
        if len(result.components) == 1:
            assert result.approach == result.components[0], answers
        else:
            assert result.approach == "combination", answers


def test_prompt_that_meets_the_bar_without_outside_info_or_cost_pressure_is_enough(sweep):
    for answers, result in sweep:
        if (
            answers.get("prompt_result") == "meets-bar"
            and answers.get("needs_knowledge") == "no"
            and answers.get("prompt_cost") == "no"
        ):
            assert result.approach == "few-shot", answers


def test_missing_information_always_gets_retrieval(sweep):
    for answers, result in sweep:
        if answers.get("needs_knowledge") in {"stable", "changing"}:
            assert "rag" in result.components, answers
        if answers.get("needs_knowledge") in {None, "no"}:
            assert "rag" not in result.components, answers


def test_fast_changing_information_never_gets_fine_tuning_without_retrieval(sweep):
    for answers, result in sweep:
        if answers.get("needs_knowledge") == "changing" and "fine-tune" in result.components:
            assert "rag" in result.components, answers


def test_no_fine_tuning_before_a_prompt_was_tried_and_measured(sweep):
    for answers, result in sweep:
        if answers.get("prompt_result") not in MEASURED:
            assert "fine-tune" not in result.components, answers
            step_ids = [step.id for step in result.next_steps]
            assert step_ids[0] in {"careful-prompt", "measure"} or "build-retrieval" in step_ids[:1], answers
            assert {"careful-prompt", "measure"} & set(step_ids), answers


def test_fine_tuning_needs_data_people_and_a_real_lever(sweep):
    for answers, result in sweep:
        if "fine-tune" not in result.components:
            continue
        assert answers.get("training_data") == "yes" and answers.get("maintenance") == "yes", answers
        quality_lever = answers.get("strict_format") == "yes" or answers.get("specialised_behaviour") in {
            "domain-language",
            "voice",
        }
        cost_lever = answers.get("prompt_cost") == "yes"
        assert cost_lever or (quality_lever and answers.get("prompt_result") == "large-gap"), answers


def test_a_small_gap_alone_never_justifies_training(sweep):
    for answers, result in sweep:
        if answers.get("prompt_result") == "small-gap" and answers.get("prompt_cost") != "yes":
            assert "fine-tune" not in result.components, answers


def test_fine_tuning_is_always_lora_with_the_operational_plan(sweep):
    for answers, result in sweep:
        tuned = "fine-tune" in result.components
        assert result.fine_tune_method == ("lora" if tuned else None), answers
        if tuned:
            steps = [s.id for s in result.next_steps]
            caveats = {c.id for c in result.caveats}
            for needed in ("curate-data", "lora-pilot", "holdout", "retrain-pipeline", "drift-alerts"):
                assert needed in steps, (answers, needed)
            assert steps.index("curate-data") < steps.index("lora-pilot") < steps.index("holdout")
            assert {"retraining", "drift", "ops-cost"} <= caveats, answers
            assert "full fine-tun" not in " ".join(s.text for s in result.next_steps).replace(
                "not a full fine-tune", ""
            )


def test_every_result_has_reasons_tied_to_real_answers_and_next_steps(sweep):
    for answers, result in sweep:
        assert result.reasons and result.next_steps, answers
        for reason in result.reasons:
            for qid, value in reason.answers.items():
                assert value == answers.get(qid, "unanswered"), (answers, reason)


def test_what_would_change_is_exactly_right(model, sweep, approach_at):
    for answers, result in sweep:
        named = {(c.question, c.answer): c.approach for c in result.what_would_change}
        for question in model.questions:
            for value in question.values:
                if answers.get(question.id) == value:
                    continue
                flipped = {**answers, question.id: value}
                actual = approach_at(flipped)
                if (question.id, value) in named:
                    assert actual == named[(question.id, value)] != result.approach, (answers, question.id, value)
                else:
                    assert actual == result.approach, (answers, question.id, value)


def test_named_changes_agree_with_a_fresh_evaluation(sweep):
    # Spot-check the table above against the real evaluator rather than the sweep's memo.
    for answers, result in sweep[::97]:
        for change in result.what_would_change:
            assert evaluate({**answers, change.question: change.answer}).approach == change.approach


def test_unanswered_lists_only_open_questions_and_never_hides_one_that_matters(model, sweep, approach_at):
    table = {key(a): r for a, r in sweep}
    for answers, result in sweep:
        assert all(qid not in answers for qid in result.unanswered), answers
        # A single answer that changes the approach must be offered.
        for change in result.what_would_change:
            if change.question not in answers:
                assert change.question in result.unanswered, (answers, change)
        # Completeness by recursion: if an open question is declared irrelevant,
        # it stays irrelevant after answering any other open question.
        hidden = [q.id for q in model.questions if q.id not in answers and q.id not in result.unanswered]
        for other in result.unanswered:
            for value in model.question(other).values:
                later = table[key({**answers, other: value})]
                for qid in hidden:
                    assert qid not in later.unanswered, (answers, other, value, qid)


def test_fully_answered_states_have_nothing_left_open(model, sweep):
    full = [r for a, r in sweep if len(a) == len(model.questions)]
    assert full and all(r.unanswered == [] for r in full)


def test_resembling_cases_share_the_approach(model, sweep):
    documented = {c.id: c.documented_approach for c in model.cases}
    for _answers, result in sweep[::13]:
        assert all(documented[ref.id] == result.approach for ref in result.cases)


def test_evaluation_is_deterministic(sweep):
    for answers, result in sweep[::101]:
        assert evaluate(dict(reversed(list(answers.items())))) == result


def _open_questions_that_can_change_the_approach(model, answers, approach_at) -> list[str]:
    """By definition, from the table of every point: an open question matters when, for some answers to
    the other open questions, two of its own answers (or leaving it open) give different approaches."""
    open_ids = [q.id for q in model.questions if q.id not in answers]
    choices = {qid: (*model.question(qid).values, None) for qid in open_ids}
    matters = []
    for qid in open_ids:
        others = [o for o in open_ids if o != qid]
        for combo in itertools.product(*(choices[o] for o in others)):
            base = {**answers, **{o: v for o, v in zip(others, combo) if v is not None}}
            outcomes = {approach_at({**base, qid: v} if v else base) for v in choices[qid]}
            if len(outcomes) > 1:
                matters.append(qid)
                break
    return matters


def test_unanswered_is_exactly_the_open_questions_that_can_change_the_approach(model, sweep, approach_at):
    # Not every open question matters: a result that listed them all would ask for needless answers.
    checked = some_left_out = 0
    for answers, result in sweep[::7]:
        expected = _open_questions_that_can_change_the_approach(model, answers, approach_at)
        assert result.unanswered == expected, answers
        checked += 1
        some_left_out += len(expected) < len(model.questions) - len(answers)
    assert checked > 1000 and some_left_out > 100


def test_every_reason_in_the_model_is_given_exactly_where_its_rule_applies(model, sweep):
    # The rules file's own contract (see its header): a rule applies when each `when` question has one of
    # the listed answers ("unanswered" for open) and the chosen components pass `with` / `without`.
    shown: dict[str, int] = {rule.id: 0 for rule in model.rules if rule.reason}
    for answers, result in sweep:
        given = {reason.rule: reason.text for reason in result.reasons}
        chosen = set(result.components)
        for rule in model.rules:
            if not rule.reason:
                continue
            holds = all(answers.get(qid, "unanswered") in values for qid, values in rule.when)
            if rule.include:  # an include rule explains a component it added
                if rule.id in given:
                    assert holds and rule.include in chosen, (answers, rule.id)
            else:
                applies = holds and rule.with_components <= chosen and not (rule.without_components & chosen)
                assert (rule.id in given) == applies, (answers, rule.id)
            if rule.id in given:
                assert given[rule.id] == rule.reason
                shown[rule.id] += 1
    assert [rule for rule, count in shown.items() if count == 0] == []
