"""Cases worked by hand (the arithmetic is in the comments), a published worked example, and the guide's
own figures (decision/gap/examples.toml) as the engine computes them."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from decision.gap import compute_gap, stats, worked_examples
from decision.gap.examples import read_examples
from decision.gap.inputs import parse_gap_inputs

Z = 1.959963984540054  # z(0.975)


def test_wilson_at_91_of_100_by_hand():
    # z² = 3.841459; 1 + z²/n = 1.038415
    # centre = (0.91 + z²/200) / 1.038415 = 0.929207 / 1.038415 = 0.894833
    # half   = z √(0.91 × 0.09 / 100 + z²/40000) / 1.038415 = 1.959964 × 0.030249 / 1.038415 = 0.057095
    interval = stats.wilson_interval(91, 100)
    assert interval.low == pytest.approx(0.894833 - 0.057095, abs=2e-6)
    assert interval.high == pytest.approx(0.894833 + 0.057095, abs=2e-6)


def test_the_textbook_interval_at_91_of_100_is_about_5_6_points():
    # 1.959964 × √(0.91 × 0.09 / 100) = 1.959964 × 0.028618 = 0.056091: "roughly ±5.6 points"
    interval = stats.wald_interval(91, 100)
    assert interval.half_width == pytest.approx(0.056091, abs=1e-6)
    assert round(interval.half_width * 100, 1) == 5.6


def test_clopper_pearson_at_the_edges_has_a_closed_form():
    # x = 0: P(X ≤ 0 | p) = (1 − p)ⁿ = α/2  =>  p = 1 − (α/2)^(1/n) = 1 − 0.025^0.1 = 0.308497
    assert stats.clopper_pearson_interval(0, 10) == stats.Interval(0.0, pytest.approx(1 - 0.025**0.1, rel=1e-12))
    # x = n: P(X ≥ n | p) = pⁿ = α/2  =>  p = 0.025^0.1 = 0.691503
    assert stats.clopper_pearson_interval(10, 10) == stats.Interval(pytest.approx(0.025**0.1, rel=1e-12), 1.0)


def test_mcnemar_by_hand():
    # b = 6, c = 10: χ² = (10 − 6)² / 16 = 1, p = erfc(√0.5) = 0.317311
    # corrected: (4 − 1)² / 16 = 0.5625, p = erfc(√0.28125) = 0.453255
    # exact: 2 × (1 + 16 + 120 + 560 + 1820 + 4368 + 8008) / 2¹⁶ = 2 × 14893 / 65536 = 0.454498291015625
    test = stats.mcnemar(6, 10)
    assert test.statistic == 1.0 and test.p_value == pytest.approx(0.317311, abs=1e-6)
    assert test.statistic_corrected == 0.5625 and test.p_value_corrected == pytest.approx(0.453255, abs=1e-6)
    assert test.p_value_exact == 2 * 14893 / 65536
    assert test.exact_decides and test.decisive_p_value == test.p_value_exact  # 16 < 25 discordant items


def test_continuity_correction_stops_at_zero():
    # |c − b| = 1: the corrected statistic is (1 − 1)² / n = 0, not (0 − 1)² / n
    assert stats.mcnemar(5, 6).statistic_corrected == 0.0
    assert stats.mcnemar(5, 5).p_value_corrected == 1.0


def test_newcombe_paired_reproduces_the_published_cavo_example():
    # Fagerland, Lydersen and Laake's contingencytables package (tests/testthat/test-ch8.R): the table
    # [[59, 6], [16, 80]] gives estimate -0.0621 (95% CI -0.1186 to -0.0046). Its first classification is
    # our candidate: both right 59, only candidate 6, only baseline 16, both wrong 80.
    # Without the shrunken φ (AD − BC − N/2) the ends would be -0.1174 and -0.0059.
    interval = stats.paired_difference_interval(59, 16, 6, 80)
    assert round((65 - 75) / 161, 4) == -0.0621
    assert (round(interval.low, 4), round(interval.high, 4)) == (-0.1186, -0.0046)


def test_items_per_system_by_hand():
    # 91% → 93%: p̄ = 0.92, z √(2 × 0.92 × 0.08) = 1.959964 × 0.383667 = 0.751974
    #            z(0.8) √(0.91 × 0.09 + 0.93 × 0.07) = 0.841621 × 0.383406 = 0.322682
    #            ((0.751974 + 0.322682) / 0.02)² = 2887.2 -> 2,888 ("about 2,900")
    assert stats.items_per_system(0.91, 0.93) == 2888
    # 95% → 99.5%: p̄ = 0.9725, 1.959964 × √0.0534875 = 0.453289; 0.841621 × √0.052475 = 0.192794
    #              ((0.453289 + 0.192794) / 0.045)² = 206.13 -> 207 ("about 210")
    assert stats.items_per_system(0.95, 0.995) == 207


def test_cost_bar_by_hand():
    # 1,000,000 calls × (1 − 0.91) = 90,000 errors a month; at $0.05 each one point of accuracy
    # is 10,000 errors = $500 a month; $411.50 extra needs 411.5 / 50,000 = 0.00823 -> 91.823%
    bar = stats.cost_bar(1_000_000, 0.05, 0.91, 411.5)
    assert bar.errors_per_month == 90_000
    assert bar.value_per_point == 500
    assert bar.required_gain == Fraction(823, 100_000)
    assert bar.accuracy_to_pay == Fraction(91_823, 100_000) and bar.within_reach


def test_cost_bar_edges():
    assert stats.cost_bar(1000, 0.01, 0.9, 50).accuracy_to_pay == Fraction(59, 10)  # 0.9 + 50/10: out of reach
    assert not stats.cost_bar(1000, 0.01, 0.9, 50).within_reach
    assert stats.cost_bar(1000, 0, 0.9, 50).accuracy_to_pay is None  # errors cost nothing: never pays
    assert stats.cost_bar(1000, 0, 0.9, -5).required_gain == 0  # cheaper already
    assert stats.cost_bar(1000, 0.1, 0.9, -5).required_gain == Fraction(-1, 20)  # may lose 5 points


@pytest.mark.parametrize(
    ("verdict", "closing_pays", "answers"),
    [
        (stats.MEETS, None, {"prompt_result": "meets-bar"}),
        (stats.MEETS, True, {"prompt_result": "meets-bar"}),
        (stats.CANNOT_TELL, None, {"prompt_result": "short-unclear"}),
        (stats.FALLS_SHORT, None, {"prompt_result": "short"}),
        (stats.FALLS_SHORT, True, {"prompt_result": "short", "gap_worth": "yes"}),
        (stats.FALLS_SHORT, False, {"prompt_result": "short", "gap_worth": "no"}),
    ],
)
def test_evidence_answers(verdict, closing_pays, answers):
    assert stats.evidence_answers(verdict, closing_pays) == answers


def test_every_evidence_answer_is_an_option_of_the_questionnaire_and_asked_then():
    from decision.engine.model import default_model

    model = default_model()
    for verdict in (stats.MEETS, stats.CANNOT_TELL, stats.FALLS_SHORT):
        for pays in (None, True, False):
            answers = stats.evidence_answers(verdict, pays)
            for question, value in answers.items():
                asked = model.question(question)
                assert value in asked.values
                for condition, accepted in dict(asked.ask_when).items():  # asked in this situation
                    assert answers.get(condition) in accepted


# -- the guide's figures


def _example(example_id: str):
    example = next(e for e in worked_examples() if e.id == example_id)
    return compute_gap(example.inputs)


def test_ticket_case_needs_about_2900_items_per_system():
    assert _example("ticket-plan").figures["items_per_system"] == 2888


def test_strict_format_case_needs_about_210_items_per_system():
    assert _example("strict-format-plan").figures["items_per_system"] == 207


def test_a_hundred_items_at_91_percent():
    result = _example("hundred-items")
    assert round(result.figures["wald_half_width"] * 100, 1) == 5.6
    assert result.figures["verdict_id"] == stats.CANNOT_TELL
    assert result.questionnaire_answers == {"prompt_result": "short-unclear"}


def test_a_two_point_gain_on_200_items_is_not_yet_a_win():
    independent = _example("two-points-on-200")
    assert independent.figures["verdict_id"] == "cannot-tell"
    assert independent.figures["interval"]["low"] < 0 < independent.figures["interval"]["high"]
    assert independent.figures["p_value"] == pytest.approx(0.461, abs=1e-3)
    paired = _example("two-points-on-200-paired")
    assert paired.figures["verdict_id"] == "cannot-tell"
    assert paired.figures["mcnemar"]["decisive_p_value"] == 2 * 14893 / 65536


def test_the_cost_example_uses_the_cost_calculators_extra_monthly_cost():
    from decision.cost import EXAMPLE, compute

    cost = compute(EXAMPLE)
    example = next(e for e in worked_examples() if e.id == "cost-of-an-error")
    assert example.inputs["extra_monthly_cost"] == round(cost.tuned_monthly - cost.prompting_monthly, 2)
    assert example.inputs["calls_per_month"] == EXAMPLE.calls_per_month


def test_a_prompt_that_falls_short_gets_a_gap_answer_by_the_cost_of_errors():
    base = {"correct": 880, "items": 1000, "bar": 0.93, "calls_per_month": 1_000_000, "extra_monthly_cost": 411.5}
    # closing 88% -> 93% saves 1,000,000 × 0.05 × $0.05 = $2,500 a month > $411.50: worth a fine-tune
    worth = compute_gap(parse_gap_inputs("bar", {**base, "cost_per_error": 0.05}))
    assert worth.questionnaire_answers == {"prompt_result": "short", "gap_worth": "yes"}
    assert worth.figures["questionnaire_fragment"] == "prompt_result=short&gap_worth=yes"
    # at $0.005 an error it saves $250 a month < $411.50: a gap to live with
    not_worth = compute_gap(parse_gap_inputs("bar", {**base, "cost_per_error": 0.005}))
    assert not_worth.questionnaire_answers == {"prompt_result": "short", "gap_worth": "no"}
    meets = compute_gap(parse_gap_inputs("bar", {"correct": 990, "items": 1000, "bar": 0.95}))
    assert meets.questionnaire_answers == {"prompt_result": "meets-bar"}


def test_a_broken_examples_file_is_refused_naming_the_key():
    from decision._errors import ModelError

    text = '[[examples]]\nid = "x"\ncalculation = "plan"\ntitle = "t"\nsource = "s"\nclaim = "c"\n'
    with pytest.raises(ModelError, match=r"examples\[0\].inputs.candidate_accuracy"):
        read_examples(text + "inputs = { baseline_accuracy = 0.9, candidate_accuracy = 9 }\n", "x.toml")
    with pytest.raises(ModelError, match="no example for"):
        read_examples(text + "inputs = { baseline_accuracy = 0.9, candidate_accuracy = 0.95 }\n", "x.toml")


def test_two_point_gain_interval_by_hand():
    # Wilson 186/200: 1 + z²/200 = 1.019207; centre (0.93 + z²/400) / 1.019207 = 0.921897;
    #   half 1.959964 √(0.0003255 + 0.0000240) / 1.019207 = 0.035951 -> 0.885945 to 0.957848
    # Wilson 182/200: centre 0.902273, half √(0.0004095 + 0.0000240) × 1.923056 = 0.040039 -> 0.862234 to 0.942313
    # low = 0.02 − √((0.93 − 0.885945)² + (0.942313 − 0.91)²) = 0.02 − √(0.001941 + 0.001044) = -0.034634
    cand, base = stats.wilson_interval(186, 200), stats.wilson_interval(182, 200)
    low = 0.02 - math.sqrt((0.93 - cand.low) ** 2 + (base.high - 0.91) ** 2)
    assert stats.independent_difference_interval(182, 200, 186, 200).low == pytest.approx(low, abs=1e-15)
    assert low == pytest.approx(-0.034634, abs=1e-6)
