"""Macros for the cost calculator page (docs/calculator/index.md), computed at build time.

`register(env)` is called from site_glue/macros.py. The helpers below are pure functions of the worked
examples (decision/data/cost_examples.toml), so tests can render the page without MkDocs. The form starts
from the default example; a build can override some of its inputs with a JSON or TOML file named by
DECISION_COST_EXAMPLE (the tests use it to prove that the page follows the numbers). Every figure the
engine computes is wrapped in an element with `data-computed`, so the figures check knows where it came from.
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
    """The default example's inputs and the source of each, after any DECISION_COST_EXAMPLE override."""
    inputs, sources = cost.EXAMPLE, dict(cost.EXAMPLE_SOURCES)
    path = os.environ.get(EXAMPLE_ENV)
    if path:
        raw = _override(path)
        inputs = cost.parse_inputs(raw, defaults=inputs)
        sources |= {name: f"set by {EXAMPLE_ENV}" for name in raw}
    return inputs, sources


def _override(path: str) -> dict:
    return cost.load_inputs_text(Path(path).read_text(encoding="utf-8"), path)


def source_ids() -> dict[str, str]:
    """Per input, the id of the source behind the default example's value ("assumed" for an assumption or
    a value set by DECISION_COST_EXAMPLE)."""
    ids = dict(cost.EXAMPLES.by_id[cost.EXAMPLES.default].source_ids)
    path = os.environ.get(EXAMPLE_ENV)
    return ids | ({name: "assumed" for name in _override(path)} if path else {})


def computed(text: str) -> str:
    return f'<span data-computed="">{escape(text)}</span>'


def break_even(inputs: cost.CostInputs, **changes) -> str:
    """The break-even volume, in words, for some inputs with some of them changed."""
    r = cost.compute(dataclasses.replace(inputs, **changes))
    if r.break_even_calls_per_month is None:
        return "never" if r.tuned_cheaper == "never" else "at any volume"
    return cost.count(r.break_even_calls_per_month)


def _control(name: str, value, sources: dict[str, str], ids: dict[str, str]) -> str:
    meta, field = cost.META[name], escape(name)
    described = f'aria-describedby="cost-{field}-help"'
    if name in cost.CHOICES:
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if choice == value else ""}>{escape(choice)}</option>'
            for choice in meta["choices"]
        )
        control = f'<select id="cost-{field}" name="{field}" {described}>{options}</select>'
        shown = value
    else:
        control = (
            f'<input type="number" id="cost-{field}" name="{field}" value="{cost.plain(value)}" min="0" '
            f'max="{meta["max"]:.0f}" step="{"1" if meta["whole"] else "any"}" inputmode="decimal" required '
            f"{described}>"
        )
        shown = cost.number(value)
    return (
        f'<div class="cost-field"><label for="cost-{field}">'
        f'{escape(meta["label"])} <span class="cost-unit">({escape(meta["unit"])})</span></label>{control}'
        + _help(field, meta["help"], shown, sources[name], ids.get(name, "assumed"))
        + "</div>"
    )


def _help(field: str, help: str, shown: str, where: str, source_id: str) -> str:
    """The input's help and the example's value with where it came from: an assumption to replace (marked so),
    or a figure from a dated source (the paragraph names the source for the figures check)."""
    worked = f"Worked example: {escape(shown)} ({escape(where)})."
    if source_id == "assumed":
        worked = f'<span class="dq-assumption">{worked}</span>'
        cited = ""
    else:
        cited = f' data-source="{escape(source_id)}"'
    return f'<p class="cost-help" id="cost-{field}-help"{cited}>{escape(help)} {worked}</p>'


def form(
    inputs: cost.CostInputs, sources: dict[str, str], page_url: str = "calculator/", ids: dict[str, str] | None = None
) -> str:
    """The static form, one control per input (a select for a route), pre-filled with the default example."""
    parts = [
        '<form class="cost-form" id="cost-form" aria-label="Cost break-even calculator" '
        'method="get" action="#cost-result">'
    ]
    groups: dict[str, list[str]] = {}
    for name in cost.FIELDS:
        control = _control(name, getattr(inputs, name), sources, ids or {})
        groups.setdefault(cost.META[name]["group"], []).append(control)
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
    """The result area, filled with the default example at build time; the page script (browser/calculator.js)
    replaces the verdict, the figures, the chart and the questionnaire link with the engine's answer in the
    browser, keeping this structure."""
    answer = cost.prompt_cost_answer(result)
    part = ' class="cost-summary__part"'  # a component of the row above it
    rows = "".join(
        f'<tr{part if row["part"] else ""}><th scope="row">{escape(row["label"])}</th>'
        f'<td data-computed="">{escape(row["value"])}</td></tr>'
        for row in cost.summary_rows(result)
    )
    href = escape(questionnaire_href(page_url, result.inputs))
    return (
        '<section id="cost-result" class="cost-result" aria-labelledby="cost-result-title">'
        '<h3 id="cost-result-title">Result</h3>'
        '<p class="cost-status" data-engine-state="static">Showing the worked example, computed when this page '
        "was built. The calculator works it out again in your browser once its Python engine has loaded.</p>"
        f'<p class="cost-verdict" aria-live="polite" data-prompt-cost="{answer}" data-computed="">'
        f"{escape(result.verdict)}</p>"
        '<div class="cost-errors" role="alert" hidden></div>'
        '<div class="cost-result__body">'
        '<div class="cost-summary"><table><caption>The figures behind the verdict</caption>'
        f"<tbody>{rows}</tbody></table></div>"
        '<figure class="cost-chart-figure cost-result__chart">'
        + cost.cost_chart(result, id_prefix=cost.RESULT_CHART_ID)
        + "<figcaption>Monthly cost of each route against calls per month for these inputs; the circle marks "
        "the break-even volume, the square where it would be without prompt caching, and the dotted line your "
        "volume.</figcaption></figure>"
        f'<p class="cost-questionnaire"><a class="md-button" href="{href}" data-prompt-cost="{answer}">'
        f"Use this in the questionnaire</a> <span>(answers its cost question with "
        f"<code>prompt_cost={answer}</code>)</span></p>"
        "</div>"
        "<noscript><p>Without JavaScript this page shows the worked example only. "
        "Run <code>decision cost</code> with your own numbers for the same arithmetic.</p></noscript>"
        "</section>"
    )


