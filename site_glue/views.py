"""Pure helpers that turn the decision model and engine results into page fragments.

Everything here takes a Model (and a page URL where links are involved) and returns a
string of Markdown or HTML. The macros in `site_glue/macros.py` are thin wrappers, and the
tests can call these functions directly. Only the engine's public API is used.
"""

from __future__ import annotations

import json
import os
import shlex
from html import escape
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from decision import (
    Model,
    becomes_phrase,
    check_answers,
    default_model,
    evaluate,
    fired_include_rules,
    flow_svg,
    headline,
    load_model,
    reason_line,
    render_json,
    render_markdown,
    render_text,
    status_text,
    summary,
    values_phrase,
)
from decision import approach_title as verdict_title

MODEL_ENV = "DECISION_MODEL_PATH"
CASES_ENV = "DECISION_CASES_PATH"
SCHEMAS = "data/schemas"  # JSON Schemas of the CLI's JSON outputs, inside the decision package
# Questions that a page of the guide helps to answer: question id -> (site path, link text).
HELPER_PAGES = {
    "prompt_cost": ("calculator/", "Work out the break-even volume in the cost calculator"),
    "prompt_result": ("gap/", "Check whether your measured gap is real with the gap tool"),
    "gap_worth": ("gap/", "Turn the cost of an error into the accuracy a fine-tune must reach"),
}


def site_model() -> Model:
    """The packaged model, or the files named by DECISION_MODEL_PATH / DECISION_CASES_PATH."""
    model_path = os.environ.get(MODEL_ENV) or None
    cases_path = os.environ.get(CASES_ENV) or None
    if not model_path and not cases_path:
        return default_model()
    return load_model(Path(model_path) if model_path else None, Path(cases_path) if cases_path else None)


# ------------------------------------------------------------------ small pieces


def current_page_url(env) -> str:
    """The URL of the page mkdocs-macros is rendering ('' outside a page)."""
    return env.page.url if getattr(env, "page", None) is not None else ""


def rel(page_url: str, target: str) -> str:
    """A link from a page (MkDocs directory URL such as 'cases/x/') to a site path such as 'questionnaire/'."""
    depth = page_url.count("/") if page_url else 0
    return "../" * depth + target if depth else target or "./"


def answers_fragment(answers: dict[str, str]) -> str:
    return "&".join(f"{quote(qid)}={quote(value)}" for qid, value in answers.items())


def questionnaire_href(page_url: str, answers: dict[str, str]) -> str:
    return rel(page_url, "questionnaire/") + "#" + answers_fragment(answers)


def humanise(question_id: str) -> str:
    return question_id.replace("_", " ").capitalize()


def _component_list(model: Model, ids) -> str:
    return " + ".join(model.components[c].label for c in sorted(ids))


def case_by_id(model: Model, case_id: str):
    for case in model.cases:
        if case.id == case_id:
            return case
    raise KeyError(f"no case {case_id!r} in the model; known: {', '.join(c.id for c in model.cases)}")


# ------------------------------------------------------------------ the decision guide


def option_effects(model: Model, question_id: str, value: str, reference_url: str) -> list[str]:
    """Markdown phrases saying what answering `value` does, read off the rules."""
    adds, blocks, notes = [], {}, []
    for rule in model.rules:
        conditions = dict(rule.when)
        if question_id not in conditions:
            continue
        link = f"[`{rule.id}`]({reference_url}#rule-{rule.id})"
        if rule.include:
            label = model.components[rule.include].label
            if value in conditions[question_id]:
                others = [
                    f"{humanise(q)} is {values_phrase(v, model.question(q).values)}"
                    for q, v in rule.when
                    if q != question_id
                ]
                if rule.with_components:
                    others.append(f"{_component_list(model, rule.with_components)} already chosen")
                tail = f" when also {'; '.join(others)}" if others else ""
                adds.append(f"adds **{label}**{tail} ({link})")
            elif not rule.with_components:  # a rule that only refines an earlier choice blocks nothing
                blocks.setdefault(label, []).append(link)
        elif value in conditions[question_id]:
            what = []
            if rule.reason:
                what.append("a reason")
            if rule.steps:
                what.append("next steps")
            if rule.caveats:
                what.append("caveats")
            notes.append(f"{link} adds {' and '.join(what)}")
    effects = adds[:]
    effects += [f"rules out **{label}** through {', '.join(links)}" for label, links in blocks.items()]
    effects += notes
    return effects


