"""A tiny HTML scanner for the site tests: links, resource URLs, ids and text, standard library only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

FETCHING_TAGS = {"script", "img", "iframe", "source", "video", "audio", "embed", "object", "track", "input"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, dict]] = []  # (tag, url, attrs)
        self.resources: list[tuple[str, str]] = []  # (what, url) that a browser would fetch
        self.styles: list[str] = []
        self.text_parts: list[str] = []
        self.pre_blocks: list[str] = []
        self._in_style = False
        self._skip = 0
        self._pre_depth = 0
        self._pre: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if a.get("style"):
            self.styles.append(a["style"])
        if tag == "a" and "href" in a:
            self.links.append((tag, a["href"], a))
        if tag == "link" and "href" in a:
            rel = a.get("rel", "").lower().split()
            self.links.append((tag, a["href"], a))
            if "canonical" not in rel and "alternate" not in rel:  # canonical/alternate are never fetched
                self.resources.append(("link " + " ".join(rel), a["href"]))
        for attr in ("src", "data", "poster"):
            if a.get(attr) and tag in {
                "script",
                "img",
                "iframe",
                "source",
                "video",
                "audio",
                "embed",
                "object",
                "track",
            }:
                self.resources.append((tag, a[attr]))
                self.links.append((tag, a[attr], a))
        if a.get("srcset"):
            for candidate in a["srcset"].split(","):
                self.resources.append((tag + " srcset", candidate.strip().split(" ")[0]))
        if tag in {"use", "image"}:
            for key in ("href", "xlink:href"):
                if a.get(key) and not a[key].startswith("#"):
                    self.resources.append((tag, a[key]))
        if tag == "style":
            self._in_style = True
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "pre":
            self._pre_depth += 1
            self._pre = []

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
            self.pre_blocks.append("".join(self._pre))

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        if not self._skip:
            self.text_parts.append(data)
        if self._pre_depth:
            self._pre.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def css_urls(css: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in CSS_URL.finditer(css)]


def is_other_origin(url: str) -> bool:
    url = url.strip()
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) or url.lower().startswith(("http:", "https:"))
