"""The guide's build steps: the one file mkdocs.yml lists under `hooks:`.

MkDocs loads this file by path, before any build event and before mkdocs-macros imports
site_glue/macros.py, so it is the one place that makes this checkout's `decision` and
`site_glue` importable. Everything else in site_glue is imported as a normal package.

Each step is an object holding its own build state:

- `CasePagesCheck` (site_glue/case_pages.py): every case in the model has a page, and back;
- `EngineRuntime` (site_glue/runtime.py): ships the engine wheel, Pyodide and the service worker;
- `ContentSecurityPolicy` (site_glue/csp.py): hashes the final HTML of each page.

Their order is fixed in code, not by any list: each handler carries an `event_priority`
(higher runs first, 0 is the default of every other plugin), and MkDocs sorts all the
handlers of an event by it. Each `on_<event>` below is a `CombinedEvent` of the steps'
handlers for that event, which MkDocs registers one by one with their own priorities.
"""

from __future__ import annotations

import sys
from pathlib import Path

CHECKOUT = str(Path(__file__).resolve().parent.parent)
if CHECKOUT not in sys.path:
    sys.path.insert(0, CHECKOUT)  # first, so the pages use this checkout's engine even if another is installed

from mkdocs.plugins import CombinedEvent  # noqa: E402

from site_glue.case_pages import CasePagesCheck  # noqa: E402
from site_glue.csp import ContentSecurityPolicy  # noqa: E402
from site_glue.runtime import EngineRuntime  # noqa: E402

STEPS = (CasePagesCheck(), EngineRuntime(), ContentSecurityPolicy())


def combined_events(steps) -> dict[str, CombinedEvent]:
    """`on_<event>` -> the handlers every step defines for that event."""
    names = sorted({name for step in steps for name in dir(step) if name.startswith("on_")})
    return {name: CombinedEvent(*(getattr(step, name) for step in steps if hasattr(step, name))) for name in names}


globals().update(combined_events(STEPS))