def _helper_markdown(question_id: str, page_url: str) -> str:
    if question_id not in HELPER_PAGES:
        return ""
    path, text = HELPER_PAGES[question_id]
    return f" [{text}]({rel(page_url, path)}index.md)."


def _helper_html(question_id: str, page_url: str) -> str:
    if question_id not in HELPER_PAGES:
        return ""
    path, text = HELPER_PAGES[question_id]
    return f' <a class="dq-helper" href="{escape(rel(page_url, path))}">{escape(text)}</a>.'


def _help_html(question, cite) -> str:
    """A question's help text, its citations (the model names its sources by id) inside the last sentence."""
    text = escape(question.help, quote=False)
    if not (cite and question.sources):
        return text
    cited = "".join(" " + cite(source_id) for source_id in question.sources)
    return text[:-1] + cited + "." if text.endswith(".") else text + cited


def guide_questions(
    model: Model, reference_url: str = "../reference/index.md", page_url: str = "guide/", cite=None
) -> str:
    """Each question in prose: why it matters and its answers; the rules each answer feeds are on the
    reference page (`answer_effects`)."""
    out = []
    for n, question in enumerate(model.questions, 1):
        answers = [f"- {escape(option.label, quote=False)} (`{option.value}`)" for option in question.options]
        out += [
            f"## {n}. {escape(question.text, quote=False)} {{#{question.id}}}",
            "",
            f'<p class="dq-guide-id">Question id: <code>{question.id}</code></p>',
            "",
            f"**Why it matters.** {_help_html(question, cite)}{_helper_markdown(question.id, page_url)}",
            "",
            "The answers:",
            "",
            *answers,
            "",
            f"[How each answer moves the recommendation]({reference_url}#effects-{question.id})",
            "",
        ]
    return "\n".join(out)


def answer_effects(model: Model) -> str:
    """For the reference page: per question, what each answer does to the recommendation, read off the rules."""
    out = []
    for n, question in enumerate(model.questions, 1):
        out += [
            f"### {n}. {escape(question.text, quote=False)} {{#effects-{question.id}}}",
            "",
            "| Answer | Value | How it moves the recommendation |",
            "| --- | --- | --- |",
        ]
        for option in question.options:
            effects = option_effects(model, question.id, option.value, "")
            shown = "; ".join(effects) if effects else "no rule depends on this answer; the other answers decide"
            out.append(f"| {escape(option.label, quote=False)} | `{option.value}` | {shown[0].upper() + shown[1:]} |")
        out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------ the questionnaire form


def questionnaire_form(model: Model, page_url: str, cite=None) -> str:
    """The static, answerable form: one fieldset of native radios per question."""
    # Two columns on wide screens: the form, and the recommendation kept in view beside it (guide.css).
    parts = ['<div class="dq-layout">', '<form class="dq-form" id="decision-form" aria-label="Decision questionnaire">']
    for n, question in enumerate(model.questions, 1):
        qid = escape(question.id)
        parts.append(
            f'<fieldset class="dq-question" data-question="{qid}" id="q-{qid}" aria-describedby="help-{qid}">'
            f'<legend><span class="dq-number">{n}.</span> {escape(question.text)}</legend>'
            f'<p class="dq-help" id="help-{qid}">{_help_html(question, cite)}'
            f"{_helper_html(question.id, page_url)}</p>"
            '<div class="dq-options">'
        )
        for option in question.options:
            oid = f"{qid}--{escape(option.value)}"
            parts.append(
                f'<div class="dq-option"><input type="radio" name="{qid}" id="{oid}" value="{escape(option.value)}">'
                f'<label for="{oid}">{escape(option.label)}</label></div>'
            )
        parts.append("</div></fieldset>")
    parts.append(
        '<div class="dq-actions"><button type="reset" class="md-button">Clear all answers</button></div></form>'
    )
    flow = escape(rel(page_url, "reference/") + "#decision-flow")
    # The browser links the similar cases the engine names by id from this base (the engine holds no URLs).
    cases_base = escape(rel(page_url, "cases/"))
    parts.append(
        f'<section id="decision-result" class="dq-result" data-cases-base="{cases_base}" aria-live="polite" '
        'aria-labelledby="decision-result-title">'
        '<h2 id="decision-result-title">Your recommendation</h2>'
        '<p class="dq-status" data-engine-state="loading">The decision engine is still loading in this page; '
        "your recommendation will appear here once it is ready.</p>"
        "<noscript><p>JavaScript is switched off, so this page cannot work out a recommendation. "
        f'Follow your answers through the <a href="{flow}">static decision flow on the reference page</a>, '
        "or run <code>decision evaluate</code> from the command line.</p></noscript>"
        "</section>"
        "</div>"
        # The reader's path: the reference page's flow drawing with the rules that fired highlighted,
        # drawn by the engine for each answer (browser/questionnaire.js puts it here).
        '<section id="decision-path" class="dq-path" aria-labelledby="decision-path-title" hidden>'
        '<h2 id="decision-path-title">Your path through the decision flow</h2>'
        '<p class="dq-path__intro">The highlighted rows are the rules that fired for your answers; '
        "each adds its component. The same drawing, without a path, is on the reference page.</p>"
        '<div class="dq-flow-wrap" data-path-drawing tabindex="0" role="group" '
        'aria-label="Decision flow with your path"></div>'
        "</section>"
    )
    return "\n".join(parts)


