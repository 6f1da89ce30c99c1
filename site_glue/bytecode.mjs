// Runs site_glue/bytecode.py's compile_archive inside the vendored Pyodide (CPython 3.14),
// so that the bytecode matches the interpreter the browser runs.
//
//   node site_glue/bytecode.mjs <pyodide dir> '[{"source": ..., "out": ..., "kind": "stdlib"|"wheel"}]'
//
// Called by bytecode.py's precompile; writes each output atomically (a partial file would be cached).

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, jobsText] = process.argv.slice(2);
const jobs = JSON.parse(jobsText);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
pyodide.FS.mkdirTree("/build");
pyodide.FS.writeFile("/build/bytecode.py", readFileSync(new URL("./bytecode.py", import.meta.url)));
pyodide.runPython("import sys; sys.path.insert(0, '/build'); import bytecode");
const compileArchive = pyodide.globals.get("bytecode").compile_archive;
jobs.forEach((job, index) => {
  pyodide.FS.writeFile(`/build/in-${index}.zip`, readFileSync(job.source));
  compileArchive(`/build/in-${index}.zip`, `/build/out-${index}.zip`, job.kind);
  const part = `${job.out}.${process.pid}.part`; // builds running side by side never share one
  writeFileSync(part, pyodide.FS.readFile(`/build/out-${index}.zip`));
  renameSync(part, job.out);
});
