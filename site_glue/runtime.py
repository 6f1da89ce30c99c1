"""MkDocs hook: ship the decision engine and the vendored Pyodide runtime with the site.

The step `EngineRuntime`, run by site_glue/hooks.py. On every build (and every `mkdocs serve` rebuild) it

1. builds the engine wheel from this checkout with hatchling's PEP 517 API (offline,
   reproducible: the same sources give the same bytes, so the hash is a build id);
2. adds to the site, as MkDocs files so they are copied like any other asset:
   - `pyodide/`: the files a bare `loadPyodide()` fetches, from node_modules;
   - `pyodide/python_stdlib.reduced.zip`: only the standard-library modules the site imports
     (site_glue/stdlib.py), compiled to bytecode (site_glue/bytecode.py);
   - `assets/engine/<build id>/decision-<version>-py3-none-any.whl`: the wheel, with bytecode, under a
     content-addressed folder (hosts may cache it forever; the file name must stay a
     valid wheel name for `pyodide.loadPackage`);
   - `pyodide/pyodide-lock.json`: Pyodide's platform record and the engine wheel alone, with the sha256 of
     its final bytes, written by pyodide-build (site_glue/lockfile.py), so the worker loads the engine by
     name and Pyodide refuses a wheel that differs;
   - `assets/engine.json`: the manifest the worker reads to fetch the wheel while Pyodide boots;
   - `assets/js/` and `assets/css/`: the browser glue from `browser/` (every script and module but
     the service worker's template, and the stylesheets); `on_config` adds PAGE_SCRIPTS to every page;
3. checks after the build that every one of those files landed in the site folder.

Nothing here downloads anything. Of pyodide-build only `pyodide lockfile add-wheels` is used:
`pyodide build` needs a cross-build environment from the internet (a pure-Python wheel does not need
it) and `pyodide py-compile` writes the host's bytecode, not Pyodide's (site_glue/bytecode.py instead).
"""

from __future__ import annotations

import hashlib
import json
import logging
import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from site_glue.lockfile import write_lock
from site_glue.stdlib import shipped_stdlib

log = logging.getLogger("mkdocs.hooks.runtime")

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# What the site ships instead of Pyodide's own stdlib archive and package list: only the
# modules the engine and the runtime import (site_glue/stdlib_modules.txt), and a lock
# file that lists the engine wheel alone, with its sha256 (site_glue/lockfile.py).
SHIPPED_STDLIB = "pyodide/python_stdlib.reduced.zip"
SHIPPED_LOCK = "pyodide/pyodide-lock.json"
GLUE_FOLDERS = {".js": "assets/js/", ".mjs": "assets/js/", ".css": "assets/css/"}  # by suffix, from browser/
# Page scripts in load order: the shared runtime client first, then the widgets that use it.
PAGE_SCRIPTS = (
    "assets/js/decision-runtime.js",
    "assets/js/questionnaire.js",
    "assets/js/calculator.js",
    "assets/js/gap.js",
)
MANIFEST = "assets/engine.json"


def repo_root(config) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def build_wheel(root: Path, dest: Path) -> Path:
    """Build the engine wheel into dest with hatchling (no network, no build isolation)."""
    dest.mkdir(parents=True, exist_ok=True)
    code = "import sys, hatchling.build as b; print(b.build_wheel(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(dest)], cwd=root, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise PluginError(f"building the engine wheel failed (is hatchling installed? run make setup):\n{done.stderr}")
    wheel = dest / done.stdout.strip().splitlines()[-1]
    if not wheel.is_file() or not wheel.name.endswith("-py3-none-any.whl"):
        raise PluginError(f"the engine wheel was not where hatchling said: {wheel}")
    return wheel


def pyodide_dir(root: Path) -> Path:
    folder = root / "node_modules" / "pyodide"
    missing = [name for name in PYODIDE_FILES if not (folder / name).is_file()]
    if missing:
        raise PluginError(f"{folder} lacks {', '.join(missing)}: run `make setup` (npm ci) first")
    return folder


