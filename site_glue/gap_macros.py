"""Macros for the gap page (docs/gap/index.md) and the gap figures elsewhere, computed at build time.

`register(env)` is called from site_glue/macros.py. Every figure comes from decision.gap's worked examples
(decision/gap/examples.toml) through the engine, wrapped in `data-computed="gap"` so the figures check knows
where it came from. The form and its result are pure functions of an example, so tests can render them
without MkDocs; the page script (browser/gap.js) asks the engine again in the browser.
"""

from __future__ import annotations

import re
from html import escape

from decision.gap import CALCULATIONS, WorkedExample, gap_fragment_of, gap_reply, worked_examples
from site_glue.views import current_page_url, rel

DEFAULT_EXAMPLE = "hundred-items"  # the form opens on one system against a bar: the questionnaire's question


def computed(text: str) -> str:
    return f'<span data-computed="gap">{escape(text)}</span>'


def example_by_id(example_id: str, calculation: str | None = None) -> WorkedExample:
    example = next((e for e in worked_examples() if e.id == example_id), None)
    if example is None or (calculation is not None and example.calculation != calculation):
        kind = f"{calculation!r} " if calculation else ""
        raise ValueError(f"no {kind}worked example {example_id!r} in decision/gap/examples.toml")
    return example


def example_reply(example_id: str) -> dict:
    """The engine's page reply for a worked example, exactly what the browser would get for its link."""
    reply = gap_reply(gap_fragment_of(example_by_id(example_id).inputs))
    if not reply["ok"]:  # pragma: no cover - examples are checked when they are read
        raise ValueError(f"worked example {example_id!r}: {reply['errors']}")
    return reply


def figure(example_id: str, path: str) -> object:
    """A figure of a worked example's results by dotted path, e.g. "intervals.wilson.low"."""
    value: object = example_reply(example_id)["results"]
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise ValueError(f"worked example {example_id!r} has no result {path!r}")
        value = value[key]
    return value


def shown(value: object, style: str) -> str:
    """A figure as the prose wants it: count 2,888; percent 91.0%; points 5.6 points; p 0.46."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if style == "count":
        return f"{round(value):,}"
    if style == "percent":
        return f"{value * 100:.1f}%"
    if style == "points":
        return f"{value * 100:.1f} points"
    if style == "p":
        return f"{value:.2f}"
    raise ValueError(f"unknown style {style!r}: count, percent, points or p")


_TYPED = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?%?")


def literal_values(help_text: str) -> str:
    """An input's help with each number in it shown as `code`: they are values to type ("0.93 or 93%"),
    not claims about the world."""
    return _TYPED.sub(lambda match: f"<code>{match.group(0)}</code>", escape(help_text))


def questionnaire_href(page_url: str, fragment: str | None) -> str:
    return rel(page_url, "questionnaire/") + ("#" + fragment if fragment else "")


def form(page_url: str = "gap/", example_id: str = DEFAULT_EXAMPLE) -> str:
    """The static form: a select for the calculation, one fieldset per calculation (only the chosen one
    enabled and shown), pre-filled from each calculation's first worked example; then the result."""
    reply = example_reply(example_id)
    chosen = reply["calculation"]
    options = "".join(
        f'<option value="{escape(spec.id)}"{" selected" if spec.id == chosen else ""}>{escape(spec.title)}</option>'
        for spec in CALCULATIONS.values()
    )
    parts = [
        '<form class="gap-form" id="gap-form" aria-label="Is the gap real? calculator" method="get" '
        'action="#gap-result" novalidate>',
        '<div class="gap-field"><label for="gap-calculation">Calculation</label>'
        f'<select id="gap-calculation" name="calculation" aria-describedby="gap-calculation-help">{options}</select>'
        '<p class="gap-help" id="gap-calculation-help">Pick what you want to know; each has its own inputs.</p>'
        '<p class="gap-error" id="gap-calculation-error" hidden></p></div>',
    ]
    for spec in CALCULATIONS.values():
        values = (
            reply["form"]
            if spec.id == chosen
            else gap_reply(gap_fragment_of(next(e for e in worked_examples() if e.calculation == spec.id).inputs))[
                "form"
            ]
        )
        off = "" if spec.id == chosen else " hidden disabled"
        parts.append(
            f'<fieldset class="gap-group" data-calculation="{escape(spec.id)}"{off}>'
            f'<legend>{escape(spec.title)}</legend><p class="gap-help">{escape(spec.help)}</p>'
        )
        for item in spec.fields:
            name = escape(item.name)
            control_id = f"gap-{escape(spec.id)}-{name}"
            unit = f' <span class="gap-unit">({escape(item.unit)})</span>' if item.unit else ""
            optional = " (optional)" if item.optional else ""
            flagged = ' data-optional="true"' if item.optional else ""
            parts.append(
                f'<div class="gap-field"><label for="{control_id}">{escape(item.label)}{unit}{optional}</label>'
                f'<input type="text" id="{control_id}" name="{name}" value="{escape(values.get(item.name, ""))}" '
                f'inputmode="decimal" autocomplete="off" spellcheck="false"{flagged} '
                f'aria-describedby="{control_id}-help {control_id}-error">'
                f'<p class="gap-help" id="{control_id}-help">{literal_values(item.help)}</p>'
                f'<p class="gap-error" id="{control_id}-error" hidden></p></div>'
            )
        parts.append("</fieldset>")
    parts.append(
        '<div class="gap-actions"><button type="submit" class="md-button md-button--primary">Work it out</button> '
        '<button type="reset" class="md-button">Back to the example</button></div></form>'
    )
    parts.append(result_section(reply, page_url))
    return "\n".join(parts)