# ------------------------------------------------------------------ case studies


def _details(title: str, items: list[str], tag: str = "ul", open_: bool = False) -> str:
    """A collapsible part of a verdict card, as the questionnaire builds it (browser/questionnaire.js)."""
    if not items:
        return ""
    return (
        f'<details class="dq-result__part" data-part="{escape(title)}"{" open" if open_ else ""}>'
        f'<summary class="dq-result__part-title">{escape(title)}'
        f'<span class="dq-result__count-badge"> ({len(items)})</span></summary>'
        f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}></details>"
    )


# The questionnaire's what-if marker (decision/web/questionnaire.py, WAS): a "Try it" link carries the changed
# answers and `was=<question>:<answer before>`; tests/site/test_verdict_card_browser.py holds the two together.
WHAT_IF_KEY = "was"


def what_if_href(page_url: str, answers: dict[str, str], question_id: str, value: str) -> str:
    changed = {**answers, question_id: value}
    marker = f"{WHAT_IF_KEY}={quote(question_id, safe='')}%3A{quote(answers.get(question_id, ''), safe='')}"
    fragment = answers_fragment(changed)
    return rel(page_url, "questionnaire/") + "#" + (f"{fragment}&{marker}" if fragment else marker)


def _lead(words: str, title: str) -> str:
    """The summary's opening headline; a final verdict's headline is its title, so it is not shown twice."""
    repeat = words == title
    css = "dq-result__lead dq-result__lead--repeat" if repeat else "dq-result__lead"
    hidden = ' aria-hidden="true"' if repeat else ""
    return f'<span class="{css}"{hidden}><span class="dq-result__headline">{escape(words)}</span>. </span>'


