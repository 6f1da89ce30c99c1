// Run the decision engine inside the real Pyodide runtime, under Node, with no network: every request of
// tests/pyodide/test_same_bytes.py in one process.
//
//   node tests/pyodide/run_engine.mjs --wheel decision-*.whl --requests requests.json
//
// requests.json: {"states": [indices], "questionnaire": [strings], "calculator": [strings], "cli": [[argv...], ...]}.
// Loads Pyodide from node_modules/pyodide, installs the engine wheel with pyodide.loadPackage (as the
// browser worker does), then, inside Python:
//   - renders every case study and the sampled states of the full answer space with render_json (a state is
//     an index into every combination of each question answered with each option or left open; 0 leaves
//     every question open);
//   - passes each questionnaire request to decision.web.questionnaire_response and each calculator
//     request to decision.web.calculator_response, the two calls the site's worker makes;
//   - runs decision.cli.main for each argv and keeps its exit code, standard output and error;
//   - draws the worked example's chart.
// Prints one JSON document on stdout; test_same_bytes.py compares it with CPython.
// Any failure exits non-zero with a message on stderr: nothing is skipped.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { boot, fail, installWheel } from "./common.mjs";

const { values: args } = parseArgs({ options: { wheel: { type: "string" }, requests: { type: "string" } } });
if (!args.wheel || !args.requests) fail("run_engine.mjs", "--wheel PATH and --requests PATH are required");

const PROGRAM = `
import contextlib, io, json, sys
from decision import default_model, evaluate, render_json
from decision.cli import main
from decision.cost import EXAMPLE, compute, cost_chart
from decision.engine.model import UNANSWERED
from decision.web import calculator_response, gap_response, questionnaire_response

def cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return {"argv": list(argv), "code": code, "out": out.getvalue(), "err": err.getvalue()}

def state(model, index):
    """The answers of one combination, numbered as itertools.product numbers them (last question fastest)."""
    digits = []
    for question in reversed(model.questions):
        index, digit = divmod(index, len(question.values) + 1)
        digits.append(digit)
    digits.reverse()
    return {q.id: (UNANSWERED, *q.values)[d] for q, d in zip(model.questions, digits) if d}

def run(requests):
    model = default_model()
    inputs = [("case:" + case.id, dict(case.answers)) for case in model.cases]
    inputs += [(f"state:{index}", state(model, index)) for index in requests["states"]]
    return json.dumps({
        "python": sys.version.split()[0],
        "platform": sys.platform,
        "evaluations": [{"label": label, "answers": answers, "json": render_json(evaluate(answers))}
                        for label, answers in inputs],
        "questionnaire": [questionnaire_response(r) for r in requests["questionnaire"]],
        "calculator": [calculator_response(r) for r in requests["calculator"]],
        "gap": [gap_response(r) for r in requests.get("gap", [])],
        "cli": [cli(argv) for argv in requests["cli"]],
        "chart": cost_chart(compute(EXAMPLE)),
    }, ensure_ascii=False)
`;

async function main() {
  const requests = JSON.parse(readFileSync(args.requests, "utf-8"));
  const started = performance.now();
  const pyodide = await boot();
  const loaded = performance.now();
  await installWheel(pyodide, args.wheel);
  pyodide.pyimport("decision.web"); // as the site's worker does
  const installed = performance.now();
  pyodide.runPython(PROGRAM);
  const run = pyodide.globals.get("run");
  const text = run(pyodide.toPy(requests));
  run.destroy();
  const out = JSON.parse(text);
  out.pyodide_version = pyodide.version;
  out.timings_ms = {
    load_pyodide: Math.round(loaded - started),
    install_engine: Math.round(installed - loaded),
    run_all: Math.round(performance.now() - installed),
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => fail("run_engine.mjs", error && error.stack ? error.stack : error));
