"""Sources as data: load and check docs/sources/*.toml, render citations, per-page and full source lists.

Pure: reads TOML files and returns strings; MkDocs is not imported. The macros wrap these
functions (see `Citations`), and the build calls `Citations.check_all_used()` when it ends, so a
cited id that does not exist, or an entry that no page cites, stops the build.

Schema of every file (one file per topic; ids unique across files):

    topic = "heading for this file's group on the Evidence page"      # optional
    [[sources]]
    id = "slug"                 # ^[a-z0-9][a-z0-9-]*$
    title, authors, venue       # non-empty strings
    year = 2024                 # int
    url = "https://..."         # http(s) only
    checked = 2026-11-30        # TOML date: when we read the source and checked its figures
    claims = [{ text = "...", figure = "..." }]   # at least one; figure optional
    note = "..."                # optional

A source with no public address (the practitioner's essay we were given as text) leaves out
`url` and `year` and must say why in `note`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from site_glue.views import current_page_url, rel

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TOP_KEYS = {"sources": "required", "topic": "optional"}
REQUIRED = ("id", "title", "authors", "venue", "year", "url", "checked", "claims")
OPTIONAL = ("note",)
UNPUBLISHED_MAY_OMIT = ("year", "url")  # only together with a note that says why
CLAIM_REQUIRED = ("text",)
CLAIM_OPTIONAL = ("figure",)
# Plain characters only in a URL: no spaces, quotes or angle brackets that could break out of an attribute.
URL_FORBIDDEN = re.compile(r"[\s\"'<>\\`]")


class SourceError(ValueError):
    """A sources file is malformed, or a page cites an id that no file defines."""


@dataclass(frozen=True)
class Claim:
    text: str
    figure: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    authors: str
    venue: str
    year: int | None
    url: str | None
    checked: dt.date
    claims: tuple[Claim, ...]
    note: str | None
    file: str  # the file's name, for error messages and grouping

    @property
    def label(self) -> str:
        """Short in-text label: 'Ovadia et al. 2023', 'OpenAI 2026'."""
        people = [p.strip() for p in re.sub(r"\s*\(.*?\)", "", self.authors).split(",") if p.strip()]
        first = people[0] if people else self.authors
        if len(people) > 1:
            first = first.split()[-1] + " et al."
        return f"{first} {self.year}" if self.year is not None else first


@dataclass
class Catalogue:
    """Every source, in file order then entry order; `topics` maps a file name to its heading."""

    sources: dict[str, Source] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)

    def get(self, source_id: str) -> Source:
        if source_id not in self.sources:
            known = ", ".join(sorted(self.sources)) or "none"
            raise SourceError(f"unknown source id {source_id!r}; known ids: {known}")
        return self.sources[source_id]


# ---------------------------------------------------------------- loading and checking


def _where(name: str, index: int, entry: dict) -> str:
    ident = entry.get("id")
    return f"{name}: sources[{index}]" + (f" (id {ident!r})" if isinstance(ident, str) else "")


def _text(value, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourceError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def check_url(value, where: str) -> str:
    if not isinstance(value, str):
        raise SourceError(f"{where}: 'url' must be a string starting with https:// or http://")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or URL_FORBIDDEN.search(value):
        raise SourceError(
            f"{where}: 'url' {value!r} is not allowed; use an http(s) address with a host and no spaces or quotes"
        )
    return value


def _claims(value, where: str) -> tuple[Claim, ...]:
    if not isinstance(value, list) or not value:
        raise SourceError(f"{where}: 'claims' must be a non-empty array of {{ text, figure }} tables")
    claims = []
    for n, claim in enumerate(value):
        here = f"{where}: claims[{n}]"
        if not isinstance(claim, dict):
            raise SourceError(f"{here} must be a table with 'text' and optional 'figure'")
        unknown = sorted(set(claim) - set(CLAIM_REQUIRED) - set(CLAIM_OPTIONAL))
        if unknown:
            raise SourceError(f"{here}: unknown key {unknown[0]!r}; allowed: text, figure")
        if "text" not in claim:
            raise SourceError(f"{here}: missing 'text'")
        figure = _text(claim["figure"], here, "figure") if "figure" in claim else None
        claims.append(Claim(_text(claim["text"], here, "text"), figure))
    return tuple(claims)


def parse_entry(entry, name: str, index: int) -> Source:
    if not isinstance(entry, dict):
        raise SourceError(f"{name}: sources[{index}] must be a table")
    where = _where(name, index, entry)
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise SourceError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(REQUIRED + OPTIONAL)}")
    note = _text(entry["note"], where, "note") if "note" in entry else None
    for key in REQUIRED:
        if key not in entry and not (key in UNPUBLISHED_MAY_OMIT and note):
            hint = " (a source with no public address may leave it out if 'note' says why)" if key == "url" else ""
            raise SourceError(f"{where}: missing {key!r}{hint}")
    ident = _text(entry["id"], where, "id")
    if not SLUG.match(ident):
        raise SourceError(f"{where}: 'id' {ident!r} must be a slug: lower-case letters, digits and hyphens")
    year = entry.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999):
        raise SourceError(f"{where}: 'year' must be a four-digit integer, not {year!r}")
    checked = entry["checked"]
    if isinstance(checked, dt.datetime) or not isinstance(checked, dt.date):
        raise SourceError(f"{where}: 'checked' must be a TOML date such as 2026-11-30 (no quotes, no time)")
    return Source(
        id=ident,
        title=_text(entry["title"], where, "title"),
        authors=_text(entry["authors"], where, "authors"),
        venue=_text(entry["venue"], where, "venue"),
        year=year,
        url=check_url(entry["url"], where) if "url" in entry else None,
        checked=checked,
        claims=_claims(entry["claims"], where),
        note=note,
        file=name,
    )


def parse_file(text: str, name: str) -> tuple[str | None, list[Source]]:
    """(topic, sources) of one file's text; `name` appears in every error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourceError(f"{name}: not valid TOML: {error}") from None
    unknown = sorted(set(data) - set(TOP_KEYS))
    if unknown:
        raise SourceError(f"{name}: unknown top-level key {unknown[0]!r}; allowed: sources, topic")
    if not isinstance(data.get("sources"), list) or not data["sources"]:
        raise SourceError(f"{name}: needs at least one [[sources]] entry")
    topic = _text(data["topic"], name, "topic") if "topic" in data else None
    return topic, [parse_entry(entry, name, n) for n, entry in enumerate(data["sources"])]


