"""Properties the gap statistics must have for any input (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from decision.gap import stats

alphas = st.sampled_from([0.001, 0.01, 0.05, 0.1, 0.2])
powers = st.sampled_from([0.5, 0.8, 0.9, 0.95])


@st.composite
def scores(draw, most: int = 5000):
    items = draw(st.integers(1, most))
    return draw(st.integers(0, items)), items


@given(scores(), alphas)
def test_every_interval_holds_the_measured_accuracy(score, alpha):
    correct, items = score
    accuracy = correct / items
    for interval in (
        stats.wilson_interval(correct, items, alpha),
        stats.clopper_pearson_interval(correct, items, alpha),
        stats.wald_interval(correct, items, alpha),
    ):
        assert 0 <= interval.low <= accuracy <= interval.high <= 1


@given(scores(2000), st.integers(2, 10), alphas)
def test_intervals_narrow_as_the_eval_set_grows(score, factor, alpha):
    correct, items = score
    for interval in (stats.wilson_interval, stats.clopper_pearson_interval):
        small, large = interval(correct, items, alpha), interval(correct * factor, items * factor, alpha)
        assert large.high - large.low < small.high - small.low


@given(scores(3000), alphas)
def test_clopper_pearson_is_at_least_as_wide_as_it_is_exact(score, alpha):
    # each end leaves exactly α/2 of binomial probability beyond the count
    correct, items = score
    interval = stats.clopper_pearson_interval(correct, items, alpha)
    if correct > 0:
        assert abs(stats.binomial_at_least(correct, items, interval.low) - alpha / 2) < 1e-9
    if correct < items:
        assert abs(stats.binomial_at_most(correct, items, interval.high) - alpha / 2) < 1e-9


@given(scores(), alphas, st.floats(0.01, 0.99))
def test_the_verdict_follows_the_interval(score, alpha, bar):
    correct, items = score
    interval = stats.wilson_interval(correct, items, alpha)
    verdict = stats.bar_verdict(interval, bar)
    assert (verdict == stats.CANNOT_TELL) == interval.contains(bar)
    assert (verdict == stats.MEETS) == (bar < interval.low)


@given(st.floats(0.01, 0.99), st.floats(0.01, 0.99), alphas, powers)
def test_an_eval_of_the_settling_size_settles_it_at_the_measured_accuracy(accuracy, bar, alpha, power):
    needed = stats.items_to_settle(accuracy, bar, alpha, power)
    if abs(accuracy - bar) < 1e-3:
        return
    # with the accuracy held, the Wilson interval at that many items leaves the bar out (power ≥ 0.5)
    interval = stats.wilson_interval(accuracy * needed, needed, alpha)
    assert not interval.contains(bar)


@given(st.floats(0.05, 0.9), st.floats(0.005, 0.09), st.floats(1.05, 3), alphas, powers)
def test_items_needed_grow_as_the_difference_shrinks(baseline, difference, shrink, alpha, power):
    wide = stats.items_per_system(baseline, baseline + difference, alpha, power)
    narrow = stats.items_per_system(baseline, baseline + difference / shrink, alpha, power)
    assert narrow >= wide


@given(st.floats(0.05, 0.9), st.floats(0.005, 0.09), alphas, st.floats(0.5, 0.98), st.floats(0.001, 0.019))
def test_items_needed_grow_as_the_power_rises(baseline, difference, alpha, power, more):
    lower = stats.items_per_system(baseline, baseline + difference, alpha, power)
    assert stats.items_per_system(baseline, baseline + difference, alpha, power + more) >= lower


@given(st.floats(0.1, 0.9), st.floats(0.01, 0.09), st.floats(0.0, 1.0), alphas, powers)
def test_paired_items_grow_with_disagreement(baseline, difference, share, alpha, power):
    low, high = stats.discordant_range(baseline, baseline + difference)
    discordant = low + (high - low) * share
    more = min(high, discordant * 1.5)
    fewer = stats.paired_items(baseline, baseline + difference, discordant, alpha, power)
    assert stats.paired_items(baseline, baseline + difference, more, alpha, power) >= fewer


@given(
    st.integers(1, 10**9),
    st.floats(0.01, 1000),
    st.floats(0.5, 0.99),
    st.floats(1, 10**6),
    st.floats(1.01, 10),
)
def test_the_bar_rises_as_the_cost_of_an_error_falls(calls, per_error, baseline, extra, cheaper):
    dear = stats.cost_bar(calls, per_error, baseline, extra).accuracy_to_pay
    cheap = stats.cost_bar(calls, per_error / cheaper, baseline, extra).accuracy_to_pay
    assert cheap > dear > baseline


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 400), st.integers(0, 400), alphas)
def test_paired_interval_holds_the_difference_and_stays_in_range(b, c, a, d, alpha):
    if a + b + c + d == 0:
        return
    n = a + b + c + d
    interval = stats.paired_difference_interval(a, b, c, d, alpha)
    assert -1 <= interval.low <= (c - b) / n <= interval.high <= 1


@given(scores(1000), scores(1000), alphas)
def test_independent_interval_holds_the_difference(baseline, candidate, alpha):
    interval = stats.independent_difference_interval(*baseline, *candidate, alpha)
    difference = candidate[0] / candidate[1] - baseline[0] / baseline[1]
    assert -1 <= interval.low <= difference + 1e-15 and difference - 1e-15 <= interval.high <= 1


@given(st.integers(0, 200), st.integers(0, 200))
def test_mcnemar_p_values_are_probabilities_and_symmetric(b, c):
    forward, backward = stats.mcnemar(b, c), stats.mcnemar(c, b)
    for p in (forward.p_value, forward.p_value_corrected, forward.p_value_exact):
        assert 0 <= p <= 1
    assert forward == backward
    assert forward.p_value_corrected >= forward.p_value  # the correction only ever makes it more cautious
