"""The ``animagine-prompt`` command line.

Each subcommand lives in its own module of this package, which defines ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Only the module of the command being run is
imported, so ``animagine-prompt lint`` never pays for what ``generate`` needs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from animagine_prompt.errors import AnimaginePromptError

__all__ = ["COMMANDS", "main"]

#: Subcommand name -> module implementing it.
COMMANDS: dict[str, str] = {
    "convert": "animagine_prompt.cli.convert",
    "parse": "animagine_prompt.cli.parse",
    "lint": "animagine_prompt.cli.lint",
    "rules": "animagine_prompt.cli.rules",
    "tokens": "animagine_prompt.cli.tokens",
    "build": "animagine_prompt.cli.build",
    "presets": "animagine_prompt.cli.presets",
    "tags": "animagine_prompt.cli.tags",
    "preview": "animagine_prompt.cli.preview",
    "inspect": "animagine_prompt.cli.inspect",
    "generate": "animagine_prompt.cli.generate",
    "expand": "animagine_prompt.cli.expand",
    "serve": "animagine_prompt.cli.serve",
}


def _build_parser(only: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="animagine-prompt",
        description="Write, lint and preview prompts for Animagine XL and other anime SDXL models.",
    )
    from animagine_prompt import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            # Listed for --help without importing the module.
            sub.add_parser(name)
            continue
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 clean, 1 findings, 2 usage or input error)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    only = next((a for a in args_list if not a.startswith("-")), None)
    parser = _build_parser(only if only in COMMANDS else None)
    try:
        args = parser.parse_args(args_list)
        return int(args._run(args) or 0)
    except AnimaginePromptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
