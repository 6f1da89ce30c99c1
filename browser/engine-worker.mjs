// @ts-check
// Module worker: hosts the decision engine in Pyodide, off the page's main thread.
//
// Shipped to site/assets/js/ by site_glue/runtime.py; the vendored runtime sits in
// site/pyodide/ and the manifest in site/assets/engine.json, both found relative to
// this file. It decides nothing: each request goes to one Python function in decision.web,
// chosen by the request's kind, whose JSON text goes back to the page unchanged. One worker
// serves every widget of the site (decision-runtime.js). The messages are in protocol.js.

import { MESSAGE, PROTOCOL_VERSION, REQUEST, STAGE } from "./protocol.js";

/**
 * @typedef {import("./protocol.js").RequestMessage} RequestMessage
 * @typedef {import("./protocol.js").WorkerMessage} WorkerMessage
 * @typedef {import("./protocol.js").Stage} Stage
 * @typedef {(request: string) => string} PythonHandler
 *
 * The parts of a dedicated worker's global scope used here (the project is checked against the DOM library).
 * @typedef {object} WorkerScope
 * @property {(message: WorkerMessage) => void} postMessage
 * @property {(type: "message", listener: (event: MessageEvent<Partial<RequestMessage> | null>) => void) => void} addEventListener
 */

const scope = /** @type {WorkerScope} */ (/** @type {unknown} */ (globalThis));
const INDEX_URL = new URL("../../pyodide/", import.meta.url).href;
// Imported by URL at start, not by a static import: the site's layout (site/pyodide/) is not the checkout's.
const RUNTIME_URL = new URL("pyodide.mjs", INDEX_URL).href;
const MANIFEST_URL = new URL("../engine.json", import.meta.url);
// The reduced standard library (site_glue/runtime.py, SHIPPED_STDLIB); a fixed path, so the
// runtime can start before the manifest arrives.
const STDLIB_URL = new URL("../../pyodide/python_stdlib.reduced.zip", import.meta.url).href;
// The engine's name in pyodide/pyodide-lock.json (site_glue/lockfile.py): loaded by name, Pyodide
// fetches the wheel with the sha256 recorded there as its integrity check and refuses other bytes.
const ENGINE_PACKAGE = "decision";

/** @type {Record<string, PythonHandler> | null} kind -> the Python function, once the engine is imported */
let handlers = null;
/** @type {string | null} a message, once starting has failed */
let failure = null;
/** @type {Partial<RequestMessage>[]} requests that arrived before the engine was ready */
const waiting = [];

/** @param {Stage} stage @param {{info?: import("./protocol.js").EngineInfo, message?: string}} [extra] */
const progress = (stage, extra = {}) => scope.postMessage({ type: MESSAGE.progress, stage, ...extra });

/** @param {number} id @param {string} error */
const refuse = (id, error) => scope.postMessage({ type: MESSAGE.response, id, error });

/** @param {Partial<RequestMessage>} message */
function answer({ kind, id, schema_version, request }) {
  if (typeof id !== "number") return; // not from our page: nobody to answer
  if (schema_version !== PROTOCOL_VERSION) {
    refuse(
      id,
      `the page speaks version ${String(schema_version).slice(0, 20)} of the engine's protocol, this worker version ${PROTOCOL_VERSION}`,
    );
    return;
  }
  if (failure !== null || handlers === null) {
    refuse(id, failure ?? "the engine is not running");
    return;
  }
  const handler = Object.hasOwn(handlers, String(kind)) ? handlers[String(kind)] : undefined;
  if (handler === undefined) {
    refuse(id, `no such kind of request: ${String(kind).slice(0, 40)}`);
    return;
  }
  try {
    scope.postMessage({ type: MESSAGE.response, id, text: handler(typeof request === "string" ? request : "") });
  } catch (error) {
    refuse(id, `the engine raised: ${error instanceof Error ? error.message : String(error)}`);
  }
}

scope.addEventListener("message", (event) => {
  const request = event.data ?? {};
  if (handlers === null && failure === null) waiting.push(request);
  else answer(request);
});

async function readManifest() {
  const response = await fetch(MANIFEST_URL, { cache: "no-cache" });
  if (!response.ok) throw new Error(`engine manifest ${MANIFEST_URL.pathname}: HTTP ${response.status}`);
  const manifest = await response.json();
  if (typeof manifest.wheel !== "string" || !manifest.wheel.endsWith(".whl")) {
    throw new Error("engine manifest names no wheel");
  }
  return /** @type {{wheel: string, wheel_sha256?: string, build_id?: string}} */ (manifest);
}

