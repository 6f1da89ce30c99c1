"""mkdocs-macros entry point: thin macros over site_glue.views, calling the engine's public API.

mkdocs-macros loads this file by path; site_glue/hooks.py has already made `site_glue` importable.
The model comes from the package, or from DECISION_MODEL_PATH / DECISION_CASES_PATH when set,
so a changed rule shows up in the pages (or breaks the build) on the next `make site`.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from decision import __version__, flow_svg
from site_glue import cost_macros, gap_macros, sources, views

CITATIONS = "citations"  # env.variables key of the build's Citations (site_glue/sources.py)


def define_env(env) -> None:
    model = views.site_model()
    env.variables["engine_version"] = __version__
    env.variables["model"] = model

    def page_url() -> str:
        return views.current_page_url(env)

    def cite(source_id: str) -> str:  # the model's own citations (question help texts)
        return env.variables[CITATIONS].cite(source_id, page_url())

    @env.macro
    def guide_questions() -> str:
        return views.guide_questions(model, cite=cite)

    @env.macro
    def questionnaire_form() -> str:
        return views.questionnaire_form(model, page_url(), cite=cite)

    @env.macro
    def case_title(case_id: str) -> str:
        return views.case_by_id(model, case_id).title

    @env.macro
    def case_page(case_id: str) -> str:
        return views.case_page(model, case_id, page_url())

    @env.macro
    def cases_table() -> str:
        return views.cases_table(model)

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
    def answer_effects() -> str:
        return views.answer_effects(model)

    @env.macro
    def rule_table() -> str:
        return views.rule_table(model)

    @env.macro
    def flow_diagram() -> str:
        # Focusable: on a narrow screen the drawing scrolls sideways, and a keyboard must be able to scroll it.
        return (
            '<div class="dq-flow-wrap" tabindex="0" role="group" aria-label="Decision flow">'
            + flow_svg(model)
            + "</div>"
        )

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
    def json_schemas() -> str:
        return views.json_schemas()

    @env.macro
    def case_record(case_id: str, fmt: str = "markdown") -> str:
        return views.case_record(model, case_id, fmt)

    @env.macro
    def counts() -> dict:
        return {"questions": len(model.questions), "rules": len(model.rules), "cases": len(model.cases)}

    cost_macros.register(env)
    gap_macros.register(env)
    env.variables[CITATIONS] = sources.register(env, Path(env.conf["docs_dir"]) / "sources")


def on_post_build(env) -> None:
    """Every source in docs/sources/ is cited by some page, or the build fails (a message, no traceback)."""
    try:
        env.variables[CITATIONS].check_all_used()
    except sources.SourceError as error:
        raise PluginError(str(error)) from None
