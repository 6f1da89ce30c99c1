"""pytest plugin for the engine's tests inside Pyodide (run_suite.mjs loads it with `-p suite_plugin`).

It counts outcomes for run_suite.mjs, gives hypothesis a profile for the slower interpreter (no
deadline, no database) and marks as needs_subprocess the tests in files outside tests/engine that
start a child process (NEEDS_SUBPROCESS), so that `-m "not needs_subprocess"` deselects them by name.
The import audit (the engine may use only the reduced standard library) is import_audit.py,
installed before pytest is imported.
"""

from __future__ import annotations

import pytest

# Tests that run the CLI in a child process carry @pytest.mark.needs_subprocess in their source;
# list node id prefixes here only for tests that cannot be marked there.
NEEDS_SUBPROCESS: tuple[str, ...] = ()

outcomes = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0, "xfailed": 0, "deselected": 0}
deselected_ids: list[str] = []
marked_here: list[str] = []
failures: list[dict[str, str]] = []  # each failed test's id and the end of its report, for the CPython side


def pytest_configure(config):
    from hypothesis import settings

    settings.register_profile("pyodide", deadline=None, database=None)
    settings.load_profile("pyodide")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(NEEDS_SUBPROCESS) and not item.get_closest_marker("needs_subprocess"):
            item.add_marker(pytest.mark.needs_subprocess)
            marked_here.append(item.nodeid)
    for prefix in NEEDS_SUBPROCESS:
        collected_file = any(item.nodeid.startswith(prefix.split("::")[0] + "::") for item in items)
        if collected_file and not any(item.nodeid.startswith(prefix) for item in items):
            raise pytest.UsageError(f"suite_plugin.NEEDS_SUBPROCESS names no collected test: {prefix}")


def pytest_deselected(items):
    outcomes["deselected"] += len(items)
    deselected_ids.extend(item.nodeid for item in items)


def pytest_runtest_logreport(report):
    if report.when == "call":
        if hasattr(report, "wasxfail"):
            outcomes["xfailed"] += 1
        elif report.passed:
            outcomes["passed"] += 1
        elif report.failed:
            outcomes["failed"] += 1
    if report.skipped and report.when in ("setup", "call") and not hasattr(report, "wasxfail"):
        outcomes["skipped"] += 1
    if report.failed and report.when != "call":
        outcomes["errors"] += 1
    if report.failed:
        failures.append({"test": report.nodeid, "when": report.when, "report": str(report.longrepr)[-1500:]})
