"""How many expensive things one test run started: MkDocs builds, Pyodide boots in Chromium, Node Pyodide runs.

The fixtures that start them call `count(kind)`; tests/conftest.py prints the totals at the end of the
run, so a change that brings back a per-test build or boot shows up in every run's summary. Under
pytest-xdist each worker counts its own and hands the counts to the controller, which adds them up.
"""

from __future__ import annotations

from collections import Counter

import pytest

MKDOCS_BUILD = "MkDocs builds"
CHROMIUM_PYODIDE = "Pyodide boots in Chromium (pyodide.asm.wasm fetched by a page)"
NODE_PYODIDE = "Node Pyodide processes"
WHEEL_BUILD = "engine wheel builds"

_counts: Counter[str] = Counter()


def count(kind: str) -> None:
    _counts[kind] += 1


def pytest_sessionfinish(session) -> None:
    worker_output = getattr(session.config, "workeroutput", None)  # set on pytest-xdist workers only
    if worker_output is not None:
        worker_output["resource_counts"] = dict(_counts)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook; inside Pyodide the suite runs without xdist
def pytest_testnodedown(node, error) -> None:
    _counts.update(getattr(node, "workeroutput", {}).get("resource_counts", {}))


def pytest_terminal_summary(terminalreporter) -> None:
    if not _counts:
        return
    terminalreporter.section("expensive resources started")
    for kind in (MKDOCS_BUILD, CHROMIUM_PYODIDE, NODE_PYODIDE, WHEEL_BUILD):
        terminalreporter.write_line(f"{_counts[kind]:4d}  {kind}")
