// @ts-check
// The messages between the page (decision-runtime.js) and the engine's worker (engine-worker.mjs),
// imported by both: every kind, stage and version lives here and nowhere else.

/** The version of this protocol: every request carries it as `schema_version`, the worker refuses
 * another, Python's `decision.web.PROTOCOL_VERSION` must equal it, and every reply states it as `protocol`. */
export const PROTOCOL_VERSION = 4;

/** What a request asks for; the worker calls one Python function per kind. */
export const REQUEST = Object.freeze({
  questionnaire: "questionnaire", // decision.web.questionnaire_response(fragment or JSON request)
  calculator: "calculator", // decision.web.calculator_response(fragment of cost inputs)
  gap: "gap", // decision.web.gap_response(fragment of gap inputs)
});

/** The two kinds of message the worker sends. */
export const MESSAGE = Object.freeze({
  progress: "progress",
  response: "response",
});

/** How far the engine has got, in the order it gets there; `failed` can follow any of them. */
export const STAGE = Object.freeze({
  downloading: "downloading runtime",
  startingPython: "starting Python",
  loadingEngine: "loading engine",
  ready: "ready",
  failed: "failed",
});

/** The stages on the way to ready, in order (for a progress meter). */
export const STAGES_TO_READY = Object.freeze([STAGE.downloading, STAGE.startingPython, STAGE.loadingEngine, STAGE.ready]);

/**
 * @typedef {typeof REQUEST[keyof typeof REQUEST]} RequestKind
 * @typedef {typeof STAGE[keyof typeof STAGE]} Stage
 *
 * @typedef {object} EngineInfo
 * @property {string | null} engine_version
 * @property {string | null} build_id
 * @property {string} pyodide_version
 * @property {Record<string, number>} timings_ms
 *
 * @typedef {object} RequestMessage  page -> worker
 * @property {RequestKind} kind
 * @property {number} id
 * @property {number} schema_version  PROTOCOL_VERSION of the page that sent it
 * @property {string} request  the text handed to the Python function
 *
 * @typedef {{type: typeof MESSAGE.progress, stage: Stage, info?: EngineInfo, message?: string}} ProgressMessage  worker -> page
 * @typedef {{type: typeof MESSAGE.response, id: number, text: string}
 *   | {type: typeof MESSAGE.response, id: number, error: string}} ResponseMessage  worker -> page; text: Python's JSON
 * @typedef {ProgressMessage | ResponseMessage} WorkerMessage
 */
