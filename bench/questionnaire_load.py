"""Cold-load benchmark of the questionnaire, side by side with a bare Pyodide page.

The bare page loads the same vendored Pyodide in a module worker and does nothing
else: it is the floor for this design. Both are served by scripts/serve.py with
gzip and cache headers, as a static host would, and each load uses a fresh
browser context (cold cache). Reported: medians over N loads of
  (a) navigation -> form interactive (max of DOM interactive and first paint),
  (b) navigation -> engine ready,
  (c) last answer -> result shown,
  (d) a shared link (a case's answers in the fragment) -> its verdict card shown,
and bytes transferred, with ratios to the bare page's engine-ready in the same run; plus the
engine-ready time of a second visit in the same profile (HTTP cache and service worker),
against the cold one.

    make site && .venv/bin/python bench/questionnaire_load.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from chromium import EXECUTABLE, FLAGS  # noqa: E402
from serve import make_server  # noqa: E402

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide</title></head>
<body data-engine-state="loading"><p>Loading Pyodide in a module worker.</p>
<script type="module">
const worker = new Worker("./bare-worker.mjs", {type: "module"});
worker.onmessage = (event) => { document.body.dataset.engineState = event.data; };
</script></body></html>
"""
BARE_WORKER = """import {loadPyodide} from "./pyodide/pyodide.mjs";
const pyodide = await loadPyodide({indexURL: new URL("./pyodide/", import.meta.url).href});
pyodide.runPython("1 + 1");
postMessage("ready");
"""

# Records when an element's data-engine-state first becomes "ready".
WATCH_READY = """
(() => {
  const mark = () => {
    if (window.__readyAt === undefined && document.querySelector('[data-engine-state="ready"]')) {
      window.__readyAt = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, {subtree: true, attributes: true, childList: true,
    attributeFilter: ["data-engine-state"]});
  document.addEventListener("DOMContentLoaded", mark);
})();
"""

# Records when the verdict card for the expected approach first appears (a shared link's answer).
WATCH_CARD = """
(() => {
  const mark = () => {
    if (window.__cardAt === undefined && document.querySelector(`.dq-result__card[data-approach="${EXPECTED}"]`)) {
      window.__cardAt = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, {subtree: true, childList: true});
})();
"""

FORM_TIME = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return Math.max(nav.domInteractive, paint ? paint.startTime : 0);
}"""

# Answer everything of the strict-format case but the last question, then time the last click.
LAST_ANSWER = """async ({answers, last, expected}) => {
  const pick = (id, value) => document.querySelector(
    `fieldset[data-question="${id}"] input[value="${value}"]`).click();
  for (const [id, value] of Object.entries(answers)) pick(id, value);
  const region = document.querySelector("#decision-result");
  await new Promise((resolve) => setTimeout(resolve, 300));
  return await new Promise((resolve) => {
    const start = performance.now();
    const done = () => {
      const el = region.querySelector("[data-approach]") || (region.matches("[data-approach]") ? region : null);
      if (el && el.dataset.approach === expected) { observer.disconnect(); resolve(performance.now() - start); }
    };
    const observer = new MutationObserver(done);
    observer.observe(region, {subtree: true, attributes: true, childList: true, characterData: true});
    pick(last[0], last[1]);
  });
}"""


def serve(root: Path):
    server = make_server(str(root), 0, use_gzip=True, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def one_load(browser, url: str, answer: dict | None) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(WATCH_READY)
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    page.goto(url)
    page.wait_for_selector('[data-engine-state="ready"]', timeout=120_000, state="attached")
    row = {"form_ms": page.evaluate(FORM_TIME), "ready_ms": page.evaluate("window.__readyAt")}
    if answer:
        row["answer_ms"] = page.evaluate(LAST_ANSWER, answer)
    page.wait_for_timeout(200)
    row["bytes"] = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    if answer:  # second visit in the same browser profile: HTTP cache and, once filled, the service worker
        for _ in range(600):  # polled: the site's CSP forbids wait_for_function's string evaluation
            if page.evaluate("navigator.serviceWorker.controller !== null"):
                break
            page.wait_for_timeout(100)
        page.goto(url)
        page.wait_for_selector('[data-engine-state="ready"]', timeout=120_000, state="attached")
        row["warm_ready_ms"] = page.evaluate("window.__readyAt")
    context.close()
    return row


def shared_link_load(browser, url: str, expected: str) -> dict:
    """A cold load of a shared link: navigation -> the verdict card for its answers."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(WATCH_READY + WATCH_CARD.replace("${EXPECTED}", expected))
    page.goto(url)
    page.wait_for_selector(f'.dq-result__card[data-approach="{expected}"]', timeout=120_000, state="attached")
    row = {"ready_ms": page.evaluate("window.__readyAt"), "card_ms": page.evaluate("window.__cardAt")}
    context.close()
    return row


