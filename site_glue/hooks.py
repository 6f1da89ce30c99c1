"""MkDocs hooks for the guide: build-time checks that keep the pages in step with the model."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.exceptions import PluginError  # noqa: E402

from site_glue import views  # noqa: E402


def on_config(config, **kwargs):
    """Show the cost calculator (another part of the project) in the navigation once its page exists."""
    docs = Path(config["docs_dir"])
    nav = config.get("nav") or []
    listed = repr(nav)
    if (docs / "calculator" / "index.md").is_file() and "calculator/index.md" not in listed:
        at = next((i for i, item in enumerate(nav) if "questionnaire/index.md" in repr(item)), len(nav) - 1)
        nav.insert(at + 1, {"Cost calculator": "calculator/index.md"})
    return config


def on_files(files, config, **kwargs):
    """Every case in the model needs a page under docs/cases/, and every case page a case."""
    model = views.site_model()
    pages = {Path(f.src_uri).stem for f in files if f.src_uri.startswith("cases/") and f.src_uri != "cases/index.md"}
    cases = {case.id for case in model.cases}
    if cases - pages:
        raise PluginError(f"case studies without a page in docs/cases/: {', '.join(sorted(cases - pages))}")
    if pages - cases:
        raise PluginError(f"pages in docs/cases/ with no case in the model: {', '.join(sorted(pages - cases))}")
    return files
