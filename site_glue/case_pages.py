"""Build step: every case in the model has a page under docs/cases/, and every case page a case."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from site_glue import views


class CasePagesCheck:
    @event_priority(50)  # early: a missing page fails the build before the slow runtime step starts
    def on_files(self, files, config, **kwargs):
        cases = {case.id for case in views.site_model().cases}
        pages = {
            Path(f.src_uri).stem for f in files if f.src_uri.startswith("cases/") and f.src_uri != "cases/index.md"
        }
        if cases - pages:
            raise PluginError(f"case studies without a page in docs/cases/: {', '.join(sorted(cases - pages))}")
        if pages - cases:
            raise PluginError(f"pages in docs/cases/ with no case in the model: {', '.join(sorted(pages - cases))}")
        return files
