// @ts-check
// The page side of the decision engine: one worker client for the whole visit, and the small page
// helpers the widgets share (questionnaire.js, calculator.js).
//
// The module is evaluated once per visit (Material's instant navigation swaps the content, not the
// scripts), so `engine` is a singleton: whichever widget needs Python first starts ONE module worker
// (engine-worker.mjs, next to this file), and the questionnaire and the calculator share its Pyodide.
// The client only transports; the protocol (kinds, stages, version) is in protocol.js.
//
//   engine.start()                     start the worker if it is not running (idempotent)
//   engine.lane(kind)                  a request channel where the newest request wins:
//     lane.ask(text) -> Promise<Reply> answered | superseded | error | failed (timeout, worker gone);
//     asked while the engine starts, the worker answers it as soon as Python is up
//   engine.subscribe(listener, signal) listener(engine) now and on every state change, until signal aborts
//   engine.state / stage / message / info

import { MESSAGE, PROTOCOL_VERSION, STAGE } from "./protocol.js";

/**
 * @typedef {import("./protocol.js").RequestKind} RequestKind
 * @typedef {import("./protocol.js").Stage} Stage
 * @typedef {import("./protocol.js").EngineInfo} EngineInfo
 * @typedef {import("./protocol.js").WorkerMessage} WorkerMessage
 * @typedef {"idle" | "loading" | "ready" | "failed"} EngineState
 *
 * What one request comes to. `payload` is the engine's JSON reply, already checked for its version.
 * @typedef {{status: "answered", payload: Record<string, unknown>}
 *   | {status: "error", message: string}
 *   | {status: "superseded"}
 *   | {status: "failed", message: string}} Reply
 * error: this request went wrong (the engine raised); failed: the engine is gone for this visit, and
 * `engine.state` says so too (stuck, stopped, never started, or of another build).
 */

/** The longest the engine may take to become ready before the page says it could not start. */
export const READY_TIMEOUT_MS = 60_000;
/** The longest one answer may take. Python answers in milliseconds; a call still running after this
 * is stuck, so the worker is stopped and the page shows the failed state with the answers kept. */
export const REQUEST_TIMEOUT_MS = 15_000;

const WORKER_URL = new URL("engine-worker.mjs", import.meta.url);

/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));

/**
 * One worker for the visit. Requests go through lanes; each lane keeps only its newest request.
 */
class EngineClient {
  /** @type {EngineState} */
  state = "idle";
  /** @type {Stage | ""} */
  stage = "";
  message = "";
  /** @type {EngineInfo | null} */
  info = null;
  /** @type {Worker | null} */
  #worker = null;
  #nextId = 1;
  /** @type {Map<number, {settle: (reply: Reply) => void, arm: () => void}>} id -> the request waiting for that
   * reply, and how to start its time limit (at once when asked of a ready engine, else at "ready") */
  #pending = new Map();
  /** @type {Set<(engine: EngineClient) => void>} */
  #listeners = new Set();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #readyTimer;

