"""Every statistic in decision.gap against scipy or statsmodels on a grid of inputs (dev-only references).

Interval ends and p values agree to 1e-9 relative (with a 1e-12 floor for values at zero); exact tests
are also checked against exact integer arithmetic done here.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats as sp
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.power import normal_sample_size_one_tail
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
    samplesize_proportions_2indep_onetail,
)

from decision.gap import stats

RELATIVE = 1e-9


def close(ours: float, reference: float, relative: float = RELATIVE) -> bool:
    return math.isclose(ours, reference, rel_tol=relative, abs_tol=1e-12)


SIZES = [1, 2, 3, 5, 7, 10, 20, 30, 50, 100, 200, 333, 1000, 2888, 10_000, 100_000, 1_000_000]
ALPHAS = [0.05, 0.01, 0.1, 0.2, 0.001]


def counts(n: int) -> list[int]:
    """Both edges, the middle, and the accuracies the guide talks about."""
    picks = {0, 1, 2, n // 3, n // 2, n - 2, n - 1, n, round(0.91 * n), round(0.93 * n), round(0.995 * n)}
    return sorted(x for x in picks if 0 <= x <= n)


GRID = [(x, n, alpha) for n in SIZES for x in counts(n) for alpha in ALPHAS]


@pytest.mark.parametrize(("x", "n", "alpha"), GRID)
def test_wilson_matches_statsmodels(x, n, alpha):
    ours = stats.wilson_interval(x, n, alpha)
    low, high = proportion_confint(x, n, alpha=alpha, method="wilson")
    assert close(ours.low, low) and close(ours.high, high), (ours, low, high)


@pytest.mark.parametrize(("x", "n", "alpha"), GRID)
def test_clopper_pearson_matches_statsmodels_beta(x, n, alpha):
    ours = stats.clopper_pearson_interval(x, n, alpha)
    low, high = proportion_confint(x, n, alpha=alpha, method="beta")
    assert close(ours.low, low) and close(ours.high, high), (ours, low, high)


@pytest.mark.parametrize(("x", "n", "alpha"), GRID)
def test_wald_matches_statsmodels_normal(x, n, alpha):
    ours = stats.wald_interval(x, n, alpha)
    low, high = proportion_confint(x, n, alpha=alpha, method="normal")
    assert close(ours.low, low) and close(ours.high, high), (ours, low, high)


BINOMIAL = [
    (k, n, p)
    for n in (1, 5, 40, 1000, 123_457)
    for p in (1e-6, 0.01, 0.3, 0.5, 0.91, 0.999)
    for k in sorted({0, 1, n // 2, round(n * p), round(n * p) + 3, n - 1, n})
]


@pytest.mark.parametrize(("k", "n", "p"), BINOMIAL)
def test_binomial_tails_match_scipy(k, n, p):
    assert close(stats.binomial_at_most(k, n, p), sp.binom.cdf(k, n, p), 1e-11)
    assert close(stats.binomial_at_least(k, n, p), sp.binom.sf(k - 1, n, p), 1e-11)
    # a tail far below 1e-12 is compared relatively: the sums never subtract there
    tail = sp.binom.sf(k - 1, n, p)
    if 0 < tail < 1e-3 and k > n * p:
        assert math.isclose(stats.binomial_at_least(k, n, p), tail, rel_tol=1e-11)


DISCORDANT = [(b, c) for b in (0, 1, 2, 3, 5, 8, 12, 20, 40, 100, 600) for c in (0, 1, 2, 4, 7, 13, 24, 25, 60, 700)]


@pytest.mark.parametrize(("b", "c"), DISCORDANT)
def test_mcnemar_matches_statsmodels(b, c):
    ours = stats.mcnemar(b, c)
    table = [[10, b], [c, 10]]
    exact = sm_mcnemar(table, exact=True)
    assert close(ours.p_value_exact, exact.pvalue, 1e-12)
    if b + c == 0:
        assert ours.p_value == ours.p_value_corrected == 1.0
        return
    plain = sm_mcnemar(table, exact=False, correction=False)
    assert close(ours.statistic, plain.statistic) and close(ours.p_value, plain.pvalue)
    if abs(b - c) >= 1:  # statsmodels squares |b − c| − 1 even when it is −1; we floor it at 0 (Edwards)
        corrected = sm_mcnemar(table, exact=False, correction=True)
        assert close(ours.statistic_corrected, corrected.statistic)
        assert close(ours.p_value_corrected, corrected.pvalue)
    assert ours.exact_decides == (b + c < stats.EXACT_BELOW)


@pytest.mark.parametrize(("b", "c"), DISCORDANT)
def test_exact_mcnemar_is_exact_and_matches_binomtest(b, c):
    total, smaller = b + c, min(b, c)
    exact = min(Fraction(1), Fraction(2 * sum(math.comb(total, k) for k in range(smaller + 1)), 2**total))
    assert stats.mcnemar_exact_p(b, c) == float(exact)  # correctly rounded: integer arithmetic all the way
    if total:
        assert close(stats.mcnemar_exact_p(b, c), sp.binomtest(smaller, total, 0.5).pvalue, 1e-12)


def test_exact_mcnemar_beyond_the_integer_limit_uses_the_binomial_tail():
    b, c = 5_000, 5_400
    assert b + c > stats.EXACT_INTEGER_LIMIT
    assert close(stats.mcnemar_exact_p(b, c), sp.binomtest(b, b + c, 0.5).pvalue, 1e-10)


INDEPENDENT = [
    (bc, bn, cc, cn)
    for bn, cn in ((10, 10), (30, 45), (200, 200), (1000, 700), (2888, 2888))
    for bc in sorted({0, bn // 2, round(0.91 * bn), bn})
    for cc in sorted({0, 1, round(0.93 * cn), cn})
]


@pytest.mark.parametrize(("bc", "bn", "cc", "cn"), INDEPENDENT)
@pytest.mark.parametrize("alpha", [0.05, 0.01])
def test_newcombe_independent_matches_statsmodels(bc, bn, cc, cn, alpha):
    ours = stats.independent_difference_interval(bc, bn, cc, cn, alpha)
    low, high = confint_proportions_2indep(cc, cn, bc, bn, method="newcomb", compare="diff", alpha=alpha)
    assert close(ours.low, low) and close(ours.high, high), (ours, low, high)


@pytest.mark.parametrize(("bc", "bn", "cc", "cn"), INDEPENDENT)
def test_pooled_z_test_matches_statsmodels(bc, bn, cc, cn):
    z, p = stats.two_proportion_z_test(bc, bn, cc, cn)
    pooled = (bc + cc) / (bn + cn)
    if pooled in (0, 1):
        assert (z, p) == (0.0, 1.0)
        return
    ref_z, ref_p = proportions_ztest([cc, bc], [cn, bn])
    assert close(z, ref_z) and close(p, ref_p), (z, p, ref_z, ref_p)


def _paired_reference(a: int, b: int, c: int, d: int, alpha: float) -> tuple[float, float]:
    """Method 10 rebuilt from statsmodels' Wilson intervals and numpy's correlation of item-level results."""
    n = a + b + c + d
    baseline = np.array([1] * a + [1] * b + [0] * c + [0] * d)
    candidate = np.array([1] * a + [0] * b + [1] * c + [0] * d)
    p1, p2 = candidate.mean(), baseline.mean()
    l1, u1 = proportion_confint(candidate.sum(), n, alpha=alpha, method="wilson")
    l2, u2 = proportion_confint(baseline.sum(), n, alpha=alpha, method="wilson")
    if candidate.std() == 0 or baseline.std() == 0:
        phi = 0.0
    else:
        r = np.corrcoef(candidate, baseline)[0, 1]
        cross = a * d - b * c
        scale = r / cross if cross else 0.0  # r = cross / √(margins): shrink the numerator by n/2 when positive
        phi = (cross - n / 2) * scale if cross > n / 2 else (0.0 if cross >= 0 else r)
    low = (p1 - p2) - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2))
    high = (p1 - p2) + math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1))
    return low, high


PAIRED = [
    (a, b, c, d)
    for a in (0, 3, 59, 176, 900)
    for b in (0, 1, 6, 16, 40)
    for c in (0, 2, 10, 25)
    for d in (0, 8, 80)
    if a + b + c + d > 0
]


@pytest.mark.parametrize(("a", "b", "c", "d"), PAIRED)
def test_newcombe_paired_matches_a_rebuild_from_statsmodels_and_numpy(a, b, c, d):
    ours = stats.paired_difference_interval(a, b, c, d, 0.05)
    low, high = _paired_reference(a, b, c, d, 0.05)
    assert math.isclose(ours.low, low, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(ours.high, high, rel_tol=1e-9, abs_tol=1e-12)


PLANS = [(b, c) for b in (0.5, 0.7, 0.8, 0.91, 0.95, 0.99) for c in (0.51, 0.75, 0.9, 0.93, 0.995, 1.0) if b != c]


@pytest.mark.parametrize(("baseline", "candidate"), PLANS)
@pytest.mark.parametrize(("alpha", "power"), [(0.05, 0.8), (0.01, 0.9), (0.1, 0.5), (0.05, 0.95)])
def test_items_per_system_is_statsmodels_rounded_up(baseline, candidate, alpha, power):
    reference = samplesize_proportions_2indep_onetail(candidate - baseline, baseline, power, alpha=alpha)
    assert stats.items_per_system(baseline, candidate, alpha, power) == max(1, math.ceil(reference - 1e-9))


@pytest.mark.parametrize(("baseline", "candidate"), PLANS)
@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])  # where in its allowed range the disagreement lies
def test_paired_items_is_connors_formula_as_statsmodels_computes_it(baseline, candidate, share):
    low, high = stats.discordant_range(baseline, candidate)
    discordant = low + (high - low) * share
    if discordant == 0:
        return
    difference = candidate - baseline
    reference = normal_sample_size_one_tail(
        abs(difference),
        0.8,
        0.025,
        std_null=math.sqrt(discordant),
        std_alternative=math.sqrt(max(0.0, discordant - difference**2)),
    )
    assert stats.paired_items(baseline, candidate, discordant) == max(1, math.ceil(reference - 1e-9))


@pytest.mark.parametrize(("accuracy", "bar"), [(0.91, 0.93), (0.5, 0.6), (0.99, 0.95), (0.0, 0.1), (1.0, 0.97)])
@pytest.mark.parametrize(("alpha", "power"), [(0.05, 0.8), (0.01, 0.9), (0.05, 0.5)])
def test_items_to_settle_is_the_one_sample_score_test_size(accuracy, bar, alpha, power):
    reference = normal_sample_size_one_tail(
        abs(accuracy - bar),
        power,
        alpha / 2,
        std_null=math.sqrt(bar * (1 - bar)),
        std_alternative=math.sqrt(accuracy * (1 - accuracy)),
    )
    assert stats.items_to_settle(accuracy, bar, alpha, power) == max(1, math.ceil(reference - 1e-9))


def test_z_values_match_scipy():
    for alpha in ALPHAS:
        assert close(stats.z_two_sided(alpha), sp.norm.isf(alpha / 2), 1e-12)
    for power in (0.5, 0.8, 0.9, 0.99):
        assert close(stats.z_power(power), sp.norm.ppf(power), 1e-12) or stats.z_power(power) == 0
