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
import { boot, buildWheel, fail, FULL_STDLIB, installWheel, runWorkload } from "./common.mjs";

const { values: args } = parseArgs({ options: { wheel: { type: "string" }, stdlib: { type: "string" } } });

const RECORDER = `
import sys

class _StdlibTraceRecorder:
    """First on sys.meta_path: notes every module name looked up, finds nothing itself."""
    seen = set()

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        cls.seen.add(name)
        return None

sys.meta_path.insert(0, _StdlibTraceRecorder)
`;

const REPORT = `
import sys, zipfile, zipimport

sys.meta_path.remove(_StdlibTraceRecorder)
archive = next(p for p in sys.path if p.endswith(".zip"))
entries = set(zipfile.ZipFile(archive).namelist())

def in_zip(name):
    stem = name.replace(".", "/")
    # Pyodide's archive holds sources (a/b.py), the site's bytecode (a/b.pyc).
    return any(stem + end in entries for end in (".py", ".pyc", "/__init__.py", "/__init__.pyc"))

loaded = {name for name, module in list(sys.modules.items())
          if isinstance(getattr(getattr(module, "__spec__", None), "loader", None), zipimport.zipimporter)}
gone = {name for name in _StdlibTraceRecorder.seen if name not in sys.modules and in_zip(name)}
missing = sorted(name for name in loaded if not in_zip(name))
if missing:
    raise RuntimeError(f"loaded from the zip but not found in it: {missing}")
"\\n".join(sorted(loaded | gone))
`;

async function main() {
  const wheel = args.wheel ?? buildWheel();
  const pyodide = await boot({ stdLib: args.stdlib ?? FULL_STDLIB });
  pyodide.runPython(RECORDER);
  await installWheel(pyodide, wheel);
  pyodide.pyimport("decision.web"); // as engine-worker.mjs does
  pyodide.pyimport("decision.cost");
  const summary = runWorkload(pyodide);
  const modules = pyodide.runPython(REPORT);
  const header = [
    "# Standard-library modules the site's Python imports from python_stdlib.zip: Pyodide's boot,",
    "# pyodide.loadPackage of the engine wheel and every engine call the site makes (tests/pyodide/workload.py).",
    "# site_glue/stdlib.py builds the reduced archive from this list; tests/test_stdlib.py checks it is current.",
    `# Generated in Pyodide ${pyodide.version} by: node tests/pyodide/trace_imports.mjs > site_glue/stdlib_modules.txt`,
    `# Workload: ${summary.questionnaire} questionnaire requests, ${summary.contract} calculator contract calls.`,
  ];
  process.stdout.write(header.join("\n") + "\n" + modules + "\n");
}

main().catch((error) => fail("trace_imports.mjs", error && error.stack ? error.stack : error));
