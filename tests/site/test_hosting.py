"""What a static host must send (README, "Building and publishing the guide"), checked over HTTP against
each host the tests run: scripts/serve.py and Debian's nginx with the committed deploy/nginx.conf."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from site_support import REPO_ROOT

pytestmark = [pytest.mark.site]

# Every kind of file the build writes, and the type a host must send for it. A new kind fails the
# test below until it is added here, to deploy/nginx.conf's `types` and to scripts/serve.py.
TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".toml": "application/toml",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain",
}
NOT_SERVED = {"_headers"}  # the header file for hosts that read one
IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_ADDRESSED = re.compile(r"^assets/engine/[0-9a-f]{16}/|\.[0-9a-f]{8}\.min\.(?:js|css)$")


def fetch(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def shipped(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name not in NOT_SERVED)


def test_every_file_has_its_type_and_cache_header(host_url: str, built_site: Path):
    files = shipped(built_site)
    unknown = sorted({Path(f).suffix for f in files} - set(TYPES))
    assert not unknown, f"the build ships {unknown}: add a type to TYPES, deploy/nginx.conf and scripts/serve.py"
    forever = [f for f in files if CONTENT_ADDRESSED.search(f)]
    assert any(f.endswith(".whl") for f in forever) and any(f.endswith(".min.js") for f in forever), forever
    wrong = []
    for rel in [*files, "", "questionnaire/"]:  # and pages by their folder URL, as links name them
        status, headers, _ = fetch(host_url + rel, "HEAD")
        want_type = TYPES[Path(rel).suffix or ".html"]
        want_cache = IMMUTABLE if CONTENT_ADDRESSED.search(rel) else "no-cache"
        got = (status, headers.get("content-type"), headers.get("cache-control"))
        if got != (200, want_type, want_cache):
            wrong.append(f"{rel or '/'}: got {got}, want {(200, want_type, want_cache)}")
    assert not wrong, "\n".join(wrong)


def test_nginx_sends_the_build_policy_on_every_response(nginx_url: str, built_site: Path):
    from test_csp import header_policy

    policy = header_policy(built_site)
    for rel in ["", "assets/js/engine-worker.mjs", "sw.js", "pyodide/pyodide.asm.wasm", "no-such-page/", "_headers"]:
        status, headers, _ = fetch(nginx_url + rel)
        assert headers.get("content-security-policy") == policy, f"{rel or '/'} ({status})"
    assert fetch(nginx_url + "no-such-page/")[0] == 404 and fetch(nginx_url + "_headers")[0] == 404


@pytest.mark.parametrize("rel", ["", "pyodide/pyodide.asm.wasm", "assets/js/engine-worker.mjs", "assets/engine.json"])
def test_nginx_compresses_text_and_webassembly(nginx_url: str, built_site: Path, rel: str):
    source = built_site / (rel or "index.html")
    status, headers, body = fetch(nginx_url + rel, **{"Accept-Encoding": "gzip"})
    assert (status, headers.get("content-encoding")) == (200, "gzip"), headers
    assert "Accept-Encoding" in headers.get("vary", "")
    assert gzip.decompress(body) == source.read_bytes()
    status, headers, body = fetch(nginx_url + rel, **{"Accept-Encoding": "br"})  # Debian's brotli module
    assert (status, headers.get("content-encoding")) == (200, "br") and len(body) < source.stat().st_size
    status, headers, body = fetch(nginx_url + rel)  # a client that accepts no encoding gets the file itself
    assert "content-encoding" not in headers and body == source.read_bytes()


def test_the_readme_sends_nginx_users_to_the_committed_config():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "deploy/nginx.conf" in readme and "make serve-nginx" in readme