def verdict_box(model: Model, answers: dict[str, str], page_url: str, documented: str | None = None) -> str:
    """The engine's verdict for some answers, as the questionnaire's card (same classes and order), built now."""
    result = evaluate(answers, model)
    status = "provisional" if result.status == "provisional" else "final"
    title, words = verdict_title(result, model), headline(result, model)
    why = summary(result, model).removeprefix(words + ". ")
    parts = [
        f'<aside class="dq-verdict dq-verdict--{result.approach}" data-approach="{result.approach}" '
        f'data-status="{result.status}" aria-label="Engine verdict">',
        '<p class="dq-verdict__kicker">Engine verdict, computed when this page was built</p>',
        f'<div class="dq-result__card" data-approach="{result.approach}" data-status="{result.status}">',
        f'<p class="dq-result__approach"><strong>{escape(title)}</strong> <code>{result.approach}</code></p>',
        f'<p class="dq-result__status dq-result__status--{status}">{escape(status_text(result))}</p>',
        f'<p class="dq-result__summary">{_lead(words, title)}{escape(why)}</p>',
    ]
    if result.next_steps:
        parts.append(
            '<p class="dq-result__first"><span class="dq-result__label">First step: </span>'
            f'<span class="dq-result__first-step">{escape(result.next_steps[0].text)}</span></p>'
        )
    if result.fine_tune_method:
        parts.append(f'<p class="dq-result__note">{escape(model.sentences["lora_note"])}</p>')
    if documented is not None:
        mark = "matches" if documented == result.approach else "differs from"
        parts.append(
            f'<p class="dq-verdict__check" data-documented="{documented}">This {mark} what the team ended with: '
            f"<strong>{escape(model.approach_label(documented))}</strong>.</p>"
        )
    parts.append("</div>")
    tries = []
    for change in result.what_would_change:
        question = model.question(change.question)
        href = what_if_href(page_url, result.answers, change.question, change.answer)
        tries.append(
            f"{escape(question.topic)} “{escape(question.label_of(change.answer))}”: "
            f'{escape(model.approach_label(change.approach))}. <a href="{escape(href)}">Try it in the questionnaire</a>'
        )
    parts += [
        _details("Why", [escape(reason_line(model, r)) for r in result.reasons], open_=True),
        _details("Next steps", [escape(s.text) for s in result.next_steps], "ol", open_=True),
        _details("Caveats", [escape(c.text) for c in result.caveats]),
        _details("What the open questions could change", [escape(becomes_phrase(model, b)) for b in result.becomes]),
        _details("What would change it", tries),
        f'<p class="dq-verdict__link"><a href="{escape(questionnaire_href(page_url, answers))}">'
        "Open these answers in the questionnaire</a> and change any of them.</p>",
        "</aside>",
    ]
    return "\n".join(p for p in parts if p)


def verdict_path(model: Model, answers: dict[str, str], reference_url: str) -> str:
    """The reader's path for some answers: the reference page's flow drawing with the rules that fired lit."""
    fired = fired_include_rules(model, check_answers(answers, model))
    return (
        '<section class="dq-path dq-case__path" aria-label="The path these answers take through the decision flow">'
        '<p class="dq-path__intro">The path these answers take: the highlighted rows are the rules that fired. '
        f'The same drawing, without a path, is on <a href="{escape(reference_url)}#decision-flow">the reference '
        "page</a>.</p>"
        '<div class="dq-flow-wrap" tabindex="0" role="group" aria-label="Decision flow with this path">'
        f"{flow_svg(model, fired, 'dq-path')}</div></section>"
    )


def case_story(model: Model, case) -> str:
    parts = [f'<p class="dq-case__summary">{escape(case.summary)}</p>']
    if case.figures:
        parts.append('<dl class="dq-figures">')
        for key, value in case.figures.items():
            parts.append(f"<div><dt>{escape(humanise(key))}</dt><dd>{escape(value)}</dd></div>")
        parts.append("</dl>")
    rows = "".join(
        f"<tr><th scope=row>{escape(model.question(qid).text)}</th>"
        f"<td>{escape(model.question(qid).label_of(v))}</td>"
        f"<td>{'our reading' if qid in case.inferred else 'stated in the account'}</td></tr>"
        for qid, v in case.answers.items()
    )
    parts.append(
        '<table class="dq-answers"><caption>Our reading of the case: how we think the team would answer '
        "the questionnaire, and which answers the account states</caption>"
        "<thead><tr><th scope=col>Question</th><th scope=col>Answer</th><th scope=col>Where it comes from</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    open_questions = [q for q in model.questions if q.id not in case.answers]
    if open_questions:
        names = ", ".join(f"<code>{q.id}</code>" for q in open_questions)
        parts.append(f'<p class="dq-case__open">Left open: {names}.</p>')
    return "\n".join(parts)


def case_page(model: Model, case_id: str, page_url: str) -> str:
    case = case_by_id(model, case_id)
    return (
        f'<div class="dq-case" data-case="{escape(case.id)}">\n<div class="dq-case__story">\n'
        + case_story(model, case)
        + "\n</div>\n"
        + verdict_box(model, case.answers, page_url, case.documented_approach)
        + "\n"
        + verdict_path(model, case.answers, rel(page_url, "reference/"))
        + "\n</div>"
    )


def cases_table(model: Model) -> str:
    """The case studies with what each team ended with and the engine's verdict; for docs/cases/index.md."""
    rows = ["| Case | What the team ended with | Engine verdict |", "| --- | --- | --- |"]
    for case in model.cases:
        result = evaluate(case.answers, model)
        rows.append(
            f"| [{case.title}]({case.id}.md) | {model.approach_label(case.documented_approach)} | "
            f"{verdict_title(result, model)} |"
        )
    return "\n".join(rows)


# ------------------------------------------------------------------ reference


def _conditions_html(model: Model, rule) -> str:
    items = [f"<code>{q}</code> is {escape(values_phrase(v, model.question(q).values))}" for q, v in rule.when]
    if rule.with_components:
        items.append(f"already chosen: {escape(_component_list(model, rule.with_components))}")
    if rule.without_components:
        items.append(f"not chosen: {escape(_component_list(model, rule.without_components))}")
    return "<br>".join(items) or "always"


def rule_table(model: Model) -> str:
    rows = []
    for n, rule in enumerate(model.rules, 1):
        effect = []
        if rule.include:
            effect.append(f"<strong>adds {escape(model.components[rule.include].label)}</strong>")
        if rule.reason:
            effect.append(escape(rule.reason))
        if rule.steps:
            effect.append("Steps: " + ", ".join(f"<code>{s}</code>" for s in rule.steps))
        if rule.caveats:
            effect.append("Caveats: " + ", ".join(f"<code>{c}</code>" for c in rule.caveats))
        rows.append(
            f'<tr id="rule-{escape(rule.id)}"><td>{n}</td><td><code>{escape(rule.id)}</code></td>'
            f"<td>{_conditions_html(model, rule)}</td><td>{'<br>'.join(effect)}</td></tr>"
        )
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="dq-rules">'
        "<thead><tr><th scope=col>#</th><th scope=col>Rule</th><th scope=col>Fires when</th>"
        "<th scope=col>Effect</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div></div>"
    )


