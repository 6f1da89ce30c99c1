// @ts-check
/* Service worker: the whole site, Pyodide included, works offline after the first visit.
 *
 * site_glue/runtime.py writes this file to the site root as sw.js after each build, filling in
 * BUILD (a hash of every file the build produced) and PRECACHE (their URLs). The cache is named
 * after BUILD, so a new build installs into a new cache and the old one is deleted on activation.
 * A new worker waits until no tab uses the old one, so an open page never mixes two builds.
 */

/**
 * The parts of a service worker's global scope used here (the project is checked against the DOM library).
 * @typedef {Event & {waitUntil(done: Promise<unknown>): void}} ExtendableEvent
 * @typedef {ExtendableEvent & {request: Request, respondWith(response: Promise<Response>): void}} FetchEvent
 * @typedef {object} ServiceWorkerScope
 * @property {{scope: string}} registration
 * @property {{claim(): Promise<void>}} clients
 * @property {Location} location
 * @property {((type: "install" | "activate", listener: (event: ExtendableEvent) => void) => void)
 *   & ((type: "fetch", listener: (event: FetchEvent) => void) => void)} addEventListener
 */
const worker = /** @type {ServiceWorkerScope} */ (/** @type {unknown} */ (globalThis));
const BUILD = "__BUILD__";
/** @type {string[]} */
const PRECACHE = __PRECACHE__;
const PREFIX = "decision-guide-";
const CACHE = PREFIX + BUILD;

worker.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(PRECACHE.map((path) => new Request(new URL(path, worker.registration.scope), { cache: "no-cache" }))),
      ),
  );
});

worker.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== worker.location.origin) return;
  event.respondWith(answer(request));
});

/** @param {Request} request */
async function answer(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === "navigate") {
      const notFound = await cache.match(new URL("404.html", worker.registration.scope));
      if (notFound) return notFound;
    }
    throw error;
  }
}
