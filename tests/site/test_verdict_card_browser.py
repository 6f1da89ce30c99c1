"""The questionnaire's verdict card, the reader's path and what-if, driven in Chromium against the built site.

Expected values come from the CLI's JSON and the engine in CPython, never from the page. The tests share
one page (one Pyodide boot), reset to no answers before each; the dark-scheme check opens its own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from urllib.parse import urlsplit

import pytest
from site_support import LOAD_REAL_WORKER, set_fragment, wait_until, watch

from decision import default_model, evaluate
from decision.engine.flow import fired_include_rules
from decision.engine.render import approach_title
from decision.web import fragment_from_answers as fragment_of
from decision.web.questionnaire import what_if_fragment

pytestmark = [pytest.mark.browser, pytest.mark.site]
MODEL = default_model()
BOOT_MS = 90_000
REPLY_MS = 60_000
READY = '[data-engine-state="ready"]'
IDLE = "#decision-result:not([aria-busy])"
# Answer sets: a final and a provisional verdict, a combination, and the empty set (no rule fires).
PARTIAL = {"needs_knowledge": "monthly", "prompt_result": "not-measured"}
ANSWER_SETS = {
    "partial": PARTIAL,
    "nothing": {},
    **{case.id: dict(case.answers) for case in MODEL.cases},
}


def cli_json(answers: dict[str, str]) -> dict:
    flags = [f"--answer={k}={v}" for k, v in answers.items()]
    command = [sys.executable, "-m", "decision", "evaluate", "--no-input", "--format", "json", *flags]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def title_for(answers: dict[str, str]) -> str:
    return approach_title(evaluate(answers), MODEL)


def open_questionnaire(page, site_url: str, fragment: str = "") -> None:
    page.goto(f"{site_url.rstrip('/')}/questionnaire/{fragment}")
    page.wait_for_selector(READY, state="attached", timeout=BOOT_MS)
    page.wait_for_selector(f"{IDLE} .dq-result__card", state="attached", timeout=REPLY_MS)


def shown_for(page, answers: dict[str, str]) -> None:
    """The page's latest reply is in and it is the one for these answers (its count of answers and approach)."""
    approach = evaluate(answers).approach
    count = f"{len(answers)} of {len(MODEL.questions)} questions answered."
    wait_until(
        page,
        """([approach, count]) => {
          const card = document.querySelector("#decision-result:not([aria-busy]) .dq-result__card");
          return !!card && card.dataset.approach === approach
            && card.querySelector(".dq-result__count")?.textContent === count;
        }""",
        [approach, count],
        timeout=REPLY_MS / 1000,
    )


def go(page, answers: dict[str, str], marker: str = "") -> None:
    fragment = fragment_of(answers) + marker
    set_fragment(page, fragment)


@pytest.fixture(scope="module")
def shared_page(watched_context, site_url):
    page = watched_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    open_questionnaire(page, site_url)
    return page


@pytest.fixture
def questionnaire(shared_page, watched_context, site_url):
    page = shared_page
    if not page.url.split("#")[0].endswith("/questionnaire/"):
        open_questionnaire(page, site_url)
    page.set_viewport_size({"width": 1280, "height": 800})
    go(page, {})
    shown_for(page, {})
    yield page
    watched_context.check()


