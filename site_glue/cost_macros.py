"""Macros for the cost calculator page (docs/calculator/index.md), computed at build time.

`register(env)` is called from site_glue/macros.py. The helpers below are pure
functions of the worked example, so tests can render the page without MkDocs.
The worked example is `decision.cost.EXAMPLE`; a build can override some of its
inputs with a JSON or TOML file named by DECISION_COST_EXAMPLE (the tests use it
to prove that the page follows the numbers).
"""

from __future__ import annotations

import dataclasses
import os
from html import escape
from pathlib import Path

from decision import cost
from site_glue.views import current_page_url, rel

EXAMPLE_ENV = "DECISION_COST_EXAMPLE"


def example() -> tuple[cost.CostInputs, dict[str, str]]:
    """The worked example's inputs and the source of each, after any DECISION_COST_EXAMPLE override."""
    inputs, sources = cost.EXAMPLE, dict(cost.EXAMPLE_SOURCES)
    path = os.environ.get(EXAMPLE_ENV)
    if path:
        raw = cost.load_inputs_text(Path(path).read_text(encoding="utf-8"), path)
        inputs = cost.parse_inputs(raw, defaults=inputs)
        sources |= {name: f"set by {EXAMPLE_ENV}" for name in raw}
    return inputs, sources


def break_even(inputs: cost.CostInputs, **changes: float) -> str:
    """The break-even volume, in words, for the example with some inputs changed."""
    value = cost.compute(dataclasses.replace(inputs, **changes)).break_even_calls_per_month
    return "never" if value is None else cost.count(value)


def form(inputs: cost.CostInputs, sources: dict[str, str], page_url: str = "calculator/") -> str:
    """The static form, one input per dataclass field, pre-filled with the worked example."""
    parts = [
        '<form class="cost-form" id="cost-form" aria-label="Cost break-even calculator" '
        'method="get" action="#cost-result">'
    ]
    groups: dict[str, list[str]] = {}
    for name in cost.FIELDS:
        meta, value = cost.META[name], getattr(inputs, name)
        field = escape(name)
        groups.setdefault(meta["group"], []).append(
            f'<div class="cost-field"><label for="cost-{field}">'
            f'{escape(meta["label"])} <span class="cost-unit">({escape(meta["unit"])})</span></label>'
            f'<input type="number" id="cost-{field}" name="{field}" value="{cost.plain(value)}" min="0" '
            f'max="{meta["max"]:.0f}" step="{"1" if meta["whole"] else "any"}" inputmode="decimal" required '
            f'aria-describedby="cost-{field}-help">'
            f'<p class="cost-help" id="cost-{field}-help">{escape(meta["help"])} '
            f"Worked example: {cost.number(value)} ({escape(sources[name])}).</p></div>"
        )
    for group, fields in groups.items():
        parts += [f'<fieldset class="cost-group"><legend>{escape(group)}</legend>', *fields]
        parts.append("</fieldset>")
    parts.append(
        '<div class="cost-actions"><button type="submit" class="md-button md-button--primary">Work it out</button> '
        '<button type="reset" class="md-button">Back to the example</button></div></form>'
    )
    parts.append(result_section(cost.compute(inputs), page_url))
    return "\n".join(parts)


def result_section(result: cost.CostResult, page_url: str = "calculator/") -> str:
    """The result area, filled with the worked example at build time; the page script (browser/calculator.js)
    replaces the verdict, the figures, the chart and the questionnaire link with the engine's answer in the
    browser, keeping this structure."""
    answer = cost.prompt_cost_answer(result)
    part = ' class="cost-summary__part"'  # the fine-tune's cost components, under its monthly total
    rows = "".join(
        f'<tr{part if row["part"] else ""}><th scope="row">{escape(row["label"])}</th>'
        f"<td>{escape(row['value'])}</td></tr>"
        for row in cost.summary_rows(result)
    )
    href = escape(questionnaire_href(page_url, result.inputs))
    return (
        '<section id="cost-result" class="cost-result" aria-labelledby="cost-result-title">'
        '<h3 id="cost-result-title">Result</h3>'
        '<p class="cost-status" data-engine-state="static">Showing the worked example, computed when this page '
        "was built. The calculator works it out again in your browser once its Python engine has loaded.</p>"
        f'<p class="cost-verdict" aria-live="polite" data-prompt-cost="{answer}">{escape(result.verdict)}</p>'
        '<div class="cost-errors" role="alert" hidden></div>'
        '<div class="cost-result__body">'
        '<div class="cost-summary"><table><caption>The figures behind the verdict</caption>'
        f"<tbody>{rows}</tbody></table></div>"
        '<figure class="cost-chart-figure cost-result__chart">'
        + cost.cost_chart(result, id_prefix=cost.RESULT_CHART_ID)
        + "<figcaption>Monthly cost of each option against calls per month for these inputs; the circle marks "
        "the break-even volume and the dotted line your volume.</figcaption></figure>"
        f'<p class="cost-questionnaire"><a class="md-button" href="{href}" data-prompt-cost="{answer}">'
        f"Use this in the questionnaire</a> <span>(answers its cost question with "
        f"<code>prompt_cost={answer}</code>)</span></p>"
        "</div>"
        "<noscript><p>Without JavaScript this page shows the worked example only. "
        "Run <code>decision cost</code> with your own numbers for the same arithmetic.</p></noscript>"
        "</section>"
    )


def questionnaire_href(page_url: str, inputs: cost.CostInputs) -> str:
    return rel(page_url, "questionnaire/") + "#prompt_cost=" + cost.prompt_cost_answer(cost.compute(inputs))


def register(env) -> None:
    """Add the calculator's macros to mkdocs-macros' env (called from site_glue/macros.py)."""

    def page_url() -> str:
        return current_page_url(env)

    @env.macro
    def cost_formula() -> str:
        return cost.formula_markdown()

    @env.macro
    def cost_example_value(name: str) -> str:
        return cost.number(getattr(example()[0], name))

    @env.macro
    def cost_example_number(name: str) -> float:
        return getattr(example()[0], name)

    @env.macro
    def cost_break_even(**changes: float) -> str:
        return break_even(example()[0], **changes)

    @env.macro
    def cost_prompt_cost_answer() -> str:
        return cost.prompt_cost_answer(cost.compute(example()[0]))

    @env.macro
    def cost_form() -> str:
        return form(*example(), page_url=page_url())

    @env.macro
    def cost_command() -> str:
        return cost.reproduce(cost.compute(example()[0]))

    @env.macro
    def cost_questionnaire_link() -> str:
        answer = cost.prompt_cost_answer(cost.compute(example()[0]))
        href = escape(questionnaire_href(page_url(), example()[0]))
        return f'<a href="{href}">prompt_cost = {answer}</a>'
