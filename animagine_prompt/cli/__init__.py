"""The ``animagine-prompt`` command line.

Each subcommand lives in its own module of this package, which defines ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Only the module of the command being run is
imported, so ``animagine-prompt lint`` never pays for what ``generate`` needs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from animagine_prompt._textinput import check_arguments
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


def _build_parser(only: str | None) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="animagine-prompt",
        description="Write, lint and preview prompts for Animagine XL and other anime SDXL models.",
    )
    from animagine_prompt import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    commands: dict[str, argparse.ArgumentParser] = {}
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            # Listed for --help without importing the module.
            sub.add_parser(name)
            continue
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
        commands[name] = command
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 clean, 1 findings, 2 usage or input error)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    only = next((a for a in args_list if not a.startswith("-")), None)
    parser, commands = _build_parser(only if only in COMMANDS else None)
    try:
        check_arguments(args_list)
        args, unknown = parser.parse_known_args(args_list)
        if unknown:
            # the subcommand's own usage, which lists the options it has (exits 2)
            commands.get(args.command, parser).error(f"unrecognized arguments: {' '.join(unknown)}")
        return int(args._run(args) or 0)
    except AnimaginePromptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the system refused a read or write: disk full, permissions, a vanished file
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, said in one line, not exit 1 ("findings")
        if os.environ.get(TRACEBACK_VARIABLE):
            raise
        print(_bug_message(exc, only if only in COMMANDS else None), file=sys.stderr)
        return 2


#: Set to any value to see the traceback of an unexpected error instead of the one-line message.
TRACEBACK_VARIABLE = "ANIMAGINE_PROMPT_TRACEBACK"


def _bug_message(exc: BaseException, command: str | None) -> str:
    detail = " ".join(str(exc).split())[:200]
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return (
        f"error: internal error in '{command or 'animagine-prompt'}' ({what}); this is a bug: please report it "
        f"with the command and input that caused it (set {TRACEBACK_VARIABLE}=1 to see the traceback)"
    )


if __name__ == "__main__":
    sys.exit(main())
