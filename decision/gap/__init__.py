"""Is the gap real? Eval-set statistics for the evidence question: intervals for one system against a bar,
tests and intervals for two systems, eval sizes for planning, and the bar from the cost of an error.

Standard library only (statistics.NormalDist, math, fractions), so it runs unchanged in the browser.

    >>> from decision.gap import compute_gap, parse_gap_inputs
    >>> compute_gap(parse_gap_inputs("plan", {"baseline_accuracy": "91%", "candidate_accuracy": "93%"})).figures[
    ...     "items_per_system"]
    2888
"""

from decision.gap.calculations import GapResult, compute_gap
from decision.gap.chart import gap_chart
from decision.gap.examples import WorkedExample, default_example, worked_examples
from decision.gap.inputs import (
    CALCULATIONS,
    GapInputs,
    check_gap_inputs,
    load_gap_inputs_text,
    parse_gap_inputs,
    read_gap_fragment,
)
from decision.gap.render import gap_dict, gap_json, gap_markdown_record, render_markdown, render_text
from decision.gap.reply import gap_fragment_of, gap_reply
from decision.gap.stats import (
    Interval,
    McNemar,
    bar_verdict,
    binomial_at_least,
    binomial_at_most,
    clopper_pearson_interval,
    cost_bar,
    evidence_answers,
    independent_difference_interval,
    items_per_system,
    items_to_settle,
    mcnemar,
    paired_difference_interval,
    paired_items,
    two_proportion_z_test,
    wald_interval,
    wilson_interval,
)

__all__ = [
    "CALCULATIONS",
    "GapInputs",
    "GapResult",
    "Interval",
    "McNemar",
    "WorkedExample",
    "bar_verdict",
    "binomial_at_least",
    "binomial_at_most",
    "check_gap_inputs",
    "clopper_pearson_interval",
    "compute_gap",
    "cost_bar",
    "default_example",
    "evidence_answers",
    "gap_chart",
    "gap_dict",
    "gap_fragment_of",
    "gap_json",
    "gap_markdown_record",
    "gap_reply",
    "independent_difference_interval",
    "items_per_system",
    "items_to_settle",
    "load_gap_inputs_text",
    "mcnemar",
    "paired_difference_interval",
    "paired_items",
    "parse_gap_inputs",
    "read_gap_fragment",
    "render_markdown",
    "render_text",
    "two_proportion_z_test",
    "wald_interval",
    "wilson_interval",
    "worked_examples",
]