def text(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("el => el.textContent")


@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_the_card_says_what_the_cli_json_says(questionnaire, name):
    page, answers = questionnaire, ANSWER_SETS[name]
    expected = cli_json(answers)
    go(page, answers)
    shown_for(page, answers)
    card = "#decision-result .dq-result__card"
    assert page.locator(card).get_attribute("data-status") == expected["status"]
    assert text(page, f"{card} .dq-result__headline") == expected["headline"]
    assert text(page, f"{card} .dq-result__summary") == expected["summary"]
    assert text(page, f"{card} .dq-result__first-step") == expected["next_steps"][0]["text"]
    assert page.locator(card).is_visible()
    # The card comes first in the result, before every collapsible section.
    order = page.locator("#decision-result .dq-result__body > *").evaluate_all("els => els.map(e => e.className)")
    assert order[0] == "dq-result__card"


@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_the_highlighted_path_is_the_rules_that_fired(questionnaire, name):
    page, answers = questionnaire, ANSWER_SETS[name]
    expected = cli_json(answers)
    fired = fired_include_rules(MODEL, answers)
    go(page, answers)
    shown_for(page, answers)
    lit = page.locator("#decision-path svg .dq-flow-fired").evaluate_all("gs => gs.map(g => g.dataset.rule)")
    assert lit == (fired or ["default"])
    include_ids = {rule.id for rule in MODEL.include_rules}
    assert {r["rule"] for r in expected["reasons"]} & include_ids <= set(fired)
    described = page.locator("#decision-path svg desc").text_content()
    for rule_id in fired:
        assert f"rule {rule_id} adds" in described
    if not fired:
        assert "no rule fired" in described
    # Every row of the static diagram is in the drawing, in the same order.
    rows = page.locator("#decision-path svg [data-rule]").evaluate_all("gs => gs.map(g => g.dataset.rule)")
    assert rows == [rule.id for rule in MODEL.include_rules] + ["default"]


def test_a_what_if_round_trips_through_the_url(questionnaire):
    page = questionnaire
    base = {"needs_knowledge": "stable", "prompt_result": "short"}
    before = evaluate(base)
    change = before.what_would_change[0]
    tried = {**base, change.question: change.answer}
    go(page, base)
    shown_for(page, base)
    part = page.locator("details[data-part='What would change it']")
    part.locator("summary").click()
    part.get_by_role("button", name=re.compile("^Try it: ")).first.click()
    shown_for(page, tried)
    page.wait_for_selector(".dq-whatif", state="visible", timeout=REPLY_MS)
    # The button that asked is gone with the old result: the comparison has the focus, in view.
    wait_until(page, "() => document.activeElement?.matches('.dq-whatif')")
    box = page.locator(".dq-whatif").bounding_box()
    assert box["y"] >= 0 and box["y"] < 800
    fragment = urlsplit(page.url).fragment
    assert fragment.startswith(fragment_of(tried) + "&was=")
    assert page.locator(f'fieldset[data-question="{change.question}"] input[value="{change.answer}"]').is_checked()
    sides = page.locator(".dq-whatif__side .dq-whatif__title").all_text_contents()
    assert sides == [
        cli_json(base)["headline"].split(" for now;")[0],
        cli_json(tried)["headline"].split(" for now;")[0],
    ]
    page.reload()  # the what-if survives a reload: the marker is in the address
    page.wait_for_selector(READY, state="attached", timeout=BOOT_MS)
    shown_for(page, tried)
    page.wait_for_selector(".dq-whatif", state="visible", timeout=REPLY_MS)
    page.get_by_role("button", name="Undo this what-if").click()
    shown_for(page, base)
    wait_until(page, "() => document.activeElement?.id === 'decision-result-title'")
    wait_until(page, "(f) => location.hash === '#' + f", fragment_of(base))
    assert page.locator(".dq-whatif").count() == 0


def test_a_hostile_what_if_marker_is_reported_not_run(questionnaire):
    page = questionnaire
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    go(page, PARTIAL, "&was=needs_knowledge%3A%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    shown_for(page, PARTIAL)
    page.wait_for_selector(".dq-ignored:not([hidden])", timeout=REPLY_MS)
    assert "not an allowed answer before the change" in page.locator(".dq-ignored").inner_text()
    assert page.locator(".dq-whatif").count() == 0 and page.locator("#decision-result img").count() == 0
    assert not dialogs


TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
LAYOUT_SHIFTS = """() => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const moved = entry.sources.map(
        (s) => `${s.node?.className || s.node?.nodeName} ${s.previousRect.y}->${s.currentRect.y} at ${scrollY}`,
      );
      window.__shifts.push([entry.value, entry.hadRecentInput, moved]);
    }
  }).observe({ type: "layout-shift" });
}"""


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_answering_shifts_nothing_on_the_page(questionnaire, viewport):
    page = questionnaire
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate(TWO_FRAMES)  # the resize is laid out before the observer starts
    page.evaluate(LAYOUT_SHIFTS)
    case = next(c for c in MODEL.cases if c.id == "brand-voice")
    given: dict[str, str] = {}
    for qid, value in case.answers.items():
        page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').check()
        given[qid] = value
        shown_for(page, given)
    # Let the last reply's rendering reach the screen, then read what the observer saw (every shift counts,
    # also those right after an input).
    page.evaluate(TWO_FRAMES)
    shifts = page.evaluate("window.__shifts")
    assert sum(value for value, _, _ in shifts) == 0, shifts


def test_the_card_stays_in_view_beside_the_form_on_a_laptop(questionnaire):
    page = questionnaire
    answer = {"needs_knowledge": "stable"}
    go(page, answer)
    shown_for(page, answer)
    last = MODEL.questions[-1].id
    page.locator(f'fieldset[data-question="{last}"]').scroll_into_view_if_needed()
    box = page.locator("#decision-result .dq-result__card").bounding_box()
    form = page.locator(f'fieldset[data-question="{last}"]').bounding_box()
    assert box["x"] > form["x"] + form["width"], "the card is not beside the form"
    assert box["y"] >= 0 and box["y"] + 40 < 800, "the card scrolled out of view"
    assert not page.locator(".dq-peek").is_visible()


def test_on_a_phone_a_compact_summary_jumps_to_the_card(questionnaire):
    page = questionnaire
    page.set_viewport_size({"width": 390, "height": 844})
    answer = {"needs_knowledge": "stable"}
    go(page, answer)
    shown_for(page, answer)
    page.evaluate("window.scrollTo(0, 0)")
    peek = page.locator(".dq-peek button")
    assert peek.is_visible()
    assert page.locator(".dq-peek__title").text_content() == title_for(answer)
    # A one-component title fits a phone's bar whole (it was cut to "Retrieval…" beside a status column).
    assert page.eval_on_selector(".dq-peek__title", "e => e.scrollWidth <= e.clientWidth")
    peek.click()
    wait_until(page, "() => document.activeElement?.id === 'decision-result-title'")
    box = page.locator("#decision-result-title").bounding_box()
    assert 0 <= box["y"] < 844


def test_keyboard_only_from_the_first_question_to_a_downloaded_record(questionnaire, tmp_path):
    page = questionnaire
    page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
    first = MODEL.questions[0]
    for _ in range(80):  # past the header and the navigation, to the first question's radios
        page.keyboard.press("Tab")
        if page.evaluate("(q) => !!document.activeElement?.closest(`fieldset[data-question='${q}']`)", first.id):
            break
    else:
        pytest.fail("Tab never reached the first question")
    page.keyboard.press("Space")  # selects the focused radio, the question's first option
    chosen = {first.id: first.values[0]}
    page.keyboard.press("ArrowDown")  # the next option of the same question
    chosen = {first.id: first.values[1]}
    shown_for(page, chosen)
    for _ in range(200):  # on through the form to the card's actions
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement?.textContent")
        if name == "Download decision record":
            break
    else:
        pytest.fail("Tab never reached the download button")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    path = tmp_path / "record.md"
    info.value.save_as(path)
    flags = [f"--answer={k}={v}" for k, v in chosen.items()]
    expected = subprocess.run(
        [sys.executable, "-m", "decision", "evaluate", "--no-input", "--format", "markdown", *flags],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert path.read_text(encoding="utf-8") == expected


def test_sections_open_and_close_from_the_keyboard(questionnaire):
    page = questionnaire
    go(page, PARTIAL)
    shown_for(page, PARTIAL)
    caveats = page.locator("details[data-part='Caveats']")
    assert caveats.evaluate("d => d.open") is False
    caveats.locator("summary").focus()
    page.keyboard.press("Enter")
    assert caveats.evaluate("d => d.open") is True
    go(page, {**PARTIAL, "stakes": "low"})  # a new answer keeps the reader's choice
    shown_for(page, {**PARTIAL, "stakes": "low"})
    assert page.locator("details[data-part='Caveats']").evaluate("d => d.open") is True
    page.locator("details[data-part='Caveats'] summary").focus()
    page.keyboard.press("Space")
    assert page.locator("details[data-part='Caveats']").evaluate("d => d.open") is False


@pytest.mark.parametrize("scheme", ["light", "dark", "light-phone"])
def test_axe_finds_nothing_on_the_card_the_what_if_and_the_path(questionnaire, context_factory, site_url, axe, scheme):
    if scheme.startswith("light"):
        page = questionnaire
        if scheme == "light-phone":
            page.set_viewport_size({"width": 390, "height": 844})
    else:
        page = watch(context_factory(color_scheme=scheme).new_page(), context_factory.errors)
        page.set_viewport_size({"width": 1280, "height": 800})
        open_questionnaire(page, site_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    base = {"needs_knowledge": "stable", "prompt_result": "short"}
    change = evaluate(base).what_would_change[0]
    set_fragment(page, evaluate_marker(base, change.question, change.answer))
    shown_for(page, {**base, change.question: change.answer})
    page.wait_for_selector(".dq-whatif", state="visible", timeout=REPLY_MS)
    page.evaluate("document.querySelectorAll('#decision-result details').forEach(d => d.open = true)")
    # A resize starts the theme's transitions (the drawer's titles fade): judge colours once they have ended.
    wait_until(page, "() => document.getAnimations().every((a) => a.playState !== 'running')")
    found = axe(page)
    assert found == [], "\n".join(found)


def evaluate_marker(answers: dict[str, str], qid: str, value: str) -> str:
    return what_if_fragment(answers, qid, value, MODEL)


@pytest.mark.parametrize("case", MODEL.cases, ids=[c.id for c in MODEL.cases])
def test_case_pages_show_the_same_card_and_path(built_site, case):
    html = (built_site / "cases" / case.id / "index.html").read_text(encoding="utf-8")
    expected = cli_json(dict(case.answers))
    card = re.search(r'<div class="dq-result__card".*?</div>', html, re.S).group(0)

    headline = unescape(re.search(r'<span class="dq-result__headline">(.*?)</span>', card, re.S).group(1))
    summary = unescape(
        re.sub(r"<[^>]+>", "", re.search(r'<p class="dq-result__summary">(.*?)</p>', card, re.S).group(1))
    )
    first = unescape(re.search(r'<span class="dq-result__first-step">(.*?)</span>', card, re.S).group(1))
    assert (headline, summary, first) == (expected["headline"], expected["summary"], expected["next_steps"][0]["text"])
    lit = re.findall(r'<g class="dq-flow-row dq-flow-fired" data-rule="([^"]+)"', html)
    assert lit == (fired_include_rules(MODEL, case.answers) or ["default"])
    # "Try it" links carry the same what-if fragment as the questionnaire's buttons.
    tries = [unescape(h) for h in re.findall(r'<a href="([^"]+)">Try it in the questionnaire</a>', html)]
    result = evaluate(case.answers)
    assert [h.split("#", 1)[1] for h in tries] == [
        what_if_fragment(result.answers, c.question, c.answer, MODEL) for c in result.what_would_change
    ]
    assert all(h.startswith("../../questionnaire/#") for h in tries)


def test_the_guide_reads_as_prose_with_the_diagram_and_the_rule_tables_are_in_the_reference(built_site):
    guide = (built_site / "guide" / "index.html").read_text(encoding="utf-8")
    reference = (built_site / "reference" / "index.html").read_text(encoding="utf-8")
    assert 'class="dq-flow"' in guide and "How it moves the recommendation" not in guide
    assert "#rule-" not in guide, "the guide still links rule ids"
    for question in MODEL.questions:
        assert f'id="effects-{question.id}"' in reference
        assert f'reference/#effects-{question.id}"' in guide
    assert reference.count("How it moves the recommendation") == len(MODEL.questions)


def test_navigation_puts_the_tools_and_the_guide_first_and_the_reference_last(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    nav = html.split("md-nav--primary", 1)[1]
    order = [h for h in re.findall(r'<a href="([^"]+)"\s+class="md-nav__link', nav) if not h.startswith("#")]
    firsts = [h.strip("./").rstrip("/") for h in order[:5]]
    assert firsts[1:5] == ["questionnaire", "calculator", "gap", "guide"], order[:6]
    tail = [h.strip("./").rstrip("/") for h in order[-3:]]
    assert tail == ["reference", "reference/cli", "reference/decision-record"], order[-4:]


# The real worker, except that each reply's drawing is replaced (a worker that went wrong, or worse).
DRAWING_WORKER = (
    """
const post = self.postMessage.bind(self);
self.postMessage = (message) => {
  if (message.type === "response" && typeof message.text === "string") {
    const reply = JSON.parse(message.text);
    if (reply.path_drawing) reply.path_drawing = __TREE__;
    message = { ...message, text: JSON.stringify(reply) };
  }
  post(message);
};
"""
    + LOAD_REAL_WORKER
)
HOSTILE_TREE = [
    "svg",
    {"xmlns": "http://www.w3.org/2000/svg", "role": "img", "onload": "window.__pwned=1"},
    [
        ["script", {}, ["window.__pwned=2"]],
        [
            "g",
            {"class": "dq-flow-row dq-flow-fired", "data-rule": "kept", "onclick": "window.__pwned=3"},
            [
                ["text", {}, ["kept text", "<img src=x onerror=window.__pwned=4>"]],
            ],
        ],
        ["foreignObject", {}, [["img", {"src": "x", "onerror": "window.__pwned=5"}, []]]],
        ["a", {"href": "javascript:window.__pwned=6"}, [["text", {}, ["link"]]]],
        ["line", {"class": "dq-flow-edge", "marker-end": "url(http://example.invalid/x#y)"}, []],
        ["style", {}, ["* { display: none }"]],
        ["rect", {"x": {"not": "text"}, "y": "1"}, "not a list"],
        "loose text",
    ],
]


def test_the_page_copies_only_the_drawings_own_elements(context_factory, site_url):
    context = context_factory()
    context.route(
        "**/assets/js/engine-worker.mjs",
        lambda route: route.fulfill(
            body=DRAWING_WORKER.replace("__TREE__", json.dumps(HOSTILE_TREE)), content_type="text/javascript"
        ),
    )
    page = watch(context.new_page(), context_factory.errors)
    open_questionnaire(page, site_url)
    drawing = page.locator("#decision-path [data-path-drawing]")
    drawing.locator("svg").wait_for(state="attached", timeout=REPLY_MS)
    assert drawing.locator("g[data-rule='kept'] text").text_content() == "kept text<img src=x onerror=window.__pwned=4>"
    assert drawing.locator("script, foreignObject, a, img, style").count() == 0
    attributes = drawing.evaluate("d => Array.from(d.querySelectorAll('*')).flatMap(e => e.getAttributeNames())")
    assert not [name for name in attributes if name.startswith("on")]
    assert drawing.locator("line").get_attribute("marker-end") is None
    assert page.evaluate("window.__pwned") is None
