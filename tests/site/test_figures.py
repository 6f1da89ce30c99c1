"""Every figure in the guide's prose is computed at build time or sits in a sentence that cites a source.

A figure is a number in the rendered text of a page's article: a percentage, a price, a count, a date,
a multiplier, or a number word such as "thousand" or "tenfold". It passes when

- it lies inside an element with `data-computed` (the macros wrap what the engine computes), or
- its unit cites a source: the sentence for paragraphs, the whole item for list items, table rows,
  headings, labels and definition terms. A unit cites a source when it contains an inline citation
  (`<cite data-source="id">`, from the `cite` macro) or sits inside an element with `data-source`, or
- the explicit allow-list below covers it (section numbers and the like), with the reason.

Code blocks, SVG drawings and scripts are not prose and are skipped. The test writes the list of every
figure with its source ids, "computed" or the allow-list reason to figures.txt beside the built site
and prints where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

# ---------------------------------------------------------------- what counts as a figure

DATE = r"\d{4}-\d{2}-\d{2}"
NUMBER = r"[$€£]?\d[\d,]*(?:\.\d+)?"
UNIT = r"(?:\s?%|×|x\b|[kKMB]\b|\s?GB\b|\s?ms\b)?"
# A number not glued to a word or hyphen before it: "GPT-4", "CodeT5" and "gpt-4o" are names, not figures.
NUMERIC = rf"(?<![\w\-./]){DATE}|(?<![\w\-./]){NUMBER}{UNIT}(?:\s?[–-]\s?{NUMBER}{UNIT})?"
# Number words that state a quantity. One to twelve are left out on purpose: "one place", "two tools",
# "three cases" are ordinary prose, and a check that flagged them would train writers to ignore it.
WORDS = (
    r"\b(?:percent|per cent|hundreds?|thousands?|millions?|billions?|dozens?"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?"
    r"|(?:two|three|four|five|six|seven|eight|nine|ten|hundred)fold)\b"
)
FIGURE = re.compile(rf"{NUMERIC}|{WORDS}", re.IGNORECASE)

# Sentences end at . ! ? followed by space, except after these abbreviations.
ABBREVIATIONS = {"al", "e.g", "i.e", "vs", "cf", "fig", "no", "approx", "et"}
SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+")

SKIPPED_TAGS = {"pre", "code", "script", "style", "svg", "template", "kbd", "samp"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WHOLE_UNITS = {"li", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "label"}
SENTENCE_UNITS = {"p", "legend", "summary", "blockquote"}


# ---------------------------------------------------------------- the allow-list
# Each entry: (reason, test on the figure in its context). Keep it short and explain each line.


@dataclass
class Context:
    page: str
    figure: str
    unit_text: str
    unit_tag: str
    classes: set[str]  # CSS classes of every enclosing element


ALLOWED = [
    # "## 1. Curate the data": a section number, not a fact.
    (
        "section number",
        lambda c: (
            c.unit_tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and re.match(rf"{re.escape(c.figure)}\.\s", c.unit_text)
        ),
    ),
    # The questionnaire numbers its questions ("3." before each legend).
    ("question number", lambda c: "dq-number" in c.classes),
    # The rule table's first column numbers the rules in model order.
    (
        "rule number",
        lambda c: "dq-rules" in c.classes and re.fullmatch(r"\d+", c.figure) and c.unit_text.startswith(c.figure),
    ),
    # The CLI reference documents this project's own command and JSON contract (exit codes, schema
    # versions, rounding); those facts are checked by the CLI and schema tests, not by a citation.
    ("this project's own CLI and JSON contract", lambda c: c.page == "reference/cli/"),
    # "As of 2026-11-30": the day we checked a dated page, not a claim about the world.
    ("as-of date of our check", lambda c: re.fullmatch(DATE, c.figure) and f"as of {c.figure}" in c.unit_text.lower()),
    # "price per 1M tokens", "per million tokens": a unit of measure.
    ("unit of measure", lambda c: f"per {c.figure.lower()} tokens" in c.unit_text.lower()),
    # Worked-example inputs that the page labels as assumptions for the reader to replace.
    ("labelled assumption", lambda c: "dq-assumption" in c.classes),
]


def allowed_reason(context: Context) -> str | None:
    for reason, test in ALLOWED:
        if test(context):
            return reason
    return None


# ---------------------------------------------------------------- the scanner


@dataclass
class Figure:
    page: str
    figure: str
    status: str  # "source: id, id" | "computed" | "allowed: reason" | "UNSOURCED"
    context: str

    @property
    def ok(self) -> bool:
        return self.status != "UNSOURCED"


@dataclass
class _Element:
    tag: str
    classes: set[str]
    source: str | None
    computed: bool
    skipped: bool
    inline_cite: bool


@dataclass
class _Unit:
    tag: str
    inherited: set[str]
    classes: set[str]
    parts: list[tuple[str, str, set[str]]] = field(default_factory=list)  # (kind, text, classes there)


PLACEHOLDER = "\ue000"  # stands for a computed or cited stretch inside a unit's text; contains no digit


class FigureScanner(HTMLParser):
    """Collects every figure in the article of one page."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.figures: list[Figure] = []
        self.stack: list[_Element] = []
        self.units: list[_Unit] = []
        self.in_article = False
        self.article_depth = 0

    # -- parsing

    def scan(self, html: str, whole_document: bool = True) -> list[Figure]:
        self.in_article = not whole_document
        self.feed(html)
        self.close()
        while self.units:
            self._finish(self.units.pop())
        return self.figures

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        classes = set(a.get("class", "").split())
        if not self.in_article:
            starts = tag == "article" and "md-content__inner" in classes
            if starts:
                self.in_article, self.article_depth = True, len(self.stack)
            if tag not in VOID_TAGS:
                self.stack.append(_Element(tag, classes, None, False, False, False))
            return
        if tag in VOID_TAGS:
            return
        skipped = tag in SKIPPED_TAGS or "headerlink" in classes
        inline_cite = tag == "cite" and "data-source" in a
        element = _Element(tag, classes, a.get("data-source"), "data-computed" in a, skipped, inline_cite)
        if inline_cite and self.units:
            self.units[-1].parts.append(("cite", element.source, set()))
        self.stack.append(element)
        if tag in WHOLE_UNITS or tag in SENTENCE_UNITS:
            self.units.append(_Unit(tag, self._sources(), self._classes()))

    def handle_endtag(self, tag):
        if not any(e.tag == tag for e in self.stack):
            return
        while self.stack:
            element = self.stack.pop()
            if self.in_article and (element.tag in WHOLE_UNITS or element.tag in SENTENCE_UNITS) and self.units:
                self._finish(self.units.pop())
            if element.tag == "article" and len(self.stack) == self.article_depth and self.in_article:
                self.in_article = False
            if element.tag == tag:
                break

    def handle_data(self, data):
        if not self.in_article or any(e.skipped or e.inline_cite for e in self.stack):
            return
        part = ("computed" if self._computed() else "text", data, self._classes())
        if not self.units:  # text outside any block: its own unit
            self.units.append(_Unit("div", self._sources(), self._classes(), [part]))
            self._finish(self.units.pop())
            return
        self.units[-1].parts.append(part)

    def _sources(self) -> set[str]:
        return {e.source for e in self.stack if e.source and not e.inline_cite}

    def _classes(self) -> set[str]:
        return {c for e in self.stack for c in e.classes}

    def _computed(self) -> bool:
        return any(e.computed for e in self.stack)

    # -- judging a finished unit

    def _finish(self, unit: _Unit) -> None:
        text, cites, computed, classes_at = "", [], [], []
        for kind, value, classes in unit.parts:
            if kind == "text":
                classes_at.append((len(text), len(text) + len(value), classes))
                text += value
            elif kind == "cite":
                cites.append((len(text), value))
                text += PLACEHOLDER
            else:
                computed.append(value)
                text += PLACEHOLDER
        for value in computed:
            for match in FIGURE.finditer(value):
                self.figures.append(Figure(self.page, match.group(0), "computed", _squash(value)))
        plain = " ".join(text.split())
        spans = _sentences(text) if unit.tag in SENTENCE_UNITS else [(0, len(text))]
        for start, end in spans:
            sentence = text[start:end]
            sources = set(unit.inherited) | {sid for at, sid in cites if start <= at < end}
            for match in FIGURE.finditer(sentence):
                figure = match.group(0).strip()
                if sources:
                    status = "source: " + ", ".join(sorted(sources))
                else:
                    at = start + match.start()
                    here = next((c for s, e, c in classes_at if s <= at < e), unit.classes)
                    context = Context(self.page, figure, plain, unit.tag, here)
                    reason = allowed_reason(context)
                    status = f"allowed: {reason}" if reason else "UNSOURCED"
                self.figures.append(Figure(self.page, figure, status, _squash(sentence)))


