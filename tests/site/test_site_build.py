"""The built site: strict offline build, no other origins, no broken internal links, valid HTML."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from htmlscan import css_urls, is_other_origin, read
from site_support import REPO_ROOT, page_paths

pytestmark = pytest.mark.site

EXPECTED_PAGES = {
    "",
    "questionnaire/",
    "guide/",
    "approaches/",
    "cases/",
    "fine-tuning/",
    "evidence/",
    "reference/",
    "reference/cli/",
    "reference/decision-record/",
}


def test_strict_offline_build_writes_every_page(built_site: Path):
    pages = set(page_paths(built_site))
    assert pages >= EXPECTED_PAGES, f"missing pages: {sorted(EXPECTED_PAGES - pages)}"
    from decision import default_model

    for case in default_model().cases:
        assert f"cases/{case.id}/" in pages
    assert (built_site / "sitemap.xml").is_file()


def test_no_resource_from_another_origin(built_site: Path):
    offenders = []
    for html in built_site.rglob("*.html"):
        page = read(html)
        for what, url in page.resources:
            if is_other_origin(url):
                offenders.append(f"{html.relative_to(built_site)}: {what} {url}")
        for style in page.styles:
            offenders += [
                f"{html.relative_to(built_site)}: inline style url {u}" for u in css_urls(style) if is_other_origin(u)
            ]
        text = html.read_text(encoding="utf-8")
        for marker in ("fonts.googleapis", "fonts.gstatic", "unpkg.com", "cdn.jsdelivr", 'class="mermaid"'):
            if marker in text:
                offenders.append(f"{html.relative_to(built_site)}: mentions {marker}")
    for css in built_site.rglob("*.css"):
        offenders += [f"{css.relative_to(built_site)}: {u}" for u in css_urls(css.read_text()) if is_other_origin(u)]
    assert not offenders, "\n".join(offenders)


def _target(site: Path, source: Path, url: str) -> tuple[Path, str]:
    parts = urlsplit(url)
    base = source.parent
    path = unquote(parts.path)
    target = (site / path.lstrip("/")) if path.startswith("/") else (base / path if path else source)
    target = target.resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_internal_links_and_anchors_resolve(built_site: Path):
    site = built_site.resolve()
    ids: dict[Path, set[str]] = {}
    problems, checked = [], 0
    for html in sorted(site.rglob("*.html")):
        page = read(html)
        ids[html] = page.ids
    for html in sorted(site.rglob("*.html")):
        for tag, url, _attrs in read(html).links:
            if is_other_origin(url) or url.startswith(("mailto:", "data:", "javascript:", "tel:")):
                continue
            checked += 1
            target, fragment = _target(site, html, url)
            where = f"{html.relative_to(site)}: {tag} {url}"
            if not target.is_file():
                problems.append(f"{where} -> missing {target}")
                continue
            if not fragment or target.suffix != ".html":
                continue
            if "=" in fragment and target in (
                site / "questionnaire" / "index.html",
                site / "calculator" / "index.html",
                site / "gap" / "index.html",
            ):
                continue  # answers and inputs (or a worked example's id) travel in the fragment; not an anchor
            if fragment not in ids.get(target, set()):
                problems.append(f"{where} -> no id {fragment!r} in {target.relative_to(site)}")
    assert checked > 100, f"only {checked} internal links found; the scanner is broken"
    assert not problems, "\n".join(problems)


# Material's base.html (outside any overridable block) puts autocomplete="off" on its two hidden
# checkbox toggles (#__drawer, #__search) so Firefox does not restore an open drawer on reload.
# The Nu checker rejects autocomplete on checkboxes. Fixing it means copying all of base.html,
# so only this exact message is filtered, and only two per page are allowed.
MATERIAL_TOGGLE_AUTOCOMPLETE = (
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
    "“datetime-local”, “email”, “hidden”, “month”, “number”, "
    "“password”, “range”, “search”, “tel”, “text”, "
    "“time”, “url”, or “week”."
)


def test_html_passes_the_nu_checker(built_site: Path):
    jar = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert jar.is_file(), f"{jar} is missing: run `make setup`"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json", str(built_site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages is not None
    filtered: dict[str, int] = {}
    errors = []
    for message in messages:
        if message.get("type") == "error" and message.get("message") == MATERIAL_TOGGLE_AUTOCOMPLETE:
            filtered[message["url"]] = filtered.get(message["url"], 0) + 1
            continue
        errors.append(
            f"{message.get('url')}:{message.get('lastLine')}: {message.get('type')}: {message.get('message')}"
        )
    assert not errors, "\n".join(errors)
    assert all(count == 2 for count in filtered.values()), filtered
    html_files = len(list(built_site.rglob("*.html")))
    assert len(filtered) == html_files, "the checker did not see every page"


# ---------------------------------------------------------------- the build steps' order is fixed in code

PROBE = """
def on_config(config, **kwargs):
    return config

