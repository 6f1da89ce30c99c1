"""Is the gap real? The statistics behind an eval score, as small pure functions.

Accuracies are proportions from 0 to 1; a difference is candidate minus baseline, so a positive
difference means the candidate (say, a fine-tune) scored higher than the baseline (say, the prompt).
`alpha` is the two-sided significance level (0.05 gives 95% intervals), `power` the chance of
detecting a difference that is really there. z is the standard normal quantile z(q) = Φ⁻¹(q).

One system against a bar (n items, x of them right, p̂ = x / n):
    Wald (textbook ±):   p̂ ± z(1 − α/2) √(p̂(1 − p̂) / n)
    Wilson score:        (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)
    Clopper–Pearson:     the p where P(X ≥ x | p) = α/2 (low end) and P(X ≤ x | p) = α/2 (high end),
                         X ~ Binomial(n, p), found by bisection on the exact binomial tail.
    Verdict (Wilson):    meets the bar when the bar lies below the interval, falls short when it
                         lies above it, cannot tell yet when the interval holds it.
    Items to settle it:  ⌈((z(1 − α/2) √(b(1 − b)) + z(power) √(p̂(1 − p̂))) / (p̂ − b))²⌉ for a bar b:
                         the eval size at which, if the true accuracy is the one measured, a fresh
                         eval gives a verdict with probability `power` (the score test's normal
                         approximation; the Wilson interval leaves out b exactly when that test rejects).

Two systems on the same items (paired; b = items only the baseline got right, c = only the candidate):
    McNemar:             χ² = (c − b)² / (b + c), continuity-corrected (|c − b| − 1)² / (b + c)
                         (0 when |c − b| ≤ 1), one degree of freedom: p = erfc(√(χ²/2)).
    Exact McNemar:       p = min(1, 2 P(X ≤ min(b, c))), X ~ Binomial(b + c, ½).
    The decision uses the exact test below EXACT_BELOW discordant items, the uncorrected χ² from there.
    Interval:            Newcombe's square-and-add method 10 for paired data (Stat Med 1998;17:2635):
                         the two Wilson intervals combined with the correlation φ of the two results,
                         φ shrunk towards 0 by N/2 when positive (as Fagerland, Lydersen and Laake's
                         Newcombe_square_and_add_CI_paired_2x2 and Altman et al.'s worked example do).

Two systems on different items:
    Interval:            Newcombe's hybrid score, method 10 of Newcombe (Stat Med 1998;17:873):
                         d − √((p̂c − lc)² + (ub − p̂b)²) to d + √((uc − p̂c)² + (p̂b − lb)²).
    z test (pooled):     z = (p̂c − p̂b) / √(p̄(1 − p̄)(1/nc + 1/nb)), p = erfc(|z| / √2).

Planning (items per system to detect p_b → p_c at α two-sided with the given power):
    Different items:     n = ((z(1 − α/2) √(2 p̄ q̄) + z(power) √(p_b q_b + p_c q_c)) / (p_c − p_b))²,
                         p̄ = (p_b + p_c)/2, q = 1 − p: the z test's normal approximation with the pooled
                         variance under no difference and the separate ones under the difference
                         (Fleiss's formula without continuity correction; statsmodels'
                         samplesize_proportions_2indep_onetail).
    Same items:          n = (z(1 − α/2) √ψ + z(power) √(ψ − δ²))² / δ², δ = p_c − p_b, ψ the expected
                         share of items the two systems disagree on (Connor, Biometrics 1987;43:207).

The bar from the cost of an error (exact fractions of the decimals typed):
    errors per month     = calls per month × (1 − accuracy)
    required gain        = extra monthly cost / (calls per month × cost per error)
    accuracy to pay      = baseline accuracy + required gain
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

EXACT_BELOW = 25  # discordant items below which the paired decision uses the exact McNemar test
EXACT_INTEGER_LIMIT = 10_000  # up to this many discordant items the exact test runs in integers

MEETS, FALLS_SHORT, CANNOT_TELL = "meets-bar", "falls-short", "cannot-tell"
VERDICT_WORDS = {MEETS: "meets the bar", FALLS_SHORT: "falls short", CANNOT_TELL: "cannot tell yet"}

_NORMAL = NormalDist()
_LN_SQRT_2PI = 0.5 * math.log(2 * math.pi)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def z_two_sided(alpha: float) -> float:
    """z(1 − α/2): 1.959963984540054 for α = 0.05."""
    return _NORMAL.inv_cdf(1 - alpha / 2)


def z_power(power: float) -> float:
    """z(power): 0.8416212335729143 for power 0.8."""
    return _NORMAL.inv_cdf(power)


# -- one proportion


def wald_interval(correct: int, items: int, alpha: float = 0.05) -> Interval:
    """The textbook p̂ ± z √(p̂(1 − p̂)/n), cut to [0, 1]; poor near 0 and 1, shown for comparison."""
    p = correct / items
    half = z_two_sided(alpha) * math.sqrt(p * (1 - p) / items)
    return Interval(max(0.0, p - half), min(1.0, p + half))


def wilson_interval(correct: int, items: int, alpha: float = 0.05) -> Interval:
    """Wilson's score interval: the accuracies a two-sided score test at level α would not reject."""
    p, n = correct / items, items
    z = z_two_sided(alpha)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if correct == 0 else max(0.0, centre - half)
    high = 1.0 if correct == items else min(1.0, centre + half)
    return Interval(low, high)


