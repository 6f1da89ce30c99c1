"""site_glue/stdlib_modules.txt is what tests/pyodide/trace_imports.mjs prints now, on Pyodide's full archive.

A new standard-library import anywhere the site runs (boot, installing the wheel, every browser call
in tests/pyodide/workload.py) fails here until the list is regenerated. One Node process.
"""

from __future__ import annotations

import re

import pytest
from pyodide_support import FULL_STDLIB, HERE, committed_modules, modules_of, run_node

from site_glue.stdlib import MODULE_LIST

pytestmark = pytest.mark.pyodide
REGENERATE = "node tests/pyodide/trace_imports.mjs > site_glue/stdlib_modules.txt"


def _generated_by(text: str) -> str | None:
    found = re.search(r"^# Generated in Pyodide (\S+)", text, re.M)
    return found.group(1) if found else None


def test_the_committed_module_list_is_a_fresh_trace(engine_wheel):
    done = run_node(HERE / "trace_imports.mjs", "--wheel", str(engine_wheel), "--stdlib", str(FULL_STDLIB))
    assert done.returncode == 0, done.stderr[-4000:]
    fresh = done.stdout
    assert modules_of(fresh), "the trace listed no module"
    assert modules_of(fresh) == committed_modules(), f"the imports changed: regenerate with `{REGENERATE}`"
    committed = MODULE_LIST.read_text(encoding="utf-8")
    assert _generated_by(fresh) == _generated_by(committed), f"another Pyodide: regenerate with `{REGENERATE}`"