def _squash(text: str, limit: int = 160) -> str:
    text = " ".join(text.replace(PLACEHOLDER, "[…]").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        before = re.search(r"([\w.]+)$", text[start : match.start()])
        word = before.group(1).lower() if before else ""
        following = text[match.end() : match.end() + 1]
        if word in ABBREVIATIONS or (following and following.islower()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def scan_page(html: str, page: str) -> list[Figure]:
    return FigureScanner(page).scan(html)


def scan_fragment(html: str, page: str = "test/") -> list[Figure]:
    return FigureScanner(page).scan(html, whole_document=False)


def scan_site(site: Path) -> list[Figure]:
    figures = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        figures += scan_page(html.read_text(encoding="utf-8"), "" if rel == "." else rel + "/")
    return figures


def report(figures: list[Figure]) -> str:
    lines = [f"{f.page or '/'}\t{f.figure}\t{f.status}\t{f.context}" for f in figures]
    return "page\tfigure\tsource\tcontext\n" + "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the scanner on small pieces (no build)


def statuses(html: str) -> list[tuple[str, str]]:
    return [(f.figure, f.status) for f in scan_fragment(html)]


def test_an_uncited_figure_fails_and_a_cited_sentence_passes():
    assert statuses("<p>Accuracy rose to 93%.</p>") == [("93%", "UNSOURCED")]
    cited = '<p>Accuracy rose to 93% <cite class="dq-cite" data-source="essay"><a>Essay</a></cite>.</p>'
    assert statuses(cited) == [("93%", "source: essay")]


def test_a_citation_covers_its_own_sentence_only():
    html = '<p>It reached 95% <cite data-source="essay">x</cite>. Later it cost $4 a run. Et al. 5 too.</p>'
    assert statuses(html) == [("95%", "source: essay"), ("$4", "UNSOURCED"), ("5", "UNSOURCED")]


def test_abbreviations_do_not_end_a_sentence():
    html = '<p>Ovadia et al. report 12 models, e.g. Mistral <cite data-source="ovadia">x</cite>.</p>'
    assert statuses(html) == [("12", "source: ovadia")]


def test_list_items_rows_and_headings_are_whole_units():
    html = (
        '<ul><li>First 40%. Then 60% <cite data-source="a">x</cite>.</li></ul>'
        '<table><tr><td>1,000 examples</td><td><cite data-source="lima">LIMA</cite></td></tr></table>'
    )
    assert statuses(html) == [("40%", "source: a"), ("60%", "source: a"), ("1,000", "source: lima")]


def test_a_container_with_data_source_covers_everything_inside():
    html = '<div data-source="essay"><p>95% then 99.5%.</p><table><tr><td>30+</td></tr></table></div>'
    assert statuses(html) == [("95%", "source: essay"), ("99.5%", "source: essay"), ("30", "source: essay")]


def test_computed_figures_are_marked_computed():
    html = '<p>The engine asks <span data-computed="model">7</span> questions, not 8.</p>'
    assert statuses(html) == [("7", "computed"), ("8", "UNSOURCED")]


def test_code_svg_and_citation_labels_are_not_prose():
    html = (
        "<pre><code>decision cost --calls-per-month 3000000</code></pre>"
        "<svg><text>2,888</text></svg><p>See <code>--epochs 3</code> and "
        '<cite data-source="ovadia-2023">Ovadia et al. 2023</cite>.</p>'
    )
    assert statuses(html) == []


def test_names_with_digits_are_not_figures_but_sizes_and_words_are():
    assert statuses("<p>GPT-4, gpt-4o-mini and CodeT5 are names.</p>") == []
    found = [f for f, _ in statuses("<p>A 65B model, a thousand examples, a tenfold drop, 2027-01-06.</p>")]
    assert found == ["65B", "thousand", "tenfold", "2027-01-06"]


def test_ranges_and_prices_are_one_figure():
    found = [f for f, _ in statuses("<p>It trains 0.1–1% of weights for $3.00 and 10–100× rank.</p>")]
    assert found == ["0.1–1%", "$3.00", "10–100×"]


def test_allow_list_covers_section_numbers_and_nothing_else():
    assert statuses("<h2>1. Curate the data</h2>") == [("1", "allowed: section number")]
    assert statuses("<h2>Curate 1,000 examples</h2>") == [("1,000", "UNSOURCED")]
    assert statuses('<legend><span class="dq-number">3.</span> Text</legend>') == [("3", "allowed: question number")]
    assert statuses("<p>Status as of 2026-11-30.</p>") == [("2026-11-30", "allowed: as-of date of our check")]
    assert statuses("<p>Ends on 2026-11-30.</p>") == [("2026-11-30", "UNSOURCED")]
    assert statuses("<label>Input price (per 1M tokens)</label>") == [("1M", "allowed: unit of measure")]
    assert statuses("<p>Prices are per million tokens.</p>") == [("million", "allowed: unit of measure")]
    assert statuses("<p>It served a million calls.</p>") == [("million", "UNSOURCED")]
    assert statuses('<p>Volume: <span class="dq-assumption">1,000,000</span> calls.</p>') == [
        ("1,000,000", "allowed: labelled assumption")
    ]


def test_only_the_article_is_scanned():
    page = (
        '<html><body><nav>Version 1.2.3</nav><article class="md-content__inner md-typeset">'
        "<p>Costs 5% more.</p></article><footer>© 2026</footer></body></html>"
    )
    assert [(f.figure, f.status) for f in scan_page(page, "x/")] == [("5%", "UNSOURCED")]


# ---------------------------------------------------------------- the built site


@pytest.mark.site
def test_every_figure_on_the_site_is_computed_or_cited(built_site: Path):
    figures = scan_site(built_site)
    listing = built_site.parent / "figures.txt"
    listing.write_text(report(figures), encoding="utf-8")
    print(f"\n{len(figures)} figures; the full list is in {listing}")
    assert len(figures) > 50, "the scanner found almost nothing: is the article selector still right?"
    assert any(f.status == "computed" for f in figures)
    unsourced = [f for f in figures if not f.ok]
    assert not unsourced, "figures with no source and not computed (cite them, or wrap engine output):\n" + "\n".join(
        f"{f.page or '/'}: {f.figure!r} in “{f.context}”" for f in unsourced
    )
