"""Each case study from the guide must evaluate to the approach the team actually ended with."""

import pytest

from decision import default_model, evaluate

CASES = default_model().cases


def test_there_are_at_least_the_six_documented_cases():
    ids = {case.id for case in CASES}
    assert {
        "strict-format",
        "custom-dsl",
        "brand-voice",
        "ticket-classification",
        "length-limited-summaries",
        "internal-docs-qa",
    } <= ids


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_evaluates_to_its_documented_approach(case):
    result = evaluate(case.answers)
    assert result.approach == case.documented_approach, f"{case.id}: engine says {result.approach}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_case_is_its_own_nearest_case_with_nothing_different(case):
    nearest = evaluate(case.answers).cases[0]
    assert (nearest.id, nearest.differences) == (case.id, [])


def test_nearest_cases_say_what_differs_whatever_their_outcome():
    # the ticket case with the gap judged worth closing and a latency problem
    ticket = next(c for c in CASES if c.id == "ticket-classification")
    answers = {**ticket.answers, "gap_worth": "yes", "latency": "yes"}
    matches = evaluate(answers).cases
    assert matches[0].id == "ticket-classification"
    assert [(d.question, d.yours, d.theirs) for d in matches[0].differences] == [
        ("gap_worth", "yes", "no"),
        ("latency", "yes", None),
    ]
    assert len({m.documented_approach for m in matches}) > 1  # not only cases with the same outcome


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_inferred_answers_are_answers_of_the_case(case):
    assert set(case.inferred) <= set(case.answers)


def test_the_voice_case_combines_all_three_components():
    voice = next(c for c in CASES if c.id == "brand-voice")
    assert evaluate(voice.answers).components == ["few-shot", "rag", "fine-tune"]


def test_the_reverted_ticket_case_had_data_and_people_but_stays_with_the_prompt():
    case = next(c for c in CASES if c.id == "ticket-classification")
    assert case.answers["training_data"] == "reviewed" and case.answers["maintenance"] == "yes"
    assert evaluate(case.answers).components == ["few-shot"]


def test_the_documented_fine_tunes_are_final():
    for case in CASES:
        if case.documented_approach in {"fine-tune", "combination"}:
            assert evaluate(case.answers).status == "final", case.id
