"""Offline after the first visit: the service worker keeps the site and the Python runtime (on each host)."""

from __future__ import annotations

import json
import re

import pytest
from site_support import Watched, wait_until

from decision import default_model

pytestmark = [pytest.mark.browser, pytest.mark.site]
READY = '[data-engine-state="ready"]'


def test_the_service_worker_lists_every_built_file_under_a_build_named_cache(built_site):
    text = (built_site / "sw.js").read_text(encoding="utf-8")
    build = json.loads(re.search(r"const BUILD = (\"[0-9a-f]{16}\");", text).group(1))
    urls = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", text, re.S).group(1))
    assert "./" in urls and "./questionnaire/" in urls and "./pyodide/pyodide.asm.wasm" in urls
    assert any(u.endswith(".whl") for u in urls) and "./assets/engine.json" in urls
    for url in urls:
        path = built_site / url.removeprefix("./")
        assert (path / "index.html").is_file() if url.endswith("/") else path.is_file(), url
    assert len(build) == 16


def test_a_second_visit_works_with_the_network_gone(browser, host_url):
    watched = Watched(browser, host_url, service_workers="allow")
    context, page = watched.context, watched.new_page()
    page.goto(host_url + "questionnaire/")
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    # Wait until the service worker controls the page and has filled its cache.
    wait_until(page, "() => navigator.serviceWorker.controller !== null", timeout=90)
    wait_until(
        page,
        "() => caches.keys().then(k => Promise.all(k.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.some(l => l.some(r => r.url.endsWith('pyodide.asm.wasm'))))",
        timeout=90,
    )
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    case = next(c for c in default_model().cases if c.id == "strict-format")
    for qid, value in case.answers.items():
        page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').check()
    page.wait_for_selector(f'#decision-result [data-approach="{case.documented_approach}"]', state="attached")
    # Another page, never opened before, also comes from the cache.
    page.goto(host_url + "cases/custom-dsl/")
    assert page.locator("article h1").first.is_visible()
    context.set_offline(False)
    context.close()
    watched.check()
