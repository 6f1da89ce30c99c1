"""Present a Result as text (terminal), Markdown (a decision record) or JSON (the contract)."""

from __future__ import annotations

from decision._text import dump_json, markdown_cell
from decision._version import SCHEMA_VERSION, __version__
from decision.engine.evaluator import PROVISIONAL, Becomes, Condition, Reason, Result
from decision.engine.model import UNANSWERED, Model, default_model

# How a card names a verdict's status (the questionnaire's and the case pages' verdict cards).
STATUS_TEXT = {
    "final": "Final: no open answer can change it",
    PROVISIONAL: "Provisional: open answers could change it",
}


def status_text(result: Result) -> str:
    return STATUS_TEXT[result.status]


def title_of(approach: str, components: list[str], model: Model) -> str:
    """ "Retrieval (RAG)", or "Combination: Retrieval (RAG) + LoRA fine-tune": every label from the model file."""
    title = model.approach_label(approach)
    if approach == "combination":
        return f"{title}: {' + '.join(model.approach_label(c) for c in components)}"
    return title


def approach_title(result: Result, model: Model) -> str:
    return title_of(result.approach, result.components, model)


def answer_phrase(model: Model, qid: str, value: str) -> str:
    """How a reason cites one answer: the question's topic and the answer's label, or that it is open."""
    question = model.question(qid)
    shown = "not answered yet" if value == UNANSWERED else f"“{question.label_of(value)}”"
    return f"{question.topic}: {shown}"


def reason_line(model: Model, reason: Reason) -> str:
    """One short sentence and the answers it rests on."""
    cited = "; ".join(answer_phrase(model, qid, value) for qid, value in reason.answers.items())
    return f"{reason.text} ({cited})" if cited else reason.text


def condition_phrase(model: Model, condition: Condition) -> str:
    question = model.question(condition.question)
    others = [value for value in question.values if value not in condition.answers]
    if len(condition.answers) > 2 and len(others) == 1:  # "anything but X" reads better than a long list
        return f"{question.topic} is anything but “{question.label_of(others[0])}”"
    labels = " or ".join(f"“{question.label_of(value)}”" for value in condition.answers)
    return f"{question.topic} is {labels}"


def becomes_phrase(model: Model, entry: Becomes) -> str:
    return f"{title_of(entry.approach, entry.components, model)} if " + " and ".join(
        condition_phrase(model, c) for c in entry.when
    )


def headline(result: Result, model: Model) -> str:
    """The approach now, and for a provisional verdict what it could become.

    A change that needs one answer is named with that answer; changes that need several are summed up
    by the topics they depend on, per approach (`becomes` lists each in full).
    """
    title = approach_title(result, model)
    if result.status != PROVISIONAL:
        return title
    named, depending = [], {}
    for entry in result.becomes:
        if len(entry.when) == 1:
            named.append(becomes_phrase(model, entry))
        else:
            topics = depending.setdefault(title_of(entry.approach, entry.components, model), [])
            topics += [
                model.question(c.question).topic for c in entry.when if model.question(c.question).topic not in topics
            ]
    for becomes_title, topics in depending.items():
        listed = ", ".join(topics[:-1]) + " and " + topics[-1] if len(topics) > 1 else topics[0]
        named.append(f"{becomes_title} depending on {listed}")
    return f"{title} for now; " + "; or ".join(named)


def summary(result: Result, model: Model) -> str:
    """One line: the headline and the first reason behind it."""
    why = result.reasons[0].text if result.reasons else model.components[result.components[0]].summary
    return f"{headline(result, model)}. {why}"


def render_json(result: Result, model: Model | None = None) -> str:
    """The stable machine contract (decision/data/schemas/evaluate.schema.json); byte-identical on every
    Python that runs the engine."""
    model = model or default_model()
    return dump_json(
        {
            "schema_version": SCHEMA_VERSION,
            "engine_version": __version__,
            "headline": headline(result, model),
            "summary": summary(result, model),
            **result.to_dict(),
        }
    )


def _difference_phrase(model: Model, qid: str, yours: str | None, theirs: str | None) -> str:
    question = model.question(qid)
    you = f"“{question.label_of(yours)}”" if yours else "open"
    they = f"“{question.label_of(theirs)}”" if theirs else "not stated"
    return f"{question.topic}: you {you}, the case {they}"