def clopper_pearson_interval(correct: int, items: int, alpha: float = 0.05) -> Interval:
    """The exact (Clopper–Pearson) interval: each end leaves α/2 of binomial probability beyond the count."""
    x, n, tail = correct, items, alpha / 2
    low = 0.0 if x == 0 else _bisect(lambda p: binomial_at_least(x, n, p) < tail, 0.0, x / n)
    high = 1.0 if x == n else _bisect(lambda p: binomial_at_most(x, n, p) > tail, x / n, 1.0)
    return Interval(low, high)


def _bisect(below_root, low: float, high: float) -> float:
    """The point where `below_root` turns from true to false on [low, high], to the last float."""
    while True:
        middle = (low + high) / 2
        if middle <= low or middle >= high:
            return middle
        if below_root(middle):
            low = middle
        else:
            high = middle


def bar_verdict(interval: Interval, bar: float) -> str:
    """MEETS when the whole interval lies above the bar, FALLS_SHORT when below, else CANNOT_TELL."""
    if interval.low > bar:
        return MEETS
    if interval.high < bar:
        return FALLS_SHORT
    return CANNOT_TELL


def items_to_settle(accuracy: float, bar: float, alpha: float = 0.05, power: float = 0.8) -> int | None:
    """Items at which an eval settles accuracy against the bar with chance `power`, if `accuracy` is the
    true one (module docstring); None when the accuracy equals the bar (no eval size separates them)."""
    if accuracy == bar:
        return None
    spread = z_two_sided(alpha) * math.sqrt(bar * (1 - bar)) + z_power(power) * math.sqrt(accuracy * (1 - accuracy))
    return max(1, math.ceil((spread / (accuracy - bar)) ** 2))


# -- exact binomial probabilities (Loader's saddle-point terms, then a sum away from the mode)

_STIRLING = (1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188)


def _stirling_error(n: int) -> float:
    """log(n!) − log(√(2πn) (n/e)ⁿ)."""
    if n <= 15:
        return math.lgamma(n + 1) - (n + 0.5) * math.log(n) + n - _LN_SQRT_2PI
    s0, s1, s2, s3, s4 = _STIRLING
    nn = n * n
    if n > 500:
        return (s0 - s1 / nn) / n
    if n > 80:
        return (s0 - (s1 - s2 / nn) / nn) / n
    if n > 35:
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n


