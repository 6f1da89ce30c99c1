"""The in-page cost calculator, driven in Debian's Chromium against the built site.

Every number on the page comes from the module worker's Pyodide; the expected numbers come from
`python -m decision cost ... --format json` in CPython, so the two runtimes are compared end to end.
The tests share one calculator page (one Pyodide boot), put back to the worked example before each;
only the tests about a fresh start, a link opened anew or another colour scheme open their own page.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from hostile_inputs import CALCULATOR as HOSTILE
from site_support import set_fragment, settle, wait_until, watch

from decision import cost
from decision.cost import cost_chart
from decision.web import calculator_response

pytestmark = [pytest.mark.browser, pytest.mark.site]
ENGINE_READY = '#cost-result[data-engine-state="ready"][data-result]'
BOOT_MS = 90_000  # a Pyodide boot on a loaded 2-core machine
SETTLED = '#cost-result[data-engine-state="ready"]:not([aria-busy])'


def open_calculator(page, site_url: str, fragment: str = "") -> None:
    page.goto(f"{site_url.rstrip('/')}/calculator/{fragment}")
    page.wait_for_selector(ENGINE_READY, state="attached", timeout=BOOT_MS)


@pytest.fixture(scope="module")
def shared_page(watched_context, site_url):
    page = watched_context.new_page()
    open_calculator(page, site_url)
    return page


@pytest.fixture
def calculator(shared_page, watched_context, site_url):
    """The module's page back at the worked example (form, result and address), its errors checked afterwards."""
    page = shared_page
    page.get_by_role("button", name="Back to the example").click()
    wait_for_verdict(page, cli({})["verdict"])
    wait_until(page, "() => location.hash === ''")
    page.wait_for_selector(f'{SETTLED}[data-result="ok"]', state="attached", timeout=BOOT_MS)
    for name in cost.FIELDS:
        assert page.locator(f"#cost-{name}").input_value() == cost.form_value(getattr(cost.EXAMPLE, name)), name
    # as a fresh page: no control focused or under the pointer (their styles differ, and axe checks them)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    yield page
    watched_context.check()


def cli(changes: dict[str, object], example: str | None = None) -> dict:
    """`decision cost --example [ID]` with some inputs changed, as JSON from CPython."""
    flags = tuple(f"--{name.replace('_', '-')}={value}" for name, value in changes.items())
    return json.loads(_cli_json(example, flags))