def examples_table(page_url: str = "calculator/") -> str:
    """Every worked example side by side: what it is, when its prices were read, and what the engine makes of it."""
    head = (
        '<thead><tr><th scope="col">Worked example</th><th scope="col">Prices checked</th>'
        '<th scope="col">Prompting per call, cached (uncached)</th><th scope="col">Fine-tuned per call</th>'
        '<th scope="col">Break-even with caching</th><th scope="col">Break-even without caching</th></tr></thead>'
    )
    rows = []
    for key, item in cost.EXAMPLES.by_id.items():
        r = cost.compute(item.inputs)
        status = " <em>(historical)</em>" if item.status == "historical" else ""
        link = f'<a href="#example={escape(key)}">{escape(item.title)}</a>{status}'
        prompting = f"{cost.money(r.prompting_per_call)} ({cost.money(r.prompting_per_call_uncached)})"
        even = cost.break_even_words(r.break_even_calls_per_month, r.tuned_cheaper)
        even_uncached = cost.break_even_words(r.break_even_uncached, r.tuned_cheaper_uncached)
        rows.append(
            f'<tr{_cited(item.note_source)}><th scope="row">{link}<br><small>{escape(item.note)}</small></th>'
            f'<td><time datetime="{item.checked}">as of {item.checked}</time></td>'
            f"<td>{computed(prompting)}</td><td>{computed(cost.money(r.tuned_per_call))}</td>"
            f"<td>{computed(even)}</td><td>{computed(even_uncached)}</td></tr>"
        )
    return f'<div class="cost-examples"><table>{head}<tbody>{"".join(rows)}</tbody></table></div>'


def _cited(source_id: str | None) -> str:
    return f' data-source="{escape(source_id)}"' if source_id else ""


def questionnaire_href(page_url: str, inputs: cost.CostInputs) -> str:
    return rel(page_url, "questionnaire/") + "#prompt_cost=" + cost.prompt_cost_answer(cost.compute(inputs))


def register(env) -> None:
    """Add the calculator's macros to mkdocs-macros' env (called from site_glue/macros.py)."""

    def page_url() -> str:
        return current_page_url(env)

    def inputs_of(name: str | None) -> cost.CostInputs:
        return example()[0] if name is None else cost.EXAMPLES.by_id[name].inputs

    @env.macro
    def cost_formula() -> str:
        return cost.formula_markdown()

    @env.macro
    def cost_example_value(name: str, example: str | None = None) -> str:
        value = getattr(inputs_of(example), name)
        return computed(value if name in cost.CHOICES else cost.number(value))

    @env.macro
    def cost_example_number(name: str, example: str | None = None) -> float:
        return getattr(inputs_of(example), name)

    @env.macro
    def cost_break_even(example: str | None = None, **changes) -> str:
        return computed(break_even(inputs_of(example), **changes))

    @env.macro
    def cost_per_call(route: str, example: str | None = None, cached: bool = True) -> str:
        r = cost.compute(inputs_of(example))
        value = {
            ("prompting", True): r.prompting_per_call,
            ("prompting", False): r.prompting_per_call_uncached,
            ("tuned", True): r.tuned_per_call,
            ("tuned", False): r.tuned_per_call_uncached,
        }[(route, cached)]
        return computed(cost.money(value))

    @env.macro
    def cost_example_title(example: str | None = None) -> str:
        return escape(cost.EXAMPLES.by_id[example or cost.EXAMPLES.default].title)

    @env.macro
    def cost_examples_checked() -> str:
        dates = sorted({item.checked for item in cost.EXAMPLES.by_id.values()})
        return " and ".join(dates)

    @env.macro
    def cost_examples_table() -> str:
        return examples_table(page_url())

    @env.macro
    def cost_prompt_cost_answer() -> str:
        return cost.prompt_cost_answer(cost.compute(example()[0]))

    @env.macro
    def cost_form() -> str:
        return form(*example(), page_url=page_url(), ids=source_ids())

    @env.macro
    def cost_command(example: str | None = None) -> str:
        return cost.reproduce(cost.compute(inputs_of(example)))

    @env.macro
    def cost_questionnaire_link() -> str:
        answer = cost.prompt_cost_answer(cost.compute(example()[0]))
        href = escape(questionnaire_href(page_url(), example()[0]))
        return f'<a href="{href}">prompt_cost = {answer}</a>'
