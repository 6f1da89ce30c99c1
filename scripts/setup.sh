#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: Python envs in .venv/ (dev tools, newest Python >= 3.12) and
# .venv/py311/ (the engine's tests on 3.11), npm packages from the lock file, Debian's Chromium,
# nginx and a Java runtime when missing. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# Python: the dev tooling (site build, tests, pyodide-build, which needs >= 3.12) on the newest
# Python >= 3.12 found; the engine's own tests also on 3.11, the oldest Python it supports.
# Looked for on PATH and under pyenv; $PYTHON and $PYTHON311 choose instead. No silent skip.
python_minor() { "$1" -c 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])' 2>/dev/null; }
find_python() {  # the newest Python whose minor version lies in [$1, $2], as a path
  local candidate version best="" best_version=0
  for candidate in python3.14 python3.13 python3.12 python3.11 python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    version=$(python_minor "$candidate") || continue
    if [ "$version" -ge "$1" ] && [ "$version" -le "$2" ] && [ "$version" -gt "$best_version" ]; then
      best=$(command -v "$candidate") best_version=$version
    fi
  done
  [ -n "$best" ] && echo "$best"
}
PYTHON=${PYTHON:-$(find_python 312 399 || true)}
PYTHON311=${PYTHON311:-$(find_python 311 311 || true)}
if [ -z "$PYTHON" ] || [ "$(python_minor "$PYTHON" || echo 0)" -lt 312 ]; then
  echo "setup: the dev tools need Python >= 3.12 (pyodide-build does) and none was found on PATH or under pyenv;" \
    "install one or set PYTHON" >&2
  exit 1
fi
if [ -z "$PYTHON311" ] || [ "$(python_minor "$PYTHON311" || echo 0)" -ne 311 ]; then
  echo "setup: the engine's tests also run on Python 3.11 and none was found on PATH or under pyenv;" \
    "install one or set PYTHON311" >&2
  exit 1
fi

# Rebuilt only when the requirements, the project metadata or the interpreter change.
python_env() {  # folder, interpreter, requirements file, stamp inputs...
  local env=$1 python=$2 requirements=$3 stamp=$1/.setup-stamp want
  shift 3
  want=$( (cat "$requirements" "$@"; "$python" -VV) | sha256sum | cut -c1-16)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  say "Python environment in $env/ on $("$python" -V)"
  if [ -x "$env/bin/python" ] && [ "$("$env/bin/python" -VV)" != "$("$python" -VV)" ]; then
    rm -rf "$env"  # made by another interpreter
  fi
  [ -x "$env/bin/python" ] || "$python" -m venv "$env"
  # --no-compile: modules are compiled when first imported (and cached), not all of them up front; that
  # halved the set-up time of the dev environment on a 2-core machine (29 s -> 13 s).
  "$env/bin/python" -m pip install --quiet --no-compile --require-hashes -r "$requirements"
  echo "$want" > "$stamp"
}
# npm: exactly what the committed lock file says; installed while the Python environments are.
npm_packages() {
  local nstamp=node_modules/.setup-stamp nwant
  nwant=$(sha256sum < package-lock.json | cut -c1-16)
  [ -f "$nstamp" ] && [ "$(cat "$nstamp")" = "$nwant" ] && return 0
  say "npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$nwant" > "$nstamp"
}
npm_packages &
npm_setup=$!

# .venv/ made by another interpreter goes first, with the 3.11 environment inside it: then the two can
# install side by side (each pip uses about one core); the 3.11 one's failure still stops set-up.
if [ -x .venv/bin/python ] && [ "$(.venv/bin/python -VV)" != "$("$PYTHON" -VV)" ]; then
  rm -rf .venv
fi
python_env .venv/py311 "$PYTHON311" requirements-engine.txt &  # the checkout is imported from the working folder
py311_setup=$!
python_env .venv "$PYTHON" requirements-dev.txt pyproject.toml
if [ ! -f .venv/.engine-installed ] || [ pyproject.toml -nt .venv/.engine-installed ]; then
  .venv/bin/python -m pip install --quiet --no-compile --no-deps --no-build-isolation -e .
  touch .venv/.engine-installed
fi
wait "$py311_setup"
wait "$npm_setup"


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
