"""Settings and fixtures for the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from resource_tally import (  # noqa: F401  (count the run's builds and boots, also across xdist workers)
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)

# Property tests judge correctness, not speed: a busy CI machine must not turn a slow example
# into a failure. Timing lives in bench/.
settings.register_profile("project", deadline=None)
settings.load_profile("project")

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def compare_with_golden(path: Path, actual: str, *, update: bool) -> None:
    """Compare `actual` with the committed file; in update mode write it, then fail so the diff gets reviewed."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        pytest.fail(
            f"UPDATE_GOLDEN=1 rewrote {path.name}: review `git diff {path}`, then run again without UPDATE_GOLDEN",
            pytrace=False,
        )
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 and review the diff"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} changed; review and regenerate (UPDATE_GOLDEN=1)"


@pytest.fixture
def golden():
    """golden(relative_path, actual): compare with tests/golden/<relative_path> (see compare_with_golden)."""
    return lambda relative, actual: compare_with_golden(GOLDEN_DIR / relative, actual, update=UPDATE_GOLDEN)


@pytest.fixture
def golden_comparison():
    """compare_with_golden itself, for the test that proves update mode fails."""
    return compare_with_golden
