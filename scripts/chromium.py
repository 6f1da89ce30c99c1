"""Debian's Chromium, headless, the way it works on these machines: one list for tests and benchmarks.

As root it needs --no-sandbox; without the background-networking switches it keeps trying to
reach outside hosts.
"""

EXECUTABLE = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
