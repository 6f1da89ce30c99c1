"""The `decision` command line: `main(argv) -> int` and `build_parser()`.

Each subcommand module (`engine_commands`, `cost_command`) has a `register(add)` hook listed in
`decision.cli.app.SUBCOMMANDS`; a new subcommand is one more module and one more entry there.
"""

from decision.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
