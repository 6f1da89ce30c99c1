/* The in-page questionnaire: transport and rendering only; the engine decides.
 *
 * Loaded once by every page (classic script or module, via extra_javascript). It mounts
 * through Material's document$ on pages that have #decision-result, so with instant
 * navigation there is still ONE worker, ONE Pyodide and one set of window listeners.
 *
 * Page contract (markup from site_glue/views.py):
 *   fieldset[data-question="<id>"] holding radios whose value is the option value;
 *   section#decision-result[aria-live] holding an element with [data-engine-state].
 * State lives in the URL fragment (#id=value&...), written with history.replaceState.
 * The engine's worker is shared with the rest of the site through window.__decisionRuntime
 * (decision-runtime.js); a "questionnaire" request gets back the JSON text of
 * decision.web.respond: result, downloads, ignored entries, relevance of questions.
 * All DOM is built with createElement/textContent; nothing from the link or the engine is
 * ever parsed as HTML.
 */
(function () {
  "use strict";

  if (window.__decisionQuestionnaire) return; // loaded twice: keep the first instance
  const STAGES = ["downloading runtime", "starting Python", "loading engine", "ready"];
  const STAGE_TEXT = {
    "downloading runtime": "Downloading the Python runtime (several megabytes; your browser keeps it for later visits)…",
    "starting Python": "Starting Python in your browser…",
    "loading engine": "Loading the decision engine…",
    ready: "The decision engine is ready. Answer any question to update the recommendation.",
  };

  // ------------------------------------------------------------------ the shared runtime (decision-runtime.js)

  let runtime = null; // window.__decisionRuntime, once that script has run
  let view = null; // the mounted page, or null

  function onRuntimeState() {
    if (!view) return;
    view.showEngineState();
    if (runtime.state === "ready" && view.pendingFirst) {
      view.pendingFirst = false;
      view.request(location.hash);
    }
  }

  // ------------------------------------------------------------------ DOM helpers

  const el = (tag, attrs, children) => runtime.el(tag, attrs, children); // decision-runtime.js

  function section(title, items, ordered) {
    if (!items.length) return null;
    return el("div", { className: "dq-result__part" }, [
      el("h3", { text: title }),
      el(ordered ? "ol" : "ul", {}, items.map((item) => (item instanceof Node ? el("li", {}, [item]) : el("li", { text: item })))),
    ]);
  }

  function download(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type }));
    const link = el("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ------------------------------------------------------------------ one mounted page

  function View(root) {
    this.root = root;
    this.form = document.getElementById("decision-form") || document;
    this.fieldsets = Array.from(document.querySelectorAll("fieldset[data-question]"));
    this.latest = 0; // id of the newest request; older answers are dropped
    this.payload = null;
    this.status = root.querySelector("[data-engine-state]") || root.appendChild(el("p", { "data-engine-state": "loading" }));
    this.statusText = el("span", { className: "dq-status__text" });
    this.meter = el("progress", { className: "dq-status__meter", max: STAGES.length, value: 0, "aria-hidden": "true" });
    this.status.replaceChildren(this.statusText, this.meter);
    this.buildToolbar();
    this.notice = el("div", { className: "dq-ignored", hidden: true });
    this.output = el("div", { className: "dq-result__body" });
    root.append(this.notice, this.output);
    this.onChange = this.onChange.bind(this);
    this.onReset = this.onReset.bind(this);
    this.form.addEventListener("change", this.onChange);
    this.form.addEventListener("reset", this.onReset);
    this.fieldsets.forEach(function (fieldset) {
      if (!fieldset.querySelector(".dq-skip-note")) {
        fieldset.append(el("p", { className: "dq-skip-note", hidden: true, text: "With your other answers this question cannot change the recommendation; you can skip it." }));
      }
    });
    root.dataset.dqMounted = "1";
    this.restoreRadios(location.hash);
    this.pendingFirst = true; // the first answer is asked for once the engine is ready
    this.showEngineState();
    if (runtime.state === "ready") {
      this.pendingFirst = false;
      this.request(location.hash);
    }
  }

  View.prototype.buildToolbar = function () {
    const button = (text, action) => {
      const b = el("button", { type: "button", className: "md-button dq-toolbar__button", text: text, disabled: true });
      b.addEventListener("click", action);
      return b;
    };
    this.copyNote = el("span", { className: "dq-toolbar__note", role: "status" });
    this.buttons = {
      restart: button("Start over", () => this.onReset()),
      copy: button("Copy link", () => this.copyLink()),
      record: button("Download decision record", () => {
        if (this.payload) download(this.payload.markdown, "decision-record.md", "text/markdown;charset=utf-8");
      }),
      json: button("Download JSON", () => {
        if (this.payload) download(this.payload.json, "decision.json", "application/json;charset=utf-8");
      }),
    };
    this.buttons.restart.disabled = false;
    this.buttons.copy.disabled = false;
    const bar = el("div", { className: "dq-toolbar", role: "group", "aria-label": "Questionnaire actions" },
      [this.buttons.restart, this.buttons.copy, this.buttons.record, this.buttons.json, this.copyNote]);
    const heading = this.root.querySelector("h2");
    if (heading) heading.after(bar);
    else this.root.prepend(bar);
  };

  View.prototype.connected = function () {
    return this.root.isConnected;
  };

  View.prototype.unmount = function () {
    this.form.removeEventListener("change", this.onChange);
    this.form.removeEventListener("reset", this.onReset);
  };

  View.prototype.showEngineState = function () {
    const state = runtime.state === "idle" ? "loading" : runtime.state;
    this.status.dataset.engineState = state;
    this.root.dataset.engineState = state;
    this.meter.value = Math.max(0, STAGES.indexOf(runtime.stage));
    this.meter.hidden = state !== "loading";
    if (state === "failed") {
      const flow = new URL("../reference/#decision-flow", location.href).href;
      this.statusText.replaceChildren(
        document.createTextNode("The decision engine could not start in this browser: " + runtime.message + ". "),
        document.createTextNode("Your answers are kept in this page's address. Follow them through the "),
        el("a", { href: flow, text: "static decision flow" }),
        document.createTextNode(", or run "),
        el("code", { text: "decision evaluate" }),
        document.createTextNode(" on the command line.")
      );
    } else {
      this.statusText.textContent = STAGE_TEXT[runtime.stage] || STAGE_TEXT["downloading runtime"];
    }
  };

  // Answers as the form shows them, as a fragment in the page's question order.
  View.prototype.formFragment = function () {
    return this.fieldsets
      .map(function (fieldset) {
        const checked = fieldset.querySelector("input[type=radio]:checked");
        return checked ? encodeURIComponent(fieldset.dataset.question) + "=" + encodeURIComponent(checked.value) : null;
      })
      .filter(Boolean)
      .join("&");
  };

  // Tick the radios a link names, before the engine is ready; the engine's answer replaces this.
  View.prototype.restoreRadios = function (hash) {
    const seen = new Set();
    this.fieldsets.forEach((f) => this.setRadio(f.dataset.question, null));
    hash.replace(/^#/, "").split("&").forEach((pair) => {
      const at = pair.indexOf("=");
      let id, value;
      try {
        id = decodeURIComponent(pair.slice(0, at));
        value = decodeURIComponent(pair.slice(at + 1));
      } catch (error) {
        return;
      }
      if (at < 1 || seen.has(id)) return;
      seen.add(id);
      this.setRadio(id, value);
    });
  };

  View.prototype.setRadio = function (id, value) {
    const fieldset = this.fieldsets.find((f) => f.dataset.question === id);
    if (!fieldset) return;
    fieldset.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.checked = value !== null && input.value === value;
    });
  };

  View.prototype.writeHash = function (fragment) {
    runtime.writeHash(fragment);
  };

  View.prototype.onChange = function (event) {
    if (!event.target.closest || !event.target.closest("fieldset[data-question]")) return;
    const fragment = this.formFragment();
    this.writeHash(fragment);
    this.request("#" + fragment);
  };

  View.prototype.onReset = function () {
    setTimeout(() => {
      this.fieldsets.forEach((f) => this.setRadio(f.dataset.question, null));
      this.writeHash("");
      this.request("");
    }, 0);
  };

  View.prototype.copyLink = function () {
    const fragment = this.formFragment();
    const link = location.origin + location.pathname + location.search + (fragment ? "#" + fragment : "");
    const done = (text) => {
      this.copyNote.textContent = text;
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link).then(
        () => done("Link copied."),
        () => done("Copy this link: " + link)
      );
    } else {
      done("Copy this link: " + link);
    }
  };

  View.prototype.request = function (fragment) {
    if (runtime.state !== "ready") return;
    this.root.setAttribute("aria-busy", "true");
    this.latest = runtime.send("questionnaire", fragment, (message) => {
      if (view === this) this.receive(message);
    });
  };

  View.prototype.receive = function (message) {
    if (message.id !== this.latest) return;
    this.root.removeAttribute("aria-busy");
    if (message.error) {
      this.output.replaceChildren(el("p", { className: "dq-error", text: "The engine could not answer: " + message.error }));
      return;
    }
    let payload;
    try {
      payload = JSON.parse(message.text);
    } catch (error) {
      payload = { ok: false, error: "unreadable reply" };
    }
    if (!payload.ok) {
      this.output.replaceChildren(el("p", { className: "dq-error", text: "The engine could not answer: " + payload.error }));
      return;
    }
    this.payload = payload;
    this.fieldsets.forEach((f) => this.setRadio(f.dataset.question, payload.answers[f.dataset.question] || null));
    if (location.hash.replace(/^#/, "") !== payload.fragment) this.writeHash(payload.fragment);
    this.markRelevance(payload);
    this.showIgnored(payload.ignored);
    this.renderResult(payload.view);
    this.buttons.record.disabled = false;
    this.buttons.json.disabled = false;
  };

  View.prototype.markRelevance = function (payload) {
    const skippable = new Set(payload.skippable);
    const open = new Set(payload.unanswered);
    this.fieldsets.forEach(function (fieldset) {
      const id = fieldset.dataset.question;
      const relevance = skippable.has(id) ? "skippable" : open.has(id) ? "open" : "answered";
      fieldset.dataset.relevance = relevance;
      const note = fieldset.querySelector(".dq-skip-note");
      if (note) note.hidden = relevance !== "skippable";
    });
  };

  View.prototype.showIgnored = function (ignored) {
    if (!ignored.length) {
      this.notice.hidden = true;
      this.notice.replaceChildren();
      return;
    }
    this.notice.hidden = false;
    this.notice.replaceChildren(
      el("p", { text: "Some entries in the link were ignored:" }),
      el(
        "ul",
        {},
        ignored.map(function (entry) {
          const shown = entry.value_shown ? " = “" + entry.value_shown + "”" : "";
          return el("li", {}, [el("code", { text: entry.field + shown }), document.createTextNode(": " + entry.problem)]);
        })
      )
    );
  };

  View.prototype.goTo = function (id) {
    const fieldset = this.fieldsets.find((f) => f.dataset.question === id);
    if (!fieldset) return;
    fieldset.scrollIntoView({ block: "center" });
    const first = fieldset.querySelector("input[type=radio]");
    if (first) first.focus({ preventScroll: true });
  };

  View.prototype.renderResult = function (v) {
    const because = (reason) =>
      reason.because.length
        ? el("span", {
            className: "dq-because",
            text: " (because: " + reason.because.map((b) => b.question_text + " " + b.answer_label).join("; ") + ")",
          })
        : null;
    const body = el("div", { className: "dq-result__card", "data-approach": v.approach }, [
      el("p", { className: "dq-result__approach" }, [el("strong", { text: v.title }), document.createTextNode(" "), el("code", { text: v.approach })]),
      el("p", { className: "dq-result__count", text: v.answered_count + " of " + v.question_count + " questions answered." }),
      v.fine_tune_note ? el("p", { className: "dq-result__note", text: v.fine_tune_note }) : null,
      section("What it involves", v.components.map((c) => c.label + ": " + c.summary)),
      section("Why", v.reasons.map((r) => el("span", {}, [document.createTextNode(r.text), because(r)]))),
      section("Next steps", v.next_steps, true),
      section("Caveats", v.caveats),
      section(
        "What would change it",
        v.changes.map((c) => "If “" + c.question_text + "” were answered “" + c.answer_label + "”: " + c.approach_label + ".")
      ),
      section(
        "Open questions that could still change it",
        v.open_questions.map((q) => {
          const b = el("button", { type: "button", className: "dq-link-button", text: q.text });
          b.addEventListener("click", () => this.goTo(q.id));
          return b;
        })
      ),
      section(
        "Similar case studies",
        v.cases.map((c) => (c.href ? el("a", { href: c.href, text: c.title }) : el("span", { text: c.title })))
      ),
    ]);
    if (!v.changes.length) {
      body.append(el("p", { className: "dq-result__stable", text: "No single different answer would change the approach." }));
    }
    this.output.replaceChildren(body);
  };

  // ------------------------------------------------------------------ mounting

  function mount() {
    const root = document.getElementById("decision-result");
    if (view && (!root || view.root !== root)) {
      view.unmount();
      view = null;
    }
    if (!root || view) return;
    if (root.dataset.dqMounted === "1") return;
    runtime.start();
    view = new View(root);
  }

  window.addEventListener("hashchange", function () {
    if (!view || !view.connected()) return;
    const hash = location.hash.replace(/^#/, "");
    let target = null;
    try {
      target = hash && hash.indexOf("=") < 0 ? document.getElementById(decodeURIComponent(hash)) : null;
    } catch (error) {
      target = null;
    }
    if (target) {
      // A heading or table-of-contents anchor on this page: the browser has scrolled; put the answers back.
      view.writeHash(view.formFragment());
      return;
    }
    view.restoreRadios(location.hash);
    view.request(location.hash);
  });

  function begin(shared) {
    runtime = shared;
    runtime.onState(onRuntimeState);
    window.__decisionQuestionnaire = { runtime: runtime, mount: mount };
    runtime.eachPage(mount);
  }

  window.__decisionQuestionnaire = { mount: mount };
  if (window.__decisionRuntime) begin(window.__decisionRuntime);
  else window.addEventListener("decision-runtime", (event) => begin(event.detail), { once: true });
})();
