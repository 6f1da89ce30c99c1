"""The in-page questionnaire, driven in Debian's Chromium against the built site.

Every click goes through the real page, the module worker and the vendored Pyodide;
the expected answers come from the same engine in CPython. The tests share one page (one Pyodide
boot), reset to no answers before each; only the tests about a fresh start open their own page.
Hostile links are in test_fuzz_fragments.py, with the shared list of hostile inputs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from site_support import set_fragment, wait_until

from decision import default_model, evaluate
from decision.web import fragment_from_answers as fragment_of

pytestmark = [pytest.mark.browser, pytest.mark.site]
MODEL = default_model()
READY = '[data-engine-state="ready"]'
BOOT_MS = 90_000  # a Pyodide boot on a loaded 2-core machine
REPLY_MS = 60_000


def open_questionnaire(page, site_url: str, fragment: str = "") -> None:
    page.goto(f"{site_url.rstrip('/')}/questionnaire/{fragment}")
    page.wait_for_selector(READY, state="attached", timeout=BOOT_MS)


def approach_shown(page, approach: str) -> None:
    """The engine's latest reply is in (the page drops older ones) and it recommends `approach`."""
    page.wait_for_selector(
        f'#decision-result:not([aria-busy]) [data-approach="{approach}"]', state="attached", timeout=REPLY_MS
    )


@pytest.fixture(scope="module")
def shared_page(watched_context, site_url):
    page = watched_context.new_page()
    open_questionnaire(page, site_url)
    return page


@pytest.fixture
def questionnaire(shared_page, watched_context, site_url):
    """The module's page with no answers and the engine's reply to that in; its errors checked afterwards."""
    page = shared_page
    if not page.url.split("#")[0].endswith("/questionnaire/"):
        open_questionnaire(page, site_url)
    set_fragment(page, "")
    approach_shown(page, evaluate({}).approach)
    assert page.locator("fieldset[data-question] input:checked").count() == 0
    yield page
    page.emulate_media(media="screen")
    watched_context.check()


def answer(page, answers: dict[str, str]) -> None:
    for qid, value in answers.items():
        page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').check()


