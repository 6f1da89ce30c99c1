"""Headless Chromium against the built site on 127.0.0.1 (scripts/serve.py, and nginx for one scheme): same-origin
only, both schemes, no-JS use."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_support import page_paths

pytestmark = [pytest.mark.browser, pytest.mark.site]
SHOTS = Path(os.environ.get("SITE_SHOTS_DIR", "/tmp/shots"))


def _same_origin(url: str, base: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlsplit(url)[:2] == urlsplit(base)[:2]


# Each colour scheme once, each host once: every page on both hosts, in both schemes.
@pytest.mark.parametrize(("scheme", "host"), [("light", "local"), ("dark", "nginx")])
def test_every_page_loads_same_origin_only(request, browser, built_site, scheme, host):
    site_url = request.getfixturevalue("site_url" if host == "local" else "nginx_url")
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    foreign, failed, errors = [], [], []
    context.on("request", lambda r: None if _same_origin(r.url, site_url) else foreign.append(r.url))
    # ERR_ABORTED is the browser cancelling a page's pending fetches when the test navigates on.
    context.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "") else failed.append(r.url))
    context.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    urls = page_paths(built_site)
    assert len(urls) >= 16
    for url in urls:
        response = page.goto(site_url + url, wait_until="load")
        assert response is not None and response.ok, url
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected, url
        assert page.locator("article h1").first.is_visible(), url
    context.close()
    assert not foreign, f"requests to other origins: {foreign}"
    assert not failed, f"failed requests: {failed}"
    assert not errors, f"page errors: {errors}"


def test_pages_work_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "questionnaire/")
    fieldsets = page.locator("fieldset[data-question]")
    assert fieldsets.count() >= 7
    # Playwright's script switch does not make Chromium render <noscript>, so check it is in the page,
    # and that the "engine is loading" line (which no script will ever replace) is hidden.
    assert "JavaScript is switched off" in page.locator("#decision-result noscript").inner_html()
    assert page.locator("#decision-result").is_visible()
    assert not page.locator("[data-engine-state=loading]").is_visible()
    first = page.locator("fieldset[data-question] input[type=radio]").first
    first.focus()
    page.keyboard.press("ArrowDown")
    checked = page.locator("fieldset[data-question]").first.locator("input:checked")
    assert checked.count() == 1 and checked.get_attribute("value") != first.get_attribute("value")
    page.keyboard.press("Space")
    assert checked.count() == 1
    page.goto(site_url + "reference/")
    assert page.locator("svg.dq-flow").is_visible()
    box = page.locator("svg.dq-flow").bounding_box()
    assert box and box["height"] > 300
    page.goto(site_url + "cases/strict-format/")
    assert page.locator("aside.dq-verdict").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(browser, site_url, scheme):
    """Home, one case study and the reference page, for a human to look at (saved in SITE_SHOTS_DIR)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    backgrounds = set()
    for name, url in (("home", ""), ("case-strict-format", "cases/strict-format/"), ("reference", "reference/")):
        page.goto(site_url + url)
        path = SHOTS / f"{name}-{scheme}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 20_000
        backgrounds.add(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    context.close()
    assert len(backgrounds) == 1, backgrounds
    channels = [int(c) for c in backgrounds.pop().strip("rgba()").split(",")[:3]]
    assert all(c < 80 for c in channels) if scheme == "dark" else all(c > 200 for c in channels), channels