def median(rows: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in rows), 1)


def shared_case() -> tuple[str, dict, str]:
    """The strict-format case: its shared-link fragment, the last-answer workload, its approach."""
    sys.path.insert(0, str(ROOT))
    from decision import default_model
    from decision.web.questionnaire import fragment_from_answers

    case = next(c for c in default_model().cases if c.id == "strict-format")
    answers = dict(case.answers)
    last = ("prompt_result", answers.pop("prompt_result"))
    answer = {"answers": answers, "last": list(last), "expected": case.documented_approach}
    return fragment_from_answers(case.answers), answer, case.documented_approach


def measure(sites: dict[str, Path], runs: int) -> dict:
    """Interleaved cold loads of the bare page and of each named build, so all see the same machine load;
    each build's medians with its ratios to the bare page of the same run."""
    for site in sites.values():
        if not (site / "questionnaire" / "index.html").exists():
            raise SystemExit(f"no built questionnaire in {site}; run `make site` first")
    from playwright.sync_api import sync_playwright

    fragment, answer, expected = shared_case()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp)
        # The floor: Pyodide exactly as npm ships it (full standard library and package list).
        (bare / "pyodide").mkdir()
        for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
            shutil.copy2(ROOT / "node_modules" / "pyodide" / name, bare / "pyodide" / name)
        (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
        (bare / "bare-worker.mjs").write_text(BARE_WORKER, encoding="utf-8")
        servers = {name: serve(site) for name, site in sites.items()}
        bare_server, bare_url = serve(bare)
        bare_rows: list[dict] = []
        rows: dict[str, dict[str, list]] = {name: {"questionnaire": [], "shared": []} for name in sites}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=EXECUTABLE, args=FLAGS)
            for _ in range(runs):
                bare_rows.append(one_load(browser, bare_url + "/", None))
                for name, (_, url) in servers.items():
                    rows[name]["questionnaire"].append(one_load(browser, url + "/questionnaire/", answer))
                    rows[name]["shared"].append(shared_link_load(browser, f"{url}/questionnaire/#{fragment}", expected))
            browser.close()
        for server, _ in servers.values():
            server.shutdown()
        bare_server.shutdown()
    bare_medians = {k: median(bare_rows, k) for k in ("form_ms", "ready_ms", "bytes")}
    return {"runs": runs, "bare": bare_medians} | {
        name: report_for(bare_medians, got["questionnaire"], got["shared"]) for name, got in rows.items()
    }


def report_for(bare: dict, ours: list[dict], shared: list[dict]) -> dict:
    report = {
        "questionnaire": {k: median(ours, k) for k in ("form_ms", "ready_ms", "answer_ms", "bytes", "warm_ready_ms")},
        "shared_link": {k: median(shared, k) for k in ("ready_ms", "card_ms")},
    }
    report["ratios"] = {
        "ready_vs_bare": round(report["questionnaire"]["ready_ms"] / bare["ready_ms"], 3),
        "bytes_vs_bare": round(report["questionnaire"]["bytes"] / bare["bytes"], 3),
        "extra_kb_vs_bare": round((report["questionnaire"]["bytes"] - bare["bytes"]) / 1000, 1),
        "shared_card_vs_bare_ready": round(report["shared_link"]["card_ms"] / bare["ready_ms"], 3),
        "warm_vs_cold_ready": round(report["questionnaire"]["warm_ready_ms"] / report["questionnaire"]["ready_ms"], 3),
    }
    report["targets"] = {
        "form_under_1s": report["questionnaire"]["form_ms"] < 1000,
        "ready_at_most_bare": report["ratios"]["ready_vs_bare"] <= 1.00,
        "answer_under_50ms": report["questionnaire"]["answer_ms"] < 50,
        "shared_card_at_most_half_bare_ready": report["ratios"]["shared_card_vs_bare_ready"] <= 0.5,
        "bytes_at_most_bare_plus_100KB": report["ratios"]["extra_kb_vs_bare"] <= 100,
    }
    return report


def arguments() -> argparse.Namespace:
    """--runs and --site, shared with bench/snapshot_probe.py."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--site", default=str(ROOT / "site"))
    return parser.parse_args()


def main() -> dict:
    args = arguments()
    measured = measure({"site": Path(args.site)}, args.runs)
    return {"runs": measured["runs"], "bare": measured["bare"], **measured["site"]}


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
