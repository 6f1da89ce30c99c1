"""Shared fixtures for the site tests: one offline strict build per session, a local server, a browser.

Reusable by other browser tests: `built_site` (Path of the built site), `site_url` (base URL of
scripts/serve.py serving it on 127.0.0.1), `browser` (Playwright Chromium from /usr/bin/chromium),
`variant_site` (the one other build: a changed model rule and a changed cost example, for the tests
that show the build follows its inputs), `watched_context` (a context that records foreign requests
and page errors), plus the helpers `build_site()`, `page_paths()`, `wait_until()` and `settle()`.
Only one sync Playwright can run per thread, so other tests should reuse `browser` rather than start
their own. Every page a test opens that starts the engine boots Pyodide anew (seconds on a busy
machine): tests that do not need a fresh start share one page per module and reset it instead.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from resource_tally import CHROMIUM_PYODIDE, MKDOCS_BUILD, count

REPO_ROOT = Path(__file__).resolve().parents[2]
OFFLINE = REPO_ROOT / "scripts" / "offline.sh"  # loopback only
sys.path.insert(0, str(REPO_ROOT / "scripts"))
from chromium import EXECUTABLE as CHROMIUM  # noqa: E402
from chromium import FLAGS as CHROMIUM_FLAGS  # noqa: E402


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


@pytest.fixture(scope="session")
def site_port() -> int:
    """Chosen before the build: instant navigation only follows links on the sitemap's own origin."""
    return _free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, site_port) -> Path:
    dest = tmp_path_factory.mktemp("built") / "site"
    result = build_site(dest, env={"SITE_URL": f"http://127.0.0.1:{site_port}/"})
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed offline (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return dest


# The one other build: a copy of the model with the strict-format rule, a label and a shared sentence
# changed, and a changed cost example. The changes touch different pages (case studies, cases index
# and reference; calculator and home), so one build serves the tests of both, each comparing its
# pages with `built_site`.
MODEL_CHANGES = [
    # the strict-format rule demands a training-free answer it cannot get: the case loses its fine-tune
    (
        'when = { strict_format = ["yes"], prompt_result = ["large-gap"]',
        'when = { strict_format = ["yes"], prompt_result = ["small-gap"]',
    ),
    # labels and shared sentences come from the model too
    ('combination = "Combination"', 'combination = "Mixed approach"'),
    ('lora_note = "Fine-tuning here means', 'lora_note = "Relabelled: fine-tuning means'),
]
CHANGED_EXAMPLE = "calls_per_month = 20_000_000\n"


@pytest.fixture(scope="session")
def variant_site(tmp_path_factory) -> Path:
    from site_glue.cost_macros import EXAMPLE_ENV
    from site_glue.views import MODEL_ENV

    work = tmp_path_factory.mktemp("variant")
    model = (REPO_ROOT / "decision" / "data" / "model.toml").read_text(encoding="utf-8")
    for old, new in MODEL_CHANGES:
        assert model.count(old) == 1, f"model.toml changed: update MODEL_CHANGES in tests/site/conftest.py ({old})"
        model = model.replace(old, new)
    (work / "model.toml").write_text(model, encoding="utf-8")
    (work / "example.toml").write_text(CHANGED_EXAMPLE, encoding="utf-8")
    env = {MODEL_ENV: str(work / "model.toml"), EXAMPLE_ENV: str(work / "example.toml")}
    result = build_site(work / "site", env=env)
    if result.returncode != 0:
        pytest.fail(f"the variant build failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return work / "site"


def _load_serve():
    spec = importlib.util.spec_from_file_location("site_serve_script", REPO_ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site_url(built_site, site_port):
    server = _load_serve().make_server(str(built_site), site_port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        _count_pyodide_boots(chromium)
        yield chromium
        chromium.close()


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


@pytest.fixture
def context_factory(browser, site_url):
    """New contexts that record every request to another origin and every page error; checked at teardown."""
    made: list[Watched] = []
    errors: list[str] = []

    def make(**options):
        watched = Watched(browser, site_url, **options)
        watched.errors = errors  # one list, so that `watch(page, context_factory.errors)` reports here too
        made.append(watched)
        return watched.context

    make.errors = errors
    yield make
    for watched in made:
        watched.context.close()
    for watched in made:
        watched.check()


@pytest.fixture(scope="module")
def watched_context(browser, site_url):
    """One watched context for a module's shared page; its record is checked after every test that uses it."""
    watched = Watched(browser, site_url)
    yield watched
    watched.context.close()


def watch(page, errors: list[str]):
    """Record uncaught errors and Content-Security-Policy refusals (the site may send a strict policy)."""
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return page


@pytest.fixture
def page(context_factory):
    return watch(context_factory().new_page(), context_factory.errors)


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


def settle(page) -> None:
    """Wait until the page's event loop is idle: whatever the last change queued (load/error events of new
    elements, follow-up tasks) has run. A condition, not a guessed delay."""
    page.evaluate("() => new Promise((done) => requestIdleCallback(() => done(), { timeout: 60000 }))")


@pytest.fixture
def axe():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make setup`")

    def run(page) -> list[str]:
        if not page.evaluate("typeof window.axe === 'object'"):
            # served from the page's own origin, so that a script-src 'self' policy lets it run
            url = urljoin(page.url, "/__tests__/axe.min.js")
            page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
            page.add_script_tag(url=url)
        return page.evaluate(
            "axe.run(document).then(r => r.violations.map("
            "v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
        )

    return run