/** Hex SHA-256 of a response body. @param {ArrayBuffer} bytes */
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Why the engine did not install, in plain words: a wheel other than the one the build recorded
 * is said so; anything else keeps Pyodide's own words.
 * @param {string} url @param {string | undefined} expected @param {string[]} problems */
async function installFailure(url, expected, problems) {
  const response = await fetch(url).catch(() => null);
  if (response?.ok && expected && (await sha256Hex(await response.arrayBuffer())) !== expected) {
    return "the engine's file on this site does not match the checksum recorded when the site was built, so it was refused (the files may be damaged or from two different builds)";
  }
  return `could not install the engine: ${problems.join("; ")}`;
}

// When the WebAssembly file cannot be fetched or compiled, the runtime only warns on the
// console and never settles; turn that warning into a failure instead of waiting for the
// page's timeout.
/** @returns {Promise<never>} */
function runtimeLoadFailure() {
  const warn = console.warn.bind(console);
  /** @type {string[]} */
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
  progress(STAGE.downloading);
  // Nothing waits on anything it does not need: the manifest and the wheel it names download
  // while Pyodide boots, and loadPackage then finds the wheel in the HTTP cache (and checks it).
  const engine = readManifest().then((manifest) => {
    const url = new URL(manifest.wheel, MANIFEST_URL).href;
    const body = fetch(url).then((response) => response.arrayBuffer());
    body.catch(() => {}); // loadPackage reports a missing wheel itself
    return { url, sha256: manifest.wheel_sha256, buildId: manifest.build_id ?? null };
  });
  engine.catch(() => {}); // reported below, when awaited
  /** @type {typeof import("pyodide").loadPyodide} */
  const loadPyodide = (await import(RUNTIME_URL)).loadPyodide;
  /** @type {number | null} */
  let booted = null;
  const pyodide = await Promise.race([
    loadPyodide({
      indexURL: INDEX_URL,
      stdLibURL: STDLIB_URL,
      // Called once the runtime is downloaded and compiled, just before the interpreter starts.
      fsInit: async () => {
        booted = performance.now();
        progress(STAGE.startingPython);
      },
    }),
    runtimeLoadFailure(),
  ]);
  const t1 = performance.now();
  progress(STAGE.loadingEngine);
  const { url: wheelURL, sha256, buildId } = await engine;
  /** @type {string[]} */
  const problems = [];
  await pyodide.loadPackage(ENGINE_PACKAGE, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  if (problems.length) throw new Error(await installFailure(wheelURL, sha256, problems));
  const web = pyodide.pyimport("decision.web");
  if (web.PROTOCOL_VERSION !== PROTOCOL_VERSION) {
    throw new Error(
      `the engine speaks version ${String(web.PROTOCOL_VERSION)} of the page's protocol and this page version ${PROTOCOL_VERSION}; reload the page to get files of one build`,
    );
  }
  const t2 = performance.now();
  handlers = Object.assign(Object.create(null), {
    [REQUEST.questionnaire]: /** @type {PythonHandler} */ (web.questionnaire_response),
    [REQUEST.calculator]: /** @type {PythonHandler} */ (web.calculator_response),
    [REQUEST.gap]: /** @type {PythonHandler} */ (web.gap_response),
  });
  // Requests sent while Python started (a shared link's answers) are answered before the warm-up:
  // the reader waits for them, and their own first run warms the code they use.
  for (const request of waiting.splice(0)) answer(request);
  const t3 = performance.now();
  web.warm_up(); // each code path's first run is slow in WebAssembly: pay for it before "ready", not on the next answer
  const t4 = performance.now();
  progress(STAGE.ready, {
    info: {
      engine_version: pyodide.pyimport("decision").__version__ ?? null,
      build_id: buildId,
      pyodide_version: pyodide.version,
      timings_ms: {
        download: Math.round((booted ?? t1) - t0),
        start_python: Math.round(t1 - (booted ?? t1)),
        load_engine: Math.round(t2 - t1),
        early_answers: Math.round(t3 - t2),
        warm_up: Math.round(t4 - t3),
        total: Math.round(t4 - t0),
      },
    },
  });
}

start()
  .catch((error) => {
    failure = (error instanceof Error ? error.message : String(error)).slice(0, 300);
    progress(STAGE.failed, { message: failure });
  })
  .finally(() => {
    for (const request of waiting.splice(0)) answer(request);
  });