def render_markdown(result: Result, model: Model | None = None) -> str:
    """A decision record a team can paste into a design document."""
    model = model or default_model()
    command = " ".join(f"--answer {qid}={value}" for qid, value in result.answers.items())
    status = "final" if result.status != PROVISIONAL else "provisional: open answers could change it"
    lines = [
        f"# Decision record: {approach_title(result, model)}",
        "",
        f"Produced by the decision engine {__version__}. To reproduce it:",
        "",
        "```sh",
        f"decision evaluate {command}".rstrip() if command else "decision evaluate --no-input",
        "```",
        "",
        f"**{summary(result, model)}**",
        "",
        f"Status: {status}.",
        "",
        "## Situation",
        "",
        "| Question | Answer |",
        "| --- | --- |",
    ]
    for question in model.questions:
        value = result.answers.get(question.id)
        if value:
            shown = question.label_of(value)
        elif all(result.answers.get(other) in values for other, values in question.ask_when):
            shown = "*not answered*"
        else:
            shown = "*not asked: does not apply*"
        lines.append(f"| {markdown_cell(question.text)} | {markdown_cell(shown)} |")
    lines += ["", "## Recommendation", "", f"**{approach_title(result, model)}** (`{result.approach}`)", ""]
    for component in result.components:
        lines.append(f"- {model.components[component].label}: {model.components[component].summary}")
    if result.fine_tune_method:
        lines += ["", model.sentences["lora_note"]]
    lines += ["", "## Reasons", ""]
    lines += [f"- {reason_line(model, reason)}" for reason in result.reasons] or ["- None recorded."]
    lines += ["", "## Next steps", ""]
    lines += [f"{n}. {step.text}" for n, step in enumerate(result.next_steps, 1)]
    lines += ["", "## Caveats", ""]
    lines += [f"- {caveat.text}" for caveat in result.caveats] or ["- None recorded."]
    if result.becomes:
        lines += ["", "## What the open questions could change", ""]
        lines += [f"- {becomes_phrase(model, entry)}" for entry in result.becomes]
    lines += ["", "## What would change this", ""]
    for change in result.what_would_change:
        lines.append(
            f"- {answer_phrase(model, change.question, change.answer)}: "
            f"{model.approach_label(change.approach)} (`{change.approach}`)"
        )
    if not result.what_would_change:
        lines.append("- No single different answer would change the approach.")
    if result.cases:
        lines += ["", "## Nearest case studies", ""]
        for case in result.cases:
            differs = "; ".join(_difference_phrase(model, d.question, d.yours, d.theirs) for d in case.differences)
            ended = model.approach_label(case.documented_approach)
            lines.append(f"- {case.title} (`{case.id}`, ended with {ended}): {differs or 'the same answers'}")
    if result.notes:
        lines += ["", "## How older answers were read", ""]
        lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def render_text(result: Result, model: Model | None = None) -> str:
    """A compact, readable summary for a terminal."""
    model = model or default_model()
    out = [f"Recommendation: {approach_title(result, model)} [{result.approach}, {result.status}]"]
    if result.status == PROVISIONAL:
        out.append(headline(result, model))
    if result.fine_tune_method:
        out.append(model.sentences["lora_note"])
    out += ["", "Why:"]
    out += [f"  - {reason_line(model, reason)}" for reason in result.reasons] or ["  - None recorded."]
    out += ["", "Next steps:"]
    out += [f"  {n}. {step.text}" for n, step in enumerate(result.next_steps, 1)]
    if result.caveats:
        out += ["", "Caveats:"]
        out += [f"  - {caveat.text}" for caveat in result.caveats]
    if result.becomes:
        out += ["", "What the open questions could change:"]
        out += [f"  - {becomes_phrase(model, entry)}" for entry in result.becomes]
    if result.what_would_change:
        out += ["", "What would change it:"]
        for change in result.what_would_change:
            out.append(f"  - {change.question} = {change.answer} -> {change.approach}")
    if result.to_ask:
        out += ["", "Worth answering next: " + ", ".join(result.to_ask)]
    if result.cases:
        out += ["", "Nearest case studies:"]
        for case in result.cases:
            differs = ", ".join(d.question for d in case.differences) or "none"
            out.append(f"  - {case.id} ({case.documented_approach}); differs on: {differs}")
    if result.notes:
        out += ["", "How older answers were read:"]
        out += [f"  - {note}" for note in result.notes]
    return "\n".join(out) + "\n"
