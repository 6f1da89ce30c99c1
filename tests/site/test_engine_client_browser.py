"""The page's engine client (browser/decision-runtime.js) when the worker misbehaves, in Chromium.

The worker script is swapped with Playwright's routing for one that misbehaves on purpose: one that
reports "ready" and then never answers (a Python call that hangs), and one that wraps the real
worker and delivers the reply to an older request after a newer one was sent (a stale reply).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from site_support import LOAD_REAL_WORKER, REPO_ROOT, wait_until, watch

from decision import default_model
from decision.web import fragment_from_answers

pytestmark = [pytest.mark.browser, pytest.mark.site]
WORKER = "**/assets/js/engine-worker.mjs"
QUESTIONS = default_model().questions
# Two answers from the model as it stands: the tests need answers, not particular ones.
FIRST = {QUESTIONS[0].id: QUESTIONS[0].values[0]}
BOTH = {**FIRST, QUESTIONS[1].id: QUESTIONS[1].values[0]}

# Says it is ready, then takes every request and never answers, as a hung Python call would.
SILENT_WORKER = """
import { MESSAGE, STAGE } from "./protocol.js";
self.addEventListener("message", () => {});
self.postMessage({ type: MESSAGE.progress, stage: STAGE.ready });
"""

# The real worker, except that the reply to the request HOLD is kept back until the next request
# arrives, and then sent before that request is answered: the page gets it after it asked again.
STALE_REPLY_WORKER = (
    """
const HOLD = __HOLD__;
const post = self.postMessage.bind(self);
const asked = new Map();
let held = null;
self.postMessage = (message) => {
  if (message.type === "response" && held === null && asked.get(message.id) === HOLD) held = message;
  else post(message);
};
self.addEventListener("message", (event) => {
  asked.set(event.data.id, event.data.request);
  if (held !== null && event.data.request !== HOLD) {
    post(held);
    self.staleReplySent = true;
  }
});
"""
    + LOAD_REAL_WORKER
)

# The real worker, with every reply changed by CHANGE (a function of the parsed reply).
CHANGED_REPLY_WORKER = (
    """