def _deviance(x: float, mean: float) -> float:
    """x log(x / mean) + mean − x, without cancellation when x is close to mean."""
    if abs(x - mean) < 0.1 * (x + mean):
        v = (x - mean) / (x + mean)
        total, term, v2 = (x - mean) * v, 2 * x * v, v * v
        for j in range(1, 1000):
            term *= v2
            following = total + term / (2 * j + 1)
            if following == total:
                return following
            total = following
    return x * math.log(x / mean) + mean - x


def binomial_pmf(k: int, n: int, p: float) -> float:
    """P(X = k) for X ~ Binomial(n, p), to about 1e-14 relative for any n (Loader 2000)."""
    q = 1 - p
    if p == 0:
        return 1.0 if k == 0 else 0.0
    if q == 0:
        return 1.0 if k == n else 0.0
    if k == 0:
        return math.exp(-_deviance(n, n * q) - n * p if p < 0.1 else n * math.log1p(-p))
    if k == n:
        return math.exp(-_deviance(n, n * p) - n * q if q < 0.1 else n * math.log(p))
    log_c = (
        _stirling_error(n) - _stirling_error(k) - _stirling_error(n - k) - _deviance(k, n * p) - _deviance(n - k, n * q)
    )
    return math.exp(log_c - 0.5 * (2 * _LN_SQRT_2PI + math.log(k) + math.log1p(-k / n)))


def _sum_away_from_mode(start: int, n: int, p: float, step: int) -> float:
    """P(X = start) + P(X = start + step) + ... while the terms matter (they shrink in that direction)."""
    term = binomial_pmf(start, n, p)
    total, k = term, start
    odds = p / (1 - p)
    while term > total * 1e-17:
        if step > 0:
            if k >= n:
                break
            term *= (n - k) / (k + 1) * odds
        else:
            if k <= 0:
                break
            term *= k / (n - k + 1) / odds
        k += step
        total += term
    return total


