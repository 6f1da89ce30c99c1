"""The engine's pytest suite, run inside the real Pyodide (Node, no network) on the REDUCED standard library.

tests/pyodide/run_suite.mjs boots Pyodide with the archive the site ships (built here from
site_glue/stdlib_modules.txt and compiled to bytecode), installs the engine wheel (with its
bytecode) and runs every browser call, then adds the test wheels from .venv/pyodide-wheels and the
rest of the standard library (for pytest itself) and runs the suites below with
`-m "not needs_subprocess and not exhaustive"` (the exhaustive answer-space walk runs in CPython
only). Its import audit refuses, with the module's name, any
standard-library module the engine imports from outside the reduced archive, and fails the run
even if a test swallowed that error. The same process traces the imports of boot, install and every
browser call on the reduced archive, which must give the committed module list again. One Node
process for the module; nothing is skipped: a missing tool is a failure.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pyodide_support import FULL_STDLIB, HERE, ROOT, committed_modules, modules_of, run_node

from site_glue.stdlib import read_module_list, rest_of_stdlib, shipped_stdlib

pytestmark = pytest.mark.pyodide

WHEELS = ROOT / ".venv" / "pyodide-wheels"
SUITES = ["tests/engine", "tests/cost", "tests/web"]
SELECT = ["-m", "not needs_subprocess and not exhaustive"]
MIN_PASSED = 150


@pytest.fixture(scope="module")
def suite(engine_wheel, tmp_path_factory):
    names = sorted(path.name for path in WHEELS.glob("*.whl"))
    assert any(n.startswith("pytest-") for n in names), f"no pytest wheel in {WHEELS}: make setup"
    assert any(n.startswith("hypothesis-") for n in names), f"no hypothesis wheel in {WHEELS}: make setup"
    work = tmp_path_factory.mktemp("pyodide-suite")
    # What the site ships: the reduced archive and the wheel, both with their bytecode.
    wheel = work / "compiled" / engine_wheel.name
    shipped_stdlib(FULL_STDLIB, work / "stdlib-reduced.zip", also=[(engine_wheel, wheel, "wheel")])
    rest_of_stdlib(FULL_STDLIB, read_module_list(), work / "stdlib-rest.zip")
    options = ["--stdlib", str(work / "stdlib-reduced.zip"), "--rest", str(work / "stdlib-rest.zip")]
    options += ["--wheel", str(wheel), "--wheels", str(WHEELS)]
    done = run_node(HERE / "run_suite.mjs", *options, "--", *SUITES, *SELECT, "-q", timeout=900)
    marker = "SUITE-RESULT "
    lines = [line for line in done.stdout.splitlines() if line.startswith(marker)]
    assert lines, (
        f"run_suite.mjs gave no result (exit {done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    )
    result = json.loads(lines[-1].removeprefix(marker))
    result["returncode"] = done.returncode
    result["output"] = done.stdout[-6000:] + done.stderr[-3000:]
    return result


def test_it_ran_in_pyodide_on_the_reduced_archive_with_the_installed_wheel(suite):
    assert suite["platform"] == "emscripten" and suite["python"].startswith("3.14")
    assert suite["stdlib_archive"] == "/lib/python314.zip"
    assert suite["engine_file"].startswith("/lib/python3.14/site-packages/decision/")
    # Every browser call ran before any test tooling existed: reduced archive only.
    assert suite["workload"]["questionnaire"] > 10 and suite["workload"]["calculator_errors"] > 0


def test_the_browser_imports_ran_from_the_shipped_bytecode(suite):
    bytecode = suite["bytecode"]
    # The standard library came from the archive's .pyc files; it holds no sources to fall back on.
    assert bytecode["stdlib_compiled"] > 100 and bytecode["stdlib_sources"] == []
    # The engine's pyc is the wheel's: unchecked hash-based (flags 0b01), which CPython never writes itself.
    assert bytecode["engine_cached"].endswith("/decision/engine/__pycache__/evaluator.cpython-314.pyc")
    assert bytecode["engine_pyc_flags"] == 0b01


def test_pytest_passed_every_selected_test(suite):
    assert suite["failures"] == [], "\n\n".join(f"{f['test']} ({f['when']}):\n{f['report']}" for f in suite["failures"])
    assert suite["exit_code"] == 0 and suite["returncode"] == 0, suite["output"]
    outcomes = suite["outcomes"]
    assert outcomes["failed"] == outcomes["errors"] == outcomes["skipped"] == 0, outcomes
    assert outcomes["passed"] >= MIN_PASSED, outcomes


def test_the_engine_imported_nothing_outside_the_reduced_archive(suite):
    assert suite["violations"] == []


def test_the_import_audit_refuses_what_the_reduced_archive_lacks(suite):
    probes = suite["audit_self_test"]
    assert set(probes) == {"import statement", "importlib.import_module", "from package import submodule"}
    for message in probes.values():
        assert message.startswith("No module named '") and "reduced standard library" in message


def test_the_reduced_archive_traces_the_same(suite):
    # Nothing the site runs misses a module of the reduced archive or reaches it by another path.
    assert modules_of(suite["reduced_trace"]) == committed_modules()


def _collect(*select: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *select, *SUITES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_only_needs_subprocess_and_exhaustive_tests_were_left_out_and_the_counts_match_cpython(suite):
    # Left out: exactly the tests marked needs_subprocess or exhaustive in the source, as CPython collects them.
    deselected = suite["deselected"]
    assert any("test_interactive_run_on_a_real_terminal" in n for n in deselected)
    assert sorted(deselected) == sorted(_collect("-m", "needs_subprocess or exhaustive"))
    # Same selection collected by this interpreter: Pyodide ran every one of them.
    assert suite["outcomes"]["passed"] == len(_collect(*SELECT))