const post = self.postMessage.bind(self);
const change = __CHANGE__;
self.postMessage = (message) => {
  if (message.type === "response" && typeof message.text === "string") {
    const reply = JSON.parse(message.text);
    change(reply);
    message = { ...message, text: JSON.stringify(reply) };
  }
  post(message);
};
"""
    + LOAD_REAL_WORKER
)
ODD_CASES = [
    {"id": "plain-slug-1", "title": "A plain id"},
    {"id": "../../elsewhere", "title": "A path"},
    {"id": "javascript:alert(1)", "title": "A script URL"},
    {"id": "Upper", "title": "Capitals"},
    {"id": "-leading", "title": "A leading hyphen"},
    {"id": "x/../../y", "title": "A slash"},
]

# Every result the questionnaire shows, in order, by its "N of M questions answered" line.
RECORD_RESULTS = """() => {
  window.shownResults = [];
  const body = document.querySelector("#decision-result .dq-result__body");
  new MutationObserver(() => {
    const count = body.querySelector(".dq-result__count");
    if (count) window.shownResults.push(count.textContent);
  }).observe(body, { childList: true });
}"""


# The page's own limit on one request, read from the runtime so that the tests follow it.
REQUEST_TIMEOUT_MS = int(
    re.search(r"REQUEST_TIMEOUT_MS = ([\d_]+);", (REPO_ROOT / "browser" / "decision-runtime.js").read_text()).group(1)
)


def past_the_request_timeout(page) -> None:
    """Move the page's clock past the request limit (Playwright's fake clock, installed before the page loads),
    so the test does not wait the limit out in real time."""
    page.clock.fast_forward(REQUEST_TIMEOUT_MS + 1_000)


def serve_worker(context, body: str) -> None:
    context.route(WORKER, lambda route: route.fulfill(body=body, content_type="text/javascript"))


def test_a_request_that_never_returns_ends_in_the_failed_state_with_the_answers_kept(context_factory, site_url):
    context = context_factory()
    serve_worker(context, SILENT_WORKER)
    page = watch(context.new_page(), context_factory.errors)
    page.clock.install()
    answers = BOTH
    fragment = fragment_from_answers(answers)
    page.goto(f"{site_url}questionnaire/#{fragment}")
    result = page.locator("#decision-result")
    result.and_(page.locator('[data-engine-state="ready"]')).wait_for(state="attached", timeout=30_000)
    assert result.get_attribute("aria-busy") == "true"  # the first request is out, and never answered
    past_the_request_timeout(page)
    wait_until(page, "() => document.querySelector('#decision-result').dataset.engineState === 'failed'")
    assert result.get_attribute("aria-busy") is None
    status = page.locator("#decision-result [data-engine-state]").first.inner_text()
    assert "did not answer within" in status and "kept in this page's address" in status
    assert page.get_by_role("link", name="static decision flow").is_visible()
    assert urlsplit(page.url).fragment == fragment
    for qid, value in answers.items():
        assert page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').is_checked(), qid
    assert page.locator("#decision-result [data-approach]").count() == 0  # nothing made up meanwhile


def test_the_calculator_shares_the_failed_state_and_keeps_its_inputs(context_factory, site_url):
    context = context_factory()
    serve_worker(context, SILENT_WORKER)
    page = watch(context.new_page(), context_factory.errors)
    page.clock.install()
    page.goto(f"{site_url}calculator/#calls_per_month=3000000")
    result = page.locator("#cost-result")
    wait_until(page, "() => document.querySelector('#cost-result').hasAttribute('aria-busy')")  # the request is out
    past_the_request_timeout(page)
    wait_until(page, "() => document.querySelector('#cost-result').dataset.engineState === 'failed'")
    assert result.get_attribute("aria-busy") is None
    assert "did not answer within" in page.locator("#cost-result .cost-status").inner_text()
    assert urlsplit(page.url).fragment == "calls_per_month=3000000"


# Notes, when the questionnaire first shows the engine as ready, which result it already shows (if any).
SHOWN_AT_READY = """(() => {
  new MutationObserver((_, observer) => {
    const root = document.querySelector("#decision-result");
    if (root?.dataset.engineState !== "ready") return;
    observer.disconnect();
    window.shownAtReady = root.querySelector(".dq-result__card .dq-result__count")?.textContent ?? null;
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-engine-state"] });
})();"""


def test_a_shared_link_is_answered_while_the_engine_starts(context_factory, site_url):
    """The link's request goes out while Python starts; the worker answers it before its warm-up and before
    it says "ready", so the card is already there when the page hears that the engine is ready."""
    context = context_factory()
    page = watch(context.new_page(), context_factory.errors)
    page.add_init_script(SHOWN_AT_READY)
    page.goto(f"{site_url}questionnaire/#{fragment_from_answers(BOTH)}")
    page.wait_for_selector('#decision-result[data-engine-state="ready"]', state="attached", timeout=90_000)
    wait_until(page, "() => window.shownAtReady !== undefined")
    assert page.evaluate("window.shownAtReady") == f"{len(BOTH)} of {len(QUESTIONS)} questions answered."


def test_a_reply_to_a_superseded_request_is_dropped(context_factory, site_url):
    older, newer = FIRST, BOTH
    context = context_factory()
    serve_worker(context, STALE_REPLY_WORKER.replace("__HOLD__", repr("#" + fragment_from_answers(older))))
    page = watch(context.new_page(), context_factory.errors)
    page.goto(f"{site_url}questionnaire/")
    page.wait_for_selector("#decision-result [data-approach]", state="attached", timeout=90_000)
    page.evaluate(RECORD_RESULTS)
    for qid, value in older.items():  # its reply is held back
        page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').check()
    for qid, value in newer.items() - older.items():
        page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').check()
    newer_shown = f"{len(newer)} of {len(QUESTIONS)} questions answered."
    wait_until(
        page,
        """(count) => document.querySelector("#decision-result .dq-result__count")?.textContent === count
          && !document.querySelector("#decision-result").hasAttribute("aria-busy")""",
        newer_shown,
    )
    engine_worker = next(w for w in page.workers if "engine-worker" in w.url)  # not Material's search worker
    assert engine_worker.evaluate("self.staleReplySent") is True  # the old reply did reach the page
    # Only the newer request's result was ever shown: the stale one never replaced it, before or after.
    assert page.evaluate("window.shownResults") == [newer_shown]
    assert urlsplit(page.url).fragment == fragment_from_answers(newer)


def test_only_plain_case_ids_become_links(context_factory, site_url):
    context = context_factory()
    change = f"(reply) => {{ if (reply.view) reply.view.cases = {json.dumps(ODD_CASES)}; }}"
    serve_worker(context, CHANGED_REPLY_WORKER.replace("__CHANGE__", change))
    page = watch(context.new_page(), context_factory.errors)
    page.goto(f"{site_url}questionnaire/")
    page.wait_for_selector("#decision-result [data-approach]", state="attached", timeout=90_000)
    part = page.locator('.dq-result__part[data-part="Nearest case studies"]')
    items = part.locator("li").evaluate_all(
        "items => items.map(li => { const link = li.querySelector('a');"
        " const title = link ?? li.querySelector('span > span');"
        " return [title && title.textContent, link && new URL(link.href).pathname]; })"
    )
    assert items == [
        ["A plain id", "/cases/plain-slug-1/"],
        *([case["title"], None] for case in ODD_CASES[1:]),
    ]


def test_a_reply_of_another_protocol_version_is_a_failure_in_words(context_factory, site_url):
    context = context_factory()
    serve_worker(context, CHANGED_REPLY_WORKER.replace("__CHANGE__", "(reply) => { reply.protocol = 999; }"))
    page = watch(context.new_page(), context_factory.errors)
    fragment = fragment_from_answers(FIRST)
    page.goto(f"{site_url}questionnaire/#{fragment}")
    wait_until(page, "() => document.querySelector('#decision-result').dataset.engineState === 'failed'")
    status = page.locator("#decision-result [data-engine-state]").first.inner_text()
    assert "a format this page cannot read (version 999;" in status, status
    assert page.locator("#decision-result").get_attribute("aria-busy") is None
    assert page.locator("#decision-result [data-approach]").count() == 0
    assert urlsplit(page.url).fragment == fragment
