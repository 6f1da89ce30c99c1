"""Helpers for the tests that run the engine inside the real Pyodide under Node, with no network.

`run_node(script, *args)` runs one Node script under scripts/offline.sh (loopback only) and counts it;
each test module starts one such process and shares its result between its tests. Imported by name
(`from pyodide_support import ...`): every test folder has a conftest.py, and which one `import conftest`
finds depends on the order pytest loaded them. Nothing is skipped: a missing node, runtime or offline
tool is a failure.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from resource_tally import NODE_PYODIDE, WHEEL_BUILD, count

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "pyodide"
OFFLINE = ROOT / "scripts" / "offline.sh"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
FULL_STDLIB = PYODIDE_DIR / "python_stdlib.zip"


def load_runtime_hook():
    """site_glue/runtime.py, the MkDocs hook that builds and ships the wheel."""
    spec = importlib.util.spec_from_file_location("site_glue_runtime", ROOT / "site_glue" / "runtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_engine_wheel(dest: Path) -> Path:
    count(WHEEL_BUILD)
    return load_runtime_hook().build_wheel(ROOT, dest)


def modules_of(trace: str) -> list[str]:
    """The module names of a trace (trace_imports.mjs's output or the committed list), without its comments."""
    return [line for line in trace.splitlines() if line.strip() and not line.startswith("#")]


def committed_modules() -> list[str]:
    from site_glue.stdlib import MODULE_LIST

    return modules_of(MODULE_LIST.read_text(encoding="utf-8"))


def run_node(script: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """One Node process running `script` with loopback as its only network; output as text."""
    node = shutil.which("node")
    assert node, "node is not on PATH: the Pyodide tests need Node.js (make setup)"
    assert (PYODIDE_DIR / "pyodide.mjs").is_file() and FULL_STDLIB.is_file(), "node_modules/pyodide missing: make setup"
    assert OFFLINE.is_file(), f"{OFFLINE} missing: the Pyodide tests must run without network"
    count(NODE_PYODIDE)
    return subprocess.run(
        [str(OFFLINE), node, str(script), *args], capture_output=True, text=True, encoding="utf-8", timeout=timeout
    )
