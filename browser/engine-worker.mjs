// Module worker: hosts the decision engine in Pyodide, off the page's main thread.
//
// Shipped to site/assets/js/ by site_glue/runtime.py; the vendored runtime sits in
// site/pyodide/ and the manifest in site/assets/engine.json, both found relative to
// this file. It decides nothing: each request goes to one Python function, chosen by the
// request's kind, whose JSON text goes back to the page unchanged. One worker serves every
// widget of the site (see decision-runtime.js).
//
// Messages to the page:
//   {type: "progress", stage: "downloading runtime" | "starting Python" | "loading engine"}
//   {type: "progress", stage: "ready", info: {engine_version, build_id, pyodide_version, timings_ms}}
//   {type: "progress", stage: "failed", message}
//   {type: "response", id, text}   // text: the JSON string from the engine
//   {type: "response", id, error}  // only when the engine is unavailable
// Messages from the page:
//   {kind: "questionnaire", id, request}  -> decision.web.respond(request), a URL fragment or a JSON request
//   {kind: "cost", id, request}           -> decision.cost.web_response(request), a URL fragment of inputs
//   {id, fragment}                        -> the questionnaire, as before kinds existed

import { loadPyodide } from "../../pyodide/pyodide.mjs";

const INDEX_URL = new URL("../../pyodide/", import.meta.url).href;
const MANIFEST_URL = new URL("../engine.json", import.meta.url);
// The reduced standard library (site_glue/runtime.py, SHIPPED_STDLIB); a fixed path, so the
// runtime can start before the manifest arrives.
const STDLIB_URL = new URL("../../pyodide/python_stdlib.reduced.zip", import.meta.url).href;

let handlers = null; // kind -> the Python function, once the engine is imported
let failure = null; // a message, once starting has failed
const waiting = []; // requests that arrived before the engine was ready

const progress = (stage, extra = {}) => self.postMessage({ type: "progress", stage, ...extra });

function answer({ kind, id, request, fragment }) {
  if (failure !== null) {
    self.postMessage({ type: "response", id, error: failure });
    return;
  }
  const handler = handlers[kind === undefined ? "questionnaire" : kind];
  if (typeof handler !== "function") {
    self.postMessage({ type: "response", id, error: `no such kind of request: ${String(kind).slice(0, 40)}` });
    return;
  }
  const text = kind === undefined ? fragment : request;
  try {
    self.postMessage({ type: "response", id, text: handler(typeof text === "string" ? text : "") });
  } catch (error) {
    self.postMessage({ type: "response", id, error: `the engine raised: ${error && error.message}` });
  }
}

self.onmessage = (event) => {
  const request = event.data || {};
  if (handlers === null && failure === null) waiting.push(request);
  else answer(request);
};

async function readManifest() {
  const response = await fetch(MANIFEST_URL, { cache: "no-cache" });
  if (!response.ok) throw new Error(`engine manifest ${MANIFEST_URL.pathname}: HTTP ${response.status}`);
  const manifest = await response.json();
  if (typeof manifest.wheel !== "string" || !manifest.wheel.endsWith(".whl")) {
    throw new Error("engine manifest names no wheel");
  }
  return manifest;
}

// When the WebAssembly file cannot be fetched or compiled, the runtime only warns on the
// console and never settles; turn that warning into a failure instead of waiting for the
// page's timeout.
function runtimeLoadFailure() {
  const warn = console.warn.bind(console);
  const seen = [];
  return new Promise((_, reject) => {
    console.warn = (...args) => {
      warn(...args);
      seen.push(args.map(String).join(" "));
      if (/wasm instantiation failed/i.test(seen[seen.length - 1])) {
        // The reason follows in the next warning.
        setTimeout(() => reject(new Error(`the Python runtime did not load: ${seen.slice(-2).join(" ").slice(0, 200)}`)), 50);
      }
    };
  });
}

async function start() {
  const t0 = performance.now();
  progress("downloading runtime");
  // Nothing waits on anything it does not need: the manifest and the wheel it names download
  // while Pyodide boots, and loadPackage then finds the wheel in the HTTP cache.
  const engine = readManifest().then((manifest) => {
    const url = new URL(manifest.wheel, MANIFEST_URL).href;
    const body = fetch(url).then((response) => response.arrayBuffer());
    body.catch(() => {}); // loadPackage reports a missing wheel itself
    return { url, buildId: manifest.build_id };
  });
  engine.catch(() => {}); // reported below, when awaited
  let booted = null;
  const pyodide = await Promise.race([
    loadPyodide({
      indexURL: INDEX_URL,
      stdLibURL: STDLIB_URL,
      // Called once the runtime is downloaded and compiled, just before the interpreter starts.
      fsInit: async () => {
        booted = performance.now();
        progress("starting Python");
      },
    }),
    runtimeLoadFailure(),
  ]);
  const t1 = performance.now();
  progress("loading engine");
  const { url: wheelURL, buildId } = await engine;
  const problems = [];
  await pyodide.loadPackage(wheelURL, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  if (problems.length) throw new Error(`could not install the engine: ${problems.join("; ")}`);
  const web = pyodide.pyimport("decision.web");
  const t2 = performance.now();
  web.warm_up(); // each code path's first run is slow in WebAssembly: pay for it before "ready", not on the first answer
  // The cost model is imported on its first request: the questionnaire never needs it.
  let cost = null;
  const costResponse = (request) => (cost ??= pyodide.pyimport("decision.cost")).web_response(request);
  handlers = Object.assign(Object.create(null), { questionnaire: web.respond, cost: costResponse });
  const t3 = performance.now();
  progress("ready", {
    info: {
      engine_version: web.__version__ ?? null,
      build_id: buildId,
      pyodide_version: pyodide.version,
      timings_ms: {
        download: Math.round((booted ?? t1) - t0),
        start_python: Math.round(t1 - (booted ?? t1)),
        load_engine: Math.round(t2 - t1),
        warm_up: Math.round(t3 - t2),
        total: Math.round(t3 - t0),
      },
    },
  });
}

start()
  .catch((error) => {
    failure = String((error && error.message) || error).slice(0, 300);
    progress("failed", { message: failure });
  })
  .finally(() => {
    while (waiting.length) answer(waiting.shift());
  });
