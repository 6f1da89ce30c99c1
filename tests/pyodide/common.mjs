// Shared by trace_imports.mjs and run_suite.mjs: boot Pyodide from node_modules, build and
// install the engine wheel the way the site's worker does, run the browser workload.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = resolve(new URL("../../", import.meta.url).pathname);
export const PYODIDE_DIR = join(ROOT, "node_modules", "pyodide");
export const FULL_STDLIB = join(PYODIDE_DIR, "python_stdlib.zip");

export function fail(script, message) {
  console.error(`${script}: ${message}`);
  process.exit(1);
}

// Boot like the worker does; stdLib defaults to Pyodide's own python_stdlib.zip.
export async function boot({ stdLib } = {}) {
  const { loadPyodide } = await import(pathToFileURL(join(PYODIDE_DIR, "pyodide.mjs")).href);
  const options = { indexURL: PYODIDE_DIR + "/" };
  if (stdLib) options.stdLibURL = resolve(stdLib);
  const errors = [];
  const original = console.error;
  console.error = (...args) => {
    errors.push(args.map(String).join(" "));
    original(...args);
  };
  try {
    const pyodide = await loadPyodide(options);
    // Pyodide only logs a failed standard-library download and carries on: make it fatal.
    if (errors.some((line) => /installing the standard library/i.test(line))) {
      throw new Error(`the standard library did not load: ${errors.join(" | ")}`);
    }
    return pyodide;
  } finally {
    console.error = original;
  }
}

// The engine wheel, built by the MkDocs hook's own function (site_glue/runtime.py: build_wheel).
export function buildWheel(python = join(ROOT, ".venv", "bin", "python")) {
  const dest = mkdtempSync(join(tmpdir(), "decision-wheel-"));
  const code = [
    "import importlib.util, sys, pathlib",
    "spec = importlib.util.spec_from_file_location('site_glue_runtime', sys.argv[1])",
    "runtime = importlib.util.module_from_spec(spec); spec.loader.exec_module(runtime)",
    "print(runtime.build_wheel(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])))",
  ].join("\n");
  const done = spawnSync(python, ["-c", code, join(ROOT, "site_glue", "runtime.py"), ROOT, dest], { encoding: "utf-8" });
  if (done.status !== 0) throw new Error(`building the engine wheel failed:\n${done.stderr}`);
  return done.stdout.trim().split("\n").pop();
}

// pyodide.loadPackage(wheel) as engine-worker.mjs does; any reported error is fatal.
export async function installWheel(pyodide, wheel) {
  const problems = [];
  await pyodide.loadPackage(resolve(wheel), { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  if (problems.length) throw new Error(`installing ${wheel} failed: ${problems.join("; ")}`);
}

// tests/pyodide/workload.py: every call the site makes, on valid input and on error paths.
export function runWorkload(pyodide) {
  const namespace = pyodide.globals.get("dict")();
  try {
    pyodide.runPython(readFileSync(join(ROOT, "tests", "pyodide", "workload.py"), "utf-8"), { globals: namespace });
    pyodide.runPython("import json", { globals: namespace });
    return JSON.parse(pyodide.runPython("json.dumps(run())", { globals: namespace }));
  } finally {
    namespace.destroy();
  }
}

// The import trace (trace_imports.mjs, and run_suite.mjs on the reduced archive): a finder first on
// sys.meta_path notes every module name looked up from startTrace on; traceReport lists, one a line,
// every module loaded from the standard-library zip (boot included) plus every looked-up name the zip
// holds that did not stay in sys.modules.
const TRACE_RECORDER = `
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

const TRACE_REPORT = `
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

export function startTrace(pyodide) {
  pyodide.runPython(TRACE_RECORDER);
}

export function traceReport(pyodide) {
  return pyodide.runPython(TRACE_REPORT);
}
