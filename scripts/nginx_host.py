"""Serve a built site with Debian's nginx on 127.0.0.1, using the committed deploy/nginx.conf as it stands.

The committed file holds the guide's settings (types, cache headers, compression, the policy); this
script wraps it in a configuration of its own under a prefix folder (pid file, logs and temporary
files there, not in root-owned /var or /run), so it runs without touching the system's nginx:

    python scripts/nginx_host.py --root site --port 8080      # what `make serve-nginx` runs

The tests use `start()` and share one nginx per session (tests/site/conftest.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONF = ROOT / "deploy" / "nginx.conf"
MODULES = Path("/usr/lib/nginx/modules")  # Debian's dynamic modules
BROTLI = MODULES / "ngx_http_brotli_filter_module.so"  # libnginx-mod-http-brotli-filter


def executable() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)
    if found is None:
        raise RuntimeError("nginx is missing: run `make setup` (installs Debian's nginx)")
    if not BROTLI.is_file():
        raise RuntimeError(f"{BROTLI} is missing: run `make setup` (installs libnginx-mod-http-brotli-filter)")
    return found


def write_config(prefix: Path, site: Path, port: int) -> Path:
    """The wrapper configuration: everything nginx writes goes under prefix."""
    prefix.mkdir(parents=True, exist_ok=True)
    temp = prefix / "temp"
    temp.mkdir(exist_ok=True)
    # As root, nginx hands requests to an unprivileged worker that could not read a site under a private
    # temporary folder; the worker keeps the caller's user instead (only loopback is listened on).
    user = "user root;\n" if os.geteuid() == 0 else ""
    text = f"""# Written by scripts/nginx_host.py: a wrapper around {SITE_CONF}.
load_module {BROTLI};
{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site.resolve()};
        include {SITE_CONF};
    }}
}}
"""
    conf = prefix / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


def start(site: Path, port: int, prefix: Path, ceiling_s: float = 60.0) -> subprocess.Popen:
    """Start nginx in the foreground (a child process) and wait until it accepts connections."""
    nginx = executable()
    conf = write_config(prefix, site, port)
    command = [nginx, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
    check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused {conf} / {SITE_CONF}:\n{check.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + ceiling_s
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped (exit {process.returncode}):\n{process.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.05)  # polling interval while waiting for the listening socket, not a guessed delay
    process.kill()
    raise RuntimeError(f"nginx did not accept connections on 127.0.0.1:{port} within {ceiling_s} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="site", type=Path)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--prefix", type=Path, default=None, help="where nginx writes (default: a temporary folder)")
    args = parser.parse_args()
    if not (args.root / "index.html").is_file():
        parser.error(f"--root: {args.root} holds no built site (index.html); run `make site` first")
    prefix = args.prefix or Path(tempfile.mkdtemp(prefix="guide-nginx-"))
    process = start(args.root, args.port, prefix.resolve())
    conf = SITE_CONF.relative_to(ROOT)
    print(f"nginx serving {args.root}/ on http://127.0.0.1:{args.port}/ with {conf} (Ctrl-C to stop)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a terminated wrapper takes its nginx along
    try:
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(process)


if __name__ == "__main__":
    main()
