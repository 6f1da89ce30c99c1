// @ts-check
// The in-page cost calculator: transport and rendering only; Python computes and words everything.
//
// It runs where the page has form#cost-form and section#cost-result (markup from
// site_glue/cost_macros.py), and shares the site's one engine worker with the questionnaire
// (decision-runtime.js). A "calculator" request is a URL fragment of inputs
// (calls_per_month=...&...); the reply is the JSON of decision.web.calculator_response: on success
// the figures in words, the verdict, the SVG chart, the canonical share fragment and the
// questionnaire answer; on failure a list of {field, problem, message}. The inputs live in the
// page's URL fragment, so a link restores them. Text from the link or the engine only ever reaches
// the page through textContent, attribute values, or (for the chart) an SVG document parsed as
// image/svg+xml, checked for scripts and imported node by node; nothing is parsed as HTML.

import { eachPage, el, engine, startWhenUsedOrIdle, writeHash } from "./decision-runtime.js";
import { REQUEST, STAGE } from "./protocol.js";

/**
 * The parts of decision.web.calculator_response's reply that the page reads.
 * @typedef {{field: string, problem: string, message?: string}} InputProblem
 * @typedef {object} Figures  a result
 * @property {true} ok
 * @property {Record<string, string>} form  each input's value as text
 * @property {string} verdict
 * @property {{label: string, value: string, part?: boolean}[]} summary
 * @property {string} chart_svg
 * @property {string} fragment  the canonical share fragment
 * @property {string} questionnaire_fragment  prompt_cost=with-caching|minor
 * @property {string[]} [inputs_from_example]
 * @property {string[]} [notes]  how the engine read the request (a link from before caching, a named example)
 * @typedef {{ok: false, errors: InputProblem[], given?: Record<string, string>}} Problems  inputs to fix
 * @typedef {Figures | Problems} Payload
 */

