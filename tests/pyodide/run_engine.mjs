// Run the decision engine inside the real Pyodide runtime, under Node, with no network.
//
//   node tests/pyodide/run_engine.mjs --wheel dist/decision-0.1.0-py3-none-any.whl \
//        [--fragments requests.json] [--every 37]
//
// Loads Pyodide from node_modules/pyodide, installs the engine wheel with
// pyodide.loadPackage (as the browser worker does), then, inside Python:
//   - renders every case study and every Nth state of the full answer space (state 0 leaves every question open)
//     (each question answered with each option or left open) with render_json;
//   - passes each request from --fragments (a JSON list of strings) to
//     decision.web.respond.
// Prints one JSON document on stdout; tests/test_pyodide.py compares it with CPython.
// Any failure exits non-zero with a message on stderr: nothing is skipped.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

const { values: args } = parseArgs({
  options: {
    wheel: { type: "string" },
    fragments: { type: "string" },
    every: { type: "string", default: "37" },
    pyodide: { type: "string", default: new URL("../../node_modules/pyodide/", import.meta.url).pathname },
  },
});
if (!args.wheel) {
  console.error("run_engine.mjs: --wheel PATH is required");
  process.exit(2);
}

const PROGRAM = `
import itertools, json, sys
from decision import default_model, evaluate, render_json
from decision.model import UNANSWERED
from decision.web import respond

def run(every, requests):
    model = default_model()
    inputs = [("case:" + case.id, dict(case.answers)) for case in model.cases]
    choices = [(UNANSWERED, *q.values) for q in model.questions]
    for index, state in enumerate(itertools.product(*choices)):
        if index % every == 0:
            answers = {q.id: v for q, v in zip(model.questions, state) if v != UNANSWERED}
            inputs.append((f"state:{index}", answers))
    evaluations = [{"label": label, "answers": answers, "json": render_json(evaluate(answers))}
                   for label, answers in inputs]
    responses = [{"request": r, "response": respond(r)} for r in requests]
    return json.dumps({"python": sys.version.split()[0], "platform": sys.platform,
                       "evaluations": evaluations, "responses": responses}, ensure_ascii=False)
`;

async function main() {
  const started = performance.now();
  const pyodideDir = resolve(args.pyodide);
  const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
  const loaded = performance.now();

  const failures = [];
  await pyodide.loadPackage(resolve(args.wheel), {
    messageCallback: () => {},
    errorCallback: (message) => failures.push(message),
  });
  if (failures.length) throw new Error(`installing the wheel failed: ${failures.join("; ")}`);
  pyodide.runPython("import decision.web");
  const installed = performance.now();

  const requests = args.fragments ? JSON.parse(readFileSync(args.fragments, "utf-8")) : [];
  if (!Array.isArray(requests) || requests.some((r) => typeof r !== "string")) {
    throw new Error("--fragments must hold a JSON list of strings");
  }
  pyodide.runPython(PROGRAM);
  const run = pyodide.globals.get("run");
  const text = run(Number.parseInt(args.every, 10), pyodide.toPy(requests));
  run.destroy();
  const done = performance.now();

  const out = JSON.parse(text);
  out.pyodide_version = pyodide.version;
  out.timings_ms = {
    load_pyodide: Math.round(loaded - started),
    install_engine: Math.round(installed - loaded),
    evaluate_all: Math.round(done - installed),
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  console.error(`run_engine.mjs: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
