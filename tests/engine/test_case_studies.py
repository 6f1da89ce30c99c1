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
def test_case_is_listed_among_the_cases_its_own_answers_resemble(case):
    assert case.id in [ref.id for ref in evaluate(case.answers).cases]


def test_the_voice_case_combines_all_three_components():
    voice = next(c for c in CASES if c.id == "brand-voice")
    assert evaluate(voice.answers).components == ["few-shot", "rag", "fine-tune"]


def test_the_reverted_cases_had_data_and_people_but_still_stay_with_the_prompt():
    for case_id in ("ticket-classification", "length-limited-summaries"):
        case = next(c for c in CASES if c.id == case_id)
        assert case.answers["training_data"] == "yes" and case.answers["maintenance"] == "yes"
        assert evaluate(case.answers).components == ["few-shot"]
