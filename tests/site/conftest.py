"""Shared fixtures for the site tests: one offline strict build per session, a local server, a browser.

Reusable by other browser tests: `built_site` (Path of the built site), `site_url` (base URL of
scripts/serve.py serving it on 127.0.0.1), `browser` (Playwright Chromium from /usr/bin/chromium),
plus the helpers `build_site()` and `page_paths()`. Only one sync Playwright can run per thread,
so other tests should reuse `browser` rather than start their own.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
OFFLINE = REPO_ROOT.parent / "shared" / "tools" / "offline"
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
        yield chromium
        chromium.close()


# ---------------------------------------------------------------- pages for the in-page widgets

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def context_factory(browser, site_url):
    """New contexts that record every request to another origin and every page error; checked at teardown."""
    foreign, errors, contexts = [], [], []
    origin = urlsplit(site_url)[:2]

    def make(**options):
        # Service workers would answer requests that tests route themselves (axe); the offline test opts in.
        options.setdefault("service_workers", "block")
        context = browser.new_context(**options)
        context.on(
            "request",
            lambda r: (
                None if urlsplit(r.url)[:2] == origin or r.url.startswith(("data:", "blob:")) else foreign.append(r.url)
            ),
        )
        contexts.append(context)
        return context

    make.errors = errors
    yield make
    for context in contexts:
        context.close()
    assert not foreign, f"requests to other origins: {foreign}"
    assert not errors, f"page errors: {errors}"


def watch(page, errors: list[str]):
    """Record uncaught errors and Content-Security-Policy refusals (the site may send a strict policy)."""
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return page


@pytest.fixture
def page(context_factory):
    return watch(context_factory().new_page(), context_factory.errors)


def wait_until(page, expression: str, arg=None, timeout: float = 15.0) -> None:
    """Poll a JavaScript function of `arg` until it returns true. Unlike page.wait_for_function this goes through
    the DevTools protocol, which a Content-Security-Policy without 'unsafe-eval' does not block."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {expression} ({arg!r})")
        page.wait_for_timeout(100)


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
