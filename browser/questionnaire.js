// @ts-check
// The in-page questionnaire: transport and rendering only; the engine decides.
//
// Page contract (markup from site_glue/views.py):
//   fieldset[data-question="<id>"] holding radios whose value is the option value;
//   section#decision-result[aria-live] holding an element with [data-engine-state], and the
//   attribute data-cases-base: the URL of the case studies' folder, relative to this page.
// The answers live in the URL fragment (#id=value&...), written with history.replaceState, so
// they survive a reload and outlast the engine if it fails. A "questionnaire" request gets back
// the JSON of decision.web.questionnaire_response: result, downloads, ignored entries, relevance
// of questions. All DOM is built with el() (textContent only); nothing from the link or the
// engine is ever parsed as HTML.

import { eachPage, el, engine, writeHash } from "./decision-runtime.js";
import { REQUEST, STAGE, STAGES_TO_READY } from "./protocol.js";

/**
 * The parts of decision.web.questionnaire_response's reply that the page reads.
 * @typedef {{topic: string, answer_label: string}} Because
 * @typedef {{topic: string, yours: string, theirs: string}} Difference
 * @typedef {object} View  display-ready text; the page only copies it into elements
 * @property {string} title
 * @property {string} approach
 * @property {"final" | "provisional"} status
 * @property {string} headline  the approach, and for a provisional verdict what open answers would make it
 * @property {string} summary  one line: the headline and the first reason
 * @property {string} status_text  "Final: …" or "Provisional: …"
 * @property {string | null} first_step
 * @property {{label: string, summary: string}[]} components
 * @property {string | null} fine_tune_note
 * @property {{text: string, line: string, because: Because[]}[]} reasons
 * @property {string[]} next_steps
 * @property {string[]} caveats
 * @property {{topic: string, question_text: string, answer_label: string, approach_label: string, what_if: string}[]} changes
 * @property {{text: string, approach_label: string}[]} becomes
 * @property {{id: string, text: string}[]} open_questions
 * @property {{id: string, title: string, approach_label: string, differences: Difference[]}[]} cases
 * @property {string[]} notes  how answers from an older version of the questionnaire were read
 * @property {number} answered_count
 * @property {number} question_count
 * @typedef {object} Payload
 * @property {boolean} ok
 * @property {string} [error]  when not ok
 * @property {Record<string, string>} answers
 * @property {string} fragment
 * @property {string} json
 * @property {string} markdown
 * @property {{field: string, value_shown: string, problem: string}[]} ignored
 * @property {string[]} unanswered
 * @property {string[]} to_ask  open questions still worth asking (the model's branching)
 * @property {string[]} skippable
 * @property {string[]} path  the include rules that fired
 * @property {DrawingNode} path_drawing  the site's flow drawing with `path` highlighted, as a tree (drawn by the engine)
 * @property {WhatIf | null} what_if  set when the link tries a change (a `was=` marker the engine accepted)
 * @property {View} view
 * @typedef {[string, Record<string, string>, (DrawingNode | string)[]]} DrawingNode  [tag, attributes, children]
 * @typedef {object} WhatIf
 * @property {string} topic
 * @property {string} was_label
 * @property {string} now_label
 * @property {string} undo  the fragment of the answers before the change
 * @property {{title: string, approach: string, status: string, status_text: string, headline: string}} before
 */

/** @type {Partial<Record<import("./protocol.js").Stage, string>>} */
const STAGE_TEXT = {
  [STAGE.downloading]: "Downloading the Python runtime (several megabytes; your browser keeps it for later visits)…",
  [STAGE.startingPython]: "Starting Python in your browser…",
  [STAGE.loadingEngine]: "Loading the decision engine…",
  [STAGE.ready]: "The decision engine is ready. Answer any question to update the recommendation.",
};
const CASE_ID = /^[a-z0-9][a-z0-9-]*$/;
const SVG_NS = "http://www.w3.org/2000/svg";
// The flow drawing's vocabulary (decision/engine/flow.py); anything else in a reply's SVG is dropped.
const SVG_TAGS = new Set(["svg", "g", "rect", "text", "line", "path", "title", "desc", "defs", "marker"]);
const SVG_ATTRIBUTES =
  /^(class|data-rule|id|role|aria-labelledby|viewBox|width|height|x|y|x1|y1|x2|y2|rx|d|refX|refY|markerWidth|markerHeight|orient|marker-end)$/;
