"""mkdocs-macros entry point: thin macros over site_glue.views, calling the engine's public API.

The model comes from the package, or from DECISION_MODEL_PATH / DECISION_CASES_PATH when set,
so a changed rule shows up in the pages (or breaks the build) on the next `make site`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:  # mkdocs-macros loads this file by path; make `site_glue` importable
    sys.path.insert(0, _ROOT)

from decision import __version__  # noqa: E402
from site_glue import views  # noqa: E402
from site_glue.flow_svg import flow_svg  # noqa: E402


def define_env(env) -> None:
    model = views.site_model()
    env.variables["engine_version"] = __version__
    env.variables["model"] = model

    def page_url() -> str:
        return env.page.url if env.page is not None else ""

    @env.macro
    def guide_questions() -> str:
        return views.guide_questions(model)

    @env.macro
    def questionnaire_form() -> str:
        return views.questionnaire_form(model, page_url())

    @env.macro
    def case_title(case_id: str) -> str:
        return views.case_by_id(model, case_id).title

    @env.macro
    def case_page(case_id: str) -> str:
        return views.case_page(model, case_id, page_url())

    @env.macro
    def cases_table() -> str:
        return views.cases_table(model, page_url())

    @env.macro
    def verdict_for(**answers: str) -> str:
        return views.verdict_box(model, answers, page_url())

    @env.macro
    def questionnaire_link(text: str, **answers: str) -> str:
        return f'<a href="{views.questionnaire_href(page_url(), answers)}">{text}</a>'

    @env.macro
    def component_summary(component_id: str) -> str:
        return model.components[component_id].summary

    @env.macro
    def component_label(component_id: str) -> str:
        return model.components[component_id].label

    @env.macro
    def step_text(step_id: str) -> str:
        return model.steps[step_id]

    @env.macro
    def rule_table() -> str:
        return views.rule_table(model)

    @env.macro
    def flow_diagram() -> str:
        return '<div class="dq-flow-wrap">' + flow_svg(model) + "</div>"

    @env.macro
    def flow_in_words() -> str:
        return views.flow_in_words(model)

    @env.macro
    def steps_table() -> str:
        return views.catalogue_table(model.steps, "Step")

    @env.macro
    def caveats_table() -> str:
        return views.catalogue_table(model.caveats, "Caveat")

    @env.macro
    def cli_example(*argv: str, lang: str = "text") -> str:
        return views.cli_example(model, list(argv), lang)

    @env.macro
    def case_record(case_id: str, fmt: str = "markdown") -> str:
        return views.case_record(model, case_id, fmt)

    @env.macro
    def counts() -> dict:
        return {"questions": len(model.questions), "rules": len(model.rules), "cases": len(model.cases)}

    # The cost calculator (owned separately) registers its own macros when it is present.
    if importlib.util.find_spec("site_glue.cost_macros") is not None:
        importlib.import_module("site_glue.cost_macros").register(env)
