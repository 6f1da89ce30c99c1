"""Engine speed on CPython: evaluations per second and the full answer-space sweep.

Reported side by side with a baseline measured in the same run: the bare rule
pass (choosing components only), so the ratio shows what reasons, next steps,
what-would-change and open-question analysis cost on top.

    .venv/bin/python bench/engine.py
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
import time

from decision import default_model, evaluate
from decision.engine.evaluator import _approach, _choose
from decision.engine.model import UNANSWERED


def space(model):
    choices = [(*q.values, None) for q in model.questions]
    for combo in itertools.product(*choices):
        yield {q.id: v for q, v in zip(model.questions, combo) if v is not None}


def timed(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> dict:
    model = default_model()
    points = list(space(model))
    states = [{qid: a.get(qid, UNANSWERED) for qid in model.question_ids} for a in points]

    def baseline():
        for state in states:
            _choose(model, state)

    def cold_sweep():
        _approach.cache_clear()
        for answers in points:
            evaluate(answers)

    def warm_sweep():
        for answers in points:
            evaluate(answers)

    warm_sweep()  # fill the memo once
    base = timed(baseline)
    cold = timed(cold_sweep)
    warm = timed(warm_sweep)
    full = {q.id: q.values[-1] for q in model.questions}
    single = timed(lambda: [evaluate(full) for _ in range(2000)]) / 2000
    report = {
        "python": sys.version.split()[0],
        "answer_space_points": len(points),
        "baseline_rule_pass_s": round(base, 4),
        "sweep_cold_s": round(cold, 4),
        "sweep_warm_s": round(warm, 4),
        "evaluations_per_s_warm": round(len(points) / warm),
        "evaluations_per_s_cold": round(len(points) / cold),
        "fully_answered_eval_ms": round(single * 1000, 4),
        "ratio_cold_sweep_to_baseline": round(cold / base, 1),
        "ratio_warm_sweep_to_baseline": round(warm / base, 1),
    }
    return report


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
