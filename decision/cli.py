"""The `decision` command: questions, cases, evaluate (and an interactive questionnaire)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from decision import __version__
from decision.answers import AnswerError, parse_answers_text, parse_pairs
from decision.evaluator import evaluate
from decision.model import Model, ModelError, default_model
from decision.render import render_json, render_markdown, render_text

FORMATS = ("text", "json", "markdown")


class UsageError(Exception):
    """A user mistake: reported on one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line instead of usage + error
        raise UsageError(message)


def _questions_json(model: Model) -> list[dict]:
    return [
        {
            "id": q.id,
            "text": q.text,
            "help": q.help,
            "kind": q.kind,
            "options": [{"value": o.value, "label": o.label} for o in q.options],
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
            "documented_approach": c.documented_approach,
        }
        for c in model.cases
    ]


def _dump(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def cmd_questions(args, model: Model) -> str:
    if args.format == "json":
        return _dump(_questions_json(model))
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
        return _dump(_cases_json(model))
    lines = []
    for c in model.cases:
        if args.format == "markdown":
            lines += [f"## {c.title}", "", c.summary, "", f"Documented approach: `{c.documented_approach}`", ""]
        else:
            lines.append(f"{c.id:26} {c.documented_approach:12} {c.title}")
    return "\n".join(lines) + "\n"


def _read_answers_file(path: str, model: Model) -> dict[str, str]:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        detail = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise AnswerError("--answers", f"cannot read {path!r}: {detail}") from None
    return parse_answers_text(text, path, model)


def _ask(model: Model, answers: dict[str, str], read: Callable[[str], str], write: Callable[[str], None]) -> None:
    """Ask, one at a time, only the open questions that can still change the outcome."""
    skipped: set[str] = set()
    while True:
        pending = [q for q in evaluate(answers, model).unanswered if q not in skipped]
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


def cmd_evaluate(args, model: Model) -> str:
    answers: dict[str, str] = {}
    if args.answers:
        answers.update(_read_answers_file(args.answers, model))
    answers.update(parse_pairs(args.answer or [], model))  # flags override the file
    if not args.answers and not args.answer and sys.stdin.isatty() and not args.no_input:
        try:
            _ask(model, answers, _prompt, sys.stderr.write)
        except (EOFError, KeyboardInterrupt):
            raise UsageError("questionnaire cancelled") from None
    result = evaluate(answers, model)
    if args.format == "json":
        return render_json(result)
    if args.format == "markdown":
        return render_markdown(result, model)
    return render_text(result, model)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="decision", description="Few-shot, RAG or a LoRA fine-tune? Ask the decision model.")
    parser.add_argument("--version", action="version", version=f"decision {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
        sub.set_defaults(handler=handler)
        return sub

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
    _add_cost_command(add)
    return parser


def _add_cost_command(add) -> None:
    try:
        from decision.cost_cli import register
    except ImportError:  # the cost model is optional for the engine's core
        return
    register(add)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        model = default_model()
        sys.stdout.write(args.handler(args, model))
        return 0
    except (UsageError, AnswerError) as error:
        print(f"decision: error: {error}", file=sys.stderr)
        return 2
    except ModelError as error:
        print(f"decision: the decision model is broken: {error}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        return 0
