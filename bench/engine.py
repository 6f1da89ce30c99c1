"""Engine speed on CPython, against a baseline engine measured in the same run, and the questionnaire's length.

The baseline is the engine as it was at a git revision (default: the last commit before decision model
v2), unpacked from git into a temporary folder. Each engine evaluates the same number of random partial
answer sets of its own model (each question answered with probability 0.6), in its own child process,
alternating baseline and current runs; the report gives medians and their ratio. It also walks every
path through the current questionnaire (always asking the first question still worth asking, trying
each answer) and reports how many questions a reader is asked, and times the exhaustive answer-space
sweep of tests/engine/test_answer_space.py.

    .venv/bin/python bench/engine.py [--baseline REV] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from functools import cache
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "d2d7e58"  # the engine with the seven-question model, before model v2

# Runs in a child process with the engine to measure first on sys.path.
PER_EVALUATION = """
import json, random, sys, time
from decision import default_model, evaluate
model = default_model()
rng = random.Random(20261130)
sets = [{q.id: rng.choice(q.values) for q in model.questions if rng.random() < 0.6} for _ in range(3000)]
for answers in sets[:300]:
    evaluate(answers)  # warm caches and code paths
start = time.perf_counter()
for answers in sets:
    evaluate(answers)
print(json.dumps({"us_per_evaluation": (time.perf_counter() - start) / len(sets) * 1e6,
                  "questions": len(model.questions)}))
"""


def baseline_tree(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision, "decision"], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def per_evaluation(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PER_EVALUATION],
        env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"},
        cwd=path,  # `-c` puts the working folder first on sys.path
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def questions_asked() -> dict:
    """Every path through the questionnaire: how many questions each asks before nothing is worth asking."""
    sys.path.insert(0, str(ROOT))
    from decision import default_model
    from decision.engine.evaluator import _becomes, _to_ask, choose
    from decision.engine.model import UNANSWERED

    model = default_model()
    ids = model.question_ids

    @cache
    def remaining(values: tuple[str, ...]) -> Counter:
        state = dict(zip(ids, values))
        components, _ = choose(model, state)
        ask = _to_ask(model, state, components, _becomes(model, state, components))
        if not ask:
            return Counter({0: 1})
        i = ids.index(ask[0])
        counts: Counter = Counter()
        for value in model.question(ask[0]).values:
            for asked, paths in remaining((*values[:i], value, *values[i + 1 :])).items():
                counts[asked + 1] += paths
        return counts

    counts = remaining(tuple(UNANSWERED for _ in ids))
    lengths = sorted(counts.elements())
    return {
        "questions_in_model": len(ids),
        "paths": len(lengths),
        "asked_median": statistics.median(lengths),
        "asked_max": max(lengths),
        "asked_min": min(lengths),
    }


def sweep_time() -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "engine"))
    from answer_space_walk import component_space, point

    from decision import default_model

    model = default_model()
    start = time.perf_counter()
    size = sum(1 for state in component_space(model) if point(model, state))
    return {"answer_space_component_states": size, "sweep_s": round(time.perf_counter() - start, 1)}


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the baseline engine")
    parser.add_argument("--runs", type=int, default=5, help="alternating runs of each engine (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        old = baseline_tree(args.baseline, Path(folder))
        base_runs, current_runs = [], []
        for _ in range(args.runs):
            base_runs.append(per_evaluation(old))
            current_runs.append(per_evaluation(ROOT))
    base = statistics.median(r["us_per_evaluation"] for r in base_runs)
    current = statistics.median(r["us_per_evaluation"] for r in current_runs)
    return {
        "python": sys.version.split()[0],
        "baseline_revision": args.baseline,
        "baseline_questions": base_runs[0]["questions"],
        "current_questions": current_runs[0]["questions"],
        "baseline_us_per_evaluation": round(base, 1),
        "current_us_per_evaluation": round(current, 1),
        "ratio_current_to_baseline": round(current / base, 2),
        **questions_asked(),
        **sweep_time(),
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