@functools.cache
def _cli_json(example: str | None, flags: tuple[str, ...]) -> str:
    # One child process per distinct question: the reset before every test asks for the worked example.
    chosen = [f"--example={example}"] if example else ["--example"]
    done = subprocess.run(
        [sys.executable, "-m", "decision", "cost", *chosen, "--format", "json", *flags],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def fill(page, values: dict[str, object]) -> None:
    for name, value in values.items():
        page.locator(f"#cost-{name}").fill(str(value))


def wait_for_inputs(page, values: dict[str, str]) -> None:
    check = "v => Object.entries(v).every(([name, value]) => document.getElementById('cost-' + name)?.value === value)"
    wait_until(page, check, values)


def wait_for_verdict(page, verdict: str) -> None:
    wait_until(page, "v => document.querySelector('#cost-result .cost-verdict').textContent === v", verdict)


def shown_rows(page) -> dict[str, str]:
    rows = page.locator("#cost-result .cost-summary tr").evaluate_all(
        "rows => rows.map(r => [r.querySelector('th').textContent, r.querySelector('td').textContent])"
    )
    return dict(rows)


def expected_rows(data: dict) -> dict[str, str]:
    """The figures in words, worded here from the CLI's JSON numbers."""
    m, per_call, payback = data["monthly_cost"], data["per_call"], data["payback_months"]
    money = cost.money
    cheaper = {"fine-tuned": "fine-tune", "prompting": "prompting", "equal": "neither"}[data["cheaper_route"]]
    rows = {"Cheaper at your volume": cheaper, "Prompting, per month": money(m["prompting"])}
    if m["prompting_gpu"]:
        rows |= {"per-call usage": money(m["prompting_usage"]), "GPU-hours, base model": money(m["prompting_gpu"])}
    rows |= {"Fine-tuned, per month": money(m["fine_tuned"]), "inference": money(m["fine_tuned_inference"])}
    if m["fine_tuned_gpu"]:
        rows["GPU-hours, tuned model"] = money(m["fine_tuned_gpu"])
    even, side = data["break_even_calls_per_month"], data["fine_tune_cheaper_when"]
    even_uncached, side_uncached = data["break_even_without_caching"], data["fine_tune_cheaper_when_without_caching"]
    return rows | {
        "training (amortised)": money(m["fine_tuned_training"]),
        "hosting": money(m["fine_tuned_hosting"]),
        "operations": money(m["fine_tuned_operations"]),
        "Prompting per call": money(per_call["prompting"]),
        "prompting, uncached": money(per_call["prompting_without_caching"]),
        "Fine-tuned per call": money(per_call["fine_tuned"]),
        "fine-tuned, uncached": money(per_call["fine_tuned_without_caching"]),
        "One training run": money(data["training_run_cost"]),
        "Break-even volume": cost.break_even_words(even, side),
        "break-even, uncached": cost.break_even_words(even_uncached, side_uncached),
        "Upfront cost pays back": "never at this volume" if payback is None else cost.duration(payback),
    }


def circle_of(svg: str) -> tuple[str, str] | None:
    found = re.search(r'<circle class="cost-chart-break-even" cx="([\d.]+)" cy="([\d.]+)"', svg)
    return found.groups() if found else None


def test_the_worked_example_is_there_before_python(page, site_url):
    page.route("**/pyodide/**", lambda route: None)  # hold the runtime back: never answered
    page.goto(f"{site_url.rstrip('/')}/calculator/")
    result = page.locator("#cost-result")
    assert result.get_attribute("data-engine-state") == "loading"
    assert shown_rows(page) == expected_rows(cli({}))
    assert page.locator("#cost-result svg circle.cost-chart-break-even").count() == 1
    assert "worked example" in page.locator("#cost-result .cost-status").inner_text()
    page.unroute("**/pyodide/**")


def test_the_engine_waits_for_an_idle_page_or_the_reader(page, site_url):
    # A page that never goes idle: the engine must then wait for the reader to reach for the form.
    page.add_init_script("window.requestIdleCallback = () => { window.__idleAsked = true; return 0; };")
    page.goto(f"{site_url.rstrip('/')}/calculator/")
    page.wait_for_load_state("load")
    # The page has chosen when to start: it asked for an idle moment (which never comes) ...
    wait_until(page, "() => window.__idleAsked === true")
    # ... and has not started the engine meanwhile, even once the page is loaded and the ask made.
    assert not [w for w in page.workers if "engine-worker" in w.url]  # not started
    assert page.locator("#cost-result").get_attribute("data-engine-state") == "loading"
    assert shown_rows(page) == expected_rows(cli({}))  # the build's worked example meanwhile
    page.locator("#cost-calls_per_month").focus()
    page.wait_for_selector(ENGINE_READY, state="attached", timeout=BOOT_MS)
    # Unchanged inputs: the figures from the build stand, and the engine answers the next change.
    assert page.locator("#cost-result").get_attribute("data-result") == "ok"
    changed = cli({"calls_per_month": 30_000_000})
    fill(page, {"calls_per_month": 30_000_000})
    wait_for_verdict(page, changed["verdict"])
    assert shown_rows(page) == expected_rows(changed)


def test_entering_values_gives_the_cli_numbers_and_chart(calculator):
    page = calculator
    changes = {"calls_per_month": 20_000_000, "operations_per_month": 800, "hosting_per_month": 150}
    expected = cli(changes)
    assert expected["fine_tune_cheaper"] is True and expected["verdict"] != cli({})["verdict"]
    fill(page, changes)
    wait_for_verdict(page, expected["verdict"])
    assert shown_rows(page) == expected_rows(expected)
    assert page.locator("#cost-result .cost-verdict").get_attribute("data-prompt-cost") == "with-caching"
    link = page.get_by_role("link", name="Use this in the questionnaire")
    assert link.get_attribute("href").endswith("/questionnaire/#prompt_cost=with-caching")
    # the chart is the engine's, with the break-even circle where CPython draws it
    inputs = cost.parse_inputs(expected["inputs"])
    want = circle_of(cost_chart(cost.compute(inputs), id_prefix=cost.RESULT_CHART_ID))
    assert want is not None
    circle = page.locator("#cost-result svg circle.cost-chart-break-even")
    assert circle.count() == 1
    assert (circle.get_attribute("cx"), circle.get_attribute("cy")) == want
    label = page.locator("#cost-result svg text", has_text="Break-even:").text_content()
    assert label.startswith("Break-even: ") and label.endswith(" calls")
    assert page.locator("#cost-result svg").evaluate("s => s.namespaceURI") == "http://www.w3.org/2000/svg"
    # the inputs are in the address, nothing in the query string
    fragment = urlsplit(page.url).fragment
    assert urlsplit(page.url).query == ""
    assert "calls_per_month=20000000" in fragment and "operations_per_month=800" in fragment


def test_a_volume_below_break_even_and_a_never_case(calculator):
    page = calculator
    low = cli({"calls_per_month": 50_000})
    fill(page, {"calls_per_month": 50_000})
    wait_for_verdict(page, low["verdict"])
    assert shown_rows(page) == expected_rows(low)
    assert (
        page.get_by_role("link", name="Use this in the questionnaire")
        .get_attribute("href")
        .endswith("#prompt_cost=minor")
    )
    never = cli({"calls_per_month": 50_000, "tuned_prompt_tokens": 2000})
    assert never["break_even_calls_per_month"] is None
    fill(page, {"tuned_prompt_tokens": 2000})
    wait_for_verdict(page, never["verdict"])
    assert shown_rows(page)["Break-even volume"] == "never"
    assert page.locator("#cost-result svg circle.cost-chart-break-even").count() == 0
    assert page.locator("#cost-result svg text", has_text="No break-even").count() == 1


def test_back_to_the_example_restores_form_result_and_address(calculator):
    page = calculator
    changes = {"calls_per_month": 20_000_000}
    fill(page, changes)
    wait_for_verdict(page, cli(changes)["verdict"])
    assert "calls_per_month=20000000" in page.url
    page.get_by_role("button", name="Back to the example").click()
    wait_for_verdict(page, cli({})["verdict"])
    wait_until(page, "() => location.hash === ''")
    assert page.locator("#cost-calls_per_month").input_value() == cost.plain(cost.EXAMPLE.calls_per_month)
    assert shown_rows(page) == expected_rows(cli({}))


def test_a_shared_link_restores_inputs_and_result(calculator, watched_context):
    page = calculator
    changes = {"calls_per_month": 7_500_000, "training_examples": 4000, "base_input_price": 0.25}
    expected = cli(changes)
    fill(page, changes)
    wait_for_verdict(page, expected["verdict"])
    shared = page.url
    assert "base_input_price=0.25" in urlsplit(shared).fragment

    other = watched_context.new_page()  # the link opened anew: its own worker and Pyodide
    try:
        other.goto(shared)
        other.wait_for_selector(ENGINE_READY, state="attached", timeout=BOOT_MS)
        wait_for_verdict(other, expected["verdict"])
        for name in cost.FIELDS:
            assert other.locator(f"#cost-{name}").input_value() == cost.form_value(expected["inputs"][name]), name
        assert shown_rows(other) == expected_rows(expected)
    finally:
        other.close()


def test_a_partial_link_fills_the_rest_from_the_example(calculator):
    page = calculator
    # a link naming an input of the 2026 cost model is a new one: the rest comes from the default example
    expected = cli({"calls_per_month": 3_000_000, "hosting_per_month": 200, "cached_share": 0.5})
    set_fragment(page, "calls_per_month=3000000&hosting_per_month=200&cached_share=0.5")
    wait_for_verdict(page, expected["verdict"])
    # the form can be filled once more after the hash change: wait for the inputs to settle
    wait_for_inputs(page, {"calls_per_month": "3000000", "hosting_per_month": "200", "cached_share": "0.5"})
    assert page.locator("#cost-epochs").input_value() == cost.plain(cost.EXAMPLE.epochs)
    note = page.locator("#cost-result .cost-note")
    assert note.is_visible() and "epochs" in note.inner_text() and "calls_per_month" not in note.inner_text()


def test_a_link_from_before_caching_opens_as_it_was_meant_with_a_note(calculator):
    page = calculator
    # only the first model's inputs: read with nothing cached, the rest from the first model's example
    fragment = "calls_per_month=3000000&hosting_per_month=200"
    expected = json.loads(calculator_response(fragment))  # CPython's reading of the same link
    assert expected["notes"] == [cost.LEGACY_NOTE] and expected["inputs"]["cached_share"] == 0
    set_fragment(page, fragment)
    wait_for_verdict(page, expected["verdict"])
    assert shown_rows(page) == expected_rows(expected)
    assert page.locator("#cost-cached_share").input_value() == "0"
    assert page.locator("#cost-base_input_price").input_value() == "0.15"  # gpt-4o-mini, 2024
    assert page.locator("#cost-base_route").input_value() == "tokens"
    note = page.locator("#cost-result .cost-note")
    assert note.is_visible() and "before it priced prompt caching" in note.inner_text()


def test_a_named_example_and_a_gpu_route(calculator):
    page = calculator
    set_fragment(page, "example=self-hosted")
    expected = cli({}, example="self-hosted")
    wait_for_verdict(page, expected["verdict"])
    assert page.locator("#cost-tuned_route").input_value() == "gpu"
    assert shown_rows(page) == expected_rows(expected)
    assert "GPU-hours, tuned model" in shown_rows(page)
    # choosing the route in the form: back to per-token billing for the tuned model
    page.locator("#cost-tuned_route").select_option("tokens")
    changed = cli({"tuned_route": "tokens"}, example="self-hosted")
    wait_for_verdict(page, changed["verdict"])
    assert shown_rows(page) == expected_rows(changed)


def test_an_invalid_input_is_reported_next_to_it_and_clears_when_fixed(calculator):
    page = calculator
    fill(page, {"epochs": -2})
    error = page.locator("#cost-epochs-error")
    error.wait_for(state="visible", timeout=15_000)
    assert "epochs" in error.inner_text() and "negative" in error.inner_text()
    epochs = page.locator("#cost-epochs")
    assert epochs.get_attribute("aria-invalid") == "true"
    assert "cost-epochs-error" in epochs.get_attribute("aria-describedby").split()
    assert "cost-epochs-help" in epochs.get_attribute("aria-describedby").split()
    assert page.locator("#cost-result").get_attribute("data-result") == "error"
    assert page.locator("#cost-result .cost-result__body").is_hidden()
    assert "epochs" in page.locator("#cost-result .cost-errors").inner_text()
    # a consistency problem names the input it is about
    fill(page, {"epochs": 3, "tuned_prompt_tokens": 5000})
    page.locator("#cost-tuned_prompt_tokens-error").wait_for(state="visible", timeout=15_000)
    assert page.locator("#cost-epochs-error").count() == 0
    assert epochs.get_attribute("aria-invalid") is None
    assert "prompt_tokens" in page.locator("#cost-tuned_prompt_tokens-error").inner_text()
    fill(page, {"tuned_prompt_tokens": cost.plain(cost.EXAMPLE.tuned_prompt_tokens)})
    wait_for_verdict(page, cli({})["verdict"])
    assert page.locator("#cost-result .cost-error, [aria-invalid]").count() == 0
    assert page.locator("#cost-result .cost-result__body").is_visible()


@pytest.mark.parametrize("fragment", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_fragments_execute_nothing(calculator, fragment):
    page = calculator
    dialogs = []
    on_dialog = lambda d: (dialogs.append(d.message), d.dismiss())  # noqa: E731
    page.on("dialog", on_dialog)
    set_fragment(page, fragment)
    page.wait_for_selector(f'{SETTLED}[data-result="error"]', state="attached", timeout=BOOT_MS)
    settle(page)  # anything the new DOM queued (load or error events) has run
    page.remove_listener("dialog", on_dialog)
    box = page.locator("#cost-result .cost-errors")
    assert box.is_visible() and box.inner_text().strip()
    assert page.evaluate("window.__pwned") is None and not dialogs
    assert page.locator("#cost-result script, #cost-result img, .cost-error :is(img, script)").count() == 0
    assert page.evaluate("({}).polluted") is None
    field, _, value = fragment.split("&")[0].partition("=")
    if field in cost.FIELDS and "<" in value:
        # the hostile text comes back as text, next to the field it was given for
        assert "<" in page.locator(f"#cost-{field}-error").inner_text()


def test_the_questionnaire_links_both_ways_through_one_worker(page, site_url):
    wasm = []
    page.on("request", lambda r: wasm.append(r.url) if r.url.endswith(".wasm") else None)
    page.goto(f"{site_url.rstrip('/')}/questionnaire/")
    page.wait_for_selector('[data-engine-state="ready"]', state="attached", timeout=BOOT_MS)
    help_link = page.locator('fieldset[data-question="prompt_cost"] .dq-help a.dq-helper')
    assert help_link.inner_text().strip() and help_link.get_attribute("href").endswith("calculator/")
    page.evaluate("window.__sameDocument = true")
    help_link.click()
    page.wait_for_selector(ENGINE_READY, state="attached", timeout=BOOT_MS)
    changes = {"calls_per_month": 20_000_000}
    fill(page, changes)
    wait_for_verdict(page, cli(changes)["verdict"])
    page.get_by_role("link", name="Use this in the questionnaire").click()
    page.wait_for_selector('fieldset[data-question="prompt_cost"] input[value="with-caching"]:checked', timeout=30_000)
    page.wait_for_selector("#decision-result [data-approach]", state="attached", timeout=15_000)
    assert page.evaluate("window.__sameDocument") is True, "a full reload: instant navigation is off"
    assert len(wasm) == 1, wasm  # one worker, one Pyodide for both widgets
    assert len([w for w in page.workers if "engine-worker" in w.url]) == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_calculator(calculator, context_factory, site_url, axe, scheme):
    if scheme == "light":  # the shared page has the default scheme
        page = calculator
    else:
        page = watch(context_factory(color_scheme=scheme).new_page(), context_factory.errors)
        open_calculator(page, site_url)
    expected_scheme = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected_scheme
    found = axe(page)
    assert found == [], "\n".join(found)
    fill(page, {"calls_per_month": -1})
    page.locator("#cost-calls_per_month-error").wait_for(state="visible", timeout=15_000)
    found = axe(page)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("path", ["calculator/", "reference/cli/"])
def test_code_block_toolbars_are_named(calculator, page, site_url, axe, path):
    if path == "calculator/":
        page = calculator  # already open there
    else:
        page.goto(site_url + path)
    navs = page.locator("nav.md-code__nav")
    navs.first.wait_for(state="attached", timeout=15_000)
    assert navs.count() >= 2
    wait_until(
        page, "() => [...document.querySelectorAll('nav.md-code__nav')].every(n => n.getAttribute('aria-label'))"
    )
    labels = navs.evaluate_all("navs => navs.map(n => n.getAttribute('aria-label'))")
    assert len(set(labels)) == len(labels), labels
    found = axe(page)
    assert found == [], "\n".join(found)