def cli(answers: dict[str, str], fmt: str) -> str:
    flags = [f"--answer={k}={v}" for k, v in answers.items()]
    return subprocess.run(
        [sys.executable, "-m", "decision", "evaluate", "--no-input", "--format", fmt, *flags],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_form_is_there_before_python_and_says_it_is_loading(page, site_url):
    page.route("**/pyodide/**", lambda route: None)  # hold the runtime back: never answered
    page.goto(f"{site_url.rstrip('/')}/questionnaire/")
    for question in MODEL.questions:
        radios = page.locator(f'fieldset[data-question="{question.id}"] input[type="radio"]')
        assert radios.count() == len(question.values)
    assert page.locator("[data-engine-state]").first.get_attribute("data-engine-state") == "loading"
    assert "load" in page.locator("#decision-result").inner_text().lower()
    page.unroute("**/pyodide/**")


@pytest.mark.parametrize("case", MODEL.cases, ids=[c.id for c in MODEL.cases])
def test_each_case_answered_by_clicking_gives_its_documented_approach(questionnaire, case):
    page = questionnaire
    answer(page, case.answers)
    approach_shown(page, case.documented_approach)
    result = page.locator("#decision-result")
    expected = evaluate(case.answers)
    text = result.inner_text()
    for step in expected.next_steps:
        assert step.text in text
    for reason in expected.reasons:
        assert reason.text in text
    # Similar cases link to their pages, built from the page's data-cases-base and the engine's case ids.
    links = result.locator(".dq-result__part a[href*='/cases/']")
    shown = links.evaluate_all("links => links.map(a => [a.textContent, new URL(a.href).pathname])")
    assert shown == [[c.title, f"/cases/{c.id}/"] for c in expected.cases]


def test_a_share_link_round_trips(questionnaire, watched_context, site_url):
    page = questionnaire
    answers = {"needs_knowledge": "monthly", "prompt_result": "not-measured"}
    answer(page, answers)
    approach_shown(page, "rag")
    url = page.url
    assert urlsplit(url).query == "" and urlsplit(url).fragment == fragment_of(answers)
    other = watched_context.new_page()  # opened anew: its own worker and Pyodide, the answers from the link
    try:
        open_questionnaire(other, site_url, "#" + urlsplit(url).fragment)
        approach_shown(other, "rag")
        for qid, value in answers.items():
            assert other.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').is_checked()
    finally:
        other.close()


def test_downloads_equal_the_cli_output(questionnaire, tmp_path):
    page = questionnaire
    case = next(c for c in MODEL.cases if c.id == "brand-voice")
    set_fragment(page, fragment_of(case.answers))
    approach_shown(page, "combination")
    for name, fmt in (("Download decision record", "markdown"), ("Download JSON", "json")):
        with page.expect_download() as info:
            page.get_by_role("button", name=name).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.read_text(encoding="utf-8") == cli(case.answers, fmt), name
    assert json.loads(cli(case.answers, "json"))["approach"] == "combination"


def test_copy_link_copies_the_share_url(questionnaire):
    page = questionnaire
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    answer(page, {"strict_format": "yes"})
    wait_until(page, "() => location.hash.includes('strict_format=yes')")
    page.get_by_role("button", name="Copy link").click()
    wait_until(page, "() => navigator.clipboard.readText().then(t => t.includes('strict_format=yes'))")
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def test_changing_an_earlier_answer_updates_the_result(questionnaire):
    page = questionnaire
    case = next(c for c in MODEL.cases if c.id == "strict-format")
    answer(page, case.answers)
    approach_shown(page, "fine-tune")
    answer(page, {"needs_knowledge": "stable"})
    approach_shown(page, "combination")
    answer(page, {"prompt_result": "meets-bar"})
    approach_shown(page, "rag")
    assert "prompt_result=meets-bar" in page.url


def test_irrelevant_questions_are_marked_and_start_over_clears(questionnaire):
    page = questionnaire
    answer(page, {"prompt_result": "not-tried"})
    approach_shown(page, "few-shot")
    expected_open = set(evaluate({"prompt_result": "not-tried"}).to_ask)
    for question in MODEL.questions:
        if question.id == "prompt_result":
            continue
        fieldset = page.locator(f'fieldset[data-question="{question.id}"]')
        skippable = fieldset.evaluate(
            "el => el.hidden || el.matches('[data-relevance=skippable], [data-skippable]')"
            " || getComputedStyle(el).display === 'none'"
        )
        assert skippable == (question.id not in expected_open), question.id
    page.get_by_role("button", name="Start over").click()
    wait_until(page, "() => location.hash === '' || location.hash === '#'")
    approach_shown(page, evaluate({}).approach)
    assert page.locator("fieldset[data-question] input:checked").count() == 0


def test_instant_navigation_away_and_back_keeps_one_working_widget(questionnaire):
    page = questionnaire
    wasm_fetches = []
    record = lambda r: wasm_fetches.append(r.url) if r.url.endswith(".wasm") else None  # noqa: E731
    page.on("request", record)
    started = []
    page.on("worker", lambda w: started.append(w.url) if "engine-worker" in w.url else None)
    page.evaluate("window.__sameDocument = true")
    page.locator("a.md-logo:visible").first.click()  # Material rewrites hrefs to absolute URLs
    wait_until(page, "() => !document.querySelector('#decision-result')")
    page.locator('article a[href$="/questionnaire/"]:visible').first.click()
    page.wait_for_selector(READY, state="attached", timeout=BOOT_MS)
    assert page.evaluate("window.__sameDocument") is True, "navigation reloaded the page: instant navigation is off"
    assert started == [], "a second engine worker started"
    answer(page, {"needs_knowledge": "stable"})
    approach_shown(page, "rag")
    assert page.locator("#decision-result [data-approach]").count() == 1
    # One widget: one toolbar, one compact summary, and each reason listed once under "Why".
    assert page.locator(".dq-toolbar").count() == 1 and page.locator(".dq-peek").count() == 1
    why = page.locator("#decision-result details[data-part='Why']").inner_text()
    assert why.count(evaluate({"needs_knowledge": "stable"}).reasons[0].text) == 1
    page.remove_listener("request", record)
    assert wasm_fetches == [], "the runtime was fetched again: a second Pyodide"


def test_axe_finds_no_violations_before_and_after_answering(questionnaire, axe):
    page = questionnaire
    found = axe(page)
    assert found == [], "\n".join(found)
    answer(page, next(c for c in MODEL.cases if c.id == "brand-voice").answers)
    approach_shown(page, "combination")
    found = axe(page)
    assert found == [], "\n".join(found)


def test_printing_shows_the_answers_and_the_result_without_controls(questionnaire):
    page = questionnaire
    case = next(c for c in MODEL.cases if c.id == "custom-dsl")
    set_fragment(page, fragment_of(case.answers))
    approach_shown(page, "fine-tune")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.get_by_role("button", name="Download JSON").is_visible()
    assert page.locator("#decision-result").is_visible()
    for qid, value in case.answers.items():
        assert page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').is_checked()
        assert page.locator(f'fieldset[data-question="{qid}"]').is_visible()
    assert evaluate(case.answers).next_steps[0].text in page.locator("#decision-result").inner_text()
    assert len(page.pdf()) > 10_000  # headless Chromium prints it
