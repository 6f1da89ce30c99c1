"""Build the guide into site/ with `mkdocs build --strict` (what `make site` runs).

Any warning fails the build: a broken link, a missing anchor, a macro error or a
case study without a page. Extra arguments go to mkdocs, e.g. `--site-dir /tmp/out`.
Set DECISION_MODEL_PATH to build the pages from another copy of the model, and
SITE_URL to the public address when building for a host.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_command(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), *extra]


def main(argv: list[str] | None = None) -> int:
    extra = sys.argv[1:] if argv is None else argv
    if not any(a in ("-d", "--site-dir") or a.startswith("--site-dir=") for a in extra):
        extra = [*extra, "--site-dir", str(ROOT / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(build_command(extra), cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
