"""The calculator page: rendered through its macros, and built by MkDocs, it follows the worked example."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from types import SimpleNamespace

import jinja2
import pytest
from site_support import CHANGED_EXAMPLE, REPO_ROOT

from decision.cost import CHOICES, EXAMPLE, EXAMPLES, FIELDS, compute, plain
from site_glue import cost_macros, sources

PAGE = REPO_ROOT / "docs" / "calculator" / "index.md"


class FakeEnv:
    """Just enough of mkdocs-macros' env for register(): a macro decorator and the current page."""

    def __init__(self) -> None:
        self.macros: dict[str, object] = {}
        self.page = SimpleNamespace(url="calculator/", file=SimpleNamespace(src_uri="calculator/index.md"))

    def macro(self, function):
        self.macros[function.__name__] = function
        return function


def render_page() -> str:
    env = FakeEnv()
    cost_macros.register(env)
    sources.register(env, REPO_ROOT / "docs" / "sources")  # cite() and sources_list()
    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(PAGE.read_text(encoding="utf-8"))
    return template.render(**env.macros)


class Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[dict]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "select"):
            data = {"tag": tag, **dict(attrs)}
            self.found.setdefault(data.get("name", ""), []).append(data)


def form_inputs(page: str) -> dict[str, list[dict]]:
    parser = Inputs()
    parser.feed(page)
    return parser.found


@pytest.fixture
def changed_example(tmp_path, monkeypatch):
    path = tmp_path / "example.toml"
    path.write_text(CHANGED_EXAMPLE, encoding="utf-8")  # the variant build's example too
    monkeypatch.setenv(cost_macros.EXAMPLE_ENV, str(path))
    return path


def test_page_shows_the_worked_example():
    page = render_page()
    result = compute(EXAMPLE)
    assert "{{" not in page and "}}" not in page
    assert result.verdict in page
    # eight prices of the default example, each with its source and the day it was read
    assert page.count("Tinker price list for Qwen3-8B, checked 2026-11-30") >= 8
    assert "<svg" in page and 'aria-labelledby="cost-result-chart-title cost-result-chart-desc"' in page
    # the form comes first: a reader meets the calculator before the explanation
    assert page.index('id="cost-form"') < page.index("## What the worked examples show") < page.index("## The formula")
    assert "prompt_cost = minor" in page and 'href="../questionnaire/#prompt_cost=minor"' in page
    assert "decision cost --calls-per-month 1000000 --prompt-tokens 2000" in page
    # every worked example in the table, the historical one marked so, each with the day its prices were read
    for key, item in EXAMPLES.by_id.items():
        assert f'href="#example={key}"' in page and item.title in page
    assert "<em>(historical)</em>" in page and "as of 2026-11-30" in page
    # the historical example without caching: 501.5 / 0.00009 = 5,572,222 calls; with 1,792 tokens cached, never
    assert "5,572,222" in page and ">never<" in page
    # the default example without operations: 0.22 / 0.0000624 = 3,526 calls a month (rounded)
    assert "3,526" in page


def test_form_has_one_prefilled_input_per_field():
    inputs = form_inputs(render_page())
    assert set(inputs) == set(FIELDS)
    for name in FIELDS:
        (field,) = inputs[name]
        assert field["id"] == f"cost-{name}" and field["aria-describedby"] == f"cost-{name}-help"
        if name in CHOICES:  # a route: a select with the example's choice selected
            assert field["tag"] == "select", name
            continue
        assert field["value"] == plain(getattr(EXAMPLE, name)), name
        assert field["type"] == "number" and field["min"] == "0"


def test_changing_an_example_input_changes_the_page(changed_example):
    before = compute(EXAMPLE)
    page = render_page()
    after = compute(dataclasses.replace(EXAMPLE, calls_per_month=20_000_000))
    assert before.verdict not in page and after.verdict in page
    assert after.fine_tune_cheaper and 'href="../questionnaire/#prompt_cost=with-caching"' in page
    assert "Worked example: 20,000,000 (set by DECISION_COST_EXAMPLE)." in page
    assert form_inputs(page)["calls_per_month"][0]["value"] == "20000000"


@pytest.mark.site
def test_mkdocs_build_follows_the_worked_example(built_site, variant_site):
    # variant_site is built with CHANGED_EXAMPLE as the worked example (conftest.py)
    html = (variant_site / "calculator" / "index.html").read_text(encoding="utf-8")
    after = compute(dataclasses.replace(EXAMPLE, calls_per_month=20_000_000))
    assert "20,000,000" in html and 'value="20000000"' in html
    assert "Fine-tuning is cheaper at 20,000,000 calls a month" in html and after.fine_tune_cheaper
    assert "#prompt_cost=with-caching" in html
    assert 'href="calculator/"' in (variant_site / "index.html").read_text(encoding="utf-8")  # listed in the navigation
    assert 'value="20000000"' not in (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
