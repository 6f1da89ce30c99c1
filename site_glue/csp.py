"""MkDocs hook: a Content Security Policy for every page, with no 'unsafe-inline' for scripts.

The step `ContentSecurityPolicy`, run by site_glue/hooks.py after every other plugin has
edited the HTML (its priority is below MkDocs' "last", -100). Material's templates put a few small scripts inline
(the storage scope, the palette restore, linked content tabs, the anchor target); they are
identical on every page. Instead of allowing inline code wholesale, this hook reads the
final HTML of each page, hashes each inline script a browser would run (a JSON data block
such as `<script id="__config" type="application/json">` is not run, so it needs no hash)
and puts a `<meta http-equiv="Content-Security-Policy">` tag right after `<meta charset>`,
before the first script, listing exactly those hashes.

After the build it writes `_headers` at the site root (the format Netlify and Cloudflare
Pages read) with the same policy as an HTTP header plus `frame-ancestors`, which a meta tag
cannot carry. README ("Content Security Policy") explains how to send it from other servers.

The build fails if a page has an inline event handler (`onclick=`), a `javascript:` URL or a
`style=""` attribute, which no hash can allow without 'unsafe-hashes' or 'unsafe-inline', or if
two pages run different inline scripts in their content area: instant navigation swaps in the
content of the next page and re-runs its scripts while the policy of the first page loaded still
applies, so every page has to allow the same inline code there. (The head script differs per page
only by its relative path to the site root; head scripts are not re-run on navigation.)
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.csp")

# MIME types (and the empty / module types) that make a <script> element run code.
JS_TYPES = {
    "",
    "module",
    "text/javascript",
    "application/javascript",
    "application/ecmascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
}

# Fixed part of the policy. Scripts: same origin, WebAssembly compilation for Pyodide (the engine
# worker compiles pyodide.asm.wasm), and the page's own inline-script hashes added per page.
# Styles: stylesheets from the site itself only; no <style> element and no style="" attribute (the
# build refuses one; scripts still set styles through the CSSOM, which CSP does not restrict).
# Images: same origin plus data: (Material's CSS icons).
DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Only honoured when sent as an HTTP header (a meta tag cannot restrict framing).
HEADER_ONLY = (("frame-ancestors", "'none'"),)
HEADERS_FILE = "_headers"


class _InlineCode(HTMLParser):
    """Collects the text of each inline script that would run, and inline handlers, javascript: URLs and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.content_scripts: list[str] = []  # those after the start of Material's content container
        self.handlers: list[str] = []
        self._current: list[str] | None = None
        self._in_content = False

    def handle_starttag(self, tag, attrs):
        pairs = {name.lower(): value or "" for name, value in attrs}
        for name, value in pairs.items():
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            elif name == "style":
                self.handlers.append(f"<{tag} style={value[:40]!r}>")
            elif name in ("href", "src", "action", "formaction") and _is_javascript_url(value):
                self.handlers.append(f"<{tag} {name}={value[:40]!r}>")
        if pairs.get("data-md-component") == "container":
            self._in_content = True
        if tag == "script" and "src" not in pairs:
            kind = pairs.get("type", "").strip().lower().split(";")[0].strip()
            self._current = [] if kind in JS_TYPES else None

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            if self._in_content:
                self.content_scripts.append(self.scripts[-1])
            self._current = None


def _is_javascript_url(value: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.startswith("javascript:")


def script_hash(text: str) -> str:
    """The CSP source expression for an inline script's text (after HTML newline normalisation)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _scan(html: str) -> _InlineCode:
    parser = _InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def policy(hashes, header: bool = False) -> str:
    """The policy text for a page whose inline scripts have these hash sources."""
    parts = []
    for name, value in DIRECTIVES + (HEADER_ONLY if header else ()):
        if name == "script-src" and hashes:
            value = value + " " + " ".join(hashes)
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def _ordered_unique(items):
    return tuple(dict.fromkeys(items))


class PolicedPage:
    """One page with its policy: the HTML with the meta tag, the hashes it allows, those of its content area."""

    def __init__(self, html: str, where: str):
        scan = _scan(html)
        if scan.handlers:
            raise PluginError(
                f"{where}: inline event handlers, javascript: URLs and style attributes are refused by the CSP "
                "(use a class in docs/stylesheets/guide.css for a style): " + ", ".join(scan.handlers[:5])
            )
        self.hashes = _ordered_unique(script_hash(text) for text in scan.scripts)
        self.content_hashes = _ordered_unique(script_hash(text) for text in scan.content_scripts)
        tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(self.hashes)}">'
        anchor = re.search(r"<meta\s+charset=[^>]*>", html, re.I) or re.search(r"<head[^>]*>", html, re.I)
        if anchor is None:
            raise PluginError(f"{where}: no <head> to put the Content-Security-Policy meta tag in")
        first_script = html.lower().find("<script")
        if 0 <= first_script < anchor.end():
            raise PluginError(f"{where}: a script comes before <meta charset>; the policy would not cover it")
        self.html = html[: anchor.end()] + "\n    " + tag + html[anchor.end() :]


def add_policy(html: str, where: str) -> str:
    """Return html with its meta CSP tag inserted right after <meta charset> (or <head>)."""
    return PolicedPage(html, where).html


class ContentSecurityPolicy:
    """Build state: each page's script hashes (all, and those of its content area), keyed by source path."""

    def __init__(self):
        self.pages: dict[str, tuple[str, ...]] = {}
        self.content: dict[str, tuple[str, ...]] = {}

    def on_pre_build(self, config, **kwargs):
        self.pages, self.content = {}, {}

    def _police(self, html: str, where: str) -> str:
        page = PolicedPage(html, where)
        self.pages[where], self.content[where] = page.hashes, page.content_hashes
        return page.html

    @event_priority(-200)  # after every plugin that edits HTML: the hashes must match what is written
    def on_post_page(self, output, page, config, **kwargs):
        return self._police(output, page.file.src_uri)

    @event_priority(-200)  # as on_post_page, for 404.html
    def on_post_template(self, output_content, template_name, config, **kwargs):
        if template_name.endswith(".html"):  # sitemap.xml is not a document with scripts
            return self._police(output_content, template_name)
        return output_content

    @event_priority(-150)  # after every page; before the service worker (-200), which lists every file
    def on_post_build(self, config, **kwargs):
        if len(set(self.content.values())) > 1:
            by_set: dict[tuple[str, ...], list[str]] = {}
            for where, hashes in self.content.items():
                by_set.setdefault(hashes, []).append(where)
            groups = "; ".join(f"{len(v)} page(s) like {v[0]}: {len(k)} script(s)" for k, v in by_set.items())
            raise PluginError(
                "pages run different inline scripts, which breaks instant navigation under the per-page CSP "
                f"(move page-specific code into a file under browser/ or docs/): {groups}"
            )
        union = _ordered_unique(h for hashes in self.pages.values() for h in hashes)
        header = policy(union, header=True)
        text = (
            "# Written by site_glue/csp.py at build time: the HTTP headers for Netlify / Cloudflare Pages.\n"
            "/*\n"
            f"  Content-Security-Policy: {header}\n"
        )
        Path(config["site_dir"], HEADERS_FILE).write_text(text, encoding="utf-8")
        log.info(
            "Content-Security-Policy on %d pages (%d inline script hashes); header in %s",
            len(self.pages),
            len(union),
            HEADERS_FILE,
        )
