"""The Content Security Policy from site_glue/csp.py: present on every page, exact, and never in the way.

The static checks re-derive each page's inline-script hashes with their own small parser (not
the hook's), so a bug in the hook cannot hide itself. The browser checks run the home page, the
questionnaire (Pyodide in a module worker) and the calculator three times: once with the policy only
in the meta tag (a static host), once with the `_headers` policy sent as an HTTP header as well,
which also governs the worker (it fetches and compiles WebAssembly), and once from nginx with the
committed deploy/nginx.conf, which sends that header.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import importlib.util
import re
import threading
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_support import REPO_ROOT, settle, wait_until

pytestmark = [pytest.mark.site]

READY = '[data-engine-state="ready"]'
CALCULATOR_READY = '#cost-result[data-engine-state="ready"][data-result]'
RUNNABLE = {"", "module", "text/javascript", "application/javascript"}
# Recorded from the first moment of each document, before any page script runs.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


class Scan(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.policies: list[str] = []
        self.inline: list[str] = []
        self.order: list[str] = []  # "csp", "charset" and "script" in document order
        self._buffer: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(a.get("content", ""))
            self.order.append("csp")
        elif tag == "meta" and "charset" in a:
            self.order.append("charset")
        elif tag == "script":
            self.order.append("script")
            if "src" not in a and a.get("type", "").lower() in RUNNABLE:
                self._buffer = []

    def handle_data(self, data):
        if self._buffer is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._buffer is not None:
            self.inline.append("".join(self._buffer))
            self._buffer = None


def directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            assert words[0] not in found, f"directive {words[0]} given twice in {policy}"
            found[words[0]] = words[1:]
    return found


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 17, "expected every guide page plus 404.html"
    return pages


def header_policy(site: Path) -> str:
    text = (site / "_headers").read_text(encoding="utf-8")
    found = re.search(r"^/\*\n\s+Content-Security-Policy: (.+)$", text, re.M)
    assert found, f"_headers has no Content-Security-Policy rule for /*:\n{text}"
    return found.group(1).strip()


def check_strict(policy: str, where: str) -> dict[str, list[str]]:
    d = directives(policy)
    scripts = d.get("script-src")
    assert scripts, f"{where}: no script-src"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, f"{where}: {scripts}"
    assert "'self'" in scripts and "'wasm-unsafe-eval'" in scripts, f"{where}: {scripts}"
    for name, values in d.items():
        for value in values:
            assert "*" not in value, f"{where}: wildcard in {name}"
            assert value not in ("http:", "https:", "blob:", "'unsafe-hashes'"), f"{where}: {name} allows {value}"
            assert value != "'unsafe-inline'", f"{where}: {name} allows 'unsafe-inline'"
    assert d["default-src"] == ["'self'"]
    assert d["style-src"] == ["'self'"] and "style-src-attr" not in d, "no inline style, element or attribute"
    assert d["connect-src"] == ["'self'"]
    assert d["img-src"] == ["'self'", "data:"]
    assert d["worker-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'self'"]
    assert d["form-action"] == ["'self'"]
    return d


def test_every_page_has_its_exact_policy_first(built_site: Path):
    for html in html_pages(built_site):
        where = html.relative_to(built_site).as_posix()
        scan = Scan(html.read_text(encoding="utf-8"))
        assert len(scan.policies) == 1, f"{where}: {len(scan.policies)} CSP meta tags"
        assert scan.order[:2] == ["charset", "csp"], f"{where}: the policy must follow <meta charset>: {scan.order}"
        d = check_strict(scan.policies[0], where)
        hashes = [v for v in d["script-src"] if v.startswith("'sha256-")]
        expected = {sha256_source(text) for text in scan.inline}
        assert len(scan.inline) >= 3, f"{where}: Material's inline scripts went missing; is the scan broken?"
        assert set(hashes) == expected, f"{where}: listed {sorted(hashes)}, page runs {sorted(expected)}"
        assert len(hashes) == len(set(hashes))


def test_no_inline_handlers_styles_or_javascript_urls(built_site: Path):
    handler = re.compile(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", re.S)
    js_url = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
    style = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S | re.I)
    for html in html_pages(built_site):
        text = html.read_text(encoding="utf-8")
        assert not handler.search(text), f"{html}: inline event handler {handler.search(text).group(1)}"
        assert not js_url.search(text), f"{html}: javascript: URL"
        assert not style.search(text), f"{html}: style attribute {style.search(text).group(0)[-60:]}"


@pytest.mark.parametrize(
    "markup",
    ['<p style="color:red">x</p>', '<a href=" javascript:alert(1)">x</a>', '<img src="a.png" onerror="x()">'],
)
def test_the_build_refuses_what_the_policy_would_block(markup):
    from mkdocs.exceptions import PluginError

    from site_glue.csp import add_policy

    page = f'<html><head><meta charset="utf-8"></head><body>{markup}</body></html>'
    with pytest.raises(PluginError, match="refused by the CSP"):
        add_policy(page, "probe.html")
    assert "Content-Security-Policy" in add_policy(page.replace(markup, "<p>x</p>"), "probe.html")


def test_header_policy_covers_every_page_and_is_documented_and_in_the_nginx_config(built_site: Path):
    header = header_policy(built_site)
    d = check_strict(header, "_headers")
    assert d["frame-ancestors"] == ["'none'"]
    listed = set(d["script-src"])
    for html in html_pages(built_site):
        for text in Scan(html.read_text(encoding="utf-8")).inline:
            assert sha256_source(text) in listed, f"{html}: an inline script is missing from the header policy"
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert header in readme, "README's Content Security Policy section is out of date: copy the line from site/_headers"
    nginx = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert f'set $csp "{header}";' in nginx, "deploy/nginx.conf's policy is out of date: copy it from site/_headers"


def _serve_with_header(root: Path, policy: str) -> http.server.ThreadingHTTPServer:
    spec = importlib.util.spec_from_file_location("csp_serve", REPO_ROOT / "scripts" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)

    class WithPolicy(serve.Handler):
        quiet = True

        def end_headers(self):
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(WithPolicy, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(params=["meta", "header", "nginx"])
def base_url(request, built_site, site_url):
    if request.param == "meta":
        yield site_url
        return
    if request.param == "nginx":  # deploy/nginx.conf sends the policy as a header on every response
        yield request.getfixturevalue("nginx_url")
        return
    server = _serve_with_header(built_site, header_policy(built_site))
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_pages_and_engine_run_without_a_single_violation(browser, base_url, site_url):
    context = browser.new_context()
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console, errors, seen = [], [], []
    # Worker violations reach the console only; the page's event listener does not see them.
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def collect(label: str) -> None:
        seen.extend(f"{label}: {v}" for v in page.evaluate("window.__cspViolations || []"))

    page.goto(base_url, wait_until="load")
    settle(page)  # whatever the page's scripts queued has run, and with it any violation report
    collect("home")

    # Instant navigation re-runs the next page's inline scripts under the first page's policy. It only
    # works on the origin the build's sitemap names, which is the meta-only server.
    page.evaluate("window.__samePage = true")
    page.locator("a.md-nav__link[href$='guide/']").first.click()
    page.wait_for_url("**/guide/")
    page.wait_for_selector("article h1")
    if base_url == site_url:
        assert page.evaluate("window.__samePage === true"), "the click did not use instant navigation"
    collect("instant navigation to guide")

    page.goto(base_url + "questionnaire/")
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    page.locator("fieldset[data-question] input[type=radio]").first.check()
    page.wait_for_selector("#decision-result [data-approach]", state="attached", timeout=15_000)
    collect("questionnaire")

    page.goto(base_url + "calculator/")
    page.wait_for_selector(CALCULATOR_READY, state="attached", timeout=90_000)
    page.wait_for_selector("#cost-result .cost-verdict", state="attached")
    collect("calculator")
    context.close()

    assert not seen, "CSP violations:\n" + "\n".join(seen)
    assert not console, "CSP messages on the console:\n" + "\n".join(console)
    assert not errors, f"page errors: {errors}"


@pytest.mark.browser
def test_the_watch_catches_a_violation(browser, site_url):
    """The listener and the console filter really see a blocked inline script (guards the test above)."""
    context = browser.new_context()
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site_url, wait_until="load")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.append(s); }"
    )
    wait_until(page, "() => window.__cspViolations.length > 0")
    settle(page)
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__cspViolations.length") == 1
    assert console, "the blocked script left no console message"
    context.close()