const DEBOUNCE_MS = 150;
const SVG_NS = "http://www.w3.org/2000/svg";
const IDLE_TEXT = "Showing the worked example, computed when this page was built.";
/** @type {Partial<Record<import("./protocol.js").Stage, string>>} */
const STAGE_TEXT = {
  [STAGE.downloading]:
    "Showing the worked example while the Python runtime downloads (several megabytes, kept by your browser for later visits)…",
  [STAGE.startingPython]: "Showing the worked example while Python starts in your browser…",
  [STAGE.loadingEngine]: "Showing the worked example while the calculator's engine loads…",
  [STAGE.ready]:
    "The calculator's Python engine is running in your browser: change any input and it works the figures out again.",
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

/** The value a form control had when the page was built. @param {HTMLInputElement | HTMLSelectElement} control */
const builtValue = (control) =>
  control instanceof HTMLSelectElement
    ? (Array.from(control.options).find((option) => option.defaultSelected)?.value ?? "")
    : control.defaultValue;

/** @returns {string | null} the inputs in the address, if it holds any */
const hashInputs = () => {
  const hash = location.hash.replace(/^#/, "");
  return hash.includes("=") ? hash : null;
};

/** One calculator on one page; `destroy()` removes everything it listens to. */
class Calculator {
  #teardown = new AbortController();
  #lane = engine.lane(REQUEST.calculator);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #debounce;
  #edited = false; // whether the fragment should follow the form
  #askedFirst = false;

  /** @param {HTMLFormElement} form @param {HTMLElement} root */
  constructor(form, root) {
    const signal = this.#teardown.signal;
    this.form = form;
    this.root = root;
    /** @type {(HTMLInputElement | HTMLSelectElement)[]} */
    this.inputs = Array.from(form.querySelectorAll("input[name], select[name]"));
    /** @type {(selector: string) => HTMLElement | null} */
    const part = (selector) => root.querySelector(selector);
    this.status = part(".cost-status") ?? root.appendChild(el("p", { className: "cost-status" }));
    this.verdict = part(".cost-verdict") ?? root.appendChild(el("p", { className: "cost-verdict", "aria-live": "polite" }));
    this.errors = part(".cost-errors") ?? root.appendChild(el("div", { className: "cost-errors", role: "alert", hidden: true }));
    /** @type {HTMLElement | null} */
    this.body = root.querySelector(".cost-result__body");
    this.tbody = root.querySelector(".cost-summary tbody");
    this.figure = root.querySelector(".cost-result__chart");
    /** @type {HTMLAnchorElement | null} */
    this.link = root.querySelector(".cost-questionnaire a");
    this.linkCode = root.querySelector(".cost-questionnaire code");
    this.note = el("p", { className: "cost-note", hidden: true });
    this.status.after(this.note);
    const edited = () => {
      this.#edited = true;
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => this.#ask(this.#formFragment(), false), DEBOUNCE_MS);
    };
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

  #showEngineState() {
    const state = engine.state === "idle" ? "loading" : engine.state;
    this.root.dataset.engineState = state;
    this.status.dataset.engineState = state;
    if (state === "failed") {
      this.root.removeAttribute("aria-busy");
      this.status.replaceChildren(
        `The calculator's engine is not available in this page: ${engine.message}. `,
        "The figures below are the last ones worked out; run ",
        el("code", { text: "decision cost" }),
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

  /** The inputs as a fragment, in the form's order; values are sent as typed and checked by Python. */
  #formFragment() {
    return this.inputs.map((input) => `${encodeURIComponent(input.name)}=${encodeURIComponent(input.value)}`).join("&");
  }

  // Opening a link (or the page): the fragment's inputs if it has any, else the form as it stands.
  #fromHash() {
    const fragment = hashInputs();
    if (fragment !== null) {
      this.#edited = true;
      this.#ask(fragment, true);
    } else if (this.inputs.every((input) => input.value === builtValue(input))) {
      // Still the worked example: the figures shown are already the engine's, from the build.
      this.root.dataset.result = "ok";
    } else {
      this.#ask(this.#formFragment(), false);
    }
  }

  #onHashChange() {
    const fragment = hashInputs();
    if (fragment === null) {
      // A heading or table-of-contents anchor: the browser has scrolled; keep the inputs in the address.
      if (this.#edited) writeHash(this.#formFragment());
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
    if (reply.status === "superseded") return; // the newer request owns aria-busy
    this.root.removeAttribute("aria-busy");
    if (reply.status === "failed") return; // the engine's state shows it; the inputs stay in the form and the address
    /** @type {Payload} */
    const payload =
      reply.status === "error"
        ? {
            ok: false,
            errors: [{ field: "engine", problem: reply.message, message: `The engine could not answer: ${reply.message}` }],
          }
        : /** @type {Payload} */ (reply.payload);
    if (restore) this.#fill(payload.ok ? payload.form : (payload.given ?? {}));
    if (payload.ok) this.#showResult(payload, restore);
    else this.#showErrors(payload.errors);
  }

  /** Put values into the form (from a link); values that are not numbers show as empty number fields, and a
   * route that is not one of a select's options leaves it unselected. @param {Record<string, unknown>} values */
  #fill(values) {
    for (const input of this.inputs) {
      if (!Object.hasOwn(values, input.name)) continue;
      const value = String(values[input.name]);
      if (input.value !== value) input.value = value;
    }
  }

  #clearFieldErrors() {
    for (const input of this.inputs) {
      const id = `cost-${input.name}-error`;
      input.removeAttribute("aria-invalid");
      document.getElementById(id)?.remove();
      const described = (input.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((other) => other && other !== id);
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    }
  }

  /** @param {InputProblem[]} errors */
  #showErrors(errors) {
    this.#clearFieldErrors();
    for (const error of errors) {
      const input = this.inputs.find((i) => i.name === error.field);
      if (!input) continue; // listed in the box below only
      const id = `cost-${input.name}-error`;
      let note = document.getElementById(id);
      if (!note) {
        note = el("p", { className: "cost-error", id });
        input.after(note);
        input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") ?? ""} ${id}`.trim());
      }
      const text = error.message || `${error.field}: ${error.problem}`;
      note.textContent = note.textContent ? `${note.textContent} ${text}` : text;
      input.setAttribute("aria-invalid", "true");
    }
    const count = errors.length;
    this.verdict.textContent = `No result yet: ${count}${count === 1 ? " problem needs" : " problems need"} fixing, shown next to the inputs concerned.`;
    delete this.verdict.dataset.promptCost;
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
  }

  /** @param {Figures} payload @param {boolean} restore */
  #showResult(payload, restore) {
    this.#clearFieldErrors();
    this.errors.hidden = true;
    this.errors.replaceChildren();
    if (this.body) this.body.hidden = false;
    this.verdict.textContent = payload.verdict;
    const answer = String(payload.questionnaire_fragment).split("=")[1] ?? "";
    this.verdict.dataset.promptCost = answer;
    this.tbody?.replaceChildren(
      ...payload.summary.map((row) =>
        el("tr", { className: row.part ? "cost-summary__part" : null }, [
          el("th", { scope: "row", text: row.label }),
          el("td", { text: row.value }),
        ]),
      ),
    );
    const svg = svgFrom(payload.chart_svg);
    const old = this.figure?.querySelector("svg");
    if (svg && old) old.replaceWith(svg);
    else if (svg) this.figure?.prepend(svg);
    if (this.link) {
      this.link.href = `${this.link.href.split("#")[0]}#${payload.questionnaire_fragment}`;
      this.link.dataset.promptCost = answer;
    }
    if (this.linkCode) this.linkCode.textContent = payload.questionnaire_fragment;
    // Notes from the engine (an old link read as it was meant, the worked example a link named), then the
    // inputs a link left out, unless it left out all of them (it named an example instead).
    /** @type {string[]} */
    const notes = Array.isArray(payload.notes) ? payload.notes.map(String) : [];
    /** @type {string[]} */
    const fromExample = restore ? (payload.inputs_from_example ?? []) : [];
    if (fromExample.length && fromExample.length < this.inputs.length)
      notes.push(`The link did not give ${fromExample.join(", ")}; the worked example's values are used for them.`);
    this.note.hidden = !notes.length;
    this.note.textContent = notes.join(" ");
    if (this.#edited && hashInputs() !== payload.fragment) writeHash(payload.fragment);
    this.root.dataset.result = "ok";
    this.root.dataset.fragment = payload.fragment;
  }
}

eachPage(() => {
  const form = document.getElementById("cost-form");
  const root = document.getElementById("cost-result");
  if (!(form instanceof HTMLFormElement) || !root) return undefined;
  const calculator = new Calculator(form, root);
  return () => calculator.destroy();
});
