// @ts-check
// The in-page gap calculator ("Is the gap real?"): transport and rendering only; Python computes and words
// everything.
//
// It runs where the page has form#gap-form and section#gap-result (markup from site_glue/gap_macros.py),
// and shares the site's one engine worker with the other widgets (decision-runtime.js). A "gap" request
// is a URL fragment (calculation=bar&correct=91&...); the reply is the JSON of decision.web.gap_response.
// One calculation at a time: the select picks which fieldset is enabled and shown. The inputs live in the
// page's URL fragment, so a link restores them. Text from the link or the engine reaches the page only
// through textContent, attribute values, or (for the chart) an SVG document parsed as image/svg+xml,
// checked for scripts and imported node by node; nothing is parsed as HTML.

import { eachPage, el, engine, startWhenUsedOrIdle, writeHash } from "./decision-runtime.js";
import { REQUEST, STAGE } from "./protocol.js";

/**
 * The parts of decision.web.gap_response's reply that the page reads.
 * @typedef {{field: string, problem: string, message?: string}} InputProblem
 * @typedef {object} Figures  a result
 * @property {true} ok
 * @property {string} calculation
 * @property {Record<string, string>} form  each input's value as text
 * @property {string} verdict
 * @property {{label: string, value: string}[]} summary
 * @property {string} chart_svg
 * @property {string} fragment  the canonical share fragment
 * @property {string} [questionnaire_fragment]  only for one system against a bar
 * @property {string[]} [inputs_from_example]
 * @typedef {{ok: false, calculation?: string | null, errors: InputProblem[], given?: Record<string, string>}} Problems
 * @typedef {Figures | Problems} Payload
 */

const DEBOUNCE_MS = 150;
const SVG_NS = "http://www.w3.org/2000/svg";
const PLAIN_FRAGMENT = /^[a-z0-9_=&.%-]*$/i; // what a questionnaire link may carry
const IDLE_TEXT = "Showing the worked example, computed when this page was built.";
/** @type {Partial<Record<import("./protocol.js").Stage, string>>} */
const STAGE_TEXT = {
  [STAGE.downloading]:
    "Showing the worked example while the Python runtime downloads (several megabytes, kept by your browser for later visits)…",
  [STAGE.startingPython]: "Showing the worked example while Python starts in your browser…",
  [STAGE.loadingEngine]: "Showing the worked example while the engine loads…",
  [STAGE.ready]: "The Python engine is running in your browser: change any input and it works the figures out again.",
};

/** The chart as an SVG element, or null if the text is not a plain SVG document. @param {unknown} text */
function svgFrom(text) {
  if (typeof text !== "string" || !text) return null;
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== "svg") return null;
  if (doc.getElementsByTagName("parsererror").length) return null;
  const all = [root, ...root.querySelectorAll("*")];
  const unsafe = all.some(
    (node) =>
      /^(script|foreignObject|iframe|use|image|a)$/i.test(node.localName) ||
      Array.from(node.attributes).some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value) || /href$/i.test(a.name)),
  );
  return unsafe ? null : document.importNode(root, true);
}