def runtime_files(root: Path, work: Path) -> tuple[dict[str, Path], dict]:
    """Map each site path to the file that provides it, plus the manifest's content."""
    source_wheel = build_wheel(root, work / "wheel")
    pyodide = pyodide_dir(root)
    version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    wanted: dict[str, Path] = {f"pyodide/{name}": pyodide / name for name in PYODIDE_FILES}
    del wanted["pyodide/python_stdlib.zip"]
    wanted[SHIPPED_STDLIB] = work / "python_stdlib.reduced.zip"
    wheel = work / "compiled" / source_wheel.name
    try:
        shipped_stdlib(pyodide / "python_stdlib.zip", wanted[SHIPPED_STDLIB], also=[(source_wheel, wheel, "wheel")])
    except (RuntimeError, ValueError) as error:
        raise PluginError(str(error)) from error
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    build_id = digest[:16]
    wheel_uri = f"assets/engine/{build_id}/{wheel.name}"
    wanted[wheel_uri] = wheel
    wanted[SHIPPED_LOCK] = work / "pyodide-lock.json"
    wheel_folder = posixpath.relpath(posixpath.dirname(wheel_uri), posixpath.dirname(SHIPPED_LOCK)) + "/"
    try:
        write_lock(pyodide / "pyodide-lock.json", wheel, wheel_folder, wanted[SHIPPED_LOCK])
    except (RuntimeError, ValueError) as error:
        raise PluginError(str(error)) from error
    wanted |= glue_files(root / "browser")
    manifest = {
        "build_id": build_id,
        "engine_version": wheel.name.split("-")[1],
        "wheel": wheel_uri.removeprefix("assets/"),  # relative to engine.json
        "wheel_sha256": digest,
        "pyodide_version": version,
        "runtime_bytes": sum(path.stat().st_size for uri, path in wanted.items() if uri.startswith("pyodide/")),
    }
    return wanted, manifest


SERVICE_WORKER = "sw.js"  # at the site root, so that its scope is the whole site
SERVICE_WORKER_TEMPLATE = "service-worker.js"  # in browser/
NOT_PRECACHED = (SERVICE_WORKER, "sitemap.xml.gz", "_headers")


def glue_files(browser: Path) -> dict[str, Path]:
    """Site path -> file for what the site ships from browser/ (the service worker is written by
    write_service_worker instead). Every page script must be among them."""
    shipped = {
        GLUE_FOLDERS[path.suffix] + path.name: path
        for path in sorted(browser.iterdir())
        if path.suffix in GLUE_FOLDERS and path.name != SERVICE_WORKER_TEMPLATE
    }
    missing = [uri for uri in PAGE_SCRIPTS if uri not in shipped]
    if missing:
        raise PluginError(f"page scripts missing from {browser}: {', '.join(missing)}")
    return shipped


def write_service_worker(root: Path, site: Path) -> str:
    """Fill browser/service-worker.js with this build's files and a hash of their contents."""
    digest = hashlib.sha256()
    urls = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel in NOT_PRECACHED:
            continue
        digest.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        # Pages are requested by their directory URL, so that is what the cache must hold.
        urls.append("./" + rel.removesuffix("index.html") if rel.endswith("index.html") else "./" + rel)
    build = digest.hexdigest()[:16]
    template = (root / "browser" / SERVICE_WORKER_TEMPLATE).read_text(encoding="utf-8")
    text = template.replace('"__BUILD__"', json.dumps(build)).replace("__PRECACHE__", json.dumps(urls))
    (site / SERVICE_WORKER).write_text(text, encoding="utf-8")
    return build


class EngineRuntime:
    """Build state: the temporary folder of this build and the site paths it promised."""

    def __init__(self):
        self.work: Path | None = None
        self.expected: list[str] = []

    @event_priority(-100)  # after any plugin that adds scripts: the page scripts go last, in PAGE_SCRIPTS order
    def on_config(self, config, **kwargs):
        """Load the page scripts on every page (each script mounts only where it is needed)."""
        scripts = config["extra_javascript"]
        for item in [item for item in scripts if str(item) in PAGE_SCRIPTS]:
            scripts.remove(item)
        scripts.extend(PAGE_SCRIPTS)
        return config  # print.css is linked with media="print" by overrides/main.html

    @event_priority(-50)  # late: replaces whatever another step put at the runtime's paths
    def on_files(self, files: Files, config, **kwargs) -> Files:
        self.work = Path(tempfile.mkdtemp(prefix="decision-runtime-"))
        wanted, manifest = runtime_files(repo_root(config), self.work)
        content = json.dumps(manifest, indent=2) + "\n"
        for uri in [*wanted, MANIFEST]:
            existing = files.get_file_from_path(uri)
            if existing is not None:
                files.remove(existing)
        for uri, source in wanted.items():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        files.append(File.generated(config, MANIFEST, content=content))
        self.expected = [*wanted, MANIFEST]
        log.info(
            "engine wheel %s (build %s) and Pyodide %s added",
            manifest["wheel"],
            manifest["build_id"],
            manifest["pyodide_version"],
        )
        return files

    @event_priority(-200)  # after every other step has written its files (the service worker lists them all)
    def on_post_build(self, config, **kwargs) -> None:
        site = Path(config["site_dir"])
        build = write_service_worker(repo_root(config), site)
        log.info("service worker %s: cache for build %s", SERVICE_WORKER, build)
        missing = [uri for uri in self.expected if not (site / uri).is_file()]
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
        self.work, self.expected = None, []
        if missing:
            raise PluginError(f"browser runtime files missing from {site}: {', '.join(missing)}")

    def on_serve(self, server, config, builder, **kwargs):
        root = repo_root(config)
        for folder in ("browser", "decision"):
            server.watch(str(root / folder))
        return server
