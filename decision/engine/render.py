"""Present a Result as text (terminal), Markdown (a decision record) or JSON (the contract)."""

from __future__ import annotations

from decision._text import dump_json, markdown_cell
from decision._version import SCHEMA_VERSION, __version__
from decision.engine.evaluator import Result
from decision.engine.model import Model, default_model


def approach_title(result: Result, model: Model) -> str:
    """The approach's name, with the components of a mix after it; every label comes from the model file."""
    title = model.approach_label(result.approach)
    if result.approach == "combination":
        return f"{title}: {' + '.join(model.approach_label(c) for c in result.components)}"
    return title


def _answer_label(model: Model, qid: str, value: str) -> str:
    return model.question(qid).label_of(value)


def _because(model: Model, answers: dict[str, str]) -> str:
    parts = []
    for qid, value in answers.items():
        shown = "not answered" if value == "unanswered" else _answer_label(model, qid, value)
        parts.append(f"{qid} = {shown}")
    return "; ".join(parts)


def render_json(result: Result) -> str:
    """The stable machine contract (decision/data/schemas/evaluate.schema.json); byte-identical on every
    Python that runs the engine."""
    return dump_json({"schema_version": SCHEMA_VERSION, "engine_version": __version__, **result.to_dict()})


def render_markdown(result: Result, model: Model | None = None) -> str:
    """A decision record a team can paste into a design document."""
    model = model or default_model()
    command = " ".join(f"--answer {qid}={value}" for qid, value in result.answers.items())
    lines = [
        f"# Decision record: {approach_title(result, model)}",
        "",
        f"Produced by the decision engine {__version__}. To reproduce it:",
        "",
        "```sh",
        f"decision evaluate {command}".rstrip(),
        "```",
        "",
        "## Situation",
        "",
        "| Question | Answer |",
        "| --- | --- |",
    ]
    for question in model.questions:
        value = result.answers.get(question.id)
        shown = question.label_of(value) if value else "*not answered*"
        lines.append(f"| {markdown_cell(question.text)} | {markdown_cell(shown)} |")
    lines += ["", "## Recommendation", "", f"**{approach_title(result, model)}** (`{result.approach}`)", ""]
    for component in result.components:
        lines.append(f"- {model.components[component].label}: {model.components[component].summary}")
    if result.fine_tune_method:
        lines += ["", model.sentences["lora_note"]]
    lines += ["", "## Reasons", ""]
    for reason in result.reasons:
        tail = f" *(because {_because(model, reason.answers)})*" if reason.answers else ""
        lines.append(f"- {reason.text}{tail}")
    lines += ["", "## Next steps", ""]
    lines += [f"{n}. {step.text}" for n, step in enumerate(result.next_steps, 1)]
    lines += ["", "## Caveats", ""]
    lines += [f"- {caveat.text}" for caveat in result.caveats] or ["- None recorded."]
    lines += ["", "## What would change this", ""]
    for change in result.what_would_change:
        question = model.question(change.question)
        lines.append(
            f"- If “{question.text}” were answered “{question.label_of(change.answer)}”: "
            f"{model.approach_label(change.approach)} (`{change.approach}`)"
        )
    if not result.what_would_change:
        lines.append("- No single different answer would change the approach.")
    if result.unanswered:
        lines += ["", "## Open questions that could still change it", ""]
        lines += [f"- {model.question(qid).text} (`{qid}`)" for qid in result.unanswered]
    if result.cases:
        lines += ["", "## Similar cases", ""]
        lines += [f"- {case.title} (`{case.id}`)" for case in result.cases]
    return "\n".join(lines) + "\n"


def render_text(result: Result, model: Model | None = None) -> str:
    """A compact, readable summary for a terminal."""
    model = model or default_model()
    out = [f"Recommendation: {approach_title(result, model)} [{result.approach}]"]
    if result.fine_tune_method:
        out.append(model.sentences["lora_note"])
    out += ["", "Why:"]
    for reason in result.reasons:
        out.append(f"  - {reason.text}")
        if reason.answers:
            out.append(f"    (because {_because(model, reason.answers)})")
    out += ["", "Next steps:"]
    out += [f"  {n}. {step.text}" for n, step in enumerate(result.next_steps, 1)]
    if result.caveats:
        out += ["", "Caveats:"]
        out += [f"  - {caveat.text}" for caveat in result.caveats]
    if result.what_would_change:
        out += ["", "What would change it:"]
        for change in result.what_would_change:
            out.append(f"  - {change.question} = {change.answer} -> {change.approach}")
    if result.unanswered:
        out += ["", "Still open and could matter: " + ", ".join(result.unanswered)]
    if result.cases:
        out += ["", "Similar cases: " + ", ".join(case.id for case in result.cases)]
    return "\n".join(out) + "\n"
