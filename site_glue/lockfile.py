"""The Pyodide lock file the site ships: Pyodide's platform record plus the engine wheel, nothing else.

pyodide-build's `pyodide lockfile add-wheels` (a command of pyodide-lock, which pyodide-build installs)
writes it from the wheel as shipped, so the entry carries the final bytes' sha256. The worker then asks
for the engine by name (`pyodide.loadPackage("decision")`) and Pyodide fetches the wheel with that hash
as its integrity check: a wheel whose bytes differ is refused before anything is installed.

pyodide-build needs Python >= 3.12 on the host, which is why the dev tools run on the newest Python
found (scripts/setup.sh; pinned in requirements-dev.in). It runs offline.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

TOOL = Path(sys.executable).parent / "pyodide"  # the dev environment's console script
PACKAGE = "decision"


def write_lock(pyodide_lock: Path, wheel: Path, wheel_url: str, out: Path) -> dict:
    """Write `out`: the platform record of `pyodide_lock` and one package, the engine `wheel`, whose
    `file_name` is `wheel_url` (a folder URL relative to the lock file, ending in "/") plus the wheel's name.
    Returns the engine's entry. Raises RuntimeError when the tool is missing, fails or writes anything else."""
    if not TOOL.is_file():
        raise RuntimeError(f"{TOOL} is missing: run `make setup` (it installs pyodide-build, on Python >= 3.12)")
    if not wheel_url.endswith("/"):
        raise ValueError(f"wheel_url must be a folder URL ending in '/', not {wheel_url!r}")
    info = json.loads(pyodide_lock.read_text(encoding="utf-8"))["info"]
    bare = out.with_name(out.stem + ".bare.json")  # Pyodide's packages are not shipped: only its platform record
    bare.write_text(json.dumps({"info": info, "packages": {}}), encoding="utf-8")
    command = [str(TOOL), "lockfile", "add-wheels", "--input", str(bare), "--output", str(out)]
    command += ["--base-path", str(wheel.parent), "--wheel-url", wheel_url, str(wheel)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    bare.unlink()
    if done.returncode != 0:
        raise RuntimeError(f"pyodide lockfile add-wheels failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    lock = json.loads(out.read_text(encoding="utf-8"))
    entry = lock.get("packages", {}).get(PACKAGE)
    expected = {"file_name": wheel_url + wheel.name, "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest()}
    if set(lock.get("packages", {})) != {PACKAGE} or lock.get("info") != info:
        raise RuntimeError(f"{out} should hold Pyodide's platform record and {PACKAGE} only: {sorted(lock)}")
    if entry is None or {key: entry.get(key) for key in expected} != expected:
        raise RuntimeError(f"{out}: the {PACKAGE} entry does not name the shipped wheel: {entry} (expected {expected})")
    return entry
