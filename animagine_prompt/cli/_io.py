"""Helpers the subcommands share: reading a prompt argument, making a console."""

from __future__ import annotations

import sys

from animagine_prompt.errors import UsageError


def read_prompt_arg(value: str) -> str:
    """The prompt given on the command line; ``-`` reads it from standard input."""
    if value == "-":
        if sys.stdin is None or sys.stdin.closed:
            raise UsageError("'-' reads the prompt from standard input, but there is none")
        return sys.stdin.read().rstrip("\n")
    return value


def console(stderr: bool = False):
    """A rich console for this command's output (colour off with NO_COLOR or when not a terminal)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)
