// @ts-check
// What the two calculator pages share (calculator.js, the cost calculator; gap.js, "Is the gap real?"):
// transport and rendering only, Python computes and words everything.
//
// The inputs live in the page's URL fragment, so a link restores them. An edit goes to the engine after a
// short pause; a link opened (or a page loaded with one) goes at once and the engine's reply puts the values
// back into the form. The engine's state is shown in words; problems are shown next to the inputs concerned
// and listed in one box. Text from a link or the engine reaches the page only through textContent,
// attribute values, or (for the chart) an SVG document parsed as image/svg+xml, checked for scripts and
// imported node by node; nothing is parsed as HTML.
//
// A page's widget extends EngineForm and says what differs: which inputs count (`inputs()`), how a problem
// is shown beside its input (`markField`, `clearFieldMarks`), what the result adds (`showFigures`), and
// whether the form is still the worked example the page was built with (`isWorkedExample`).

import { el, engine, startWhenUsedOrIdle, writeHash } from "./decision-runtime.js";
import { STAGE } from "./protocol.js";

/**
 * @typedef {{field: string, problem: string, message?: string}} InputProblem
 * @typedef {HTMLInputElement | HTMLSelectElement} Control
 * @typedef {object} Figures  what every calculation's reply holds on success
 * @property {true} ok
 * @property {Record<string, string>} form  each input's value as text
 * @property {string} verdict
 * @property {{label: string, value: string, part?: boolean}[]} summary
 * @property {string} chart_svg
 * @property {string} fragment  the canonical share fragment
 * @property {string | null} link_note  what to say when a link left inputs out (worded by Python)
 * @typedef {{ok: false, errors: InputProblem[], given?: Record<string, string>}} Problems
 *
 * @typedef {object} Parts  the result's elements, found or made by the page's widget
 * @property {HTMLElement} status
 * @property {HTMLElement} verdict
 * @property {HTMLElement} errors
 * @property {HTMLElement | null} body  hidden while there are problems
 * @property {Element | null} tbody  the summary table's rows
 * @property {Element | null} figure  holds the chart
 * @property {HTMLElement} note  notes about how a link was read
 * @property {string | null} partClass  the class of summary rows that are parts of the row above
 *
 * @typedef {object} Words  what the page calls its engine and its command line
 * @property {string} engineName  e.g. "the calculator's engine"
 * @property {string} command  the CLI command that gives the same figures
 */

const DEBOUNCE_MS = 150;
const SVG_NS = "http://www.w3.org/2000/svg";
const IDLE_TEXT = "Showing the worked example, computed when this page was built.";

