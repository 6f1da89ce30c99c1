// Filled in by the site build (site_glue/runtime.py, write_service_worker): the URLs service-worker.js precaches.
declare const __PRECACHE__: string[];
