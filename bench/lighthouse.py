"""Lighthouse audit of six pages, served the way a static host would serve them.

Builds the site into a temporary folder (with SITE_URL pointing at the local server, so
canonical links and instant navigation match), serves it on 127.0.0.1 with scripts/serve.py
(gzip) or with Debian's nginx and the committed deploy/nginx.conf (gzip and brotli), and runs the
pinned npm `lighthouse` (package.json) against Debian's Chromium one page at a time: the machine
is small and parallel runs skew the timings.

    .venv/bin/python bench/lighthouse.py [--preset mobile|desktop|both] [--host python|nginx|both]
                                         [--runs 5] [--site site/] [--page NAME ...]

Lighthouse's mobile preset simulates a 4x slower CPU from the timings it observes, so on a
shared 2-core machine one run can differ from the next by 0.05 in performance. Each page is
therefore audited --runs times and the median run is reported (Lighthouse's own advice), with
every run's performance score beside it.

Prints a Markdown table (performance, accessibility, best practices, SEO, total blocking
time) per page, preset and host, lists the audits that cost points, and writes every report
plus a summary to bench/results/ (gitignored). Exits 1 if a median score is below 0.95 or a
median run's total blocking time is 200 ms or more, on any page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import nginx_host  # noqa: E402
from chromium import EXECUTABLE, FLAGS  # noqa: E402
from serve import make_server  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = EXECUTABLE
CHROME_FLAGS = " ".join(FLAGS)
PAGES = {
    "home": "",
    "guide": "guide/",
    "case: strict-format": "cases/strict-format/",
    "questionnaire": "questionnaire/",
    "calculator": "calculator/",
    "gap tool": "gap/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 0.95
TBT_TARGET_MS = 200
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(dest: Path, port: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{done.stderr[-3000:]}")


def run_lighthouse(url: str, preset: str, out: Path) -> dict:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not out.is_file():
        raise SystemExit(f"lighthouse failed on {url} ({preset}):\n{done.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def summarise(report: dict) -> dict:
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    audits = report["audits"]
    lost = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{name}: {ref['id']} ({audit['score']:.2f}) {audit.get('displayValue', '')}".rstrip())
    metrics = {
        key: audits[key].get("numericValue")
        for key in (
            "total-blocking-time",
            "first-contentful-paint",
            "largest-contentful-paint",
            "cumulative-layout-shift",
        )
    }
    errors = report.get("runWarnings", [])
    return {"scores": scores, "metrics": metrics, "lost": lost, "warnings": errors}


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (Lighthouse's advice: repeat, keep the median),
    with every run's performance score and total blocking time beside it."""
    ordered = sorted(runs, key=lambda run: (run["scores"]["performance"] or 0, -run["metrics"]["total-blocking-time"]))
    middle = dict(ordered[(len(ordered) - 1) // 2])
    middle["performance_runs"] = [run["scores"]["performance"] for run in runs]
    middle["tbt_runs"] = [round(run["metrics"]["total-blocking-time"]) for run in runs]
    return middle


def fmt(score) -> str:
    return "n/a" if score is None else f"{score:.2f}"


def table(rows: list[dict]) -> str:
    lines = [
        "| Page | Preset | Host | Performance | Accessibility | Best practices | SEO | TBT (ms) | LCP (s) | CLS |"
        " Performance, every run | TBT (ms), every run |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        s, m = row["scores"], row["metrics"]
        lines.append(
            f"| {row['page']} | {row['preset']} | {row['host']} | {fmt(s['performance'])} | "
            f"{fmt(s['accessibility'])} | {fmt(s['best-practices'])} | {fmt(s['seo'])} | "
            f"{m['total-blocking-time']:.0f} | "
            f"{m['largest-contentful-paint'] / 1000:.2f} | {m['cumulative-layout-shift']:.3f} | "
            f"{' '.join(fmt(p) for p in row['performance_runs'])} | {' '.join(str(t) for t in row['tbt_runs'])} |"
        )
    return "\n".join(lines)


def misses(rows: list[dict]) -> list[str]:
    found = []
    for row in rows:
        where = f"{row['page']} ({row['preset']}, {row['host']})"
        for name, score in row["scores"].items():
            if score is None or score < TARGET:
                found.append(f"{where}: {name} {fmt(score)} < {TARGET}")
        tbt = row["metrics"]["total-blocking-time"]
        if tbt >= TBT_TARGET_MS:
            found.append(f"{where}: total blocking time {tbt:.0f} ms >= {TBT_TARGET_MS} ms")
    return found


class Host:
    """One static server on 127.0.0.1:port for the duration of a `with` block."""

    def __init__(self, kind: str, site: Path, port: int, work: Path) -> None:
        self.kind, self.site, self.port, self.work = kind, site, port, work

    def __enter__(self) -> Host:
        if self.kind == "nginx":
            self.process = nginx_host.start(self.site, self.port, self.work / "nginx")
        else:
            self.server = make_server(str(self.site), self.port, use_gzip=True, quiet=True)
            threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        if self.kind == "nginx":
            nginx_host.stop(self.process)
        else:
            self.server.shutdown()
            self.server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", choices=("mobile", "desktop", "both"), default="both")
    parser.add_argument("--host", choices=("python", "nginx", "both"), default="python")
    parser.add_argument("--site", help="audit this built site instead of a fresh build (canonical URLs may differ)")
    parser.add_argument("--page", action="append", choices=sorted(PAGES), help="only these pages (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="runs per page and preset; the median run is reported")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci`")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make setup`")
    presets = ("mobile", "desktop") if args.preset == "both" else (args.preset,)
    hosts = ("python", "nginx") if args.host == "both" else (args.host,)
    pages = {name: PAGES[name] for name in (args.page or PAGES)}

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="lighthouse-site-"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    rows = []
    try:
        if args.site:
            site = Path(args.site).resolve()
        else:
            site = work / "site"
            build(site, port)
        for host in hosts:
            with Host(host, site, port, work):
                base = f"http://127.0.0.1:{port}/"
                for preset in presets:
                    for name, path in pages.items():
                        slug = name.replace(": ", "-").replace(" ", "-")
                        runs = []
                        for run in range(1, args.runs + 1):
                            out = RESULTS / f"lighthouse-{stamp}-{host}-{preset}-{slug}-{run}.json"
                            started = time.monotonic()
                            runs.append({"report": out.name, **summarise(run_lighthouse(base + path, preset, out))})
                            print(
                                f"  {host:6} {preset:7} {name:20} run {run}: {time.monotonic() - started:5.1f} s",
                                file=sys.stderr,
                            )
                        rows.append({"page": name, "path": path, "preset": preset, "host": host, **median_run(runs)})
    finally:
        shutil.rmtree(work, ignore_errors=True)

    version = json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    (RESULTS / f"lighthouse-{stamp}-summary.json").write_text(
        json.dumps({"lighthouse": version, "rows": rows}, indent=2), encoding="utf-8"
    )
    print(
        f"Lighthouse {version}, Chromium {CHROMIUM}, on 127.0.0.1 ({', '.join(hosts)}), "
        f"one page at a time, median of {args.runs} runs\n"
    )
    print(table(rows))
    lost = [f"- {row['page']} ({row['preset']}, {row['host']}): {item}" for row in rows for item in row["lost"]]
    if lost:
        print("\nAudits that cost points (median run):\n" + "\n".join(lost))
    warnings = [f"- {row['page']} ({row['preset']}, {row['host']}): {w}" for row in rows for w in row["warnings"]]
    if warnings:
        print("\nLighthouse warnings:\n" + "\n".join(warnings))
    below = misses(rows)
    print("\nBelow target:\n" + ("\n".join(f"- {item}" for item in below) if below else "- nothing"))
    return 1 if below else 0


if __name__ == "__main__":
    raise SystemExit(main())