/** @returns {string | null} the inputs in the address, if it holds any */
const hashInputs = () => {
  const hash = location.hash.replace(/^#/, "");
  return hash.includes("=") ? hash : null;
};

/** One gap calculator on one page; `destroy()` removes everything it listens to. */
class GapCalculator {
  #teardown = new AbortController();
  #lane = engine.lane(REQUEST.gap);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #debounce;
  #edited = false; // whether the fragment should follow the form
  #askedFirst = false;

  /** @param {HTMLFormElement} form @param {HTMLSelectElement} select @param {HTMLElement} root */
  constructor(form, select, root) {
    const signal = this.#teardown.signal;
    this.form = form;
    this.select = select;
    this.root = root;
    /** @type {HTMLFieldSetElement[]} */
    this.groups = Array.from(form.querySelectorAll("fieldset[data-calculation]"));
    /** @type {(selector: string) => HTMLElement} */
    const part = (selector) => root.querySelector(selector) ?? root.appendChild(el("p"));
    this.status = part(".gap-status");
    this.verdict = part(".gap-verdict");
    this.errors = part(".gap-errors");
    /** @type {HTMLElement | null} */
    this.body = root.querySelector(".gap-result__body");
    this.tbody = root.querySelector(".gap-summary tbody");
    this.figure = root.querySelector(".gap-chart-figure");
    /** @type {HTMLElement | null} */
    this.linkBox = root.querySelector(".gap-questionnaire");
    /** @type {HTMLAnchorElement | null} */
    this.link = root.querySelector("#gap-questionnaire-link");
    this.linkCode = root.querySelector("#gap-questionnaire-answer");
    this.note = el("p", { className: "gap-note", hidden: true });
    this.status.after(this.note);
    const edited = () => {
      this.#edited = true;
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => this.#ask(this.#formFragment(), false), DEBOUNCE_MS);
    };
    select.addEventListener("change", () => this.#choose(select.value), { signal });
    form.addEventListener("input", edited, { signal });
    form.addEventListener("change", edited, { signal });
    form.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        clearTimeout(this.#debounce);
        this.#edited = true;
        this.#ask(this.#formFragment(), false);
      },
      { signal },
    );
    form.addEventListener(
      "reset",
      () => {
        clearTimeout(this.#debounce);
        setTimeout(() => {
          this.#edited = false;
          this.#choose(this.select.value);
          writeHash("");
          this.#ask(this.#formFragment(), false);
        }, 0);
      },
      { signal },
    );
    window.addEventListener("hashchange", () => this.#onHashChange(), { signal });
    engine.subscribe(() => this.#showEngineState(), signal);
    startWhenUsedOrIdle(this.form, hashInputs() !== null, this.#teardown.signal);
  }

  destroy() {
    clearTimeout(this.#debounce);
    this.#teardown.abort();
    this.#lane.cancel();
    this.note.remove();
  }

  /** Show and enable the chosen calculation's fieldset only. @param {string} calculation */
  #choose(calculation) {
    const known = this.groups.some((group) => group.dataset.calculation === calculation);
    if (known && this.select.value !== calculation) this.select.value = calculation;
    for (const group of this.groups) {
      const on = group.dataset.calculation === this.select.value;
      group.hidden = !on;
      group.disabled = !on;
    }
  }

  /** @returns {HTMLInputElement[]} the inputs of the chosen calculation */
  #inputs() {
    const group = this.groups.find((g) => g.dataset.calculation === this.select.value);
    return group ? Array.from(group.querySelectorAll("input[name]")) : [];
  }

  #showEngineState() {
    const state = engine.state === "idle" ? "loading" : engine.state;
    this.root.dataset.engineState = state;
    this.status.dataset.engineState = state;
    if (state === "failed") {
      this.root.removeAttribute("aria-busy");
      this.status.replaceChildren(
        `The engine is not available in this page: ${engine.message}. `,
        "The figures below are the last ones worked out; run ",
        el("code", { text: "decision gap" }),
        " on the command line for your own numbers.",
      );
      return;
    }
    this.status.textContent = (engine.stage && STAGE_TEXT[engine.stage]) || IDLE_TEXT;
    if (state === "ready" && !this.#askedFirst) {
      this.#askedFirst = true;
      this.#fromHash();
    }
  }

  /** The chosen calculation and its inputs as a fragment. Every required input is sent, empty or not, so
   * Python names a cleared field instead of filling it; an empty optional input is left out. */
  #formFragment() {
    const pairs = [`calculation=${encodeURIComponent(this.select.value)}`];
    for (const input of this.#inputs()) {
      if (input.value.trim() === "" && input.dataset.optional === "true") continue;
      pairs.push(`${encodeURIComponent(input.name)}=${encodeURIComponent(input.value)}`);
    }
    return pairs.join("&");
  }

  #fromHash() {
    const fragment = hashInputs();
    if (fragment !== null) {
      this.#edited = true;
      this.#ask(fragment, true);
    } else if (this.#inputs().every((input) => input.value === input.defaultValue) && this.select.value === this.#builtChoice()) {
      this.root.dataset.result = "ok"; // still the worked example: the figures shown are already the engine's
    } else {
      this.#ask(this.#formFragment(), false);
    }
  }

  #builtChoice() {
    return Array.from(this.select.options).find((option) => option.defaultSelected)?.value ?? "";
  }

  #onHashChange() {
    const fragment = hashInputs();
    if (fragment === null) {
      if (this.#edited) writeHash(this.#formFragment()); // a heading anchor: keep the inputs in the address
      return;
    }
    clearTimeout(this.#debounce); // a link opened now wins over an edit still waiting to be sent
    this.#edited = true;
    this.#ask(fragment, true);
  }

  /**
   * Ask the engine about some inputs; a newer request makes the answer to this one irrelevant.
   * @param {string} fragment
   * @param {boolean} restore  whether the reply's values go back into the form (a link was opened)
   */
  async #ask(fragment, restore) {
    if (engine.state !== "ready") return; // asked for once it is
    if (this.#edited && !restore) writeHash(fragment);
    this.root.setAttribute("aria-busy", "true");
    const reply = await this.#lane.ask(fragment);
    if (reply.status === "superseded") return;
    this.root.removeAttribute("aria-busy");
    if (reply.status === "failed") return; // the engine's state shows it; the inputs stay put
    /** @type {Payload} */
    const payload =
      reply.status === "error"
        ? {
            ok: false,
            errors: [{ field: "engine", problem: reply.message, message: `The engine could not answer: ${reply.message}` }],
          }
        : /** @type {Payload} */ (reply.payload);
    if (restore) {
      if (typeof payload.calculation === "string") this.#choose(payload.calculation);
      this.#fill(payload.ok ? payload.form : (payload.given ?? {}));
    }
    if (payload.ok) this.#showResult(payload, restore);
    else this.#showErrors(payload.errors);
  }

  /** Put values from a link into the chosen calculation's inputs. @param {Record<string, unknown>} values */
  #fill(values) {
    for (const input of this.#inputs()) {
      const value = Object.hasOwn(values, input.name) ? String(values[input.name]) : "";
      if (input.value !== value) input.value = value;
    }
  }

  /** @param {HTMLInputElement | HTMLSelectElement} control */
  #noteFor(control) {
    return document.getElementById(`${control.id}-error`);
  }

  #clearFieldErrors() {
    for (const control of [this.select, ...this.form.querySelectorAll("input[name]")]) {
      const input = /** @type {HTMLInputElement | HTMLSelectElement} */ (control);
      input.removeAttribute("aria-invalid");
      const note = this.#noteFor(input);
      if (note) {
        note.textContent = "";
        note.hidden = true;
      }
    }
  }

  /** @param {InputProblem[]} errors */
  #showErrors(errors) {
    this.#clearFieldErrors();
    const controls = [this.select, ...this.#inputs()];
    for (const error of errors) {
      const control = controls.find((c) => c.name === error.field);
      const note = control ? this.#noteFor(control) : null;
      if (!control || !note) continue; // listed in the box below only
      const text = error.message || `${error.field}: ${error.problem}`;
      note.textContent = note.textContent ? `${note.textContent} ${text}` : text;
      note.hidden = false;
      control.setAttribute("aria-invalid", "true");
    }
    const count = errors.length;
    this.verdict.textContent = `No result yet: ${count}${count === 1 ? " problem needs" : " problems need"} fixing, shown next to the inputs concerned.`;
    this.errors.replaceChildren(
      el("p", { text: "These inputs need attention:" }),
      el(
        "ul",
        {},
        errors.map((e) => el("li", {}, [el("code", { text: String(e.field) }), `: ${e.problem}`])),
      ),
    );
    this.errors.hidden = false;
    if (this.body) this.body.hidden = true;
    this.note.hidden = true;
    this.root.dataset.result = "error";
    delete this.root.dataset.fragment;
  }

  /** @param {Figures} payload @param {boolean} restore */
  #showResult(payload, restore) {
    this.#clearFieldErrors();
    this.errors.hidden = true;
    this.errors.replaceChildren();
    if (this.body) this.body.hidden = false;
    this.verdict.textContent = payload.verdict;
    this.tbody?.replaceChildren(
      ...payload.summary.map((row) => el("tr", {}, [el("th", { scope: "row", text: row.label }), el("td", { text: row.value })])),
    );
    const svg = svgFrom(payload.chart_svg);
    const old = this.figure?.querySelector("svg");
    if (svg && old) old.replaceWith(svg);
    else if (svg) this.figure?.prepend(svg);
    const answer = typeof payload.questionnaire_fragment === "string" ? payload.questionnaire_fragment : "";
    const usable = answer !== "" && PLAIN_FRAGMENT.test(answer);
    if (this.linkBox) this.linkBox.hidden = !usable;
    if (this.link && usable) this.link.href = `${this.link.href.split("#")[0]}#${answer}`;
    if (this.linkCode) this.linkCode.textContent = usable ? answer.replaceAll("&", ", ") : "";
    /** @type {string[]} */
    const fromExample = restore ? (payload.inputs_from_example ?? []).filter((n) => n !== "alpha" && n !== "power") : [];
    this.note.hidden = !fromExample.length;
    this.note.textContent = fromExample.length
      ? `The link did not give ${fromExample.join(", ")}; the worked example's values are used for them.`
      : "";
    if (this.#edited && hashInputs() !== payload.fragment) writeHash(payload.fragment);
    this.root.dataset.result = "ok";
    this.root.dataset.fragment = payload.fragment;
  }
}

eachPage(() => {
  const form = document.getElementById("gap-form");
  const select = document.getElementById("gap-calculation");
  const root = document.getElementById("gap-result");
  if (!(form instanceof HTMLFormElement) || !(select instanceof HTMLSelectElement) || !root) return undefined;
  const calculator = new GapCalculator(form, select, root);
  return () => calculator.destroy();
});