def catalogue_table(items: dict[str, str], heading: str) -> str:
    rows = [f"| {heading} | Text |", "| --- | --- |"]
    rows += [f"| `{key}` | {escape(text, quote=False)} |" for key, text in items.items()]
    return "\n".join(rows)


def flow_in_words(model: Model) -> str:
    lines = []
    for rule in (r for r in model.rules if r.include):
        conditions = [f"`{q}` is {values_phrase(v, model.question(q).values)}" for q, v in rule.when]
        if rule.with_components:
            conditions.append(f"{_component_list(model, rule.with_components)} already chosen")
        lines.append(
            f"1. Add **{model.components[rule.include].label}** if {' and '.join(conditions) or 'always'} "
            f"([`{rule.id}`](#rule-{rule.id}))."
        )
    default = _component_list(model, model.default_components)
    lines.append(f"1. If no rule added anything, the recommendation is **{default}**.")
    return "\n".join(lines)


def json_schemas(folder=None) -> str:
    """Every JSON Schema shipped in decision/data/schemas/, as Markdown: a heading (anchor `schema-<name>`),
    the schema's own title and description, and the file exactly as shipped."""
    folder = folder or resources.files("decision").joinpath(SCHEMAS)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    if not files:
        raise ValueError(f"no JSON Schema in decision/{SCHEMAS}")
    out = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        schema = json.loads(text)
        name = file.name.removesuffix(".json").removesuffix(".schema")
        out += [f"### `{file.name}` {{#schema-{name}}}", ""]
        if schema.get("title"):
            out += [f"For `{schema['title']}`. {escape(schema.get('description', ''), quote=False)}", ""]
        out += ["```json", text.rstrip(), "```", ""]
    return "\n".join(out)


def cli_output(model: Model, argv: list[str]) -> str:
    """Run a `decision` CLI command in-process with this model and return its output as a console block."""
    from decision.cli import build_parser

    args = build_parser().parse_args(argv)
    return args.handler(args, model)


def cli_example(model: Model, argv: list[str], lang: str = "text") -> str:
    command = "decision " + " ".join(shlex.quote(a) for a in argv)
    return f"```sh\n{command}\n```\n\n```{lang}\n{cli_output(model, argv).rstrip()}\n```"


def case_record(model: Model, case_id: str, fmt: str) -> str:
    case = case_by_id(model, case_id)
    result = evaluate(case.answers, model)
    if fmt == "markdown":
        return render_markdown(result, model)
    if fmt == "json":
        return render_json(result)
    return render_text(result, model)
