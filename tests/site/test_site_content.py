"""The pages say what the engine says: case verdicts, every question and option, generated reference."""

from __future__ import annotations

import html as htmllib
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from htmlscan import read
from site_support import REPO_ROOT, build_site

from decision import default_model, evaluate, render_json

pytestmark = pytest.mark.site
MODEL = default_model()


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _verdict(page_html: str) -> re.Match:
    match = re.search(r'<aside class="dq-verdict[^"]*" data-approach="([^"]+)".*?</aside>', page_html, re.S)
    assert match, "no verdict box on the page"
    return match


@pytest.mark.parametrize("case", MODEL.cases, ids=lambda c: c.id)
def test_case_page_shows_the_engine_verdict(built_site: Path, case):
    page_html = _html(built_site, f"cases/{case.id}")
    result = evaluate(case.answers, MODEL)
    verdict = _verdict(page_html)
    assert verdict.group(1) == result.approach
    box = htmllib.unescape(verdict.group(0))
    for reason in result.reasons:
        assert reason.text in box
    for step in result.next_steps:
        assert step.text in box
    fragment = "&".join(f"{q}={v}" for q, v in case.answers.items())
    assert f'href="../../questionnaire/#{htmllib.escape(fragment)}"' in verdict.group(0)
    text = read(built_site / "cases" / case.id / "index.html").text
    assert htmllib.unescape(case.summary) in text
    for value in case.figures.values():
        assert value in text


def test_every_question_and_option_is_in_the_guide(built_site: Path):
    text = read(built_site / "guide" / "index.html").text
    ids = read(built_site / "guide" / "index.html").ids
    for question in MODEL.questions:
        assert question.text in text
        help_text = " ".join(question.help.split())
        # a help text that cites its sources carries the citations inside its last sentence
        assert (help_text[:-1] if question.sources else help_text) in text
        assert question.id in ids, f"no anchor for {question.id}"
        for option in question.options:
            assert option.label in text
            assert option.value in text


def test_questionnaire_form_is_static_and_complete(built_site: Path):
    page_html = _html(built_site, "questionnaire")
    assert "<script" not in page_html.split('id="decision-form"', 1)[1].split("</section>", 1)[0]
    for question in MODEL.questions:
        block = re.search(rf'<fieldset [^>]*data-question="{question.id}"[^>]*>(.*?)</fieldset>', page_html, re.S)
        assert block, f"no fieldset for {question.id}"
        inner = block.group(1)
        assert "<legend>" in inner and htmllib.escape(question.text) in inner
        shown = htmllib.escape(question.help, quote=False)
        assert (shown[:-1] if question.sources else shown) in inner
        for source_id in question.sources:
            assert f'data-source="{source_id}"' in inner
        for option in question.options:
            radio = re.search(rf'<input type="radio" name="{question.id}" id="([^"]+)" value="{option.value}">', inner)
            assert radio, f"no radio for {question.id}={option.value}"
            assert f'<label for="{radio.group(1)}">{htmllib.escape(option.label)}</label>' in inner
    result = re.search(r'<section id="decision-result"[^>]*aria-live="polite"[^>]*>(.*?)</section>', page_html, re.S)
    assert result, "no live result region"
    assert 'data-engine-state="loading"' in result.group(1)
    assert re.search(r'<noscript>.*href="../reference/#decision-flow".*</noscript>', result.group(1), re.S)
    # The engine names similar cases by id only; the page links them from this base.
    base = re.search(r'<section id="decision-result"[^>]*data-cases-base="([^"]+)"', page_html)
    assert base and base.group(1) == "../cases/", "no data-cases-base on #decision-result"
    for case in MODEL.cases:
        assert (built_site / "questionnaire" / base.group(1) / case.id / "index.html").resolve().is_file()


