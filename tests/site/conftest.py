"""Shared fixtures for the site tests: one offline strict build per session, a local server, a browser.

Reusable by other browser tests: `built_site` (Path of the built site), `site_url` (base URL of
scripts/serve.py serving it on 127.0.0.1), `browser` (Playwright Chromium from /usr/bin/chromium),
`nginx_url` (the same site served by Debian's nginx with deploy/nginx.conf), `host_url` (each of
those two in turn, for the tests about hosting), `variant_site` (the one other build: a changed model
rule and a changed cost example, for the tests that show the build follows its inputs),
`watched_context` (a context that records foreign requests and page errors). The helpers
(`build_site()`, `page_paths()`, `wait_until()`, `settle()`, `watch()`) are in site_support.py.
Only one sync Playwright can run per thread, so other tests should reuse `browser` rather than start
their own. Every page a test opens that starts the engine boots Pyodide anew (seconds on a busy
machine): tests that do not need a fresh start share one page per module and reset it instead.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest
from site_support import (  # noqa: F401  (also importable from here, as before)
    AXE,
    CEILING_S,
    CHANGED_EXAMPLE,
    CHROMIUM,
    CHROMIUM_FLAGS,
    MODEL_CHANGES,
    OFFLINE,
    REPO_ROOT,
    Watched,
    _count_pyodide_boots,
    _free_port,
    _load_serve,
    build_site,
    page_paths,
    settle,
    wait_until,
    watch,
)


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


@pytest.fixture(scope="session")
def variant_site(tmp_path_factory) -> Path:
    from site_glue.cost_macros import EXAMPLE_ENV
    from site_glue.views import MODEL_ENV

    work = tmp_path_factory.mktemp("variant")
    model = (REPO_ROOT / "decision" / "data" / "model.toml").read_text(encoding="utf-8")
    for old, new in MODEL_CHANGES:
        assert model.count(old) == 1, f"model.toml changed: update MODEL_CHANGES in tests/site/site_support.py ({old})"
        model = model.replace(old, new)
    (work / "model.toml").write_text(model, encoding="utf-8")
    (work / "example.toml").write_text(CHANGED_EXAMPLE, encoding="utf-8")
    env = {MODEL_ENV: str(work / "model.toml"), EXAMPLE_ENV: str(work / "example.toml")}
    result = build_site(work / "site", env=env)
    if result.returncode != 0:
        pytest.fail(f"the variant build failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return work / "site"


@pytest.fixture(scope="session")
def site_url(built_site, site_port):
    server = _load_serve().make_server(str(built_site), site_port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def nginx_url(built_site, tmp_path_factory):
    """The same build served by Debian's nginx with the committed deploy/nginx.conf; one per session."""
    import nginx_host

    port = _free_port()
    try:
        process = nginx_host.start(built_site, port, tmp_path_factory.mktemp("nginx"))
    except RuntimeError as error:
        pytest.fail(str(error))
    yield f"http://127.0.0.1:{port}/"
    nginx_host.stop(process)


@pytest.fixture(params=["local", "nginx"])
def host_url(request):
    """The built site on each host the tests check: scripts/serve.py (`site_url`) and nginx (`nginx_url`).
    Only the tests about hosting use it (headers, types, the service worker, offline, the policy)."""
    return request.getfixturevalue("site_url" if request.param == "local" else "nginx_url")


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


@pytest.fixture
def page(context_factory):
    return watch(context_factory().new_page(), context_factory.errors)


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
