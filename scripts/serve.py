"""Serve a built site on 127.0.0.1 the way a static host should.

Correct MIME types for WebAssembly and ES modules, cache headers (long-lived for
the versioned runtime, revalidate for pages) and, with --gzip, compression for
text assets, so local measurements resemble a real host.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import mimetypes
import os
import re
from functools import partial

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".toml": "application/toml",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}
IMMUTABLE = re.compile(r"/assets/engine/[0-9a-f]{8,}/|\.[0-9a-f]{8}\.min\.(?:js|css)$")
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".wasm", ".txt", ".xml", ".map", ".md"}


class Handler(http.server.SimpleHTTPRequestHandler):
    use_gzip = False
    quiet = False

    def guess_type(self, path):
        ext = os.path.splitext(str(path))[1].lower()
        return TYPES.get(ext) or mimetypes.guess_type(str(path))[0] or "application/octet-stream"

    def end_headers(self):
        # Only content-addressed paths may be cached for good; everything else (pages, the
        # unversioned pyodide/ folder, the manifest) is revalidated so a new build shows at once.
        path = self.path.split("?", 1)[0]
        if IMMUTABLE.search(path):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        if not self.use_gzip or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        ext = os.path.splitext(path)[1].lower()
        if ext not in COMPRESSIBLE or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)

    def log_message(self, fmt, *args):
        if not self.quiet:
            super().log_message(fmt, *args)


def make_server(root: str, port: int, use_gzip: bool = False, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"use_gzip": use_gzip, "quiet": quiet})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=root))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="site")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--gzip", action="store_true", help="compress text assets like a production host")
    args = parser.parse_args()
    server = make_server(args.root, args.port, args.gzip)
    print(f"Serving {args.root}/ on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