// Sections shown open until the reader closes them; the others start closed. Keys are section titles.
const OPEN_AT_FIRST = new Set(["Why", "Next steps"]);

/**
 * The engine's drawing (decision.engine.flow: a tree of [tag, attributes, children]) built element by element:
 * nothing is parsed, only the drawing's own elements and attributes are made, and a url() may only point
 * inside it. Anything else in the tree is left out.
 * @param {unknown} tree
 * @returns {Element | null}
 */
function svgFrom(tree) {
  if (!Array.isArray(tree) || tree.length !== 3) return null;
  const [tag, attributes, children] = tree;
  if (typeof tag !== "string" || !SVG_TAGS.has(tag) || typeof attributes !== "object" || !Array.isArray(children)) {
    return null;
  }
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value !== "string" || !SVG_ATTRIBUTES.test(name) || name === "xmlns") continue;
    if (name === "marker-end" && !/^url\(#[a-z0-9-]+\)$/.test(value)) continue;
    node.setAttribute(name, value);
  }
  for (const child of children) {
    if (typeof child === "string") node.append(child);
    else {
      const kept = svgFrom(child);
      if (kept) node.append(kept);
    }
  }
  return node;
}

/**
 * A collapsible part of the result (native <details>: keyboard-operable without script of its own).
 * @param {string} title
 * @param {(string | Node)[]} items
 * @param {{ordered?: boolean, open?: boolean}} [options]
 */
function section(title, items, { ordered = false, open = false } = {}) {
  if (!items.length) return null;
  return el("details", { className: "dq-result__part", "data-part": title, open }, [
    el("summary", { className: "dq-result__part-title" }, [
      title,
      el("span", { className: "dq-result__count-badge", text: ` (${items.length})` }),
    ]),
    el(
      ordered ? "ol" : "ul",
      {},
      items.map((item) => el("li", {}, [item])),
    ),
  ]);
}