  /** Start the worker once; later calls do nothing. */
  start() {
    if (this.#worker || this.state !== "idle") return;
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      this.#fail("this browser has no WebAssembly or Web Worker support");
      return;
    }
    this.#set("loading", STAGE.downloading);
    try {
      this.#worker = new Worker(WORKER_URL, { type: "module" });
    } catch (error) {
      this.#fail(`this browser cannot start a module worker (${messageOf(error)})`);
      return;
    }
    this.#worker.addEventListener("message", (event) => this.#receive(event.data));
    this.#worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.#fail(`the engine's worker stopped: ${event.message || "its script did not load"}`);
    });
    this.#readyTimer = setTimeout(() => {
      if (this.state === "loading") this.#fail(`it did not become ready within ${READY_TIMEOUT_MS / 1000} seconds`);
    }, READY_TIMEOUT_MS);
  }

  /**
   * Call listener now and on every change of state, until signal aborts.
   * @param {(engine: EngineClient) => void} listener
   * @param {AbortSignal} signal
   */
  subscribe(listener, signal) {
    if (signal.aborted) return;
    this.#listeners.add(listener);
    signal.addEventListener("abort", () => this.#listeners.delete(listener), { once: true });
    listener(this);
  }

  /**
   * A channel of requests of one kind where the newest wins: asking again settles the previous
   * request as "superseded" at once, and its reply, should it still come, is dropped.
   * @param {RequestKind} kind
   */
  lane(kind) {
    /** @type {((reply: Reply) => void) | null} settles the request in flight */
    let current = null;
    /** @param {Reply} reply */
    const settleCurrent = (reply) => current?.(reply);
    return {
      /** Ask now. While the engine is still starting the request waits in the worker, which answers it
       * first once Python is up (a shared link's answer comes sooner); its time limit starts at "ready".
       * @param {string} text @returns {Promise<Reply>} */
      ask: (text) => {
        settleCurrent({ status: "superseded" });
        return new Promise((resolve) => {
          const id = this.#nextId++;
          /** @type {ReturnType<typeof setTimeout> | undefined} */
          let timer;
          /** @param {Reply} reply */
          const settle = (reply) => {
            clearTimeout(timer);
            this.#pending.delete(id);
            if (current === settle) current = null;
            resolve(reply);
          };
          current = settle;
          if ((this.state !== "ready" && this.state !== "loading") || !this.#worker) {
            settle({ status: "failed", message: this.message || "the engine is not running" });
            return;
          }
          // A stuck Python call blocks the worker for every widget: stop it, and say so.
          const arm = () => {
            timer = setTimeout(
              () => this.#fail(`it did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`),
              REQUEST_TIMEOUT_MS,
            );
          };
          if (this.state === "ready") arm();
          this.#pending.set(id, { settle, arm });
          this.#worker.postMessage({ kind, id, schema_version: PROTOCOL_VERSION, request: text });
        });
      },
      /** Drop the request in flight, if any (a widget being torn down). */
      cancel: () => settleCurrent({ status: "superseded" }),
    };
  }

  /** @param {WorkerMessage} data */
  #receive(data) {
    if (data?.type === MESSAGE.response) {
      const request = this.#pending.get(data.id);
      if (!request) return; // a superseded request's reply
      const reply = readReply(data);
      if (reply.status === "failed") this.#fail(reply.message);
      else request.settle(reply);
      return;
    }
    if (data?.type !== MESSAGE.progress || this.state === "failed") return;
    if (data.stage === STAGE.ready) {
      clearTimeout(this.#readyTimer);
      this.info = data.info ?? null;
      for (const request of this.#pending.values()) request.arm(); // asked while starting: the clock starts now
      this.#set("ready", STAGE.ready);
    } else if (data.stage === STAGE.failed) {
      this.#fail(data.message || "the engine could not start");
    } else {
      this.#set("loading", data.stage);
    }
  }

  /** The failed state, for good: the worker is stopped and everyone waiting is told. @param {string} message */
  #fail(message) {
    if (this.state === "failed") return;
    clearTimeout(this.#readyTimer);
    this.#worker?.terminate();
    this.#worker = null;
    this.#set("failed", STAGE.failed, message);
    for (const request of [...this.#pending.values()]) request.settle({ status: "failed", message });
  }

  /** @param {EngineState} state @param {Stage} stage @param {string} [message] */
  #set(state, stage, message = "") {
    this.state = state;
    this.stage = stage;
    this.message = message;
    for (const listener of [...this.#listeners]) {
      try {
        listener(this);
      } catch (error) {
        reportError(error); // one widget's bug must not stop the others hearing the news
      }
    }
  }
}

/**
 * The engine's reply as a Reply: its JSON, parsed and of this page's protocol version. A reply of
 * another version means the page and the engine come from different builds: that is a failure.
 * @param {import("./protocol.js").ResponseMessage} message
 * @returns {Reply}
 */
function readReply(message) {
  if ("error" in message) return { status: "error", message: message.error };
  let payload;
  try {
    payload = JSON.parse(message.text);
  } catch {
    return { status: "error", message: "its reply was not readable" };
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return { status: "error", message: "its reply was not readable" };
  }
  if (payload.protocol !== PROTOCOL_VERSION) {
    const version = typeof payload.protocol === "number" ? `version ${payload.protocol}` : "no version";
    return {
      status: "failed",
      message: `it answered in a format this page cannot read (${version}; this page reads version ${PROTOCOL_VERSION}); reloading the page fetches files that match`,
    };
  }
  return { status: "answered", payload };
}

/** The engine client of this visit. */
export const engine = new EngineClient();

// ------------------------------------------------------------------ page helpers for the widgets

/**
 * The widgets' one way to build elements: text only through textContent, attributes as strings,
 * so nothing from a link or the engine is ever parsed as HTML.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]  `text` sets textContent, `className` the class
 * @param {(Node | string | null | undefined | false)[]} [children]  strings become text nodes
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "className") node.className = String(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Replace the URL fragment without adding a history entry. @param {string} fragment */
export function writeHash(fragment) {
  const url = location.pathname + location.search + (fragment ? `#${fragment}` : "");
  if (url === location.pathname + location.search + location.hash) return;
  history.replaceState(history.state, "", url);
}

const IDLE_START_MS = 2000; // longest wait, after the page's load event, before a calculator's engine starts

/**
 * Start the engine for a calculator page that already shows its worked example: at once for a shared link
 * (`linked`) or an engine already under way, on first use of the form, or once the page has settled; its
 * download and start would otherwise compete with the page's own first work on a small device.
 * @param {HTMLFormElement} form @param {boolean} linked @param {AbortSignal} signal
 */
export function startWhenUsedOrIdle(form, linked, signal) {
  const now = () => {
    if (!signal.aborted) engine.start();
  };
  if (linked || engine.state !== "idle") return now();
  for (const type of ["focusin", "pointerdown", "input"]) form.addEventListener(type, now, { once: true, signal });
  const whenIdle = () =>
    typeof requestIdleCallback === "function" ? requestIdleCallback(now, { timeout: IDLE_START_MS }) : setTimeout(now, 0);
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true, signal });
}

/**
 * Run setup on this page and after every instant navigation (Material announces each page it shows on
 * document$). setup returns a teardown, called before the next page's setup.
 * @param {() => (() => void) | undefined} setup
 */
export function eachPage(setup) {
  /** @type {(() => void) | undefined} */
  let teardown;
  /** @type {Element | null} the page content the widgets were set up on */
  let content = null;
  const run = () => {
    // Material also announces a page on the first hash change after a load, with the same content: keep the
    // widgets then (a remount there could drop the reply to the new address); set up again for new content.
    const current = document.querySelector('[data-md-component="content"]') ?? document.body;
    if (teardown && current === content && current.isConnected) return;
    teardown?.();
    content = current;
    teardown = setup();
  };
  const material = /** @type {{document$?: {subscribe(next: () => void): unknown}}} */ (/** @type {unknown} */ (window));
  if (typeof material.document$?.subscribe === "function") material.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run, { once: true });
  else run();
}

