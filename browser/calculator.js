// @ts-check
// The in-page cost calculator: a form on the shared calculator base (engine-form.js); Python computes and
// words everything.
//
// It runs where the page has form#cost-form and section#cost-result (markup from
// site_glue/cost_macros.py), and shares the site's one engine worker with the other widgets
// (decision-runtime.js). A "calculator" request is a URL fragment of inputs
// (calls_per_month=...&...); the reply is the JSON of decision.web.calculator_response: on success
// the figures in words, the verdict, the SVG chart, the canonical share fragment and the
// questionnaire answer; on failure a list of {field, problem, message}.

import { eachPage, el } from "./decision-runtime.js";
import { EngineForm } from "./engine-form.js";
import { REQUEST } from "./protocol.js";

/**
 * The parts of decision.web.calculator_response's reply that the page reads beyond the shared ones.
 * @typedef {import("./engine-form.js").Figures & {
 *   questionnaire_fragment: string,
 *   notes?: string[],
 * }} CostFigures  questionnaire_fragment: prompt_cost=with-caching|minor; notes: how the engine read the
 *   request (a link from before caching, a named example)
 * @typedef {import("./engine-form.js").Control} Control
 */

/** The value a form control had when the page was built. @param {Control} control */
const builtValue = (control) =>
  control instanceof HTMLSelectElement
    ? (Array.from(control.options).find((option) => option.defaultSelected)?.value ?? "")
    : control.defaultValue;

/** @param {HTMLElement} root @param {string} selector @param {() => HTMLElement} make @returns {HTMLElement} */
const partOf = (root, selector, make) =>
  /** @type {HTMLElement | null} */ (root.querySelector(selector)) ?? root.appendChild(make());

class Calculator extends EngineForm {
  /** @param {HTMLFormElement} form @param {HTMLElement} root */
  constructor(form, root) {
    super(
      form,
      root,
      REQUEST.calculator,
      {
        status: partOf(root, ".cost-status", () => el("p", { className: "cost-status" })),
        verdict: partOf(root, ".cost-verdict", () => el("p", { className: "cost-verdict", "aria-live": "polite" })),
        errors: partOf(root, ".cost-errors", () => el("div", { className: "cost-errors", role: "alert", hidden: true })),
        body: root.querySelector(".cost-result__body"),
        tbody: root.querySelector(".cost-summary tbody"),
        figure: root.querySelector(".cost-result__chart"),
        note: el("p", { className: "cost-note", hidden: true }),
        partClass: "cost-summary__part",
      },
      { engineName: "the calculator's engine", command: "decision cost" },
    );
    /** @type {Control[]} */
    this.controls = Array.from(form.querySelectorAll("input[name], select[name]"));
    /** @type {HTMLAnchorElement | null} */
    this.link = root.querySelector(".cost-questionnaire a");
    this.linkCode = root.querySelector(".cost-questionnaire code");
    this.start();
  }

  inputs() {
    return this.controls;
  }

  isWorkedExample() {
    return this.controls.every((input) => input.value === builtValue(input));
  }

  /** A problem goes in a note made after its input, which describes the input. @param {Control} control @param {string} text */
  markField(control, text) {
    super.markField(control, text);
    const id = `cost-${control.name}-error`;
    let note = document.getElementById(id);
    if (!note) {
      note = el("p", { className: "cost-error", id });
      control.after(note);
      control.setAttribute("aria-describedby", `${control.getAttribute("aria-describedby") ?? ""} ${id}`.trim());
    }
    note.textContent = note.textContent ? `${note.textContent} ${text}` : text;
  }

  clearFieldMarks() {
    super.clearFieldMarks();
    for (const control of this.controls) {
      const id = `cost-${control.name}-error`;
      document.getElementById(id)?.remove();
      const described = (control.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((other) => other && other !== id);
      if (described.length) control.setAttribute("aria-describedby", described.join(" "));
      else control.removeAttribute("aria-describedby");
    }
  }

  afterProblems() {
    delete this.parts.verdict.dataset.promptCost;
  }

  /** @param {import("./engine-form.js").Figures} figures */
  showFigures(figures) {
    const payload = /** @type {CostFigures} */ (figures);
    const answer = String(payload.questionnaire_fragment).split("=")[1] ?? "";
    this.parts.verdict.dataset.promptCost = answer;
    if (this.link) {
      this.link.href = `${this.link.href.split("#")[0]}#${payload.questionnaire_fragment}`;
      this.link.dataset.promptCost = answer;
    }
    if (this.linkCode) this.linkCode.textContent = payload.questionnaire_fragment;
    // How the engine read the request (an old link read as it was meant, the worked example a link named).
    return Array.isArray(payload.notes) ? payload.notes.map(String) : [];
  }
}

eachPage(() => {
  const form = document.getElementById("cost-form");
  const root = document.getElementById("cost-result");
  if (!(form instanceof HTMLFormElement) || !root) return undefined;
  const calculator = new Calculator(form, root);
  return () => calculator.destroy();
});
