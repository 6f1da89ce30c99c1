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

    def on_page_markdown(self, markdown, page, **kwargs):
        # A case page's heading carries its source (attr_list) for the figures check; MkDocs would take the
        # raw heading, attribute and all, as the page's title in the navigation, so name it from the model.
        uri = page.file.src_uri
        if uri.startswith("cases/") and uri != "cases/index.md":
            page.title = views.case_by_id(views.site_model(), Path(uri).stem).title
        return markdown