// ------------------------------------------------------------------ code-block toolbars

// Material builds a <nav class="md-code__nav"> per code block at run time, after the page is shown. A nav
// is a landmark, and landmarks of one kind need distinct names, so each gets its block's position.
function nameCodeNavs() {
  document.querySelectorAll("nav.md-code__nav").forEach((nav, index) => {
    const label = `Code block ${index + 1} actions`;
    if (nav.getAttribute("aria-label") !== label) nav.setAttribute("aria-label", label);
  });
}

/** @param {MutationRecord[]} records */
const addsCodeNav = (records) =>
  records.some((record) =>
    Array.from(record.addedNodes).some(
      (node) => node instanceof Element && (node.matches("nav.md-code__nav") || node.querySelector("nav.md-code__nav") !== null),
    ),
  );

function watchCodeNavs() {
  nameCodeNavs();
  const observer = new MutationObserver((records) => {
    if (addsCodeNav(records)) nameCodeNavs();
  });
  observer.observe(document.body, { childList: true, subtree: true });
}

// ------------------------------------------------------------------ offline copy

// The service worker (sw.js at the site root) keeps the site and the runtime for offline use.
// It is registered only once the page is loaded and the engine (if the page uses it) is ready,
// so that filling its cache never competes with the first start. Only over http(s).
let offlineRegistered = false;
function registerOffline() {
  if (offlineRegistered || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  offlineRegistered = true;
  const root = new URL("../../", import.meta.url);
  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname }).catch(() => {
    /* no offline copy; everything else works as before */
  });
}

engine.subscribe((current) => {
  if (current.state === "ready" || current.state === "failed") registerOffline();
}, new AbortController().signal);
window.addEventListener("load", () => {
  setTimeout(() => {
    if (engine.state !== "loading") registerOffline();
  }, 0);
});
watchCodeNavs();
