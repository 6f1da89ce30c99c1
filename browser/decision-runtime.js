/* The shared client of the decision engine's worker, loaded before the page scripts on every page.
 *
 * window.__decisionRuntime is a singleton: whichever page widget needs Python first starts ONE module
 * worker (engine-worker.mjs, next to this file), and it stays alive across Material's instant navigation,
 * so the questionnaire and the cost calculator share one Pyodide. This file only transports:
 *
 *   runtime.start()                       start the worker if it is not running (idempotent)
 *   runtime.send(kind, request, callback) post {kind, id, request}; callback({id, text} | {id, error}); returns id
 *   runtime.onState(listener)             listener(runtime) on every state change; returns an unsubscribe function
 *   runtime.state / stage / message / info
 *   runtime.writeHash(fragment)           replace the fragment without adding a history entry
 *   runtime.eachPage(fn)                  run fn on this page and after every instant navigation
 *   runtime.el(tag, attrs, children)      build an element (text via textContent only), for the widgets
 *
 * It also names Material's code-block toolbars (nav.md-code__nav), each with its own label, as landmarks need.
 * Page scripts that load before this one wait for the "decision-runtime" event on window.
 */
(function () {
  "use strict";

  if (window.__decisionRuntime) return;
  const READY_TIMEOUT_MS = 60000;

  const scriptURL = (function () {
    if (document.currentScript && document.currentScript.src) return document.currentScript.src;
    const tag = Array.from(document.scripts).find((s) => /decision-runtime\.js(\?|$)/.test(s.src));
    return tag ? tag.src : new URL("assets/js/decision-runtime.js", document.baseURI).href;
  })();

  const listeners = new Set();
  const pending = new Map(); // id -> callback
  let timer = null;

  const runtime = {
    worker: null,
    state: "idle", // idle | loading | ready | failed
    stage: "",
    message: "",
    info: null,
    nextId: 1,
    start: start,
    send: send,
    onState: onState,
    writeHash: writeHash,
    eachPage: eachPage,
    el: el,
  };

  // The widgets' one way to build elements: text only through textContent, attributes as strings,
  // so nothing from a link or the engine is ever parsed as HTML.
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([key, value]) {
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    (children || []).forEach((child) => child && node.append(child));
    return node;
  }

  function setState(state, stage, message) {
    runtime.state = state;
    runtime.stage = stage || runtime.stage;
    runtime.message = message || "";
    listeners.forEach(function (listener) {
      try {
        listener(runtime);
      } catch (error) {
        setTimeout(() => {
          throw error;
        }, 0);
      }
    });
  }

  function onState(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function failAll(message) {
    pending.forEach((callback, id) => callback({ id: id, error: message }));
    pending.clear();
  }

  function start() {
    if (runtime.worker || runtime.state === "failed") return;
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      setState("failed", "failed", "this browser has no WebAssembly or Web Worker support");
      return;
    }
    setState("loading", "downloading runtime");
    try {
      runtime.worker = new Worker(new URL("engine-worker.mjs", scriptURL), { type: "module" });
    } catch (error) {
      setState("failed", "failed", "this browser cannot start a module worker (" + error.message + ")");
      return;
    }
    runtime.worker.addEventListener("message", onMessage);
    runtime.worker.addEventListener("error", function (event) {
      event.preventDefault();
      const message = "the engine's worker stopped: " + (event.message || "its script did not load");
      setState("failed", "failed", message);
      failAll(message);
    });
    timer = setTimeout(function () {
      if (runtime.state === "loading") {
        setState("failed", "failed", "it did not become ready within " + READY_TIMEOUT_MS / 1000 + " seconds");
      }
    }, READY_TIMEOUT_MS);
  }

  function onMessage(event) {
    const data = event.data || {};
    if (data.type === "progress") {
      if (data.stage === "ready") {
        clearTimeout(timer);
        runtime.info = data.info || null;
        setState("ready", "ready"); // also after a timeout: a late start still helps
      } else if (data.stage === "failed") {
        clearTimeout(timer);
        setState("failed", "failed", data.message);
        failAll(data.message);
      } else if (runtime.state === "loading") {
        setState("loading", data.stage);
      }
    } else if (data.type === "response") {
      const callback = pending.get(data.id);
      pending.delete(data.id);
      if (callback) callback(data);
    }
  }

  function send(kind, request, callback) {
    start();
    const id = runtime.nextId++;
    if (!runtime.worker || runtime.state === "failed") {
      setTimeout(() => callback({ id: id, error: runtime.message || "the engine is not available" }), 0);
      return id;
    }
    pending.set(id, callback);
    runtime.worker.postMessage({ kind: kind, id: id, request: request });
    return id;
  }

  // ------------------------------------------------------------------ the URL fragment

  function writeHash(fragment) {
    const url = location.pathname + location.search + (fragment ? "#" + fragment : "");
    if (url === location.pathname + location.search + location.hash) return;
    history.replaceState(history.state, "", url);
  }

  // Material announces every page it shows, the first and each instant navigation, on document$.
  function eachPage(fn) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(fn);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn, { once: true });
    } else {
      fn();
    }
  }

  // ------------------------------------------------------------------ code-block toolbars

  // Material builds a <nav class="md-code__nav"> per code block at run time, after the page is shown. A nav
  // is a landmark, and landmarks of one kind need distinct names, so each gets its block's position.
  function nameCodeNavs() {
    document.querySelectorAll("nav.md-code__nav").forEach(function (nav, index) {
      const label = "Code block " + (index + 1) + " actions";
      if (nav.getAttribute("aria-label") !== label) nav.setAttribute("aria-label", label);
    });
  }
  let codeNavObserver = null;
  function watchCodeNavs() {
    nameCodeNavs();
    if (codeNavObserver || typeof MutationObserver !== "function" || !document.body) return;
    codeNavObserver = new MutationObserver(function (records) {
      const added = records.some((record) =>
        Array.from(record.addedNodes).some(
          (node) => node.nodeType === 1 && (node.matches("nav.md-code__nav") || node.querySelector("nav.md-code__nav"))
        )
      );
      if (added) nameCodeNavs();
    });
    codeNavObserver.observe(document.body, { childList: true, subtree: true });
  }

  // The service worker (sw.js at the site root) keeps the site and the runtime for offline use.
  // It is registered only once the page is loaded and the engine (if the page uses it) is ready,
  // so that filling its cache never competes with the first start. Only over http(s).
  let offlineRegistered = false;
  function registerOffline() {
    if (offlineRegistered || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
    offlineRegistered = true;
    const root = new URL("../../", scriptURL);
    navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname }).catch(function () {
      /* no offline copy; everything else works as before */
    });
  }
  onState(function (current) {
    if (current.state === "ready" || current.state === "failed") registerOffline();
  });
  window.addEventListener("load", function () {
    setTimeout(function () {
      if (runtime.state !== "loading") registerOffline();
    }, 0);
  });

  window.__decisionRuntime = runtime;
  // The questionnaire starts the worker now, not when its script mounts: it has no result before
  // the engine, and downloading the runtime is the long pole. (Starting it earlier still, from
  // <head>, made the page's own start-up compete with compiling the runtime on a small device and
  // brought the engine no sooner: bench/lighthouse.py, bench/questionnaire_load.py.) The calculator
  // shows a result computed at build time and starts the engine itself once the page is idle.
  if (document.querySelector("#decision-result")) start();
  eachPage(watchCodeNavs);
  window.dispatchEvent(new CustomEvent("decision-runtime", { detail: runtime }));
})();
