// Run the engine's pytest suite inside Pyodide under Node, booted with the REDUCED standard library.
//
//   node tests/pyodide/run_suite.mjs --stdlib reduced.zip --rest rest.zip --wheel decision-*.whl \
//        --wheels .venv/pyodide-wheels -- [pytest arguments, paths relative to the repository]
//
// 1. loadPyodide({indexURL, stdLibURL: reduced.zip}), as the site's worker will;
// 2. pyodide.loadPackage(engine wheel) and tests/pyodide/workload.py with nothing but the reduced
//    archive: every call the site makes works before any test tooling exists; the import trace of
//    boot, install and workload (as trace_imports.mjs prints it) comes back as `reduced_trace`;
// 3. loadPackage of the pure-Python test wheels (pytest, hypothesis, ...), then unpack rest.zip (the
//    standard library minus the reduced archive) into /lib/stdlib-tooling/, LAST on sys.path;
// 4. mount this checkout with NODEFS at its own path (tests, golden files, pyproject.toml's markers)
//    and run pytest.main with suite_plugin, which refuses (and records) any module the engine
//    imports from /lib/stdlib-tooling/, after a self-test proving that it does.
// The engine under test is the installed wheel, never the checkout's decision/ folder.
// Prints pytest's output, then one line `SUITE-RESULT {json}`; exits 0 only when pytest passed,
// and nothing was refused.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { boot, fail, installWheel, ROOT, runWorkload, startTrace, traceReport } from "./common.mjs";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stdlib: { type: "string" },
    rest: { type: "string" },
    wheel: { type: "string" },
    wheels: { type: "string", default: join(ROOT, ".venv", "pyodide-wheels") },
  },
});
for (const name of ["stdlib", "rest", "wheel"]) {
  if (!args[name]) fail("run_suite.mjs", `--${name} is required`);
}

const TOOLING = "/lib/stdlib-tooling"; // import_audit.TOOLING

const START = `
import os, sys
sys.path[:] = [p for p in sys.path if p not in ("", ".")]  # never the checkout's decision/
sys.path.append(${JSON.stringify(join(ROOT, "tests", "pyodide"))})
os.makedirs("/tmp/suite", exist_ok=True)
os.chdir("/tmp/suite")
import import_audit
import_audit.install()
self_test = import_audit.self_test()
`;

// Where the modules came from: the shipped archive's own .pyc (stdlib), the wheel's
// __pycache__ (engine; the pyc flags of PEP 552 tell the wheel's unchecked-hash file from one
// the interpreter would write itself).
const BYTECODE_PROBE = `
import json, sys
def flags(path):
    with open(path, "rb") as f:
        return int.from_bytes(f.read(8)[4:8], "little")
engine = sys.modules["decision.engine.evaluator"].__spec__
import zipimport
specs = [getattr(m, "__spec__", None) for m in list(sys.modules.values())]
from_archive = [s.origin for s in specs if s is not None and isinstance(s.loader, zipimport.zipimporter)]
json.dumps({
    "stdlib_compiled": sum(f.endswith(".pyc") for f in from_archive),
    "stdlib_sources": sorted(f for f in from_archive if not f.endswith(".pyc")),
    "engine_cached": engine.cached,
    "engine_pyc_flags": flags(engine.cached),
})
`;

const RUN = `
import json, sys
import decision, pytest
engine_file = decision.__file__
if not engine_file.startswith("/lib/python3.14/site-packages/"):
    raise RuntimeError(f"the engine under test is not the installed wheel: {engine_file}")
exit_code = int(pytest.main(pytest_args, plugins=[]))
suite_plugin = sys.modules["suite_plugin"]
json.dumps({
    "exit_code": exit_code,
    "outcomes": suite_plugin.outcomes,
    "deselected": suite_plugin.deselected_ids,
    "marked_by_plugin": suite_plugin.marked_here,
    "failures": suite_plugin.failures,
    "violations": import_audit.violations,
    "audit_self_test": self_test,
    "engine_file": engine_file,
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "stdlib_archive": next(p for p in sys.path if p.endswith(".zip")),
    "bytecode": bytecode,
})
`;

// Test paths (tests/x.py, tests/x.py::name) are relative to the checkout; other arguments pass as they are.
const toRepoPath = (arg) => (!arg.startsWith("-") && existsSync(resolve(ROOT, arg.split("::")[0])) ? resolve(ROOT, arg) : arg);

async function main() {
  const t0 = performance.now();
  const pyodide = await boot({ stdLib: args.stdlib });
  startTrace(pyodide);
  await installWheel(pyodide, args.wheel);
  pyodide.pyimport("decision.web");
  pyodide.pyimport("decision.cost");
  const workload = runWorkload(pyodide); // reduced standard library only
  const reducedTrace = traceReport(pyodide);
  const bytecode = JSON.parse(pyodide.runPython(BYTECODE_PROBE));
  const t1 = performance.now();

  const wheels = readdirSync(args.wheels).filter((name) => name.endsWith(".whl")).sort();
  if (!wheels.some((name) => name.startsWith("pytest-")) || !wheels.some((name) => name.startsWith("hypothesis-"))) {
    throw new Error(`${args.wheels} lacks the pytest or hypothesis wheel: run make setup`);
  }
  for (const name of wheels) await installWheel(pyodide, join(args.wheels, name));
  pyodide.unpackArchive(new Uint8Array(readFileSync(args.rest)), "zip", { extractDir: TOOLING });
  pyodide.FS.mkdirTree(ROOT);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: ROOT }, ROOT);
  pyodide.runPython(START);

  const pytestArgs = ["--rootdir", ROOT, "-c", join(ROOT, "pyproject.toml"), "-p", "suite_plugin"];
  pytestArgs.push("-p", "no:cacheprovider", ...positionals.map(toRepoPath));
  pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
  pyodide.globals.set("bytecode", pyodide.toPy(bytecode));
  const result = JSON.parse(pyodide.runPython(RUN));
  result.workload = workload;
  result.reduced_trace = reducedTrace;
  result.pyodide_version = pyodide.version;
  result.timings_ms = { boot_and_workload: Math.round(t1 - t0), total: Math.round(performance.now() - t0) };
  process.stdout.write(`\nSUITE-RESULT ${JSON.stringify(result)}\n`);
  process.exit(result.exit_code === 0 && result.violations.length === 0 ? 0 : 1);
}

main().catch((error) => fail("run_suite.mjs", error && error.stack ? error.stack : error));
