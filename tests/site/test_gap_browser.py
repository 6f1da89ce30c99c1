"""The gap page ("Is the gap real?"), driven in Debian's Chromium against the built site.

Every number on the page comes from the module worker's Pyodide; the expected numbers come from
`python -m decision gap ... --format json` in CPython, so the two runtimes are compared end to end.
The tests share one gap page (one Pyodide boot); only the dark-scheme check opens its own.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hostile_inputs import GAP as HOSTILE
from site_support import set_fragment, settle, watch

pytestmark = [pytest.mark.browser, pytest.mark.site]
BOOT_MS = 90_000  # a Pyodide boot on a loaded 2-core machine
SETTLED = '#gap-result[data-engine-state="ready"]:not([aria-busy])'
BAR = {"correct": 91, "items": 100, "bar": 0.93}


def cli(calculation: str, inputs: dict) -> dict:
    """`decision gap CALCULATION ... --format json` in CPython."""
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in inputs.items()]
    done = subprocess.run(
        [sys.executable, "-m", "decision", "gap", calculation, *flags, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def fragment_of(calculation: str, inputs: dict) -> str:
    return "&".join([f"calculation={calculation}", *(f"{name}={value}" for name, value in inputs.items())])


def open_gap(page, site_url: str, fragment: str = "") -> None:
    page.goto(f"{site_url.rstrip('/')}/gap/{'#' + fragment if fragment else ''}")
    page.wait_for_selector(f"{SETTLED}[data-result]", state="attached", timeout=BOOT_MS)


def wait_for_verdict(page, verdict: str) -> None:
    page.wait_for_function(
        "(text) => document.querySelector('#gap-result .gap-verdict')?.textContent === text"
        " && !document.querySelector('#gap-result').hasAttribute('aria-busy')",
        arg=verdict,
        timeout=BOOT_MS,
    )


@pytest.fixture(scope="module")
def shared_page(watched_context, site_url):
    page = watched_context.new_page()
    open_gap(page, site_url)
    return page


@pytest.fixture
def gap_page(shared_page, watched_context):
    yield shared_page
    watched_context.check()


def summary(page) -> dict[str, str]:
    rows = page.locator("#gap-result .gap-summary tr")
    return {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").inner_text() for i in range(rows.count())}


@pytest.mark.parametrize(
    ("calculation", "inputs"),
    [
        ("bar", BAR),
        ("paired", {"both_right": 176, "only_baseline_right": 6, "only_candidate_right": 10, "both_wrong": 8}),
        ("plan", {"baseline_accuracy": 0.95, "candidate_accuracy": 0.995}),
        ("cost", {"calls_per_month": 2e6, "cost_per_error": 0.1, "baseline_accuracy": 0.9, "extra_monthly_cost": 900}),
    ],
)
def test_the_numbers_are_the_command_lines(gap_page, calculation, inputs):
    page = gap_page
    expected = cli(calculation, inputs)
    set_fragment(page, fragment_of(calculation, inputs))
    wait_for_verdict(page, expected["verdict"])
    assert page.locator("#gap-calculation").input_value() == calculation
    shown = summary(page)
    assert shown == {row["label"]: row["value"] for row in _summary_here(calculation, inputs)}
    assert page.locator("#gap-result svg.gap-chart").count() == 1


def _summary_here(calculation: str, inputs: dict) -> list[dict]:
    from decision.web import gap_response

    return json.loads(gap_response(fragment_of(calculation, inputs)))["summary"]


def test_typing_updates_the_address_and_the_link_reopens_the_same_state(gap_page, context_factory, site_url):
    page = gap_page
    set_fragment(page, fragment_of("bar", BAR))
    wait_for_verdict(page, cli("bar", BAR)["verdict"])
    page.locator("#gap-bar-correct").fill("99")
    changed = {**BAR, "correct": 99}
    wait_for_verdict(page, cli("bar", changed)["verdict"])
    page.wait_for_function("() => location.hash.includes('correct=99')", timeout=BOOT_MS)
    link = page.url
    answer = page.locator("#gap-questionnaire-link").get_attribute("href").split("#")[1]
    expected = cli("bar", changed)["questionnaire_answers"]
    assert answer == "&".join(f"{question}={option}" for question, option in expected.items())
    other = watch(context_factory().new_page(), context_factory.errors)
    other.goto(link)
    other.wait_for_selector(f"{SETTLED}[data-result='ok']", state="attached", timeout=BOOT_MS)
    wait_for_verdict(other, cli("bar", changed)["verdict"])
    assert other.locator("#gap-bar-correct").input_value() == "99"


def test_errors_name_the_field_beside_it(gap_page):
    page = gap_page
    set_fragment(page, fragment_of("bar", {**BAR, "items": "many"}))
    page.wait_for_selector(f'{SETTLED}[data-result="error"]', state="attached", timeout=BOOT_MS)
    note = page.locator("#gap-bar-items-error")
    assert note.is_visible() and "items" in note.inner_text() and "many" in note.inner_text()
    assert page.locator("#gap-bar-items").get_attribute("aria-invalid") == "true"
    assert page.locator("#gap-bar-correct").get_attribute("aria-invalid") is None


@pytest.mark.parametrize("fragment", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_fragments_execute_nothing(gap_page, fragment):
    page = gap_page
    dialogs = []
    on_dialog = lambda d: (dialogs.append(d.message), d.dismiss())  # noqa: E731
    page.on("dialog", on_dialog)
    set_fragment(page, fragment)
    page.wait_for_selector(f'{SETTLED}[data-result="error"]', state="attached", timeout=BOOT_MS)
    settle(page)
    page.remove_listener("dialog", on_dialog)
    box = page.locator("#gap-result .gap-errors")
    assert box.is_visible() and box.inner_text().strip()
    assert page.evaluate("window.__pwned") is None and not dialogs
    assert page.locator("#gap-result script, #gap-result img, .gap-error :is(img, script)").count() == 0
    assert page.evaluate("({}).polluted") is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_gap_page(gap_page, context_factory, site_url, axe, scheme):
    if scheme == "light":
        page = gap_page
        set_fragment(page, fragment_of("bar", BAR))
        wait_for_verdict(page, cli("bar", BAR)["verdict"])
    else:
        page = watch(context_factory(color_scheme=scheme).new_page(), context_factory.errors)
        open_gap(page, site_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    found = axe(page)
    assert found == [], "\n".join(found)
    set_fragment(page, fragment_of("bar", {**BAR, "items": -1}))
    page.locator("#gap-bar-items-error").wait_for(state="visible", timeout=15_000)
    found = axe(page)
    assert found == [], "\n".join(found)


def test_without_javascript_the_worked_example_reads_fine(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url.rstrip('/')}/gap/")
        verdict = page.locator("#gap-result .gap-verdict").inner_text()
        assert verdict.startswith("Cannot tell yet") and "91 of 100" in verdict
        assert page.locator("#gap-result svg.gap-chart").count() == 1
        assert page.locator("#gap-questionnaire-link").get_attribute("href").endswith("#prompt_result=short-unclear")
    finally:
        context.close()


def test_use_this_in_the_questionnaire_answers_its_evidence_question(page, site_url):
    inputs = {"correct": 950, "items": 1000, "bar": 0.9}  # the whole interval above the bar
    expected = cli("bar", inputs)["questionnaire_answers"]
    assert expected == {"prompt_result": "meets-bar"}
    open_gap(page, site_url, fragment_of("bar", inputs))
    wait_for_verdict(page, cli("bar", inputs)["verdict"])
    page.get_by_role("link", name="Use this in the questionnaire").click()
    page.wait_for_selector(
        'fieldset[data-question="prompt_result"] input[value="meets-bar"]:checked', state="attached", timeout=BOOT_MS
    )