/** The chart as an SVG element, or null if the text is not a plain SVG document. @param {unknown} text */
export function svgFrom(text) {
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
export const hashInputs = () => {
  const hash = location.hash.replace(/^#/, "");
  return hash.includes("=") ? hash : null;
};

/** One calculator form on one page; `destroy()` removes everything it listens to. */
export class EngineForm {
  #teardown = new AbortController();
  /** @type {ReturnType<typeof engine.lane>} */
  #lane;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #debounce;
  #askedFirst = false;
  /** whether the address follows the form (after an edit or an opened link) */
  edited = false;

  /**
   * Listens at once; call `start()` at the end of the subclass's constructor, once its own fields are set.
   * @param {HTMLFormElement} form @param {HTMLElement} root @param {import("./protocol.js").RequestKind} kind
   * @param {Parts} parts @param {Words} words
   */
  constructor(form, root, kind, parts, words) {
    const signal = this.#teardown.signal;
    this.form = form;
    this.root = root;
    this.parts = parts;
    this.words = words;
    this.#lane = engine.lane(kind);
    parts.status.after(parts.note);
    const edited = () => {
      this.edited = true;
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => this.#ask(this.formFragment(), false), DEBOUNCE_MS);
    };
    form.addEventListener("input", edited, { signal });
    form.addEventListener("change", edited, { signal });
    form.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        clearTimeout(this.#debounce);
        this.edited = true;
        this.#ask(this.formFragment(), false);
      },
      { signal },
    );
    form.addEventListener(
      "reset",
      () => {
        clearTimeout(this.#debounce);
        setTimeout(() => {
          this.edited = false;
          this.afterReset();
          writeHash("");
          this.#ask(this.formFragment(), false);
        }, 0);
      },
      { signal },
    );
    window.addEventListener("hashchange", () => this.#onHashChange(), { signal });
  }

  /** Show the engine's state (and ask, once it is ready); start it when the reader uses the form or the page is idle. */
  start() {
    engine.subscribe(() => this.#showEngineState(), this.#teardown.signal);
    startWhenUsedOrIdle(this.form, hashInputs() !== null, this.#teardown.signal);
  }

  /** Aborted when the widget is torn down: for the listeners a page's widget adds itself. */
  get signal() {
    return this.#teardown.signal;
  }

  destroy() {
    clearTimeout(this.#debounce);
    this.#teardown.abort();
    this.#lane.cancel();
    this.parts.note.remove();
  }

  // ------------------------------------------------------------ what a page's widget says for itself

  /** @returns {Control[]} the inputs that count now */
  inputs() {
    return [];
  }

  /** The inputs that count as a fragment, in the form's order; values are sent as typed and checked by Python. */
  formFragment() {
    return this.inputs()
      .map((input) => `${encodeURIComponent(input.name)}=${encodeURIComponent(input.value)}`)
      .join("&");
  }

  /** @returns {boolean} whether the form still holds the worked example (its figures are already the engine's) */
  isWorkedExample() {
    return false;
  }

  /** After the form's reset, before the worked example is asked for again. */
  afterReset() {}

  /** A link was opened: put the reply's values back. @param {Figures | Problems} payload */
  restore(payload) {
    const values = payload.ok ? payload.form : (payload.given ?? {});
    for (const input of this.inputs()) {
      if (!Object.hasOwn(values, input.name)) continue;
      const value = String(values[input.name]);
      if (input.value !== value) input.value = value;
    }
  }

  /** Show one problem next to its input (the widget adds where its text goes). @param {Control} control @param {string} _text */
  markField(control, _text) {
    control.setAttribute("aria-invalid", "true");
  }

  /** Remove every input's problem. */
  clearFieldMarks() {
    for (const control of this.inputs()) control.removeAttribute("aria-invalid");
  }

  /** What the result shows beyond the verdict, the summary and the chart; returns the engine's notes to show
   * under the status line (a link's own note is added when a link was opened).
   * @param {Figures} _payload @returns {string[]} */
  showFigures(_payload) {
    return [];
  }

  /** After the problems are shown. */
  afterProblems() {}

  // ------------------------------------------------------------ shared behaviour

  #showEngineState() {
    const state = engine.state === "idle" ? "loading" : engine.state;
    this.root.dataset.engineState = state;
    this.parts.status.dataset.engineState = state;
    const { engineName, command } = this.words;
    if (state === "failed") {
      this.root.removeAttribute("aria-busy");
      this.parts.status.replaceChildren(
        `${engineName[0].toUpperCase()}${engineName.slice(1)} is not available in this page: ${engine.message}. `,
        "The figures below are the last ones worked out; run ",
        el("code", { text: command }),
        " on the command line for your own numbers.",
      );
      return;
    }
    /** @type {Partial<Record<import("./protocol.js").Stage, string>>} */
    const stageText = {
      [STAGE.downloading]:
        "Showing the worked example while the Python runtime downloads (several megabytes, kept by your browser for later visits)…",
      [STAGE.startingPython]: "Showing the worked example while Python starts in your browser…",
      [STAGE.loadingEngine]: `Showing the worked example while ${engineName} loads…`,
      [STAGE.ready]: "The Python engine is running in your browser: change any input and it works the figures out again.",
    };
    this.parts.status.textContent = (engine.stage && stageText[engine.stage]) || IDLE_TEXT;
    if (state === "ready" && !this.#askedFirst) {
      this.#askedFirst = true;
      this.#fromHash();
    }
  }

  // Opening a link (or the page): the fragment's inputs if it has any, else the form as it stands.
  #fromHash() {
    const fragment = hashInputs();
    if (fragment !== null) {
      this.edited = true;
      this.#ask(fragment, true);
    } else if (this.isWorkedExample()) {
      this.root.dataset.result = "ok"; // the figures shown are already the engine's, from the build
    } else {
      this.#ask(this.formFragment(), false);
    }
  }

  #onHashChange() {
    const fragment = hashInputs();
    if (fragment === null) {
      // A heading or table-of-contents anchor: the browser has scrolled; keep the inputs in the address.
      if (this.edited) writeHash(this.formFragment());
      return;
    }
    clearTimeout(this.#debounce); // a link opened now wins over an edit still waiting to be sent
    this.edited = true;
    this.#ask(fragment, true);
  }

  /**
   * Ask the engine about some inputs; a newer request makes the answer to this one irrelevant.
   * @param {string} fragment
   * @param {boolean} restore  whether the reply's values go back into the form (a link was opened)
   */
  async #ask(fragment, restore) {
    if (engine.state !== "ready") return; // asked for once it is
    if (this.edited && !restore) writeHash(fragment);
    this.root.setAttribute("aria-busy", "true");
    const reply = await this.#lane.ask(fragment);
    if (reply.status === "superseded") return; // the newer request owns aria-busy
    this.root.removeAttribute("aria-busy");
    if (reply.status === "failed") return; // the engine's state shows it; the inputs stay in the form and the address
    /** @type {Figures | Problems} */
    const payload =
      reply.status === "error"
        ? {
            ok: false,
            errors: [{ field: "engine", problem: reply.message, message: `The engine could not answer: ${reply.message}` }],
          }
        : /** @type {Figures | Problems} */ (reply.payload);
    if (restore) this.restore(payload);
    if (payload.ok) this.#showResult(payload, restore);
    else this.#showProblems(payload.errors);
  }

  /** @param {InputProblem[]} errors */
  #showProblems(errors) {
    this.clearFieldMarks();
    const controls = this.inputs();
    for (const error of errors) {
      const control = controls.find((c) => c.name === error.field);
      if (control) this.markField(control, error.message || `${error.field}: ${error.problem}`); // else in the box only
    }
    const { verdict, errors: box, body, note } = this.parts;
    const count = errors.length;
    verdict.textContent = `No result yet: ${count}${count === 1 ? " problem needs" : " problems need"} fixing, shown next to the inputs concerned.`;
    box.replaceChildren(
      el("p", { text: "These inputs need attention:" }),
      el(
        "ul",
        {},
        errors.map((e) => el("li", {}, [el("code", { text: String(e.field) }), `: ${e.problem}`])),
      ),
    );
    box.hidden = false;
    if (body) body.hidden = true;
    note.hidden = true;
    this.root.dataset.result = "error";
    delete this.root.dataset.fragment;
    this.afterProblems();
  }

  /** @param {Figures} payload @param {boolean} restored */
  #showResult(payload, restored) {
    this.clearFieldMarks();
    const { verdict, errors, body, tbody, figure, partClass } = this.parts;
    errors.hidden = true;
    errors.replaceChildren();
    if (body) body.hidden = false;
    verdict.textContent = payload.verdict;
    tbody?.replaceChildren(
      ...payload.summary.map((row) =>
        el("tr", { className: row.part ? partClass : null }, [
          el("th", { scope: "row", text: row.label }),
          el("td", { text: row.value }),
        ]),
      ),
    );
    const svg = svgFrom(payload.chart_svg);
    const old = figure?.querySelector("svg");
    if (svg && old) old.replaceWith(svg);
    else if (svg) figure?.prepend(svg);
    const notes = this.showFigures(payload);
    if (restored && payload.link_note) notes.push(payload.link_note);
    this.parts.note.hidden = !notes.length;
    this.parts.note.textContent = notes.join(" ");
    if (this.edited && hashInputs() !== payload.fragment) writeHash(payload.fragment);
    this.root.dataset.result = "ok";
    this.root.dataset.fragment = payload.fragment;
  }
}
