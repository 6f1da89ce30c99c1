"""Each gap calculation from checked inputs to a result: the figures, a verdict in words and, for a prompt
measured against the bar, the answer it implies for the questionnaire's evidence question."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from decision.gap import stats
from decision.gap.inputs import GapInputs


@dataclass(frozen=True)
class GapResult:
    inputs: GapInputs
    figures: dict = field(hash=False)  # JSON-ready: numbers, None, booleans, strings, nested dicts
    verdict: str
    questionnaire_answers: dict | None = field(default=None, hash=False)  # question -> option (`bar` only)


def percent(share: float, digits: int = 1) -> str:
    """0.9123 -> '91.2%'."""
    return f"{share * 100:.{digits}f}%"


def points(difference: float) -> str:
    """0.02 -> '+2.0 points'."""
    return f"{difference * 100:+.1f} points"


def p_text(p: float) -> str:
    return "p < 0.0001" if p < 0.0001 else f"p = {p:.2g}" if p < 0.1 else f"p = {p:.2f}"


def items_text(n: int) -> str:
    return f"{n:,} item{'s' * (n != 1)}"


def _interval(interval: stats.Interval) -> dict:
    return {"low": interval.low, "high": interval.high}


def compute_gap(inputs: GapInputs) -> GapResult:
    """The calculation the inputs name. Check the inputs first (check_gap_inputs): this trusts them."""
    return _CALCULATE[inputs.calculation](inputs)


def _bar(inputs: GapInputs) -> GapResult:
    v = inputs.values
    correct, items, bar, alpha, power = int(v["correct"]), int(v["items"]), v["bar"], v["alpha"], v["power"]
    accuracy = correct / items
    wilson = stats.wilson_interval(correct, items, alpha)
    verdict_id = stats.bar_verdict(wilson, bar)
    settle = stats.items_to_settle(accuracy, bar, alpha, power) if verdict_id == stats.CANNOT_TELL else None
    cost = None
    closing_pays = None
    if v["calls_per_month"] is not None and verdict_id == stats.FALLS_SHORT:
        result = stats.cost_bar(
            v["calls_per_month"], v["cost_per_error"], Fraction(correct, items), v["extra_monthly_cost"]
        )
        closing_pays = result.accuracy_to_pay is not None and result.accuracy_to_pay <= Fraction(repr(bar))
        cost = {
            "accuracy_to_pay": None if result.accuracy_to_pay is None else float(result.accuracy_to_pay),
            "monthly_value_of_closing_the_gap": float(
                Fraction(repr(v["calls_per_month"]))
                * Fraction(repr(v["cost_per_error"]))
                * (Fraction(repr(bar)) - Fraction(correct, items))
            ),
            "closing_the_gap_pays": closing_pays,
        }
    answers = stats.evidence_answers(verdict_id, closing_pays)
    confidence = percent(1 - alpha, 0 if (1 - alpha) * 100 == round((1 - alpha) * 100) else 2)
    measured = f"{correct:,} of {items:,} right ({percent(accuracy)})"
    span = f"{percent(wilson.low)} to {percent(wilson.high)}"
    if verdict_id == stats.MEETS:
        words = f"Meets the bar: {measured}, and the whole {confidence} interval, {span}, lies above {percent(bar)}."
    elif verdict_id == stats.FALLS_SHORT:
        words = f"Falls short: {measured}, and the whole {confidence} interval, {span}, lies below {percent(bar)}."
        if cost is not None:
            words += (
                " Closing the gap would pay for a fine-tune's extra cost."
                if closing_pays
                else " Closing the gap is worth less than a fine-tune's extra cost: a gap you could live with."
            )
    else:
        words = f"Cannot tell yet: {measured}, and the {confidence} interval, {span}, holds the bar of {percent(bar)}."
        if settle is None:
            words += " The score equals the bar, so no eval size would separate them."
        else:
            words += (
                f" About {items_text(settle)} in all ({max(0, settle - items):,} more) would settle it "
                f"{percent(power, 0)} of the time if {percent(accuracy)} is the true accuracy."
            )
    figures = {
        "accuracy": accuracy,
        "intervals": {
            "wilson": _interval(wilson),
            "clopper_pearson": _interval(stats.clopper_pearson_interval(correct, items, alpha)),
            "wald": _interval(stats.wald_interval(correct, items, alpha)),
        },
        "wald_half_width": stats.z_two_sided(alpha) * (accuracy * (1 - accuracy) / items) ** 0.5,
        "verdict_id": verdict_id,
        "items_to_settle": settle,
        "more_items_to_settle": None if settle is None else max(0, settle - items),
        "cost": cost,
        "questionnaire_fragment": stats.questionnaire_fragment(answers),
    }
    return GapResult(inputs, figures, words, answers)


def _comparison_words(
    difference: float, p: float, alpha: float, span: str, needed: int | None, power: float, unit: str
) -> tuple[str, str]:
    if p < alpha and difference > 0:
        return "candidate-better", f"The candidate is better: {points(difference)} ({span}), {p_text(p)}."
    if p < alpha and difference < 0:
        return "baseline-better", f"The baseline is better: {points(difference)} ({span}), {p_text(p)}."
    words = f"Cannot tell yet: {points(difference)} ({span}), {p_text(p)}."
    if needed is not None:
        words += (
            f" A true difference this size needs about {items_text(needed)} {unit} "
            f"to show {percent(power, 0)} of the time."
        )
    return "cannot-tell", words


def _paired(inputs: GapInputs) -> GapResult:
    v = inputs.values
    a, b, c, d = (int(v[k]) for k in ("both_right", "only_baseline_right", "only_candidate_right", "both_wrong"))
    alpha, power = v["alpha"], v["power"]
    n = a + b + c + d
    baseline, candidate = (a + b) / n, (a + c) / n
    interval = stats.paired_difference_interval(a, b, c, d, alpha)
    test = stats.mcnemar(b, c)
    p = test.decisive_p_value
    needed = stats.paired_items(baseline, candidate, (b + c) / n, alpha, power) if b != c else None
    span = f"{points(interval.low)} to {points(interval.high)}"
    verdict_id, words = _comparison_words(candidate - baseline, p, alpha, span, needed, power, "scored by both")
    figures = {
        "items": n,
        "baseline_accuracy": baseline,
        "candidate_accuracy": candidate,
        "difference": candidate - baseline,
        "interval": _interval(interval),
        "mcnemar": {
            "discordant": test.discordant,
            "chi_square": test.statistic,
            "p_value": test.p_value,
            "chi_square_corrected": test.statistic_corrected,
            "p_value_corrected": test.p_value_corrected,
            "p_value_exact": test.p_value_exact,
            "decisive_test": "exact" if test.exact_decides else "chi-square",
            "decisive_p_value": p,
        },
        "verdict_id": verdict_id,
        "items_needed": needed if verdict_id == "cannot-tell" else None,
    }
    return GapResult(inputs, figures, words)


def _independent(inputs: GapInputs) -> GapResult:
    v = inputs.values
    bc, bn, cc, cn = (int(v[k]) for k in ("baseline_correct", "baseline_items", "candidate_correct", "candidate_items"))
    alpha, power = v["alpha"], v["power"]
    baseline, candidate = bc / bn, cc / cn
    interval = stats.independent_difference_interval(bc, bn, cc, cn, alpha)
    z, p = stats.two_proportion_z_test(bc, bn, cc, cn)
    needed = stats.items_per_system(baseline, candidate, alpha, power)
    span = f"{points(interval.low)} to {points(interval.high)}"
    verdict_id, words = _comparison_words(candidate - baseline, p, alpha, span, needed, power, "per system")
    figures = {
        "baseline_accuracy": baseline,
        "candidate_accuracy": candidate,
        "difference": candidate - baseline,
        "interval": _interval(interval),
        "z": z,
        "p_value": p,
        "verdict_id": verdict_id,
        "items_needed_per_system": needed if verdict_id == "cannot-tell" else None,
    }
    return GapResult(inputs, figures, words)


def _plan(inputs: GapInputs) -> GapResult:
    v = inputs.values
    baseline, candidate, alpha, power = v["baseline_accuracy"], v["candidate_accuracy"], v["alpha"], v["power"]
    per_system = stats.items_per_system(baseline, candidate, alpha, power)
    paired = None if v["discordant"] is None else stats.paired_items(baseline, candidate, v["discordant"], alpha, power)
    words = (
        f"To detect {percent(baseline)} → {percent(candidate)} ({points(candidate - baseline)}) at α = {alpha:g} "
        f"with {percent(power, 0)} power: about {items_text(per_system)} per system on separate eval sets."
    )
    if paired is not None:
        share = percent(v["discordant"])
        words += f" On one eval set scored by both, with {share} of items in dispute: about {items_text(paired)}."
    figures = {"items_per_system": per_system, "items_both_systems": 2 * per_system, "paired_items": paired}
    return GapResult(inputs, figures, words)


def _cost(inputs: GapInputs) -> GapResult:
    v = inputs.values
    result = stats.cost_bar(v["calls_per_month"], v["cost_per_error"], v["baseline_accuracy"], v["extra_monthly_cost"])
    gain, accuracy = result.required_gain, result.accuracy_to_pay
    errors = float(result.errors_per_month)
    if accuracy is None:
        words = "No accuracy pays: errors cost nothing here, and the fine-tune costs more each month."
    elif gain <= 0:
        words = (
            f"The fine-tune pays even at {percent(float(accuracy), 2)}: it costs no more a month, so it may lose up to "
            f"{points(-float(gain)).lstrip('+')} of accuracy and still come out even."
        )
    elif not result.within_reach:
        words = (
            f"No accuracy pays: the fine-tune would need {percent(float(accuracy), 2)}, beyond 100%. "
            f"At {errors:,.0f} errors a month, every error avoided is worth less than its share of the extra cost."
        )
    else:
        words = (
            f"A fine-tune pays for itself from {percent(float(accuracy), 2)}: {points(float(gain))} over the "
            f"baseline's {percent(v['baseline_accuracy'])}, which now makes {errors:,.0f} errors a month."
        )
    figures = {
        "errors_per_month": errors,
        "monthly_value_per_point": float(result.value_per_point),
        "required_gain": None if gain is None else float(gain),
        "accuracy_to_pay": None if accuracy is None else float(accuracy),
        "within_reach": result.within_reach,
    }
    return GapResult(inputs, figures, words)


_CALCULATE = {"bar": _bar, "paired": _paired, "independent": _independent, "plan": _plan, "cost": _cost}
