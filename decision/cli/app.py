"""The `decision` command: one parser, the subcommands each room registers, and one-line errors.

A subcommand lives in its own module with a `register(add)` function; adding one to SUBCOMMANDS is
the only change this file needs. `add(name, handler, help)` returns the subcommand's parser (with
`--format` already on it); `handler(args, model)` returns the text to print.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from decision._errors import AnswerError, ModelError
from decision._version import __version__
from decision.cli import cost_command, engine_commands, gap_command
from decision.engine.model import default_model

FORMATS = ("text", "json", "markdown")
SUBCOMMANDS = (engine_commands.register, cost_command.register, gap_command.register)


class UsageError(Exception):
    """A user mistake in the command line: reported on one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line instead of usage + error
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="decision", description="Few-shot, RAG or a LoRA fine-tune? Ask the decision model.")
    parser.add_argument("--version", action="version", version=f"decision {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
        sub.set_defaults(handler=handler)
        return sub

    for register in SUBCOMMANDS:
        register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        model = default_model()
        sys.stdout.write(args.handler(args, model))
        return 0
    except (UsageError, engine_commands.QuestionnaireCancelled, AnswerError) as error:
        print(f"decision: error: {error}", file=sys.stderr)
        return 2
    except ModelError as error:
        print(f"decision: the decision model is broken: {error}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        return 0
