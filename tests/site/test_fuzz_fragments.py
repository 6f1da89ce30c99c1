"""Hostile and random URL fragments through the questionnaire's real parsing path, in Chromium.

The fragment is the questionnaire's only input from outside: the page hands it to the engine,
which echoes rejected entries back, and the page shows them. Here one page (one Pyodide) takes
a fixed list of hostile fragments plus hypothesis-generated ones, each set through
`location.hash` (the hashchange path) and a few through a fresh page load (the mount path).
After each: no dialog, no `window.__pwned`, no script/img/iframe/handler attribute/javascript:
link inside the result or the notice of ignored entries, no page error, and a result shown.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision import default_model

pytestmark = [pytest.mark.browser, pytest.mark.site]

READY = '[data-engine-state="ready"]'
QUESTIONS = [q.id for q in default_model().questions]
PWN = "window.__pwned=1"
HOSTILE = [
    f"<script>{PWN}</script>",
    f"{QUESTIONS[0]}=<script>{PWN}</script>",
    f'{QUESTIONS[0]}="><img src=x onerror={PWN}>',
    f"{QUESTIONS[-1]}='><svg/onload={PWN}>",
    f"<img src=x onerror={PWN}>=1",
    f"{QUESTIONS[0]}=javascript:{PWN}",
    "javascript:alert(1)=javascript:alert(1)",
    f"{QUESTIONS[0]}=%3Cscript%3E{quote(PWN)}%3C%2Fscript%3E",
    f"%3Cimg%20src%3Dx%20onerror%3D{quote(PWN)}%3E=%22%3E%3Csvg%20onload%3Dalert(1)%3E",
    f"{QUESTIONS[0]}=%253Cscript%253Ealert(1)%253C%252Fscript%253E",  # double-encoded
    f"{QUESTIONS[0]}=%E2%80%AE%3Cscript%3Ealert(1)",  # percent-encoded RIGHT-TO-LEFT OVERRIDE
    f"{QUESTIONS[0]}=\u202etpircs<\u202d&\u2066x\u2069=\u200f",  # raw bidi controls
    f"{QUESTIONS[0]}=" + "A" * 20_000,  # a very long value
    "&".join(f"k{i}=<b>{i}</b>" for i in range(400)),  # very many entries
    "=" * 500,
    "&&&=&=&==",
    "%",
    "%E0%A4%A",  # a truncated UTF-8 sequence
    "%00%01%0a%0d",
    "decision-result",  # an element id: treated as an anchor, not as answers
    f"{QUESTIONS[0]}=__proto__&__proto__[polluted]=1&constructor=prototype",
    f"</script><script>{PWN}</script>",
    "<iframe src=javascript:alert(1)>=<object data=x>",
    f"{QUESTIONS[0]}=<a href=javascript:{PWN}>x</a>",
]
# Loaded as a fresh page rather than through hashchange (each load boots Pyodide, so only a few).
FRESH = [HOSTILE[1], HOSTILE[2], HOSTILE[8], HOSTILE[12]]

WATCH = """
window.__dialogs = 0;
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function () { window.__dialogs += 1; };
}
"""

SET_HASH = """async (fragment) => {
  const before = location.hash;
  const changed = new Promise((resolve) => addEventListener("hashchange", resolve, { once: true }));
  location.hash = fragment;
  if (location.hash !== before) await changed;
  return location.hash;
}"""

SETTLED = """() => {
  const root = document.getElementById("decision-result");
  return root && !root.hasAttribute("aria-busy") && !!root.querySelector("[data-approach]");
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
  return {
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    dialogs: window.__dialogs,
    polluted: ({}).polluted === undefined ? null : String(({}).polluted),
    bad: bad,
    approach: root.querySelector("[data-approach]")?.getAttribute("data-approach") || null,
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
        self.load("")
        self.baseline_scripts = self.page.evaluate("document.scripts.length")

    def load(self, fragment: str) -> None:
        self.page.goto(self.url + ("#" + fragment if fragment else ""))
        self.page.wait_for_selector(READY, state="attached", timeout=90_000)
        self.wait(SETTLED)

    def wait(self, predicate: str, timeout: float = 15.0) -> None:
        # Polled through page.evaluate: page.wait_for_function evaluates a string, which the
        # site's Content-Security-Policy (no 'unsafe-eval') blocks.
        deadline = time.monotonic() + timeout
        while not self.page.evaluate(predicate):
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {predicate}")
            self.page.wait_for_timeout(50)

    def through_hashchange(self, fragment: str) -> None:
        self.page.evaluate(SET_HASH, fragment)
        self.wait(SETTLED)

    def assert_clean(self, fragment: str) -> None:
        self.page.wait_for_timeout(30)  # let anything queued by the new DOM (onerror, onload) run first
        seen = self.page.evaluate(INSPECT)
        shown = repr(fragment[:120])
        assert seen["pwned"] is None, f"payload ran for {shown}"
        assert seen["dialogs"] == 0 and not self.dialogs, f"a dialog opened for {shown}: {self.dialogs}"
        assert seen["polluted"] is None, f"Object.prototype polluted by {shown}"
        assert not seen["bad"], f"active content in the result for {shown}: {seen['bad']}"
        assert seen["approach"], f"no result shown for {shown}"
        assert seen["scripts"] == self.baseline_scripts, f"script count changed for {shown}"
        assert not self.errors, f"page errors for {shown}: {self.errors}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def session(browser, site_url):
    s = Session(browser, site_url)
    yield s
    s.close()


def test_hostile_fragments_through_hashchange(session):
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
