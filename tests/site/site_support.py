"""Helpers for the site tests, imported by name (`from site_support import ...`); the fixtures are in conftest.py.

A module of its own rather than conftest.py: every test folder has a conftest.py, and which one
`import conftest` finds depends on the order pytest loaded them.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from resource_tally import CHROMIUM_PYODIDE, MKDOCS_BUILD, count

REPO_ROOT = Path(__file__).resolve().parents[2]
OFFLINE = REPO_ROOT / "scripts" / "offline.sh"  # loopback only
sys.path.insert(0, str(REPO_ROOT / "scripts"))
from chromium import EXECUTABLE as CHROMIUM  # noqa: E402, F401  (the browser fixture's)
from chromium import FLAGS as CHROMIUM_FLAGS  # noqa: E402, F401


def build_site(dest: Path, env: dict[str, str] | None = None, offline: bool = True) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` into dest (inside a loopback-only network namespace by default)."""
    if offline and not OFFLINE.is_file():
        pytest.fail(f"the offline wrapper is missing: {OFFLINE}")
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(REPO_ROOT / "mkdocs.yml"),
        "-d",
        str(dest),
    ]
    if offline:
        command = [str(OFFLINE), *command]
    count(MKDOCS_BUILD)
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(command, cwd=REPO_ROOT, env=full_env, capture_output=True, text=True, timeout=300)


def page_paths(site: Path) -> list[str]:
    """Site-relative URLs of every content page (directory URLs), home first."""
    urls = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        urls.append("" if rel == "." else rel + "/")
    return sorted(urls, key=lambda u: (u != "", u))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The one other build: a copy of the model with the strict-format rule, a label and a shared sentence
# changed, and a changed cost example. The changes touch different pages (case studies, cases index
# and reference; calculator and home), so one build serves the tests of both, each comparing its
# pages with `built_site`.
MODEL_CHANGES = [
    # the strict-format rule demands a gap the eval set cannot show yet: the case loses its fine-tune
    (
        'constrained_output = ["fails", "unsupported"], prompt_result = ["short"]',
        'constrained_output = ["fails", "unsupported"], prompt_result = ["short-unclear"]',
    ),
    # labels and shared sentences come from the model too
    ('combination = "Combination"', 'combination = "Mixed approach"'),
    ('lora_note = "Fine-tuning here means', 'lora_note = "Relabelled: fine-tuning means'),
]
CHANGED_EXAMPLE = "calls_per_month = 20_000_000\n"


def _load_serve():
    spec = importlib.util.spec_from_file_location("site_serve_script", REPO_ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _count_pyodide_boots(chromium) -> None:
    """Every context any test opens counts the pages that fetch the runtime's WebAssembly (one per boot)."""
    new_context = chromium.new_context

    def counting_context(**options):
        context = new_context(**options)
        context.on("request", lambda r: count(CHROMIUM_PYODIDE) if r.url.endswith("/pyodide.asm.wasm") else None)
        return context

    def counting_page(**options):
        page = counting_context(**options).new_page()
        page.on("close", lambda _: page.context.close())
        return page

    chromium.new_context = counting_context
    chromium.new_page = counting_page


# ---------------------------------------------------------------- pages for the in-page widgets

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


class Watched:
    """A context that records every request to another origin and every page error, for checks at teardown."""

    def __init__(self, browser, site_url: str, **options):
        # Service workers would answer requests that tests route themselves (axe); the offline test opts in.
        options.setdefault("service_workers", "block")
        self.origin = urlsplit(site_url)[:2]
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(**options)
        self.context.on("request", self._record)

    def _record(self, request) -> None:
        url = request.url
        if urlsplit(url)[:2] != self.origin and not url.startswith(("data:", "blob:")):
            self.foreign.append(url)

    def new_page(self):
        return watch(self.context.new_page(), self.errors)

    def check(self) -> None:
        """Fail on what was recorded since the last check, then start afresh."""
        foreign, errors = list(self.foreign), list(self.errors)
        self.foreign.clear()
        self.errors.clear()
        assert not foreign, f"requests to other origins: {foreign}"
        assert not errors, f"page errors: {errors}"


def watch(page, errors: list[str]):
    """Record uncaught errors and Content-Security-Policy refusals (the site may send a strict policy)."""
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return page


CEILING_S = 90.0  # generous: a Pyodide boot on a loaded 2-core machine can take tens of seconds


def wait_until(page, expression: str, arg=None, timeout: float = CEILING_S) -> None:
    """Wait until a JavaScript function of `arg` returns (or resolves to) true, re-checked every animation frame.

    The loop runs inside the page in one evaluate call, which the DevTools protocol compiles: a
    Content-Security-Policy without 'unsafe-eval' does not block it. (page.wait_for_function would
    take a promise for a truthy value, so it cannot wait on clipboard or cache reads.)
    """
    poll = f"""async (arg) => {{
      const check = {expression};
      const end = performance.now() + {timeout * 1000};
      while (!(await check(arg))) {{
        if (performance.now() > end) return false;
        await new Promise((next) => requestAnimationFrame(next));
      }}
      return true;
    }}"""
    if not page.evaluate(poll, arg):
        pytest.fail(f"timed out after {timeout} s waiting for {expression} ({arg!r})")


def set_fragment(page, fragment: str) -> None:
    """Set the page's address fragment as a link followed on the open page would. Returns once the page's own
    hashchange listener (registered before this one) has run, so a request it started already shows as
    aria-busy; at once when the address does not change."""
    page.evaluate(
        """async (fragment) => {
          const before = location.href;  // not location.hash, which reads "" both without a fragment and for "#"
          const changed = new Promise((resolve) => addEventListener("hashchange", resolve, { once: true }));
          location.hash = fragment;
          if (location.href !== before) await changed;
        }""",
        fragment,
    )


def settle(page) -> None:
    """Wait until the page's event loop is idle: whatever the last change queued (load/error events of new
    elements, follow-up tasks) has run. A condition, not a guessed delay."""
    page.evaluate("() => new Promise((done) => requestIdleCallback(() => done(), { timeout: 60000 }))")


# How a test's wrapper around the site's worker (served in its place through Playwright's routing) starts
# the real one. The page asks while the engine starts, so a request can arrive before the real worker's
# module has run and added its listener: such requests are kept and handed to it once it has. (The real
# worker adds its listener before any await, so it never misses one.)
LOAD_REAL_WORKER = """
const early = [];
const keep = (event) => early.push(event.data);
self.addEventListener("message", keep);
await import("./engine-worker.mjs?real");
self.removeEventListener("message", keep);
for (const data of early) self.dispatchEvent(new MessageEvent("message", { data }));
"""
