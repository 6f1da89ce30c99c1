"""The calculator page: rendered through its macros, and built by MkDocs, it follows the worked example."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from decision.cost import EXAMPLE, FIELDS, compute, plain
from site_glue import cost_macros

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "calculator" / "index.md"


class FakeEnv:
    """Just enough of mkdocs-macros' env for register(): a macro decorator and the current page."""

    def __init__(self) -> None:
        self.macros: dict[str, object] = {}
        self.page = SimpleNamespace(url="calculator/")

    def macro(self, function):
        self.macros[function.__name__] = function
        return function


def render_page() -> str:
    env = FakeEnv()
    cost_macros.register(env)
    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(PAGE.read_text(encoding="utf-8"))
    return template.render(**env.macros)


class Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[dict]] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            data = dict(attrs)
            self.found.setdefault(data.get("name", ""), []).append(data)


def form_inputs(page: str) -> dict[str, list[dict]]:
    parser = Inputs()
    parser.feed(page)
    return parser.found


@pytest.fixture
def changed_example(tmp_path, monkeypatch):
    path = tmp_path / "example.toml"
    path.write_text("calls_per_month = 20_000_000\n", encoding="utf-8")
    monkeypatch.setenv(cost_macros.EXAMPLE_ENV, str(path))
    return path


def test_page_shows_the_worked_example():
    page = render_page()
    result = compute(EXAMPLE)
    assert "{{" not in page and "}}" not in page
    assert result.verdict in page
    assert page.count("gpt-4o-mini, circa Nov 2024") >= 5  # five prices, each with its source and date
    assert "<svg" in page and 'aria-labelledby="cost-result-chart-title cost-result-chart-desc"' in page
    # the form comes first: a reader meets the calculator before the explanation
    assert page.index('id="cost-form"') < page.index("## What the worked example shows") < page.index("## The formula")
    assert "prompt_cost = no" in page and 'href="../questionnaire/#prompt_cost=no"' in page
    assert "decision cost --calls-per-month 1000000 --prompt-tokens 2000" in page
    # without operations, break-even = 1.5 / 0.00009 = 16,667 calls (rounded)
    assert "16,667 calls a month" in page


def test_form_has_one_prefilled_input_per_field():
    inputs = form_inputs(render_page())
    assert set(inputs) == set(FIELDS)
    for name in FIELDS:
        (field,) = inputs[name]
        assert field["value"] == plain(getattr(EXAMPLE, name)), name
        assert field["type"] == "number" and field["min"] == "0"
        assert field["id"] == f"cost-{name}" and field["aria-describedby"] == f"cost-{name}-help"


def test_changing_an_example_input_changes_the_page(changed_example):
    before = compute(EXAMPLE)
    page = render_page()
    after = compute(dataclasses.replace(EXAMPLE, calls_per_month=20_000_000))
    assert before.verdict not in page and after.verdict in page
    assert after.fine_tune_cheaper and 'href="../questionnaire/#prompt_cost=yes"' in page
    assert "Worked example: 20,000,000 (set by DECISION_COST_EXAMPLE)." in page
    assert form_inputs(page)["calls_per_month"][0]["value"] == "20000000"


def test_mkdocs_build_follows_the_worked_example(tmp_path, changed_example):
    dest = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)]
    built = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    html = (dest / "calculator" / "index.html").read_text(encoding="utf-8")
    after = compute(dataclasses.replace(EXAMPLE, calls_per_month=20_000_000))
    assert "20,000,000" in html and 'value="20000000"' in html
    assert "Fine-tuning is cheaper at 20,000,000 calls a month" in html and after.fine_tune_cheaper
    assert "#prompt_cost=yes" in html
    assert 'href="calculator/"' in (dest / "index.html").read_text(encoding="utf-8")  # listed in the navigation