def load_catalogue(directory: Path) -> Catalogue:
    """Every docs/sources/*.toml, sorted by file name; duplicate ids across files are an error."""
    files = sorted(Path(directory).glob("*.toml"))
    if not files:
        raise SourceError(f"no sources files (*.toml) in {directory}")
    catalogue = Catalogue()
    for path in files:
        topic, sources = parse_file(path.read_text(encoding="utf-8"), path.name)
        catalogue.topics[path.name] = topic or path.stem.replace("-", " ").capitalize()
        for source in sources:
            if source.id in catalogue.sources:
                first = catalogue.sources[source.id].file
                raise SourceError(f"{path.name}: duplicate source id {source.id!r} (already defined in {first})")
            catalogue.sources[source.id] = source
    return catalogue


# ---------------------------------------------------------------- rendering


def _link(source: Source, text: str, evidence_href: str) -> str:
    href = source.url or f"{evidence_href}#source-{source.id}"
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def cite_html(source: Source, evidence_href: str, text: str | None = None) -> str:
    """An inline citation. `data-source` marks the sentence around it as sourced for the figures check."""
    return (
        f'<cite class="dq-cite" data-source="{escape(source.id)}">'
        f"{_link(source, text or source.label, evidence_href)}</cite>"
    )


def _reference(source: Source, evidence_href: str) -> str:
    year = f" ({source.year})" if source.year is not None else " (undated)"
    return (
        f"{escape(source.authors)}{year}. {_link(source, source.title, evidence_href)}. "
        f"<em>{escape(source.venue)}</em>. Checked {source.checked.isoformat()}."
    )


