"""Pyodide's full python_stdlib.zip against the reduced archive, as sources and as the site ships it.

Three archives: Pyodide's own (full), the traced modules as sources (reduced), and the same modules
as bytecode with the engine wheel's bytecode too (shipped; site_glue/bytecode.py). Sizes raw and
gzip -9 (what a compressing host sends), the whole runtime download with each, and Node boot times
measured side by side in one run: fresh `node` processes take turns (median of --runs each),
timing loadPyodide alone and loadPyodide + loadPackage(engine wheel) + importing decision.web and
decision.cost (what the site's worker does before "ready").

    .venv/bin/python bench/stdlib_size.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_glue.stdlib import read_module_list, reduce_stdlib, shipped_stdlib  # noqa: E402

PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
BOOT = """
import { pathToFileURL } from "node:url";
const [dir, stdlib, wheel] = process.argv.slice(1);
const t0 = performance.now();
const { loadPyodide } = await import(pathToFileURL(dir + "/pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: dir + "/", stdLibURL: stdlib });
const t1 = performance.now();
await pyodide.loadPackage(wheel, { messageCallback: () => {} });
pyodide.pyimport("decision.web");
pyodide.pyimport("decision.cost");
const t2 = performance.now();
if (!pyodide.runPython("import sys; sys.path[1]").endsWith(".zip")) throw new Error("no stdlib zip");
process.stdout.write(JSON.stringify({ boot_ms: t1 - t0, ready_ms: t2 - t0 }));
"""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def build_wheel(dest: Path) -> Path:
    spec = importlib.util.spec_from_file_location("site_glue_runtime", ROOT / "site_glue" / "runtime.py")
    runtime = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runtime)
    return runtime.build_wheel(ROOT, dest)


def boot(stdlib: Path, wheel: Path) -> dict:
    command = ["node", "--input-type=module", "-e", BOOT, str(PYODIDE), str(stdlib), str(wheel)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise SystemExit(f"booting with {stdlib.name} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="stdlib-bench-"))
    full = PYODIDE / "python_stdlib.zip"
    reduced = work / "python_stdlib.reduced.zip"
    modules = read_module_list()
    reduce_stdlib(full, modules, reduced)
    wheel = build_wheel(work / "wheel")
    shipped, compiled_wheel = work / "python_stdlib.shipped.zip", work / "compiled" / wheel.name
    shipped_stdlib(full, shipped, also=[(wheel, compiled_wheel, "wheel")])
    rest = [(PYODIDE / name).read_bytes() for name in RUNTIME_FILES]
    rest_raw, rest_gz = sum(map(len, rest)), sum(map(gz, rest))

    variants = {"full": (full, wheel), "reduced": (reduced, wheel), "shipped": (shipped, compiled_wheel)}
    timings: dict[str, list[dict]] = {label: [] for label in variants}
    for _ in range(runs):  # in turn, so all see the same machine load
        for label, (stdlib, engine) in variants.items():
            timings[label].append(boot(stdlib, engine))

    rows = {}
    for label, (path, _) in variants.items():
        data = path.read_bytes()
        rows[label] = {
            "modules": None if label == "full" else len(modules),
            "zip_bytes": len(data),
            "zip_gzip9_bytes": gz(data),
            "runtime_download_bytes": rest_raw + len(data),
            "runtime_download_gzip9_bytes": rest_gz + gz(data),
            "boot_ms_median": round(statistics.median(t["boot_ms"] for t in timings[label])),
            "ready_ms_median": round(statistics.median(t["ready_ms"] for t in timings[label])),
            "boot_ms_runs": [round(t["boot_ms"]) for t in timings[label]],
        }
    ratios = {
        f"{label}_to_full": {
            key: round(rows[label][key] / rows["full"][key], 3)
            for key in rows["full"]
            if key not in ("modules", "boot_ms_runs")
        }
        for label in ("reduced", "shipped")
    }
    return {
        "pyodide": json.loads((PYODIDE / "package.json").read_text())["version"],
        "runs_each": runs,
        **rows,
        **ratios,
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