def result_section(reply: dict, page_url: str = "gap/") -> str:
    """The result area, filled at build time; browser/gap.js replaces its parts with the engine's reply."""
    rows = "".join(
        f'<tr><th scope="row">{escape(row["label"])}</th><td data-computed="gap">{escape(row["value"])}</td></tr>'
        for row in reply["summary"]
    )
    fragment = reply.get("questionnaire_fragment")
    link_hidden = "" if fragment else " hidden"
    return (
        '<section id="gap-result" class="gap-result" aria-labelledby="gap-result-title">'
        '<h3 id="gap-result-title">Result</h3>'
        '<p class="gap-status" data-engine-state="static">Showing the worked example, computed when this page '
        "was built. The form works it out again in your browser once its Python engine has loaded.</p>"
        f'<p class="gap-verdict" aria-live="polite" data-computed="gap">{escape(reply["verdict"])}</p>'
        '<div class="gap-errors" role="alert" hidden></div>'
        '<div class="gap-result__body">'
        '<div class="gap-summary"><table><caption>The figures behind the verdict</caption>'
        f"<tbody>{rows}</tbody></table></div>"
        f'<figure class="gap-chart-figure">{reply["chart_svg"]}'
        "<figcaption>Drawn by the engine for these inputs.</figcaption></figure>"
        f'<p class="gap-questionnaire"{link_hidden}><a class="md-button" id="gap-questionnaire-link" '
        f'href="{escape(questionnaire_href(page_url, fragment))}">Use this in the questionnaire</a> '
        '<span>(answers its evidence question with <code id="gap-questionnaire-answer">'
        f"{escape((fragment or '').replace('&', ', '))}</code>)</span></p>"
        "</div>"
        "<noscript><p>Without JavaScript this page shows the worked example only. "
        "Run <code>decision gap</code> with your own numbers for the same arithmetic.</p></noscript>"
        "</section>"
    )


def examples_table() -> str:
    """Every worked example: what it is, where its inputs come from, and the engine's verdict."""
    head = (
        '<thead><tr><th scope="col">Worked example</th><th scope="col">Where the inputs come from</th>'
        '<th scope="col">What the engine says</th></tr></thead>'
    )
    rows = []
    for example in worked_examples():
        reply = example_reply(example.id)
        rows.append(
            f'<tr{_provenance(example)}><th scope="row"><a href="#{escape(reply["fragment"])}">'
            f"{escape(example.title)}</a></th>"
            f"<td>{escape(example.source)}</td><td>{computed(reply['verdict'])}</td></tr>"
        )
    return f'<div class="gap-examples"><table>{head}<tbody>{"".join(rows)}</tbody></table></div>'


def _provenance(example: WorkedExample) -> str:
    """Where a worked example's figures come from, for the figures check: the essay's figures are cited to
    it (the source's figures mirror it), and a row whose source says it assumes something is marked as an
    assumption for the reader to replace."""
    told = example.source.lower()
    sourced = ' data-source="practitioner-essay"' if "essay" in told else ""
    assumed = ' class="dq-assumption"' if "assum" in told else ""
    return sourced + assumed


def register(env) -> None:
    """Add the gap macros to mkdocs-macros' env (called from site_glue/macros.py)."""

    @env.macro
    def gap_example(example_id: str) -> str:
        """Items per system a 'plan' worked example needs, computed by the engine."""
        example = example_by_id(example_id, "plan")
        return computed(shown(figure(example.id, "items_per_system"), "count"))

    @env.macro
    def gap_figure(example_id: str, path: str, style: str = "count") -> str:
        return computed(shown(figure(example_id, path), style))

    @env.macro
    def gap_verdict(example_id: str) -> str:
        return computed(example_reply(example_id)["verdict"])

    @env.macro
    def gap_form() -> str:
        return form(current_page_url(env))

    @env.macro
    def gap_examples_table() -> str:
        return examples_table()

    @env.macro
    def gap_example_link(example_id: str, text: str) -> str:
        return f'<a href="#{escape(example_reply(example_id)["fragment"])}">{escape(text)}</a>'
