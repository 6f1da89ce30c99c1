// Trace the standard-library modules the browser runtime imports, inside the real Pyodide.
//
//   node tests/pyodide/trace_imports.mjs [--wheel decision-*.whl] > site_glue/stdlib_modules.txt
//
// Boots Pyodide with its full python_stdlib.zip, then records every module looked up from then
// on (a finder first on sys.meta_path), installs the engine wheel with pyodide.loadPackage as the
// site's worker does, and runs tests/pyodide/workload.py (every call the site makes, valid and
// erroneous input). The list is every module in sys.modules that was loaded from the zip (boot
// included) plus every looked-up name the zip holds that did not stay in sys.modules. Modules
// served frozen from the binary are not listed: the zip is not read for them.
// Without --wheel the engine wheel is built from this checkout (needs .venv with hatchling).

import { parseArgs } from "node:util";
import { boot, buildWheel, fail, FULL_STDLIB, installWheel, runWorkload, startTrace, traceReport } from "./common.mjs";

const { values: args } = parseArgs({ options: { wheel: { type: "string" }, stdlib: { type: "string" } } });

async function main() {
  const wheel = args.wheel ?? buildWheel();
  const pyodide = await boot({ stdLib: args.stdlib ?? FULL_STDLIB });
  startTrace(pyodide);
  await installWheel(pyodide, wheel);
  pyodide.pyimport("decision.web"); // as engine-worker.mjs does
  pyodide.pyimport("decision.cost");
  const summary = runWorkload(pyodide);
  const modules = traceReport(pyodide);
  const header = [
    "# Standard-library modules the site's Python imports from python_stdlib.zip: Pyodide's boot,",
    "# pyodide.loadPackage of the engine wheel and every engine call the site makes (tests/pyodide/workload.py).",
    "# site_glue/stdlib.py builds the reduced archive from this list; tests/pyodide/test_stdlib_trace.py checks it is current.",
    `# Generated in Pyodide ${pyodide.version} by: node tests/pyodide/trace_imports.mjs > site_glue/stdlib_modules.txt`,
    `# Workload: ${summary.questionnaire} questionnaire requests, ${summary.calculator_ok + summary.calculator_errors} calculator requests.`,
  ];
  process.stdout.write(header.join("\n") + "\n" + modules + "\n");
}

main().catch((error) => fail("trace_imports.mjs", error && error.stack ? error.stack : error));
