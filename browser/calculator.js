/* The in-page cost calculator: transport and rendering only; Python computes and words everything.
 *
 * Loaded on every page after decision-runtime.js; mounts through Material's document$ where the page has
 * form#cost-form and section#cost-result (markup from site_glue/cost_macros.py), and shares the site's one
 * engine worker with the questionnaire through window.__decisionRuntime.
 *
 * A "cost" request is a URL fragment of inputs (calls_per_month=...&...); the reply is the JSON text of
 * decision.cost.web_response: on success the figures in words, the verdict, the SVG chart, the canonical
 * share fragment and the questionnaire answer; on failure a list of {field, problem, message}. The inputs
 * live in the page's URL fragment, so a link restores them. Text from the link or the engine only ever
 * reaches the page through textContent, attribute values, or (for the chart) an SVG document parsed as
 * image/svg+xml, checked for scripts and imported node by node; nothing is parsed as HTML.
 */
(function () {
  "use strict";

  if (window.__decisionCalculator) return; // loaded twice: keep the first instance
  const DEBOUNCE_MS = 150;
  const IDLE_START_MS = 2000; // longest wait, after the page's load event, before the engine starts
  const SVG_NS = "http://www.w3.org/2000/svg";
  const STAGE_TEXT = {
    idle: "Showing the worked example, computed when this page was built.",
    "downloading runtime": "Showing the worked example while the Python runtime downloads (several megabytes, kept by your browser for later visits)…",
    "starting Python": "Showing the worked example while Python starts in your browser…",
    "loading engine": "Showing the worked example while the calculator's engine loads…",
    ready: "The calculator's Python engine is running in your browser: change any input and it works the figures out again.",
  };

  let runtime = null;
  let view = null;

  const el = (tag, attrs, children) => runtime.el(tag, attrs, children); // decision-runtime.js

  // The chart as an SVG element, or null if the text is not a plain SVG document.
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
        Array.from(node.attributes).some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value) || /href$/i.test(a.name))
    );
    return unsafe ? null : document.importNode(root, true);
  }

  function Calculator(form, root) {
    this.form = form;
    this.root = root;
    this.inputs = Array.from(form.querySelectorAll("input[name]"));
    this.status = root.querySelector(".cost-status") || root.appendChild(el("p", { className: "cost-status" }));
    this.verdict = root.querySelector(".cost-verdict") || root.appendChild(el("p", { className: "cost-verdict", "aria-live": "polite" }));
    this.errors = root.querySelector(".cost-errors") || root.appendChild(el("div", { className: "cost-errors", role: "alert", hidden: true }));
    this.body = root.querySelector(".cost-result__body");
    this.tbody = root.querySelector(".cost-summary tbody");
    this.figure = root.querySelector(".cost-result__chart");
    this.link = root.querySelector(".cost-questionnaire a");
    this.linkCode = root.querySelector(".cost-questionnaire code");
    this.note = el("p", { className: "cost-note", hidden: true });
    this.status.after(this.note);
    this.latest = 0;
    this.edited = false; // whether the fragment should follow the form
    this.timer = null;
    this.onInput = this.onInput.bind(this);
    this.onSubmit = this.onSubmit.bind(this);
    this.onReset = this.onReset.bind(this);
    this.onState = this.onState.bind(this);
    form.addEventListener("input", this.onInput);
    form.addEventListener("change", this.onInput);
    form.addEventListener("submit", this.onSubmit);
    form.addEventListener("reset", this.onReset);
    this.unsubscribe = runtime.onState(this.onState);
    root.dataset.costMounted = "1";
    this.pendingFirst = true;
    this.onState();
    this.startEngine();
  }

  // The page already shows the worked example, computed at build time, so the engine can wait until
  // the page has settled: its download and start would otherwise compete with the page's own first
  // work on a small device. A shared link, or a reader who reaches for the form, starts it at once.
  Calculator.prototype.startEngine = function () {
    const now = () => runtime.start();
    if (this.hashInputs() !== null || runtime.state !== "idle") return now();
    ["focusin", "pointerdown", "input"].forEach((type) => this.form.addEventListener(type, now, { once: true }));
    const whenIdle = () =>
      typeof requestIdleCallback === "function" ? requestIdleCallback(now, { timeout: IDLE_START_MS }) : setTimeout(now, 0);
    if (document.readyState === "complete") whenIdle();
    else window.addEventListener("load", whenIdle, { once: true });
  };

  Calculator.prototype.connected = function () {
    return this.root.isConnected && this.form.isConnected;
  };

  Calculator.prototype.unmount = function () {
    clearTimeout(this.timer);
    this.form.removeEventListener("input", this.onInput);
    this.form.removeEventListener("change", this.onInput);
    this.form.removeEventListener("submit", this.onSubmit);
    this.form.removeEventListener("reset", this.onReset);
    this.unsubscribe();
  };

  Calculator.prototype.onState = function () {
    const state = runtime.state === "idle" ? "loading" : runtime.state;
    this.root.dataset.engineState = state;
    this.status.dataset.engineState = state;
    if (state === "failed") {
      this.status.replaceChildren(
        document.createTextNode("The calculator's engine could not start in this browser: " + runtime.message + ". "),
        document.createTextNode("The figures below are the worked example; run "),
        el("code", { text: "decision cost" }),
        document.createTextNode(" on the command line for your own numbers.")
      );
      return;
    }
    this.status.textContent = STAGE_TEXT[runtime.stage] || STAGE_TEXT.idle;
    if (state === "ready" && this.pendingFirst) {
      this.pendingFirst = false;
      this.fromHash();
    }
  };

  // The inputs as a fragment, in the form's order; values are sent as typed and checked by Python.
  Calculator.prototype.formFragment = function () {
    return this.inputs.map((input) => encodeURIComponent(input.name) + "=" + encodeURIComponent(input.value)).join("&");
  };

  Calculator.prototype.hashInputs = function () {
    const hash = location.hash.replace(/^#/, "");
    return hash.indexOf("=") >= 0 ? hash : null;
  };

  // Opening a link (or the page): the fragment's inputs if it has any, else the form as it stands.
  Calculator.prototype.fromHash = function () {
    const fragment = this.hashInputs();
    if (fragment !== null) {
      this.edited = true;
      this.request(fragment, true);
    } else if (this.inputs.every((input) => input.value === input.defaultValue)) {
      // Still the worked example: the figures shown are already the engine's, from the build.
      this.root.dataset.result = "ok";
    } else {
      this.request(this.formFragment(), false);
    }
  };

  Calculator.prototype.onInput = function (event) {
    if (!event.target || !event.target.name) return;
    this.edited = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request(this.formFragment(), false), DEBOUNCE_MS);
  };

  Calculator.prototype.onSubmit = function (event) {
    event.preventDefault();
    clearTimeout(this.timer);
    this.edited = true;
    this.request(this.formFragment(), false);
  };

  Calculator.prototype.onReset = function () {
    clearTimeout(this.timer);
    setTimeout(() => {
      this.edited = false;
      runtime.writeHash("");
      this.request(this.formFragment(), false);
    }, 0);
  };

  Calculator.prototype.request = function (fragment, restore) {
    if (runtime.state !== "ready") return;
    if (this.edited && !restore) runtime.writeHash(fragment);
    this.root.setAttribute("aria-busy", "true");
    this.latest = runtime.send("cost", fragment, (message) => {
      if (view === this && message.id === this.latest) this.receive(message, restore);
    });
  };

  Calculator.prototype.receive = function (message, restore) {
    this.root.removeAttribute("aria-busy");
    let payload;
    if (message.error) {
      payload = { ok: false, errors: [{ field: "engine", problem: message.error, message: "The engine could not answer: " + message.error }] };
    } else {
      try {
        payload = JSON.parse(message.text);
      } catch (error) {
        payload = { ok: false, errors: [{ field: "engine", problem: "unreadable reply", message: "The engine's reply was unreadable." }] };
      }
    }
    if (restore) this.fill(payload.ok ? payload.form : payload.given || {});
    if (payload.ok) this.showResult(payload, restore);
    else this.showErrors(payload.errors || []);
  };

  // Put values into the form (from a link); values that are not numbers show as empty number fields.
  Calculator.prototype.fill = function (values) {
    this.inputs.forEach(function (input) {
      if (Object.prototype.hasOwnProperty.call(values, input.name)) {
        const value = String(values[input.name]);
        if (input.value !== value) input.value = value;
      }
    });
  };

  Calculator.prototype.clearFieldErrors = function () {
    this.inputs.forEach(function (input) {
      input.removeAttribute("aria-invalid");
      const note = document.getElementById("cost-" + input.name + "-error");
      if (note) note.remove();
      const described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== "cost-" + input.name + "-error");
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    });
  };

  Calculator.prototype.showErrors = function (errors) {
    this.clearFieldErrors();
    errors.forEach((error) => {
      const input = this.inputs.find((i) => i.name === error.field);
      if (!input) return; // listed in the box below only
      const id = "cost-" + input.name + "-error";
      let note = document.getElementById(id);
      if (!note) {
        note = el("p", { className: "cost-error", id: id });
        input.after(note);
        input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
      }
      const text = error.message || error.field + ": " + error.problem;
      note.textContent = note.textContent ? note.textContent + " " + text : text;
      input.setAttribute("aria-invalid", "true");
    });
    const count = errors.length;
    this.verdict.textContent =
      "No result yet: " + count + (count === 1 ? " problem needs" : " problems need") + " fixing, shown next to the inputs concerned.";
    delete this.verdict.dataset.promptCost;
    this.errors.replaceChildren(
      el("p", { text: "These inputs need attention:" }),
      el("ul", {}, errors.map((e) => el("li", {}, [el("code", { text: String(e.field) }), document.createTextNode(": " + e.problem)])))
    );
    this.errors.hidden = false;
    if (this.body) this.body.hidden = true;
    this.note.hidden = true;
    this.root.dataset.result = "error";
  };

  Calculator.prototype.showResult = function (payload, restore) {
    this.clearFieldErrors();
    this.errors.hidden = true;
    this.errors.replaceChildren();
    if (this.body) this.body.hidden = false;
    this.verdict.textContent = payload.verdict;
    const answer = payload.questionnaire_fragment.split("=")[1] || "";
    this.verdict.dataset.promptCost = answer;
    if (this.tbody) {
      this.tbody.replaceChildren(
        ...payload.summary.map((row) =>
          el("tr", { className: row.part ? "cost-summary__part" : null }, [
            el("th", { scope: "row", text: row.label }),
            el("td", { text: row.value }),
          ])
        )
      );
    }
    const svg = svgFrom(payload.chart_svg);
    const old = this.figure && this.figure.querySelector("svg");
    if (svg && old) old.replaceWith(svg);
    else if (svg && this.figure) this.figure.prepend(svg);
    if (this.link) {
      const base = this.link.href.split("#")[0];
      this.link.href = base + "#" + payload.questionnaire_fragment;
      this.link.dataset.promptCost = answer;
    }
    if (this.linkCode) this.linkCode.textContent = payload.questionnaire_fragment;
    const fromExample = restore ? payload.inputs_from_example || [] : [];
    this.note.hidden = !fromExample.length;
    this.note.textContent = fromExample.length
      ? "The link did not give " + fromExample.join(", ") + "; the worked example's values are used for them."
      : "";
    if (this.edited && this.hashInputs() !== payload.fragment) runtime.writeHash(payload.fragment);
    this.root.dataset.result = "ok";
    this.root.dataset.fragment = payload.fragment;
  };

  function mount() {
    const form = document.getElementById("cost-form");
    const root = document.getElementById("cost-result");
    if (view && (!root || !form || view.root !== root || !view.connected())) {
      view.unmount();
      view = null;
    }
    if (!root || !form || view || root.dataset.costMounted === "1") return;
    view = new Calculator(form, root);
  }

  window.addEventListener("hashchange", function () {
    if (!view || !view.connected()) return;
    if (view.hashInputs() === null) {
      // A heading or table-of-contents anchor: the browser has scrolled; keep the inputs in the address.
      if (view.edited) runtime.writeHash(view.formFragment());
      return;
    }
    view.edited = true;
    view.request(view.hashInputs(), true);
  });

  function begin(shared) {
    runtime = shared;
    runtime.eachPage(mount);
  }

  window.__decisionCalculator = { mount: mount };
  if (window.__decisionRuntime) begin(window.__decisionRuntime);
  else window.addEventListener("decision-runtime", (event) => begin(event.detail), { once: true });
})();
