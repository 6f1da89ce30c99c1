// @ts-check
// The in-page gap calculator ("Is the gap real?"): a form on the shared calculator base (engine-form.js);
// Python computes and words everything.
//
// It runs where the page has form#gap-form and section#gap-result (markup from site_glue/gap_macros.py),
// and shares the site's one engine worker with the other widgets (decision-runtime.js). A "gap" request
// is a URL fragment (calculation=bar&correct=91&...); the reply is the JSON of decision.web.gap_response.
// One calculation at a time: the select picks which fieldset is enabled and shown.

import { eachPage, el } from "./decision-runtime.js";
import { EngineForm } from "./engine-form.js";
import { REQUEST } from "./protocol.js";

/**
 * The parts of decision.web.gap_response's reply that the page reads beyond the shared ones.
 * @typedef {import("./engine-form.js").Figures & {
 *   calculation: string,
 *   questionnaire_fragment?: string,
 * }} GapFigures  questionnaire_fragment: only for one system against a bar
 * @typedef {import("./engine-form.js").Control} Control
 */

const PLAIN_FRAGMENT = /^[a-z0-9_=&.%-]*$/i; // what a questionnaire link may carry

/** @param {HTMLElement} root @param {string} selector @returns {HTMLElement} */
const partOf = (root, selector) => /** @type {HTMLElement | null} */ (root.querySelector(selector)) ?? root.appendChild(el("p"));

class GapCalculator extends EngineForm {
  /** @param {HTMLFormElement} form @param {HTMLSelectElement} select @param {HTMLElement} root */
  constructor(form, select, root) {
    super(
      form,
      root,
      REQUEST.gap,
      {
        status: partOf(root, ".gap-status"),
        verdict: partOf(root, ".gap-verdict"),
        errors: partOf(root, ".gap-errors"),
        body: root.querySelector(".gap-result__body"),
        tbody: root.querySelector(".gap-summary tbody"),
        figure: root.querySelector(".gap-chart-figure"),
        note: el("p", { className: "gap-note", hidden: true }),
        partClass: null,
      },
      { engineName: "the engine", command: "decision gap" },
    );
    this.select = select;
    /** @type {HTMLFieldSetElement[]} */
    this.groups = Array.from(form.querySelectorAll("fieldset[data-calculation]"));
    /** @type {HTMLElement | null} */
    this.linkBox = root.querySelector(".gap-questionnaire");
    /** @type {HTMLAnchorElement | null} */
    this.link = root.querySelector("#gap-questionnaire-link");
    this.linkCode = root.querySelector("#gap-questionnaire-answer");
    select.addEventListener("change", () => this.#choose(select.value), { signal: this.signal });
    this.start();
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
  #chosenInputs() {
    const group = this.groups.find((g) => g.dataset.calculation === this.select.value);
    return group ? Array.from(group.querySelectorAll("input[name]")) : [];
  }

  /** The select counts as an input (its problems show beside it). */
  inputs() {
    return [this.select, ...this.#chosenInputs()];
  }

  /** The chosen calculation and its inputs. Every required input is sent, empty or not, so Python names a
   * cleared field instead of filling it; an empty optional input is left out. */
  formFragment() {
    const pairs = [`calculation=${encodeURIComponent(this.select.value)}`];
    for (const input of this.#chosenInputs()) {
      if (input.value.trim() === "" && input.dataset.optional === "true") continue;
      pairs.push(`${encodeURIComponent(input.name)}=${encodeURIComponent(input.value)}`);
    }
    return pairs.join("&");
  }

  isWorkedExample() {
    const built = Array.from(this.select.options).find((option) => option.defaultSelected)?.value ?? "";
    return this.select.value === built && this.#chosenInputs().every((input) => input.value === input.defaultValue);
  }

  afterReset() {
    this.#choose(this.select.value);
  }

  /** A link's calculation is chosen, then its values fill that calculation's inputs (the others are emptied).
   * @param {import("./engine-form.js").Figures | import("./engine-form.js").Problems} payload */
  restore(payload) {
    const calculation = /** @type {{calculation?: unknown}} */ (payload).calculation;
    if (typeof calculation === "string") this.#choose(calculation);
    const values = payload.ok ? payload.form : (payload.given ?? {});
    for (const input of this.#chosenInputs()) {
      const value = Object.hasOwn(values, input.name) ? String(values[input.name]) : "";
      if (input.value !== value) input.value = value;
    }
  }

  /** Each control has its own note in the page's markup, #<id>-error. @param {Control} control */
  #noteFor(control) {
    return document.getElementById(`${control.id}-error`);
  }

  /** @param {Control} control @param {string} text */
  markField(control, text) {
    const note = this.#noteFor(control);
    if (!note) return; // listed in the box only
    super.markField(control, text);
    note.textContent = note.textContent ? `${note.textContent} ${text}` : text;
    note.hidden = false;
  }

  clearFieldMarks() {
    for (const control of [this.select, ...this.form.querySelectorAll("input[name]")]) {
      const input = /** @type {Control} */ (control);
      input.removeAttribute("aria-invalid");
      const note = this.#noteFor(input);
      if (note) {
        note.textContent = "";
        note.hidden = true;
      }
    }
  }

  /** @param {import("./engine-form.js").Figures} figures */
  showFigures(figures) {
    const payload = /** @type {GapFigures} */ (figures);
    const answer = typeof payload.questionnaire_fragment === "string" ? payload.questionnaire_fragment : "";
    const usable = answer !== "" && PLAIN_FRAGMENT.test(answer);
    if (this.linkBox) this.linkBox.hidden = !usable;
    if (this.link && usable) this.link.href = `${this.link.href.split("#")[0]}#${answer}`;
    if (this.linkCode) this.linkCode.textContent = usable ? answer.replaceAll("&", ", ") : "";
    return [];
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