/** @param {string} text @param {string} name @param {string} type */
function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** @param {string} hash @returns {[string, string][]} the (id, value) pairs of a fragment that decode */
function pairsOf(hash) {
  /** @type {[string, string][]} */
  const pairs = [];
  for (const pair of hash.replace(/^#/, "").split("&")) {
    const at = pair.indexOf("=");
    if (at < 1) continue;
    try {
      pairs.push([decodeURIComponent(pair.slice(0, at)), decodeURIComponent(pair.slice(at + 1))]);
    } catch {
      // not percent-encoded properly: the engine reports it
    }
  }
  return pairs;
}

/** One questionnaire on one page; `destroy()` removes everything it listens to. */
class Questionnaire {
  #teardown = new AbortController();
  #lane = engine.lane(REQUEST.questionnaire);
  /** @type {Payload | null} the last reply shown, for the downloads */
  #payload = null;
  #askedFirst = false;
  /** @type {"whatif" | "card" | null} what to bring into view and focus once the next reply is shown */
  #reveal = null;
  /** @type {Map<string, boolean>} which result sections the reader opened or closed, kept across answers */
  #openParts = new Map();

  /** @param {HTMLElement} root */
  constructor(root) {
    const signal = this.#teardown.signal;
    this.root = root;
    this.form = document.getElementById("decision-form") ?? document;
    /** @type {HTMLFieldSetElement[]} */
    this.fieldsets = Array.from(document.querySelectorAll("fieldset[data-question]"));
    /** @type {HTMLElement} */
    this.status = root.querySelector("[data-engine-state]") ?? root.appendChild(el("p", { "data-engine-state": "loading" }));
    this.statusText = el("span", { className: "dq-status__text" });
    this.meter = /** @type {HTMLProgressElement} */ (
      el("progress", { className: "dq-status__meter", max: STAGES_TO_READY.length - 1, value: 0, "aria-hidden": "true" })
    );
    this.status.replaceChildren(this.statusText, this.meter);
    this.copyNote = el("span", { className: "dq-toolbar__note", role: "status" });
    this.buttons = {
      restart: this.#button("Start over", () => this.#startOver()),
      copy: this.#button("Copy link", () => this.#copyLink()),
      record: this.#button("Download decision record", () => {
        if (this.#payload) download(this.#payload.markdown, "decision-record.md", "text/markdown;charset=utf-8");
      }),
      json: this.#button("Download JSON", () => {
        if (this.#payload) download(this.#payload.json, "decision.json", "application/json;charset=utf-8");
      }),
    };
    this.buttons.record.disabled = true;
    this.buttons.json.disabled = true;
    this.toolbar = el("div", { className: "dq-toolbar", role: "group", "aria-label": "Questionnaire actions" }, [
      ...Object.values(this.buttons),
      this.copyNote,
    ]);
    const heading = root.querySelector("h2");
    if (heading) heading.after(this.toolbar);
    else root.prepend(this.toolbar);
    heading?.setAttribute("tabindex", "-1"); // the compact bar moves focus here
    this.notice = el("div", { className: "dq-ignored", hidden: true });
    this.output = el("div", { className: "dq-result__body" });
    root.append(this.notice, this.output);
    // Narrow screens: a one-line summary kept at the bottom of the screen while answering; it jumps to the card.
    this.peekTitle = el("span", { className: "dq-peek__title", text: "Your recommendation" });
    this.peekStatus = el("span", { className: "dq-peek__status", text: "loading…" });
    // Kept out of sight (its space kept, so nothing moves) until there is an answer to summarise.
    this.peek = el("div", { className: "dq-peek", "data-empty": "" }, [
      el("button", { type: "button", className: "dq-peek__button" }, [
        this.peekTitle,
        this.peekStatus,
        el("span", { className: "dq-peek__go" }, ["Go to the card", el("span", { "aria-hidden": "true", text: " ↓" })]),
      ]),
    ]);
    this.peek.querySelector("button")?.addEventListener(
      "click",
      () => {
        root.scrollIntoView({ block: "start" });
        (heading ?? root).focus({ preventScroll: true });
      },
      { signal },
    );
    root.before(this.peek);
    this.pathSection = document.getElementById("decision-path");
    this.pathDrawing = this.pathSection?.querySelector("[data-path-drawing]") ?? null;
    for (const fieldset of this.fieldsets) {
      if (!fieldset.querySelector(".dq-skip-note")) {
        fieldset.append(
          el("p", {
            className: "dq-skip-note",
            hidden: true,
            text: "You can skip this: it cannot change the result now.",
          }),
        );
      }
    }
    this.form.addEventListener("change", (event) => this.#onChange(event), { signal });
    this.form.addEventListener("reset", () => setTimeout(() => this.#startOver(), 0), { signal });
    window.addEventListener("hashchange", () => this.#onHashChange(), { signal });
    this.#restoreRadios(location.hash);
    engine.start();
    engine.subscribe(() => this.#showEngineState(), signal);
  }

  destroy() {
    this.#teardown.abort();
    this.#lane.cancel();
    this.toolbar.remove();
    this.notice.remove();
    this.output.remove();
    this.peek.remove();
  }

  /** @param {string} text @param {() => void} action */
  #button(text, action) {
    const button = /** @type {HTMLButtonElement} */ (
      el("button", { type: "button", className: "md-button dq-toolbar__button", text })
    );
    button.addEventListener("click", action, { signal: this.#teardown.signal });
    return button;
  }

  #showEngineState() {
    const state = engine.state === "idle" ? "loading" : engine.state;
    this.status.dataset.engineState = state;
    this.root.dataset.engineState = state;
    this.meter.value = Math.max(0, /** @type {readonly string[]} */ (STAGES_TO_READY).indexOf(engine.stage));
    this.meter.hidden = state !== "loading";
    if (state === "failed") {
      this.root.removeAttribute("aria-busy");
      const flow = new URL("../reference/#decision-flow", location.href).href;
      this.statusText.replaceChildren(
        `The decision engine is not available in this page: ${engine.message}. `,
        "Your answers are kept in this page's address. Follow them through the ",
        el("a", { href: flow, text: "static decision flow" }),
        ", or run ",
        el("code", { text: "decision evaluate" }),
        " on the command line.",
      );
      return;
    }
    this.statusText.textContent = STAGE_TEXT[engine.stage || STAGE.downloading] ?? "";
    if (!this.#askedFirst) {
      this.#askedFirst = true; // asked at once: the worker answers it as soon as Python is up, before its warm-up
      this.#ask(location.hash);
    }
  }

  /** Answers as the form shows them, as a fragment in the page's question order. */
  #formFragment() {
    return this.fieldsets
      .map((fieldset) => {
        const checked = /** @type {HTMLInputElement | null} */ (fieldset.querySelector("input[type=radio]:checked"));
        const id = fieldset.dataset.question ?? "";
        return checked ? `${encodeURIComponent(id)}=${encodeURIComponent(checked.value)}` : null;
      })
      .filter(Boolean)
      .join("&");
  }

  /** Tick the radios a link names, before the engine answers; the engine's answer replaces this. @param {string} hash */
  #restoreRadios(hash) {
    const seen = new Set();
    for (const fieldset of this.fieldsets) this.#setRadio(fieldset.dataset.question, null);
    for (const [id, value] of pairsOf(hash)) {
      if (seen.has(id)) continue;
      seen.add(id);
      this.#setRadio(id, value);
    }
  }

  /** @param {string | undefined} id @param {string | null} value */
  #setRadio(id, value) {
    const fieldset = this.fieldsets.find((f) => f.dataset.question === id);
    if (!fieldset) return;
    for (const input of fieldset.querySelectorAll("input[type=radio]")) {
      if (input instanceof HTMLInputElement) input.checked = value !== null && input.value === value;
    }
  }

  /** @param {Event} event */
  #onChange(event) {
    if (!(event.target instanceof Element) || !event.target.closest("fieldset[data-question]")) return;
    const fragment = this.#formFragment();
    writeHash(fragment);
    this.#ask(`#${fragment}`);
  }

  #onHashChange() {
    const hash = location.hash.replace(/^#/, "");
    let target = null;
    try {
      target = hash && !hash.includes("=") ? document.getElementById(decodeURIComponent(hash)) : null;
    } catch {
      target = null;
    }
    if (target) {
      // A heading or table-of-contents anchor on this page: the browser has scrolled; put the answers back.
      writeHash(this.#formFragment());
      return;
    }
    this.#restoreRadios(location.hash);
    this.#ask(location.hash);
  }

  #startOver() {
    for (const fieldset of this.fieldsets) this.#setRadio(fieldset.dataset.question, null);
    writeHash("");
    this.#ask("");
  }

  /**
   * Show the answers of a fragment the engine wrote (a what-if or its undo) and ask about them; the button
   * that asked is gone with the old result, so the comparison (or the card) takes the focus.
   * @param {string} fragment
   */
  #goToFragment(fragment, reveal = /** @type {"whatif" | "card"} */ ("whatif")) {
    this.#reveal = reveal;
    writeHash(fragment);
    this.#restoreRadios(`#${fragment}`);
    this.#ask(`#${fragment}`);
  }

  #copyLink() {
    // The engine's fragment: it keeps a what-if's marker, so the link can be undone where it is opened.
    const fragment = this.#payload?.fragment ?? this.#formFragment();
    const link = location.origin + location.pathname + location.search + (fragment ? `#${fragment}` : "");
    /** @param {string} text */
    const done = (text) => {
      this.copyNote.textContent = text;
    };
    if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(link).then(
        () => done("Link copied."),
        () => done(`Copy this link: ${link}`),
      );
    } else {
      done(`Copy this link: ${link}`);
    }
  }

  /** Ask the engine about a fragment; a newer question makes the engine's answer to this one irrelevant. @param {string} fragment */
  async #ask(fragment) {
    if (engine.state !== "ready" && engine.state !== "loading") return; // failed: the state says so
    this.root.setAttribute("aria-busy", "true");
    const reply = await this.#lane.ask(fragment);
    if (reply.status === "superseded") return; // the newer request owns aria-busy
    this.root.removeAttribute("aria-busy");
    if (reply.status === "failed") return; // the engine's state shows it, with the answers kept
    if (reply.status === "error") {
      this.output.replaceChildren(el("p", { className: "dq-error", text: `The engine could not answer: ${reply.message}` }));
      return;
    }
    const payload = /** @type {Payload} */ (reply.payload);
    if (!payload.ok) {
      this.output.replaceChildren(el("p", { className: "dq-error", text: `The engine could not answer: ${payload.error}` }));
      return;
    }
    this.#show(payload);
  }

  /** @param {Payload} payload */
  #show(payload) {
    this.#payload = payload;
    for (const fieldset of this.fieldsets) {
      const id = fieldset.dataset.question ?? "";
      this.#setRadio(id, payload.answers[id] ?? null);
    }
    if (location.hash.replace(/^#/, "") !== payload.fragment) writeHash(payload.fragment);
    this.#markRelevance(payload);
    this.#showIgnored(payload.ignored);
    this.#renderResult(payload.view, payload.what_if);
    this.#renderPath(payload.path_drawing);
    this.#revealAsked();
    this.buttons.record.disabled = false;
    this.buttons.json.disabled = false;
  }

  /** @param {Payload} payload */
  #markRelevance(payload) {
    const skippable = new Set(payload.skippable);
    const open = new Set(payload.to_ask);
    for (const fieldset of this.fieldsets) {
      const id = fieldset.dataset.question ?? "";
      const relevance = skippable.has(id) ? "skippable" : open.has(id) ? "open" : "answered";
      fieldset.dataset.relevance = relevance;
      const note = fieldset.querySelector(".dq-skip-note");
      if (note instanceof HTMLElement) note.hidden = relevance !== "skippable";
    }
  }

  /** @param {Payload["ignored"]} ignored */
  #showIgnored(ignored) {
    this.notice.hidden = !ignored.length;
    if (!ignored.length) {
      this.notice.replaceChildren();
      return;
    }
    this.notice.replaceChildren(
      el("p", { text: "Some entries in the link were ignored:" }),
      el(
        "ul",
        {},
        ignored.map((entry) => {
          const shown = entry.value_shown ? ` = “${entry.value_shown}”` : "";
          return el("li", {}, [el("code", { text: entry.field + shown }), `: ${entry.problem}`]);
        }),
      ),
    );
  }

  /** @param {string} id */
  #goTo(id) {
    const fieldset = this.fieldsets.find((f) => f.dataset.question === id);
    if (!fieldset) return;
    fieldset.scrollIntoView({ block: "center" });
    fieldset.querySelector("input")?.focus({ preventScroll: true });
  }

  /**
   * A similar case as a link to its page under the site's case folder, or as text when the id is not a plain slug.
   * @param {{id: string, title: string}} item
   */
  #caseLink(item) {
    const base = this.root.dataset.casesBase;
    if (base === undefined || !CASE_ID.test(item.id)) return el("span", { text: item.title });
    return el("a", { href: new URL(`${item.id}/`, new URL(base, location.href)).href, text: item.title });
  }

  /**
   * A nearest case study: its link, what it ended with, and what differs from these answers.
   * @param {View["cases"][number]} item
   */
  #nearestCase(item) {
    const differs = (item.differences ?? []).map((d) => `${d.topic}: yours “${d.yours}”, theirs “${d.theirs}”`).join("; ");
    return el("span", {}, [
      this.#caseLink(item),
      ` (ended with ${item.approach_label}): ${differs ? `differs on ${differs}` : "the same answers"}.`,
    ]);
  }

  /** @param {string} title @param {(string | Node)[]} items @param {boolean} [ordered] */
  #part(title, items, ordered = false) {
    const part = section(title, items, { ordered, open: this.#openParts.get(title) ?? OPEN_AT_FIRST.has(title) });
    part?.addEventListener("toggle", () => this.#openParts.set(title, /** @type {HTMLDetailsElement} */ (part).open), {
      signal: this.#teardown.signal,
    });
    return part;
  }

  /**
   * The verdict card: the approach, final or provisional, the one-line summary and the first step;
   * the card's actions are the toolbar above it.
   * @param {View} view
   */
  #card(view) {
    const provisional = view.status === "provisional";
    // The summary starts with the headline (decision.engine.render.summary): shown once, the headline marked.
    const why = view.summary.startsWith(`${view.headline}. `) ? view.summary.slice(view.headline.length + 2) : null;
    return el("div", { className: "dq-result__card", "data-approach": view.approach, "data-status": view.status }, [
      el("p", { className: "dq-result__count", text: `${view.answered_count} of ${view.question_count} questions answered.` }),
      el("p", { className: "dq-result__approach" }, [
        el("strong", { text: view.title }),
        " ",
        el("code", { text: view.approach }),
      ]),
      el("p", {
        className: `dq-result__status dq-result__status--${provisional ? "provisional" : "final"}`,
        text: view.status_text,
      }),
      why === null
        ? el("p", { className: "dq-result__summary", text: view.summary })
        : el("p", { className: "dq-result__summary" }, [
            // A final verdict's headline is its title, just above: not shown twice (nor read twice).
            el(
              "span",
              {
                className: view.headline === view.title ? "dq-result__lead dq-result__lead--repeat" : "dq-result__lead",
                "aria-hidden": view.headline === view.title ? "true" : null,
              },
              [el("span", { className: "dq-result__headline", text: view.headline }), ". "],
            ),
            why,
          ]),
      view.first_step
        ? el("p", { className: "dq-result__first" }, [
            el("span", { className: "dq-result__label", text: "First step: " }),
            el("span", { className: "dq-result__first-step", text: view.first_step }),
          ])
        : null,
      view.fine_tune_note ? el("p", { className: "dq-result__note", text: view.fine_tune_note }) : null,
    ]);
  }

  /** The verdict before a tried change, beside the verdict with it, and the way back. @param {View} view @param {WhatIf} whatIf */
  #comparison(view, whatIf) {
    const undo = /** @type {HTMLButtonElement} */ (
      el("button", { type: "button", className: "md-button dq-whatif__undo", text: "Undo this what-if" })
    );
    undo.addEventListener("click", () => this.#goToFragment(whatIf.undo, "card"), { signal: this.#teardown.signal });
    const column = (
      /** @type {string} */ label,
      /** @type {string} */ title,
      /** @type {string} */ status,
      /** @type {string} */ css,
    ) =>
      el("div", { className: `dq-whatif__side ${css}` }, [
        el("p", { className: "dq-whatif__label", text: label }),
        el("p", { className: "dq-whatif__title" }, [el("strong", { text: title })]),
        el("p", { className: "dq-whatif__status", text: status }),
      ]);
    return el("div", { className: "dq-whatif", role: "group", "aria-label": "What-if comparison", tabindex: "-1" }, [
      el("p", {
        className: "dq-whatif__question",
        text: `What if ${whatIf.topic} were “${whatIf.now_label}” instead of “${whatIf.was_label}”?`,
      }),
      el("div", { className: "dq-whatif__sides" }, [
        column("Your answers", whatIf.before.title, whatIf.before.status_text, "dq-whatif__side--before"),
        column("With the change", view.title, view.status_text, "dq-whatif__side--after"),
      ]),
      undo,
    ]);
  }

  /** A "what would change it" entry, with a button that tries it. @param {View["changes"][number]} change */
  #change(change) {
    const button = el("button", {
      type: "button",
      className: "dq-link-button dq-try",
      text: "Try it",
      "aria-label": `Try it: ${change.topic} “${change.answer_label}”`,
    });
    button.addEventListener("click", () => this.#goToFragment(change.what_if), { signal: this.#teardown.signal });
    return el("span", {}, [`${change.topic} “${change.answer_label}”: ${change.approach_label}. `, button]);
  }

  /** @param {View} view @param {WhatIf | null} whatIf */
  #renderResult(view, whatIf) {
    const body = el("div", { className: "dq-result__parts" }, [
      this.#part(
        "Why",
        view.reasons.map((r) => r.line),
      ),
      this.#part("Next steps", view.next_steps, true),
      this.#part(
        "What it involves",
        view.components.map((c) => `${c.label}: ${c.summary}`),
      ),
      this.#part("Caveats", view.caveats),
      this.#part(
        "What the open questions could change",
        view.becomes.map((b) => b.text),
      ),
      this.#part(
        "What would change it",
        view.changes.map((c) => this.#change(c)),
      ),
      this.#part(
        "Open questions that could still change it",
        view.open_questions.map((q) => {
          const button = el("button", { type: "button", className: "dq-link-button", text: q.text });
          button.addEventListener("click", () => this.#goTo(q.id), { signal: this.#teardown.signal });
          return button;
        }),
      ),
      this.#part(
        "Nearest case studies",
        view.cases.map((c) => this.#nearestCase(c)),
      ),
      this.#part("How answers from an older link were read", view.notes),
    ]);
    if (!view.changes.length) {
      body.append(el("p", { className: "dq-result__stable", text: "No single different answer would change the approach." }));
    }
    this.output.replaceChildren(this.#card(view), whatIf ? this.#comparison(view, whatIf) : "", body);
    this.peekTitle.textContent = view.title;
    this.peekStatus.textContent = view.status;
    this.peek.toggleAttribute("data-empty", view.answered_count === 0);
  }

  /** After a what-if or its undo: the column back to its top, and focus on what changed. */
  #revealAsked() {
    const reveal = this.#reveal;
    this.#reveal = null;
    if (!reveal) return;
    const target = reveal === "whatif" ? this.output.querySelector(".dq-whatif") : this.root.querySelector("h2");
    if (!(target instanceof HTMLElement)) return;
    this.root.scrollTop = 0; // the result's own scroll, on wide screens
    target.focus({ preventScroll: true });
    if (target.getBoundingClientRect().top < 0) target.scrollIntoView({ block: "start" });
  }

  /** @param {DrawingNode} tree */
  #renderPath(tree) {
    if (!this.pathSection || !this.pathDrawing) return;
    const built = svgFrom(tree);
    const drawing = built?.localName === "svg" ? built : null;
    if (drawing) this.pathDrawing.replaceChildren(drawing);
    this.pathSection.hidden = !drawing;
  }
}

// The questionnaire starts the engine as soon as its page is parsed (this module runs deferred, at the
// end of the page), not when its widget mounts: it has no result before the engine, and downloading
// the runtime is the long pole. Starting it from <head> instead (an async module) was measured on
// 2026-11-30: a shared link's card came about 4% sooner, and Lighthouse's blocking time on this page
// rose by about a third (bench/questionnaire_load.py, bench/lighthouse.py), so it was not kept.
if (document.getElementById("decision-result")) engine.start();

eachPage(() => {
  const root = document.getElementById("decision-result");
  if (!root) return undefined;
  const questionnaire = new Questionnaire(root);
  return () => questionnaire.destroy();
});
