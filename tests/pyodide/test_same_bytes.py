"""The engine inside the real Pyodide runtime (Node, no network) gives the same bytes as CPython.

One Node process (tests/pyodide/run_engine.mjs) installs the wheel the site ships and answers every
request of this module: render_json over a sample of the answer space, the two calls the site's worker
makes (decision.web.questionnaire_response and calculator_response) for the shared hostile inputs
(tests/hostile_inputs.py) and a few valid ones, and the command line's golden outputs. Every string is
compared with this interpreter's.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
from pathlib import Path

import pytest
from hostile_inputs import CALCULATOR, GAP, QUESTIONNAIRE
from pyodide_support import HERE, ROOT, run_node

from decision import default_model, evaluate, render_json
from decision.cli import main
from decision.cost import EXAMPLE, FIELDS, compute, cost_chart, fragment_of, to_dict
from decision.engine.model import UNANSWERED
from decision.web import calculator_response, gap_response, questionnaire_response

pytestmark = pytest.mark.pyodide

GOLDEN = ROOT / "tests" / "golden"
# The answer space has ~10^8 states: a sample of them, spread by a stride that shares no factor with any
# question's number of choices (so each position takes every value), plus the first and the last state.
SAMPLE = 1000
# Requests the worker can receive besides fragments: a leading '#', and the JSON forms.
QUESTIONNAIRE_REQUESTS = [
    "",
    "#",
    "#needs_knowledge=changing&prompt_result=large-gap",
    *QUESTIONNAIRE,
    '{"answers": {"maintenance": "yes", "strict_format": 7, "x": null}}',
    '{"fragment": "needs_knowledge=no"}',
    '{"answers": [1, 2, 3]}',
    "{not json",
]
EXAMPLE_FRAGMENT = fragment_of(EXAMPLE)
CALCULATOR_VALID = [
    EXAMPLE_FRAGMENT,
    EXAMPLE_FRAGMENT.replace("calls_per_month=1000000", "calls_per_month=2e7"),
    EXAMPLE_FRAGMENT.replace("tuned_input_price=0.195", "tuned_input_price=5"),
    "calls_per_month=2e7",  # a link from before the 2026 cost model: read as it was meant, with a note
    "example=self-hosted",  # a worked example by name: a GPU route
]
CALCULATOR_REQUESTS = [*CALCULATOR_VALID, "", *CALCULATOR]
GAP_VALID = [
    "calculation=bar&correct=91&items=100&bar=0.93",
    "calculation=paired&both_right=176&only_baseline_right=6&only_candidate_right=10&both_wrong=8",
    "calculation=independent&baseline_correct=182&baseline_items=200&candidate_correct=186&candidate_items=200",
    "calculation=plan&baseline_accuracy=0.95&candidate_accuracy=0.995",
    "calculation=cost&calls_per_month=1000000&cost_per_error=0.05&baseline_accuracy=0.91&extra_monthly_cost=437.82",
]
GAP_REQUESTS = [*GAP_VALID, *GAP]
CASE = next(c for c in default_model().cases if c.id == "brand-voice")
CLI_RUNS = [
    ["cost", "--example", "--format", "json"],
    ["cost", "--example", "--format", "markdown"],
    ["cost", "--example", "--format", "text"],
    ["evaluate", "--no-input", "--format", "json", *(f"--answer={k}={v}" for k, v in CASE.answers.items())],
    ["evaluate", "--no-input", "--format", "markdown", *(f"--answer={k}={v}" for k, v in CASE.answers.items())],
    ["gap", "plan", "--example", "--format", "json"],
    ["gap", "bar", "--example", "--format", "markdown"],
    ["cost", "--calls-per-month", "-5"],  # a user mistake: exit code and one-line error, the same
]


def cli_here(argv: list[str]) -> dict:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return {"argv": list(argv), "code": code, "out": out.getvalue(), "err": err.getvalue()}


def _radices() -> list[int]:
    return [len(q.values) + 1 for q in default_model().questions]


def sampled_states() -> list[int]:
    radices = _radices()
    total = math.prod(radices)
    stride = total // SAMPLE + 1
    while any(math.gcd(stride, radix) != 1 for radix in radices):
        stride += 1
    return [*range(0, total, stride), total - 1]


def state_answers(index: int) -> dict[str, str]:
    """Written here independently of the runner: the index-th combination of itertools.product."""
    model = default_model()
    choices = [(UNANSWERED, *q.values) for q in model.questions]
    picked = []
    for options in reversed(choices):
        index, digit = divmod(index, len(options))
        picked.append(options[digit])
    return {q.id: v for q, v in zip(model.questions, reversed(picked)) if v != UNANSWERED}


@pytest.fixture(scope="module")
def pyodide_run(engine_wheel, tmp_path_factory):
    requests = tmp_path_factory.mktemp("same-bytes") / "requests.json"
    payload = {"states": sampled_states(), "questionnaire": QUESTIONNAIRE_REQUESTS, "calculator": CALCULATOR_REQUESTS}
    payload["gap"] = GAP_REQUESTS
    requests.write_text(json.dumps({**payload, "cli": CLI_RUNS}), encoding="utf-8")
    done = run_node(HERE / "run_engine.mjs", "--wheel", str(engine_wheel), "--requests", str(requests))
    assert done.returncode == 0, f"the Pyodide runner failed:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


def test_it_really_ran_in_pyodide(pyodide_run):
    assert pyodide_run["platform"] == "emscripten"
    assert pyodide_run["python"].startswith("3.14")
    package = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())
    assert pyodide_run["pyodide_version"] == package["version"]


def test_the_sample_is_the_cases_plus_the_sampled_states(pyodide_run):
    model = default_model()
    states = sampled_states()
    expected = [f"case:{case.id}" for case in model.cases] + [f"state:{i}" for i in states]
    assert [item["label"] for item in pyodide_run["evaluations"]] == expected
    assert len(states) > SAMPLE // 2
    by_label = {item["label"]: item["answers"] for item in pyodide_run["evaluations"]}
    for index in states:
        assert by_label[f"state:{index}"] == state_answers(index), index
    # the numbering is itertools.product's: checked on the first combinations, which product reaches quickly
    first = itertools.islice(itertools.product(*[(UNANSWERED, *q.values) for q in model.questions]), 500)
    for index, combination in enumerate(first):
        assert state_answers(index) == {q.id: v for q, v in zip(model.questions, combination) if v != UNANSWERED}
    # every choice of every question is in the sample
    for question in model.questions:
        seen = {state_answers(i).get(question.id, UNANSWERED) for i in states}
        assert seen == {UNANSWERED, *question.values}, question.id
    assert any(not item["answers"] for item in pyodide_run["evaluations"])  # state 0 leaves everything open
    assert any(len(item["answers"]) == len(model.questions) for item in pyodide_run["evaluations"])


def test_render_json_is_byte_identical_to_cpython(pyodide_run):
    mismatches = [
        item["label"]
        for item in pyodide_run["evaluations"]
        if item["json"].encode("utf-8") != render_json(evaluate(item["answers"])).encode("utf-8")
    ]
    assert mismatches == []


def test_case_studies_reach_their_documented_approach_in_pyodide(pyodide_run):
    by_label = {item["label"]: json.loads(item["json"]) for item in pyodide_run["evaluations"]}
    for case in default_model().cases:
        assert by_label[f"case:{case.id}"]["approach"] == case.documented_approach, case.id


def test_questionnaire_replies_to_hostile_requests_are_byte_identical(pyodide_run):
    replies = pyodide_run["questionnaire"]
    assert len(replies) == len(QUESTIONNAIRE_REQUESTS)
    for request, reply in zip(QUESTIONNAIRE_REQUESTS, replies, strict=True):
        assert reply == questionnaire_response(request), request[:60]
        payload = json.loads(reply)
        assert payload["ok"] is True, payload
    dropped = {entry["field"] for reply in replies for entry in json.loads(reply)["ignored"]}
    assert "<script>alert(document.domain)</script>" in dropped
    assert "(link)" in dropped  # more entries than the engine reads


def test_calculator_replies_are_byte_identical(pyodide_run):
    replies = pyodide_run["calculator"]
    assert len(replies) == len(CALCULATOR_REQUESTS)
    for request, reply in zip(CALCULATOR_REQUESTS, replies, strict=True):
        assert reply == calculator_response(request), request[:60]
    first, more, dearer, old, named, empty = (json.loads(r) for r in replies[: len(CALCULATOR_VALID) + 1])
    assert first["ok"] and first["inputs"] == to_dict(compute(EXAMPLE))["inputs"]
    assert list(first["inputs"]) == list(FIELDS)
    assert old["ok"] and old["notes"] and old["prompt_cost_answer"] == "with-caching"
    assert named["ok"] and named["inputs"]["tuned_route"] == "gpu"
    assert more["prompt_cost_answer"] == "with-caching"
    assert dearer["break_even_calls_per_month"] is None
    assert empty["ok"] and empty["inputs_from_example"] == list(FIELDS)  # an empty link: the worked example
    assert all(not json.loads(r)["ok"] for r in replies[len(CALCULATOR_VALID) + 1 :])  # every hostile one


def test_gap_replies_are_byte_identical(pyodide_run):
    replies = pyodide_run["gap"]
    assert len(replies) == len(GAP_REQUESTS)
    for request, reply in zip(GAP_REQUESTS, replies, strict=True):
        assert reply == gap_response(request), request[:60]
    ok = [json.loads(reply)["ok"] for reply in replies]
    assert ok == [True] * len(GAP_VALID) + [False] * len(GAP)  # every hostile one refused, naming a field


def _golden(name: str) -> str:
    return Path(GOLDEN / name).read_text(encoding="utf-8")


def test_the_command_line_gives_the_same_bytes_and_the_golden_files(pyodide_run):
    runs = pyodide_run["cli"]
    assert [run["argv"] for run in runs] == CLI_RUNS
    for run in runs:
        assert run == cli_here(run["argv"]), run["argv"]
    by_format = {tuple(run["argv"][:4]): run["out"] for run in runs}
    for fmt, suffix in (("json", "json"), ("markdown", "md"), ("text", "txt")):
        assert by_format[("cost", "--example", "--format", fmt)] == _golden(f"cost/example.{suffix}")
    mistake = runs[-1]
    assert mistake["code"] != 0 and "calls_per_month" in mistake["err"] and "Traceback" not in mistake["err"]


def test_the_chart_is_the_same_in_pyodide(pyodide_run):
    assert pyodide_run["chart"] == cost_chart(compute(EXAMPLE)) == _golden("cost/example.svg")
