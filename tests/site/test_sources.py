"""The sources loader: every docs/sources/*.toml is well formed, and each mistake names its file and key.

Pure: no site build. The committed files are checked as they are, and small files written to a
temporary directory exercise each error.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from site_glue.sources import (  # noqa: E402
    Citations,
    SourceError,
    cite_html,
    evidence_list,
    load_catalogue,
    parse_file,
)

SOURCES_DIR = REPO_ROOT / "docs" / "sources"

GOOD = """\
topic = "Test papers"

[[sources]]
id = "ovadia-2023"
title = "Fine-Tuning or Retrieval?"
authors = "Oded Ovadia, Menachem Brief"
venue = "arXiv preprint 2312.05934"
year = 2023
url = "https://arxiv.org/abs/2312.05934"
checked = 2026-11-30
claims = [{ text = "Retrieval beat fine-tuning", figure = "three 7B models" }]
"""


def entry(**changes: str | None) -> str:
    """GOOD with keys replaced (a TOML value as text) or removed (None)."""
    lines = GOOD.splitlines()
    out = []
    for line in lines:
        key = line.split(" = ", 1)[0]
        if key in changes:
            if changes[key] is not None:
                out.append(f"{key} = {changes.pop(key)}")
            else:
                changes.pop(key)
            continue
        out.append(line)
    out += [f"{key} = {value}" for key, value in changes.items() if value is not None]
    return "\n".join(out) + "\n"


def error_of(text: str, name: str = "test.toml") -> str:
    with pytest.raises(SourceError) as caught:
        parse_file(text, name)
    return str(caught.value)


# ---------------------------------------------------------------- the committed files


def test_committed_sources_load_and_ids_are_unique():
    catalogue = load_catalogue(SOURCES_DIR)
    assert "practitioner-essay" in catalogue.sources
    assert len(catalogue.sources) >= 15
    assert all(source.claims for source in catalogue.sources.values())


def test_research_sources_were_all_checked_on_the_review_date():
    catalogue = load_catalogue(SOURCES_DIR)
    research = [s for s in catalogue.sources.values() if s.file == "research.toml"]
    assert research
    assert {s.checked for s in research} == {dt.date(2026, 11, 30)}


def test_only_the_unpublished_essay_has_no_address():
    catalogue = load_catalogue(SOURCES_DIR)
    missing = [s.id for s in catalogue.sources.values() if s.url is None]
    assert missing == ["practitioner-essay"]
    assert catalogue.sources["practitioner-essay"].note


def test_the_corrected_citations_stay_corrected():
    """Findings from the review: wrong venue, a link to another article, a moved page."""
    catalogue = load_catalogue(SOURCES_DIR)
    assert "SIGIR-AP 2024" in catalogue.sources["soudani-2024"].venue
    assert catalogue.sources["microsoft-compare-combine"].url.endswith("5-compare-combine-strategies")
    assert catalogue.sources["together-lora-vs-full"].url == "https://docs.together.ai/docs/fine-tuning/lora-vs-full"
    figures = {c.figure for c in catalogue.sources["balaguer-2024"].claims}
    assert "47% → 72%" in figures


# ---------------------------------------------------------------- errors name the file and the key


def test_a_good_file_parses():
    topic, sources = parse_file(GOOD, "good.toml")
    assert topic == "Test papers"
    (source,) = sources
    assert source.label == "Ovadia et al. 2023"
    assert source.checked == dt.date(2026, 11, 30)
    assert source.claims[0].figure == "three 7B models"


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"colour": '"red"'}, "unknown key 'colour'"),
        ({"title": None}, "missing 'title'"),
        ({"claims": None}, "missing 'claims'"),
        ({"url": None}, "missing 'url'"),
        ({"year": None}, "missing 'year'"),
        ({"checked": '"2026-11-30"'}, "'checked' must be a TOML date"),
        ({"checked": "2026-11-30T10:00:00"}, "'checked' must be a TOML date"),
        ({"year": '"2023"'}, "'year' must be a four-digit integer"),
        ({"id": '"Not A Slug"'}, "'id' 'Not A Slug' must be a slug"),
        ({"url": '"javascript:alert(1)"'}, "'url' 'javascript:alert(1)' is not allowed"),
        ({"url": '"https://example.org/a b"'}, "is not allowed"),
        ({"url": '"https://example.org/\\"onmouseover=x"'}, "is not allowed"),
        ({"url": '"ftp://example.org/paper"'}, "is not allowed"),
        ({"claims": "[]"}, "'claims' must be a non-empty array"),
        ({"claims": '[{ figure = "1%" }]'}, "claims[0]: missing 'text'"),
        ({"claims": '[{ text = "x", source = "y" }]'}, "claims[0]: unknown key 'source'"),
        ({"title": '""'}, "'title' must be a non-empty string"),
    ],
)
def test_each_mistake_is_named_with_its_file_and_key(changes, expected):
    message = error_of(entry(**changes), "papers.toml")
    assert message.startswith("papers.toml: ")
    assert expected in message


def test_the_entry_is_named_by_position_and_id():
    message = error_of(entry(colour='"red"'))
    assert "sources[0] (id 'ovadia-2023')" in message


def test_unknown_top_level_key_and_broken_toml():
    assert "unknown top-level key 'papers'" in error_of('papers = "x"\n' + GOOD)
    assert "not valid TOML" in error_of("[[sources]\n")
    assert "at least one [[sources]] entry" in error_of('topic = "empty"\n')


def test_an_unpublished_source_may_omit_url_and_year_only_with_a_note():
    text = entry(url=None, year=None, note='"Received as text; no address."')
    _, (source,) = parse_file(text, "essay.toml")
    assert source.url is None and source.year is None
    assert source.label == "Ovadia et al."  # no year to show


def test_duplicate_ids_across_files_name_both_files(tmp_path):
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_catalogue(tmp_path)
    assert str(caught.value) == "b.toml: duplicate source id 'ovadia-2023' (already defined in a.toml)"


def test_an_empty_directory_is_an_error(tmp_path):
    with pytest.raises(SourceError, match="no sources files"):
        load_catalogue(tmp_path)


# ---------------------------------------------------------------- citations during a build


@pytest.fixture
def citations(tmp_path) -> Citations:
    (tmp_path / "papers.toml").write_text(GOOD, encoding="utf-8")
    second = GOOD.replace('"ovadia-2023"', '"other-2024"').replace("topic = ", "# topic = ")
    (tmp_path / "more.toml").write_text(second, encoding="utf-8")
    return Citations.from_directory(tmp_path)


def test_unknown_id_fails_and_lists_the_known_ones(citations):
    with pytest.raises(SourceError) as caught:
        citations.cite("ovadia-2032", "guide/")
    assert "unknown source id 'ovadia-2032'" in str(caught.value)
    assert "ovadia-2023" in str(caught.value)


def test_unused_sources_fail_the_build_end_check(citations):
    citations.cite("ovadia-2023", "guide/")
    assert citations.unused() == ["other-2024"]
    with pytest.raises(SourceError) as caught:
        citations.check_all_used()
    assert "other-2024 (more.toml)" in str(caught.value)
    citations.cite("other-2024", "cases/x/")
    citations.check_all_used()  # nothing left unused


def test_listing_every_source_on_the_evidence_page_does_not_count_as_citing(citations):
    citations.evidence("evidence/")
    assert sorted(citations.unused()) == ["other-2024", "ovadia-2023"]


def test_page_list_shows_what_that_page_cited_once_each(citations):
    citations.cite("ovadia-2023", "guide/")
    citations.cite("ovadia-2023", "guide/")
    listed = citations.page_list("guide/")
    assert listed.startswith("## Sources\n")
    assert listed.count("<li ") == 1
    assert 'data-source="ovadia-2023"' in listed
    assert 'href="https://arxiv.org/abs/2312.05934"' in listed
    assert "Checked 2026-11-30" in listed
    assert citations.page_list("reference/") == ""


def test_citation_markup_is_escaped_and_marks_the_sentence(citations):
    html = citations.cite("ovadia-2023", "cases/strict-format/", text='the "paper" <b>')
    assert html.startswith('<cite class="dq-cite" data-source="ovadia-2023">')
    assert "&quot;paper&quot; &lt;b&gt;" in html


def test_a_source_without_address_links_to_its_evidence_entry():
    _, (source,) = parse_file(entry(url=None, year=None, note='"No address."'), "essay.toml")
    html = cite_html(source, "../../evidence/")
    assert 'href="../../evidence/#source-ovadia-2023"' in html


def test_evidence_list_groups_by_file_with_claims_and_figures(citations):
    listed = evidence_list(citations.catalogue)
    assert listed.index("### More") < listed.index("### Test papers")  # files in name order
    assert 'id="source-ovadia-2023"' in listed
    assert "Retrieval beat fine-tuning: <strong>three 7B models</strong>" in listed


def test_committed_sources_render_without_error():
    catalogue = load_catalogue(SOURCES_DIR)
    listed = evidence_list(catalogue)
    for source_id in catalogue.sources:
        assert f'id="source-{source_id}"' in listed
