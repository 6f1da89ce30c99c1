"""`decision questions`, `decision cases` and `decision evaluate` (with an interactive questionnaire)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from decision._errors import AnswerError
from decision._text import dump_json, read_text_argument
from decision.engine.answers import parse_answers_text, parse_pairs
from decision.engine.evaluator import evaluate
from decision.engine.model import Model
from decision.engine.render import render_json, render_markdown, render_text


class QuestionnaireCancelled(Exception):
    """The reader left the interactive questionnaire (end of input or Ctrl-C): exit code 2."""


def _questions_json(model: Model) -> list[dict]:
    return [
        {
            "id": q.id,
            "topic": q.topic,
            "text": q.text,
            "help": q.help,
            "kind": q.kind,
            "options": [{"value": o.value, "label": o.label} for o in q.options],
            "ask_when": {qid: [v for v in model.question(qid).values if v in values] for qid, values in q.ask_when},
            "ask_if_chosen": sorted(q.ask_if_chosen),
            "sources": list(q.sources),
        }
        for q in model.questions
    ]


def _cases_json(model: Model) -> list[dict]:
    return [
        {
            "id": c.id,
            "title": c.title,
            "summary": c.summary,
            "answers": c.answers,
            "inferred": list(c.inferred),
            "documented_approach": c.documented_approach,
        }
        for c in model.cases
    ]


def cmd_questions(args, model: Model) -> str:
    if args.format == "json":
        return dump_json(_questions_json(model))
    lines = []
    heading, bullet = ("## ", "- ") if args.format == "markdown" else ("", "  ")
    for q in model.questions:
        lines.append(f"{heading}{q.text} [{q.id}]" if heading else f"{q.id}: {q.text}")
        if heading:
            lines += ["", q.help, ""]
        lines += [
            f"{bullet}`{o.value}`: {o.label}" if heading else f"{bullet}{o.value:16} {o.label}" for o in q.options
        ]
        lines.append("")
    return "\n".join(lines)


def cmd_cases(args, model: Model) -> str:
    if args.format == "json":
        return dump_json(_cases_json(model))
    lines = []
    for c in model.cases:
        if args.format == "markdown":
            lines += [f"## {c.title}", "", c.summary, "", f"Documented approach: `{c.documented_approach}`", ""]
        else:
            lines.append(f"{c.id:26} {c.documented_approach:12} {c.title}")
    return "\n".join(lines) + "\n"


def ask_open_questions(
    model: Model, answers: dict[str, str], read: Callable[[str], str], write: Callable[[str], None]
) -> None:
    """Ask, one at a time, only the open questions still worth asking (the model's branching)."""
    skipped: set[str] = set()
    while True:
        pending = [q for q in evaluate(answers, model).to_ask if q not in skipped]
        if not pending:
            return
        question = model.question(pending[0])
        write(f"\n{question.text}\n  {question.help}\n")
        for n, option in enumerate(question.options, 1):
            write(f"  {n}. {option.label}\n")
        while True:
            reply = read(f"Choose 1-{len(question.options)} (Enter to skip): ").strip()
            if not reply:
                skipped.add(question.id)
                break
            if reply.isdigit() and 1 <= int(reply) <= len(question.options):
                answers[question.id] = question.options[int(reply) - 1].value
                break
            write(f"  Please type a number from 1 to {len(question.options)}, or press Enter.\n")


def _prompt(prompt: str) -> str:
    """Like input(), but the prompt goes to stderr so stdout stays clean for the result."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line


NO_ANSWERS = (
    "empty, so no answers were given; pass --answer ID=VALUE or --answers FILE, pipe in a JSON or TOML "
    "file of answers, or add --no-input to evaluate with every question open"
)


def cmd_evaluate(args, model: Model) -> str:
    answers: dict[str, str] = {}
    notes: list[str] = []
    source = args.answers
    asked = not args.answers and not args.answer and not args.no_input
    if asked and not sys.stdin.isatty():
        source = "-"  # answers piped in are read, never ignored
    if source:
        text = read_text_argument(source, "--answers")
        if source == "-" and not args.answers and not text.strip():
            raise AnswerError("standard input", NO_ANSWERS)
        answers, notes = parse_answers_text(text, source, model)
    flags = parse_pairs(args.answer or [], model)
    answers |= flags.answers  # flags override the file
    notes += flags.notes
    if asked and source is None:
        try:
            ask_open_questions(model, answers, _prompt, sys.stderr.write)
        except (EOFError, KeyboardInterrupt):
            raise QuestionnaireCancelled("questionnaire cancelled") from None
    for note in notes:
        print(f"decision: note: {note}", file=sys.stderr)
    result = evaluate(answers, model, notes)
    if args.format == "json":
        return render_json(result)
    if args.format == "markdown":
        return render_markdown(result, model)
    return render_text(result, model)


def register(add) -> None:
    """Add questions, cases and evaluate to the `decision` command (see decision.cli.app.SUBCOMMANDS)."""
    add("questions", cmd_questions, "List the questions and their allowed answers.")
    add("cases", cmd_cases, "List the case studies and the approach each one ended with.")
    evaluate_parser = add("evaluate", cmd_evaluate, "Recommend an approach for your answers.")
    evaluate_parser.add_argument(
        "--answer", action="append", metavar="ID=VALUE", help="one answer; repeat for more (see `decision questions`)"
    )
    evaluate_parser.add_argument(
        "--answers",
        metavar="FILE",
        help="a JSON or TOML file of answers ('-' for standard input); --answer overrides it",
    )
    evaluate_parser.add_argument("--no-input", action="store_true", help="never ask interactively, even on a terminal")
