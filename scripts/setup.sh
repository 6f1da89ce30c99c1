#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: Python env in .venv/, npm packages from the
# lock file, Debian's Chromium and a Java runtime when missing. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
PYTHON=${PYTHON:-python3}
python_ok "$PYTHON" || { echo "setup: need Python >= 3.11 as \$PYTHON or python3" >&2; exit 1; }

# Python: rebuild the env only when the requirements or the project metadata change.
stamp=.venv/.setup-stamp
want=$(cat requirements-dev.txt pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "Python environment in .venv/"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi

# npm: exactly what the committed lock file says.
nstamp=node_modules/.setup-stamp
nwant=$(cat package-lock.json | sha256sum | cut -c1-16)
if [ ! -f "$nstamp" ] || [ "$(cat "$nstamp")" != "$nwant" ]; then
  say "npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$nwant" > "$nstamp"
fi

# System packages: Chromium for browser tests, Java for the W3C Nu checker.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  say "Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: installing ${missing[*]} needs root (apt-get); install them and rerun" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Pyodide test wheels (tests/test_pyodide_suite.py; tests/pyodide/requirements-pyodide.txt) ---
# Pure-Python wheels for running pytest and hypothesis inside Pyodide, offline at test time.
# Downloaded again only when the pinned list changes.
wheels=.venv/pyodide-wheels
wstamp=$wheels/.setup-stamp
wwant=$(sha256sum tests/pyodide/requirements-pyodide.txt | cut -c1-16)
if [ ! -f "$wstamp" ] || [ "$(cat "$wstamp")" != "$wwant" ]; then
  say "Pyodide test wheels in $wheels/"
  rm -rf "$wheels" && mkdir -p "$wheels"
  .venv/bin/python -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.14 \
    --implementation py -d "$wheels" -r tests/pyodide/requirements-pyodide.txt
  echo "$wwant" > "$wstamp"
fi
# --- end of Pyodide test wheels ---
say "ready"
