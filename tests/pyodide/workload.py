"""What the browser asks of the engine, run inside Pyodide by trace_imports.mjs and run_suite.mjs.

The site's worker imports decision.web, warms it up with decision.web.warm_up and answers each request
with decision.web.questionnaire_response, calculator_response or gap_response (whose reply carries the
chart from decision.cost). This calls each of them on valid input and on every kind of error the page
can send, so that every module they import, even lazily on an error path, is imported here. Returns a
short summary; raises on any surprise.
"""

from __future__ import annotations

import importlib
import json

web = importlib.import_module("decision.web")  # the worker uses pyodide.pyimport, i.e. import_module
cost = importlib.import_module("decision.cost")
from decision import default_model  # noqa: E402

QUESTIONNAIRE = [
    "",
    "#",
    "#needs_knowledge=changing&prompt_result=large-gap",
    "needs_knowledge=changing&needs_knowledge=no",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E=1&strict_format=%22%3E%3Cimg%3E",
    "training_data=%ff%fe%00&%c3=yes",
    "needs_knowledge=" + "A" * 5000,
    "&".join(f"q{i}={i}" for i in range(100)),
    "===&&&=&a==b&%&%zz=%",
    "prompt_result=unanswered&prompt_cost=yes",
    '{"answers": {"maintenance": "yes", "strict_format": 7, "x": null}}',
    '{"fragment": "needs_knowledge=no"}',
    '{"answers": [1, 2, 3]}',
    "{not json",
    "\U0001f642=\U0001f643&needs_knowledge=changing",
]
EXAMPLE = cost.fragment_of(cost.EXAMPLE)
CALCULATOR = [
    EXAMPLE,
    EXAMPLE.replace("calls_per_month=1000000", "calls_per_month=2e7"),
    EXAMPLE.replace("tuned_input_price=0.195", "tuned_input_price=5"),
    "calls_per_month=2e7",
    "example=self-hosted",
    "calls_per_month=0",
    "",
    "#calls_per_month=nan&epochs=-1&%zz=%&\U0001f642=1",
    "calls_per_month=1e400&prompt_tokens=1,000,000&x=<script>",
    "calls_per_month=abc&prompt_tokens=-5&tuned_prompt_tokens=999999999",
    "===&&&=&a==b",
    "%ff%fe=%00",
]


GAP = [
    "calculation=bar&correct=91&items=100&bar=0.93",
    "calculation=bar&correct=980&items=1000&bar=0.93&calls_per_month=1000000&cost_per_error=0.05&extra_monthly_cost=400",
    "calculation=paired&both_right=176&only_baseline_right=6&only_candidate_right=10&both_wrong=8",
    "calculation=independent&baseline_correct=182&baseline_items=200&candidate_correct=186&candidate_items=200",
    "calculation=plan&baseline_accuracy=91%25&candidate_accuracy=93%25&discordant=0.06",
    "calculation=cost&calls_per_month=1000000&cost_per_error=0.05&baseline_accuracy=0.91&extra_monthly_cost=437.82",
    "calculation=bar&correct=x&items=-1",
    "calculation=nope",
    "%ff%fe=%00",
]


def run() -> dict:
    model = default_model()
    warmed = web.warm_up()
    questionnaire = QUESTIONNAIRE + [web.fragment_from_answers(case.answers) for case in model.cases]
    replies = [json.loads(web.questionnaire_response(request)) for request in questionnaire]
    calculator = [json.loads(web.calculator_response(request)) for request in CALCULATOR]
    gap = [json.loads(web.gap_response(request)) for request in GAP]
    if all(reply["ok"] for reply in gap) or not any(reply["ok"] for reply in gap):
        raise AssertionError("the gap replies took only one path")
    result = cost.compute(cost.EXAMPLE)
    svg = cost.cost_chart(result)
    words = cost.describe_chart(result)
    if not all(reply["ok"] for reply in replies):
        raise AssertionError("decision.web.questionnaire_response refused a request")
    ok = [reply["ok"] for reply in calculator]
    if all(ok) or not any(ok):  # both the result and the error paths must run
        raise AssertionError(f"the calculator gave only one kind of verdict: {ok}")
    if not svg.startswith("<svg") or not words or warmed < len(model.cases):
        raise AssertionError("the chart or the warm-up did nothing")
    return {
        "questionnaire": len(replies),
        "calculator_ok": sum(ok),
        "calculator_errors": len(ok) - sum(ok),
        "gap": len(gap),
        "warmed_up": warmed,
        "engine_version": importlib.import_module("decision").__version__,
    }
