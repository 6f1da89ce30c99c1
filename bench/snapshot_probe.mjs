// Makes a Pyodide memory snapshot with the engine imported and warmed, for bench/snapshot_probe.py.
//
//   node bench/snapshot_probe.mjs SITE_DIR WHEEL OUT
//
// Boots the site's own vendored runtime and reduced standard library (so the snapshot's build id
// matches what the browser loads), unpacks the engine wheel into site-packages, imports decision.web,
// runs its warm-up, and writes pyodide.makeMemorySnapshot() to OUT.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [site, wheel, out] = process.argv.slice(2).map((arg) => resolve(arg));
if (!out) {
  console.error("usage: node bench/snapshot_probe.mjs SITE_DIR WHEEL OUT");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(`${site}/pyodide/pyodide.mjs`).href);
const pyodide = await loadPyodide({
  indexURL: `${site}/pyodide/`,
  stdLibURL: `${site}/pyodide/python_stdlib.reduced.zip`,
  _makeSnapshot: true,
});
pyodide.FS.writeFile("/tmp/engine.whl", readFileSync(wheel));
// Unpacked from Python, not with loadPackage: loadPackage leaves JavaScript objects referenced from
// Python, which a snapshot cannot hold.
pyodide.runPython(`
import sys, zipfile
zipfile.ZipFile("/tmp/engine.whl").extractall(f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages")
import decision.web
decision.web.warm_up()
`);
writeFileSync(out, pyodide.makeMemorySnapshot());
