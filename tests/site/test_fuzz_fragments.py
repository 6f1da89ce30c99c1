"""Hostile and random URL fragments through the questionnaire's real parsing path, in Chromium.

The fragment is the questionnaire's only input from outside: the page hands it to the engine,
which echoes rejected entries back, and the page shows them. Here one page (one Pyodide) takes
the shared list of hostile inputs (tests/hostile_inputs.py) plus hypothesis-generated fragments,
each set through `location.hash` (the hashchange path), and a few through a fresh page load (the
mount path). After each, once the engine's reply for that fragment is shown: the same answers,
approach and ignored entries as CPython's `questionnaire_response` for the address the page holds;
no dialog, no `window.__pwned`, no script/img/iframe/handler attribute/javascript: link inside the
result or the notice of ignored entries, no page error.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hostile_inputs import PWN, QUESTIONNAIRE
from hypothesis import given, settings
from hypothesis import strategies as st
from site_support import settle, wait_until

from decision import default_model
from decision.web import questionnaire_response

pytestmark = [pytest.mark.browser, pytest.mark.site]

READY = '[data-engine-state="ready"]'
QUESTIONS = [q.id for q in default_model().questions]
HOSTILE = [*QUESTIONNAIRE, "decision-result"]  # the last is an element id: an anchor, not answers
# Loaded as a fresh page rather than through hashchange (each load boots Pyodide, so only a few).
FRESH = [QUESTIONNAIRE[1], QUESTIONNAIRE[2], QUESTIONNAIRE[8], QUESTIONNAIRE[14]]

WATCH = """
window.__initialHash = location.hash;  // what the page mounts from, before its reply rewrites the address
window.__dialogs = 0;
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function () { window.__dialogs += 1; };
}
"""

# Resolves after the page's own hashchange listener (registered first) has run: `asked` tells whether it
# sent the engine a request (aria-busy is set at once), `hash` is the address the page read.
SET_HASH = """async (fragment) => {
  const before = location.href;  // not location.hash, which reads "" both without a fragment and for "#"
  const changed = new Promise((resolve) => addEventListener("hashchange", resolve, { once: true }));
  location.hash = fragment;
  const hash = location.hash;
  const moved = location.href !== before;
  if (moved) await changed;
  const root = document.getElementById("decision-result");
  // The page's rule: a fragment that names an element on the page is an anchor, anything else answers.
  const bare = hash.replace(/^#/, "");
  let anchor = false;
  try {
    anchor = !!bare && !bare.includes("=") && !!document.getElementById(decodeURIComponent(bare));
  } catch {
    anchor = false;
  }
  return { hash: hash, changed: moved, anchor: anchor, asked: root.hasAttribute("aria-busy") };
}"""

# The engine's latest reply is shown: the page drops older replies and clears aria-busy only for the latest.
SETTLED = """() => {
  const root = document.getElementById("decision-result");
  return !!root && !!root.querySelector(".dq-result__body") && !root.hasAttribute("aria-busy")
    && !!root.querySelector("[data-approach]");
}"""

INSPECT = """() => {
  const root = document.getElementById("decision-result");
  const areas = [root, ...document.querySelectorAll(".dq-ignored")];
  const bad = [];
  for (const area of areas) {
    for (const node of area.querySelectorAll("script, img, iframe, object, embed, svg script, link, style, base")) {
      bad.push("element " + node.tagName);
    }
    for (const node of area.querySelectorAll("*")) {
      for (const attr of node.getAttributeNames()) {
        if (attr.toLowerCase().startsWith("on")) bad.push("handler " + attr + " on " + node.tagName);
      }
      for (const attr of ["href", "src", "action", "formaction", "xlink:href"]) {
        const value = (node.getAttribute(attr) || "").replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
        if (value.startsWith("javascript:")) bad.push("javascript: URL in " + node.tagName);
      }
    }
  }
  const notice = document.querySelector(".dq-ignored");
  return {
    busy: root.hasAttribute("aria-busy"),
    checked: Object.fromEntries([...document.querySelectorAll("fieldset[data-question] input:checked")]
      .map((input) => [input.closest("fieldset").dataset.question, input.value])),
    ignored: notice && !notice.hidden ? notice.querySelectorAll("li").length : 0,
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    dialogs: window.__dialogs,
    polluted: ({}).polluted === undefined ? null : String(({}).polluted),
    bad: bad,
    approach: root.querySelector("[data-approach]")?.getAttribute("data-approach") || null,
    text: root.innerText.slice(0, 600),
    scripts: document.scripts.length,
  };
}"""


class Session:
    """One context and page for the whole module, so Pyodide boots once for the hashchange cases."""

    def __init__(self, browser, site_url):
        self.url = site_url.rstrip("/") + "/questionnaire/"
        self.context = browser.new_context()
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.expected = None
        self.load("")
        self.baseline_scripts = self.page.evaluate("document.scripts.length")

    def load(self, fragment: str) -> None:
        """A real page load (not a same-document fragment change): the widget mounts from the address."""
        self.page.goto("about:blank")
        self.page.goto(self.url + ("#" + fragment if fragment else ""))
        self.page.wait_for_selector(READY, state="attached", timeout=90_000)
        self.expected = self.engine_says(self.page.evaluate("window.__initialHash"))
        wait_until(self.page, SETTLED)

    def through_hashchange(self, fragment: str) -> None:
        change = self.page.evaluate(SET_HASH, fragment)
        # A new address that is not an anchor must reach the engine; an anchor (or the same address) keeps
        # the answers shown as they were.
        assert change["asked"] == (change["changed"] and not change["anchor"]), f"{change} for {fragment[:120]!r}"
        if change["asked"]:
            self.expected = self.engine_says(change["hash"])
        wait_until(self.page, SETTLED)

    @staticmethod
    def engine_says(hash_: str) -> dict:
        reply = json.loads(questionnaire_response(hash_))
        assert reply["ok"], reply
        return {"answers": reply["answers"], "approach": reply["view"]["approach"], "ignored": len(reply["ignored"])}

    def assert_clean(self, fragment: str) -> None:
        settle(self.page)  # let anything the new DOM queued (load or error events) run first
        # Material's instant navigation may mount the widget again for the new address (a hash change also
        # fires popstate); the remounted widget asks the engine once more, so wait for that result too.
        wait_until(self.page, SETTLED)
        seen = self.page.evaluate(INSPECT)
        shown = repr(fragment[:120])
        assert seen["pwned"] is None, f"payload ran for {shown}"
        assert seen["dialogs"] == 0 and not self.dialogs, f"a dialog opened for {shown}: {self.dialogs}"
        assert seen["polluted"] is None, f"Object.prototype polluted by {shown}"
        assert not seen["bad"], f"active content in the result for {shown}: {seen['bad']}"
        assert seen["approach"] and not seen["busy"], f"no result shown for {shown}: {seen['text']!r}"
        assert seen["scripts"] == self.baseline_scripts, f"script count changed for {shown}"
        assert not self.errors, f"page errors for {shown}: {self.errors}"
        # What CPython's engine says for the address the page read: the page shows exactly that.
        expected = self.expected
        assert seen["approach"] == expected["approach"], f"approach for {shown}"
        assert seen["checked"] == expected["answers"], f"answers ticked for {shown}"
        assert seen["ignored"] == expected["ignored"], f"ignored entries listed for {shown}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def session(browser, site_url):
    s = Session(browser, site_url)
    yield s
    s.close()


def test_hostile_fragments_through_hashchange(session):
    # Every shared hostile input has something to reject, so the notice is exercised each time.
    assert all(session.engine_says(fragment)["ignored"] for fragment in QUESTIONNAIRE)
    for fragment in HOSTILE:
        session.through_hashchange(fragment)
        session.assert_clean(fragment)


def test_the_notice_shows_rejected_markup_as_text(session):
    """Guards the checks above: the hostile text does reach the page, as inert text."""
    fragment = f"{QUESTIONS[0]}=<img src=x onerror={PWN}>"
    session.through_hashchange(fragment)
    session.assert_clean(fragment)
    notice = session.page.locator(".dq-ignored").inner_text()
    assert "<img src=x onerror=" in notice, notice


@pytest.mark.parametrize("fragment", FRESH, ids=[f"fresh{i}" for i in range(len(FRESH))])
def test_hostile_fragments_on_a_fresh_load(session, fragment):
    session.load(fragment)
    session.assert_clean(fragment)


def _pairs(keys, values):
    return st.lists(st.tuples(keys, values), min_size=1, max_size=6).map(
        lambda items: "&".join(f"{k}={v}" for k, v in items)
    )


FRAGMENTS = st.one_of(
    st.text(max_size=300),
    _pairs(st.sampled_from(QUESTIONS), st.text(max_size=80)),
    _pairs(st.text(max_size=40), st.sampled_from(HOSTILE)),
    st.text(max_size=200).map(lambda s: quote(s, safe="")),
)


@settings(max_examples=40, deadline=None)
@given(fragment=FRAGMENTS)
def test_generated_fragments(session, fragment):
    session.through_hashchange(fragment)
    session.assert_clean(fragment)


def test_the_inspection_notices_injected_markup(session):
    """Guards the checks above: markup planted in the notice is reported (the CSP keeps its handler from running)."""
    page = session.page
    page.evaluate(
        """() => {
      const img = document.createElement("img");
      img.setAttribute("src", "data:,x");
      img.setAttribute("onerror", "window.__pwned = 1");
      img.id = "planted";
      document.querySelector("#decision-result").append(img);
    }"""
    )
    try:
        found = page.evaluate(INSPECT)["bad"]
        assert "element IMG" in found and "handler onerror on IMG" in found, found
    finally:
        page.evaluate("() => document.getElementById('planted').remove()")