def sources_list(sources: list[Source], evidence_href: str) -> str:
    """The "Sources" section at the foot of a page: a Markdown heading and an HTML list."""
    if not sources:
        return ""
    items = "".join(
        f'<li data-source="{escape(s.id)}">{_reference(s, evidence_href)}</li>'
        for s in sorted(sources, key=lambda s: s.label.lower())
    )
    return f'## Sources\n\n<ol class="dq-sources">{items}</ol>\n'


def evidence_list(catalogue: Catalogue, evidence_href: str = "") -> str:
    """Every source, grouped by file, with each claim and the figure it supports, as Markdown + HTML."""
    out = []
    for name, topic in catalogue.topics.items():
        group = [s for s in catalogue.sources.values() if s.file == name]
        out.append(f"### {escape(topic, quote=False)}\n")
        entries = []
        for s in group:
            claims = "".join(
                f"<li>{escape(c.text)}" + (f": <strong>{escape(c.figure)}</strong>" if c.figure else "") + "</li>"
                for c in s.claims
            )
            note = f'<p class="dq-source__note">{escape(s.note)}</p>' if s.note else ""
            entries.append(
                f'<li id="source-{escape(s.id)}" data-source="{escape(s.id)}" class="dq-source">'
                f"<p>{_reference(s, evidence_href)}</p>{note}"
                f'<ul class="dq-source__claims">{claims}</ul></li>'
            )
        out.append('<ol class="dq-sources dq-sources--all">' + "".join(entries) + "</ol>\n")
    return "\n".join(out)


# ---------------------------------------------------------------- one build's citations


class Citations:
    """What each page cites during one build. The macros call `cite`, `page_list` and `evidence`."""

    def __init__(self, catalogue: Catalogue, evidence_path: str = "evidence/"):
        self.catalogue = catalogue
        self.evidence_path = evidence_path  # site path of the page that lists every source
        self.by_page: dict[str, list[str]] = {}

    @classmethod
    def from_directory(cls, directory: Path, evidence_path: str = "evidence/") -> Citations:
        return cls(load_catalogue(directory), evidence_path)

    def _evidence_href(self, page_url: str) -> str:
        return "" if page_url == self.evidence_path else rel(page_url, self.evidence_path)

    def cite(self, source_id: str, page_url: str, text: str | None = None) -> str:
        source = self.catalogue.get(source_id)
        cited = self.by_page.setdefault(page_url, [])
        if source_id not in cited:
            cited.append(source_id)
        return cite_html(source, self._evidence_href(page_url), text)

    def page_list(self, page_url: str) -> str:
        """Sources cited so far on this page (call it at the page's end)."""
        ids = self.by_page.get(page_url, [])
        return sources_list([self.catalogue.sources[i] for i in ids], self._evidence_href(page_url))

    def evidence(self, page_url: str) -> str:
        """The full list; listing a source here does not count as citing it."""
        return evidence_list(self.catalogue, self._evidence_href(page_url))

    def unused(self) -> list[str]:
        cited = {i for ids in self.by_page.values() for i in ids}
        return [i for i in self.catalogue.sources if i not in cited]

    def check_all_used(self) -> None:
        """Raise SourceError naming every source no page cited (call when the build ends)."""
        unused = self.unused()
        if unused:
            where = ", ".join(f"{i} ({self.catalogue.sources[i].file})" for i in unused)
            raise SourceError(f"sources that no page cites (cite them or delete them): {where}")

    def reset(self) -> None:
        """Forget the citations (mkdocs serve rebuilds with the same object)."""
        self.by_page.clear()


def register(env, sources_dir: Path) -> Citations:
    """Define the macros cite(id, text=None), sources_list() and evidence_list() on a mkdocs-macros env.

    Returns the build's Citations; call its check_all_used() when the build ends (on_post_build).
    """
    citations = Citations.from_directory(sources_dir)

    def page_url() -> str:
        return current_page_url(env)

    @env.macro
    def cite(source_id: str, text: str | None = None) -> str:
        return citations.cite(source_id, page_url(), text)

    @env.macro
    def sources_list() -> str:
        return citations.page_list(page_url())

    @env.macro
    def evidence_list() -> str:
        return citations.evidence(page_url())

    return citations
