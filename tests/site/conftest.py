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
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
OFFLINE = REPO_ROOT.parent / "shared" / "tools" / "offline"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
