"""Shared fixture for the Pyodide tests: `engine_wheel`, the engine wheel the site ships, built once per session
with the MkDocs hook's own function. The helpers are in pyodide_support.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyodide_support import build_engine_wheel


@pytest.fixture(scope="session")
def engine_wheel(tmp_path_factory) -> Path:
    return build_engine_wheel(tmp_path_factory.mktemp("engine-wheel"))