def on_files(files, config, **kwargs):
    return files

def on_post_page(output, **kwargs):
    return output

def on_post_template(output_content, **kwargs):
    return output_content

def on_post_build(config, **kwargs):
    pass
"""
STEP_ORDER = {
    # event: our handlers that must come first (before every other handler) / last (after every other), in order
    "config": ((), ("EngineRuntime",)),
    "files": (("CasePagesCheck",), ("EngineRuntime",)),
    "post_page": ((), ("ContentSecurityPolicy",)),
    "post_template": ((), ("ContentSecurityPolicy",)),
    "post_build": ((), ("ContentSecurityPolicy", "EngineRuntime")),
}


def _handlers(tmp_path: Path, hooks: list[str], plugins: list[str]) -> dict[str, list[str]]:
    """Each event's handlers, in the order MkDocs runs them, for mkdocs.yml with these hooks and plugins.

    A step's handler is named by its class; any other handler (a plugin, the probe hook) is "other"."""
    from mkdocs.config import load_config

    config_file = tmp_path / f"mkdocs-{len(list(tmp_path.glob('mkdocs-*.yml')))}.yml"
    config_file.write_text(
        f"INHERIT: {REPO_ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {REPO_ROOT / 'docs'}\n"
        f"theme:\n  custom_dir: {REPO_ROOT / 'overrides'}\n"
        "hooks:\n" + "".join(f"  - {hook}\n" for hook in hooks) + "plugins:\n" + "".join(f"  - {p}\n" for p in plugins),
        encoding="utf-8",
    )
    config = load_config(str(config_file))

    def name(handler) -> str:
        step = type(getattr(handler, "__self__", None))
        return step.__name__ if step.__module__.startswith("site_glue.") else "other"

    return {event: [name(h) for h in config.plugins.events[event]] for event in STEP_ORDER}


@pytest.mark.parametrize("probe_first", [True, False], ids=["probe-hook-first", "probe-hook-last"])
def test_build_steps_run_in_the_order_their_code_sets(tmp_path: Path, monkeypatch, probe_first: bool):
    """The CSP hashes the final HTML and the service worker lists every file whatever mkdocs.yml lists
    around them: a hook with default priorities before or after ours, and the plugins in either order."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    ours = str(REPO_ROOT / "site_glue" / "hooks.py")
    hooks = [str(probe), ours] if probe_first else [ours, str(probe)]
    plugins = ["search", "macros:\n      module_name: site_glue/macros"]
    for arrangement in (plugins, plugins[::-1]):
        handlers = _handlers(tmp_path, hooks, arrangement)
        for event, (first, last) in STEP_ORDER.items():
            order = handlers[event]
            assert "other" in order, f"{event}: the probe hook's handler was not registered: {order}"
            assert tuple(order[: len(first)]) == first, f"{event}: {first} must run first, got {order}"
            assert tuple(order[len(order) - len(last) :]) == last, f"{event}: {last} must run last, got {order}"


# ---------------------------------------------------------------- the glue's door into the engine

PUBLIC_DOORS = {
    "decision": "__all__",
    "decision.cost": "__all__",
    "decision.gap": "__all__",
    "decision.cli": ("build_parser",),
}


def test_site_glue_imports_the_engine_only_through_its_public_api():
    """site_glue may import `decision`, `decision.cost` and `decision.gap` names from their __all__, and
    decision.cli's parser."""
    import ast
    import importlib

    allowed = {
        module: set(getattr(importlib.import_module(module), names) if isinstance(names, str) else names)
        for module, names in PUBLIC_DOORS.items()
    }
    offenders, seen = [], 0
    for path in sorted((REPO_ROOT / "site_glue").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Import):
                offenders += [f"{where}: import {a.name}" for a in node.names if a.name.startswith("decision")]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "decision":
                seen += 1
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    if submodule in allowed or alias.name in allowed.get(node.module, ()):
                        continue
                    offenders.append(f"{where}: from {node.module} import {alias.name}")
    assert seen >= 3, "site_glue's imports from decision were not found; the scan is broken"
    assert not offenders, "site_glue goes past the engine's public API:\n" + "\n".join(offenders)


def test_an_uncited_source_stops_the_build_with_a_message():
    """The macros' end-of-build check turns the sources' error into MkDocs' own (no traceback)."""
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from site_glue import macros, sources

    citations = sources.Citations.from_directory(REPO_ROOT / "docs" / "sources")
    first = next(iter(citations.catalogue.sources))
    env = SimpleNamespace(variables={macros.CITATIONS: citations})
    with pytest.raises(PluginError, match=f"no page cites.*{first}"):
        macros.on_post_build(env)
    for source_id in citations.catalogue.sources:
        citations.cite(source_id, "evidence/")
    macros.on_post_build(env)