def test_reference_is_generated_from_the_model(built_site: Path):
    page_html = _html(built_site, "reference")
    ids = read(built_site / "reference" / "index.html").ids
    for rule in MODEL.rules:
        assert f"rule-{rule.id}" in ids
    svg = re.search(r"<svg class=\"dq-flow\".*?</svg>", page_html, re.S)
    assert svg, "no inline SVG flow diagram"
    assert "<script" not in svg.group(0) and "mermaid" not in page_html
    for rule in (r for r in MODEL.rules if r.include):
        assert f"Rule {rule.id}" in svg.group(0)
    assert "decision-flow" in ids


def test_cli_page_shows_real_engine_output(built_site: Path):
    blocks = [htmllib.unescape(b) for b in read(built_site / "reference" / "cli" / "index.html").pre_blocks]
    expected = render_json(evaluate({"needs_knowledge": "monthly", "prompt_result": "not-tried"}, MODEL))
    assert any(json.loads(b) == json.loads(expected) for b in blocks if b.lstrip().startswith("{"))
    record = read(built_site / "reference" / "decision-record" / "index.html").text
    assert "Decision record: LoRA fine-tune" in record


def test_cli_page_shows_every_shipped_json_schema(built_site: Path):
    page = read(built_site / "reference" / "cli" / "index.html")
    shown = [json.loads(htmllib.unescape(b)) for b in page.pre_blocks if '"$schema"' in htmllib.unescape(b)]
    folder = resources.files("decision").joinpath("data/schemas")
    shipped = [json.loads(f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".json")]
    assert shipped, "no JSON Schema shipped in decision/data/schemas"
    assert sorted(map(json.dumps, shown)) == sorted(map(json.dumps, shipped))
    for schema in shipped:
        assert schema["title"] in page.text


def test_changing_a_rule_changes_the_docs(built_site: Path, variant_site: Path):
    # variant_site's model: the strict-format rule, the combination label and the LoRA note changed (conftest.py)
    before = _verdict(_html(built_site, "cases/strict-format")).group(1)
    after = _verdict(_html(variant_site, "cases/strict-format")).group(1)
    assert before == "fine-tune"
    assert after != before
    reference = _html(variant_site, "reference")
    assert re.search(r'id="rule-tune-for-strict-format">.*?is short-unclear', reference, re.S)
    assert "Combination" in read(built_site / "cases" / "index.html").text
    cases_index = read(variant_site / "cases" / "index.html").text
    assert "Mixed approach" in cases_index and "Combination" not in cases_index
    assert "Relabelled: fine-tuning means" in read(variant_site / "cases" / "custom-dsl" / "index.html").text
    assert "Relabelled: fine-tuning means" not in read(built_site / "cases" / "custom-dsl" / "index.html").text


def test_a_broken_model_fails_the_build(tmp_path: Path):
    source = (REPO_ROOT / "decision" / "data" / "model.toml").read_text(encoding="utf-8")
    broken = source.replace('include = "rag"', 'include = "rag"\nwhen2 = 1', 1)
    model_path = tmp_path / "model.toml"
    model_path.write_text(broken, encoding="utf-8")
    result = build_site(tmp_path / "site", env={"DECISION_MODEL_PATH": str(model_path)})
    assert result.returncode != 0
    assert "when2" in result.stderr


def test_no_nine_word_run_copied_from_the_essay(built_site: Path):
    seeds = sorted((REPO_ROOT.parent / "shared" / "seed").glob("*.txt"))
    assert seeds, "the seed essay is missing from ../shared/seed"

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9%]+", text.lower().replace("’", "'"))

    essay = words(" ".join(p.read_text(encoding="utf-8") for p in seeds))
    runs = {tuple(essay[i : i + 9]) for i in range(len(essay) - 8)}
    copied = []
    pages = [p for p in built_site.rglob("index.html") if "calculator" not in p.parts]
    for page in pages:
        page_words = words(read(page).text)
        for i in range(len(page_words) - 8):
            if tuple(page_words[i : i + 9]) in runs:
                copied.append(f"{page.relative_to(built_site)}: {' '.join(page_words[i : i + 9])}")
    assert not copied, "\n".join(copied)