def binomial_at_least(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p == 0:
        return 0.0
    if p == 1:
        return 1.0
    if k > (n + 1) * p:  # past the mode: the terms shrink upwards
        return min(1.0, _sum_away_from_mode(k, n, p, +1))
    return max(0.0, 1 - _sum_away_from_mode(k - 1, n, p, -1))


def binomial_at_most(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n or p == 0:
        return 1.0
    if p == 1:
        return 0.0
    if k < (n + 1) * p:  # before the mode: the terms shrink downwards
        return min(1.0, _sum_away_from_mode(k, n, p, -1))
    return max(0.0, 1 - _sum_away_from_mode(k + 1, n, p, +1))


# -- two systems on the same items


@dataclass(frozen=True)
class McNemar:
    discordant: int  # b + c
    statistic: float  # (c − b)² / (b + c)
    p_value: float
    statistic_corrected: float  # (|c − b| − 1)² / (b + c), 0 when |c − b| ≤ 1
    p_value_corrected: float
    p_value_exact: float  # min(1, 2 P(X ≤ min(b, c))), X ~ Binomial(b + c, ½)
    exact_decides: bool  # fewer than EXACT_BELOW discordant items

    @property
    def decisive_p_value(self) -> float:
        return self.p_value_exact if self.exact_decides else self.p_value


def chi_square_1df_p(statistic: float) -> float:
    """P(χ²₁ ≥ statistic) = erfc(√(statistic / 2))."""
    return math.erfc(math.sqrt(statistic / 2))


def mcnemar_exact_p(only_baseline_right: int, only_candidate_right: int) -> float:
    """The exact McNemar p value: integer arithmetic up to EXACT_INTEGER_LIMIT discordant items."""
    total, smaller = only_baseline_right + only_candidate_right, min(only_baseline_right, only_candidate_right)
    if 2 * smaller >= total:
        return 1.0
    if total <= EXACT_INTEGER_LIMIT:
        ways, term = 0, 1
        for k in range(smaller + 1):
            ways += term
            term = term * (total - k) // (k + 1)
        return float(min(Fraction(1), Fraction(2 * ways, 2**total)))
    return min(1.0, 2 * binomial_at_most(smaller, total, 0.5))


def mcnemar(only_baseline_right: int, only_candidate_right: int) -> McNemar:
    b, c = only_baseline_right, only_candidate_right
    total = b + c
    if total == 0:
        statistic = corrected = 0.0
    else:
        statistic = (c - b) ** 2 / total
        corrected = max(0, abs(c - b) - 1) ** 2 / total
    return McNemar(
        discordant=total,
        statistic=statistic,
        p_value=chi_square_1df_p(statistic),
        statistic_corrected=corrected,
        p_value_corrected=chi_square_1df_p(corrected),
        p_value_exact=mcnemar_exact_p(b, c),
        exact_decides=total < EXACT_BELOW,
    )


def paired_difference_interval(
    both_right: int, only_baseline_right: int, only_candidate_right: int, both_wrong: int, alpha: float = 0.05
) -> Interval:
    """Newcombe's paired method 10 for candidate − baseline accuracy on the same items."""
    a, b, c, d = both_right, only_baseline_right, only_candidate_right, both_wrong
    n = a + b + c + d
    candidate, baseline = a + c, a + b
    p1, p2 = candidate / n, baseline / n
    w1, w2 = wilson_interval(candidate, n, alpha), wilson_interval(baseline, n, alpha)
    margins = candidate * (n - candidate) * baseline * (n - baseline)
    cross = a * d - b * c
    if margins == 0 or 0 <= 2 * cross <= n:
        phi = 0.0
    elif cross > 0:
        phi = float(Fraction(2 * cross - n, 2)) / math.sqrt(margins)
    else:
        phi = cross / math.sqrt(margins)
    down_c, up_b = p1 - w1.low, w2.high - p2
    up_c, down_b = w1.high - p1, p2 - w2.low
    estimate = p1 - p2
    low = estimate - math.sqrt(max(0.0, down_c**2 + up_b**2 - 2 * phi * down_c * up_b))
    high = estimate + math.sqrt(max(0.0, down_b**2 + up_c**2 - 2 * phi * down_b * up_c))
    return Interval(low, high)


# -- two systems on different items


def independent_difference_interval(
    baseline_correct: int, baseline_items: int, candidate_correct: int, candidate_items: int, alpha: float = 0.05
) -> Interval:
    """Newcombe's hybrid score interval (method 10) for candidate − baseline accuracy."""
    pc, pb = candidate_correct / candidate_items, baseline_correct / baseline_items
    wc = wilson_interval(candidate_correct, candidate_items, alpha)
    wb = wilson_interval(baseline_correct, baseline_items, alpha)
    estimate = pc - pb
    low = estimate - math.sqrt((pc - wc.low) ** 2 + (wb.high - pb) ** 2)
    high = estimate + math.sqrt((pb - wb.low) ** 2 + (wc.high - pc) ** 2)
    return Interval(low, high)


def two_proportion_z_test(
    baseline_correct: int, baseline_items: int, candidate_correct: int, candidate_items: int
) -> tuple[float, float]:
    """(z, two-sided p) of the pooled z test; (0, 1) when every item or none is right (no spread to test)."""
    pc, pb = candidate_correct / candidate_items, baseline_correct / baseline_items
    pooled = (candidate_correct + baseline_correct) / (candidate_items + baseline_items)
    variance = pooled * (1 - pooled) * (1 / candidate_items + 1 / baseline_items)
    if variance <= 0:
        return 0.0, 1.0
    z = (pc - pb) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


# -- planning


def items_per_system(baseline: float, candidate: float, alpha: float = 0.05, power: float = 0.8) -> int | None:
    """Items each system needs on separate eval sets; None when the two accuracies are equal."""
    if baseline == candidate:
        return None
    mean = (baseline + candidate) / 2
    null = math.sqrt(2 * mean * (1 - mean))
    alternative = math.sqrt(baseline * (1 - baseline) + candidate * (1 - candidate))
    spread = z_two_sided(alpha) * null + z_power(power) * alternative
    return max(1, math.ceil((spread / (candidate - baseline)) ** 2))


def paired_items(
    baseline: float, candidate: float, discordant: float, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Items to score both systems on (Connor 1987); None when the accuracies are equal.

    `discordant` is the share of items on which the two will disagree; it is at least |candidate −
    baseline| (check_paired_plan says what else it must satisfy)."""
    difference = candidate - baseline
    if difference == 0:
        return None
    spread = z_two_sided(alpha) * math.sqrt(discordant) + z_power(power) * math.sqrt(
        max(0.0, discordant - difference**2)
    )
    return max(1, math.ceil((spread / difference) ** 2))


def discordant_range(baseline: float, candidate: float) -> tuple[float, float]:
    """The shares of disagreement two systems with these accuracies can have: from |difference| (one is
    right wherever the other is) to the most the accuracies allow."""
    difference = abs(candidate - baseline)
    most = min(baseline, 1 - candidate) + min(1 - baseline, candidate)
    return difference, most


# -- the bar from the cost of an error


@dataclass(frozen=True)
class CostBar:
    errors_per_month: Fraction  # at the baseline accuracy
    value_per_point: Fraction  # a month's saving from one percentage point more accuracy
    required_gain: Fraction | None  # accuracy the fine-tune must add to pay; None: no gain can pay
    accuracy_to_pay: Fraction | None  # baseline + required gain; None: no accuracy can pay
    within_reach: bool  # an accuracy of at most 1 pays


def exact(value: float | Fraction) -> Fraction:
    """The shortest decimal that round-trips: what the user typed (0.15 stays 3/20); fractions pass as they are."""
    return value if isinstance(value, Fraction) else Fraction(repr(float(value)))


def cost_bar(
    calls_per_month: float, cost_per_error: float, baseline_accuracy: float | Fraction, extra_monthly_cost: float
) -> CostBar:
    """The accuracy a fine-tune must reach so that the errors it saves pay its extra monthly cost."""
    calls, per_error, base, extra = map(exact, (calls_per_month, cost_per_error, baseline_accuracy, extra_monthly_cost))
    errors = calls * (1 - base)
    per_unit = calls * per_error  # a month's saving from the whole range of accuracy, 0 to 1
    if per_unit:
        gain: Fraction | None = extra / per_unit
    else:  # errors cost nothing: only a fine-tune that costs no more can pay
        gain = Fraction(0) if extra <= 0 else None
    accuracy = None if gain is None else base + gain
    return CostBar(
        errors_per_month=errors,
        value_per_point=per_unit / 100,
        required_gain=gain,
        accuracy_to_pay=accuracy,
        within_reach=accuracy is not None and accuracy <= 1,
    )


# -- the questionnaire's evidence question


def evidence_answers(verdict: str, closing_pays: bool | None = None) -> dict[str, str]:
    """The questionnaire answers the numbers support for a prompt measured against the quality bar.

    meets the bar -> prompt_result "meets-bar"; falls short -> "short", plus gap_worth "yes" or "no" when
    the cost of errors says whether closing the gap would repay a fine-tune's extra cost (`closing_pays`);
    cannot tell yet -> "short-unclear" (our reading: whichever side of the bar the score lies, an eval that
    cannot tell calls for more items before anything else, which is where that answer leads).
    """
    if verdict == MEETS:
        return {"prompt_result": "meets-bar"}
    if verdict == CANNOT_TELL:
        return {"prompt_result": "short-unclear"}
    if verdict == FALLS_SHORT:
        worth = {} if closing_pays is None else {"gap_worth": "yes" if closing_pays else "no"}
        return {"prompt_result": "short", **worth}
    raise ValueError(f"unknown verdict {verdict!r}")


def questionnaire_fragment(answers: dict[str, str]) -> str:
    """Answers as the questionnaire's URL fragment: `prompt_result=short&gap_worth=yes`."""
    return "&".join(f"{question}={value}" for question, value in answers.items())
