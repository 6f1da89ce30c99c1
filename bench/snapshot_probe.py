"""Probe: would a Pyodide memory snapshot bring a shared link's card to half the bare page's start?

Not shipped; an experiment kept so its figures can be checked. A memory snapshot is the runtime's
whole WebAssembly memory after Python has started and the engine has been imported
(`loadPyodide({_makeSnapshot})`, then `_loadSnapshot`; both experimental in Pyodide 314). This script:

1. copies the built site, makes a snapshot of it with Node (bench/snapshot_probe.mjs) and patches the
   copy's worker to start from it instead of starting Python and installing the wheel;
2. measures the site and the patched copy side by side with the bare page, in one run
   (bench/questionnaire_load.py's `measure`);
3. reports the snapshot's size raw and gzip-compressed, as a static host would send it.

The patched worker is only good for this measurement: a restored snapshot has the engine's modules in
memory but not its files, and its bytes are not checked against the build's manifest.

    make site && .venv/bin/python bench/snapshot_probe.py [--runs 7]
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from questionnaire_load import ROOT, arguments, measure

SNAPSHOT = "engine.snapshot"  # served raw by scripts/serve.py: the best case for time on a loopback
# Where the patch goes in site/assets/js/engine-worker.mjs; the probe stops if the worker has changed.
PATCHES = {
    "      stdLibURL: STDLIB_URL,\n": (
        "      stdLibURL: STDLIB_URL,\n"
        f'      _loadSnapshot: fetch(new URL("{SNAPSHOT}", INDEX_URL)).then((response) => response.arrayBuffer()),\n'
    ),
    # The engine is already imported in the snapshot.
    "  await pyodide.loadPackage(ENGINE_PACKAGE, { messageCallback: () => {}, "
    "errorCallback: (m) => problems.push(m) });\n": "",
}


def snapshot_site(site: Path, into: Path) -> Path:
    copy = into / "site"
    shutil.copytree(site, copy)
    manifest = json.loads((copy / "assets" / "engine.json").read_text(encoding="utf-8"))
    snapshot = copy / "pyodide" / SNAPSHOT
    subprocess.run(
        [
            "node",
            str(ROOT / "bench" / "snapshot_probe.mjs"),
            str(copy),
            str(copy / "assets" / manifest["wheel"]),
            str(snapshot),
        ],
        check=True,
    )
    worker = copy / "assets" / "js" / "engine-worker.mjs"
    text = worker.read_text(encoding="utf-8")
    for anchor, replacement in PATCHES.items():
        if text.count(anchor) != 1:
            raise SystemExit(
                f"engine-worker.mjs has changed: {anchor.strip()[:60]!r} is not there once; update PATCHES"
            )
        text = text.replace(anchor, replacement)
    worker.write_text(text, encoding="utf-8")
    return copy


def main() -> dict:
    args = arguments()
    with tempfile.TemporaryDirectory() as tmp:
        copy = snapshot_site(Path(args.site), Path(tmp))
        raw = (copy / "pyodide" / SNAPSHOT).read_bytes()
        report = measure({"site": Path(args.site), "snapshot": copy}, args.runs)
    report["snapshot_bytes"] = {"raw": len(raw), "gzip_6": len(gzip.compress(raw, compresslevel=6, mtime=0))}
    saved_ms = report["site"]["shared_link"]["card_ms"] - report["snapshot"]["shared_link"]["card_ms"]
    added = report["snapshot_bytes"]["gzip_6"]
    report["snapshot_vs_site"] = {
        "card_ms_saved": round(saved_ms, 1),
        "gzip_kb_added": round(added / 1000, 1),
        # Below this bandwidth the extra download outweighs the time saved (our reading: download
        # time only, one connection, no latency).
        "break_even_mbit_s": round(added * 8 / 1e6 / max(saved_ms / 1000, 1e-9), 1),
    }
    return report


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
