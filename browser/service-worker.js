/* Service worker: the whole site, Pyodide included, works offline after the first visit.
 *
 * site_glue/runtime.py writes this file to the site root as sw.js after each build, filling in
 * BUILD (a hash of every file the build produced) and PRECACHE (their URLs). The cache is named
 * after BUILD, so a new build installs into a new cache and the old one is deleted on activation.
 * A new worker waits until no tab uses the old one, so an open page never mixes two builds.
 */
const BUILD = "__BUILD__";
const PRECACHE = __PRECACHE__;
const PREFIX = "decision-guide-";
const CACHE = PREFIX + BUILD;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((path) => new Request(new URL(path, self.registration.scope), { cache: "no-cache" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(answer(request));
});

async function answer(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === "navigate") {
      const notFound = await cache.match(new URL("404.html", self.registration.scope));
      if (notFound) return notFound;
    }
    throw error;
  }
}
