#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: Python env in .venv/ (and pyodide-build's in .venv/pyodide-build/),
# npm packages from the lock file, Debian's Chromium, nginx and a Java runtime when missing. Safe to run again.
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

# pyodide-build (for `pyodide lockfile add-wheels`, site_glue/lockfile.py) needs Python >= 3.12: its own
# environment on the newest such Python on PATH or under pyenv. No silent skip: the build needs it.
newest_python() {
  local candidate best="" best_version=0
  for candidate in python3.14 python3.13 python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    local version
    version=$("$candidate" -c 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])' 2>/dev/null) || continue
    if [ "$version" -ge 312 ] && [ "$version" -gt "$best_version" ]; then best=$candidate best_version=$version; fi
  done
  [ -n "$best" ] && command -v "$best"
}
tool=.venv/pyodide-build
tstamp=$tool/.setup-stamp
twant=$(sha256sum requirements-pyodide-build.txt | cut -c1-16)
if [ ! -f "$tstamp" ] || [ "$(cat "$tstamp")" != "$twant" ]; then
  tool_python=${PYODIDE_BUILD_PYTHON:-$(newest_python)} || true
  if [ -z "$tool_python" ]; then
    echo "setup: pyodide-build needs Python >= 3.12 and none was found (python3.12+ on PATH or under pyenv);" \
      "install one or set PYODIDE_BUILD_PYTHON" >&2
    exit 1
  fi
  say "pyodide-build in $tool/ on $("$tool_python" -V)"
  rm -rf "$tool"
  "$tool_python" -m venv "$tool"
  "$tool/bin/python" -m pip install --quiet --require-hashes --no-deps -r requirements-pyodide-build.txt
  echo "$twant" > "$tstamp"
fi

# npm: exactly what the committed lock file says.
nstamp=node_modules/.setup-stamp
nwant=$(cat package-lock.json | sha256sum | cut -c1-16)
if [ ! -f "$nstamp" ] || [ "$(cat "$nstamp")" != "$nwant" ]; then
  say "npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$nwant" > "$nstamp"
fi

# System packages: Chromium for browser tests, Java for the W3C Nu checker, nginx (with Debian's brotli
# module) as the real static host the tests also serve the site from (deploy/nginx.conf).
# SETUP_SYSTEM_PACKAGES=0 skips them where only the site is built (.github/workflows/pages.yml).
missing=()
if [ "${SETUP_SYSTEM_PACKAGES:-1}" = 0 ]; then
  say "Debian packages skipped (SETUP_SYSTEM_PACKAGES=0)"
else
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -f /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] || missing+=(libnginx-mod-http-brotli-filter)
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v unshare >/dev/null || missing+=(util-linux)
fi
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
