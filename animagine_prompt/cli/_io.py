"""Helpers the subcommands share: reading a prompt argument or standard input, making a console."""

from __future__ import annotations

from animagine_prompt._textinput import check_text, read_stdin

__all__ = ["console", "read_prompt_arg"]


def read_prompt_arg(value: str) -> str:
    """The prompt given on the command line; ``-`` reads it from standard input."""
    if value == "-":
        return read_stdin().rstrip("\n")
    return check_text(value, "the prompt")


def console(stderr: bool = False):
    """A rich console for this command's output (colour off with NO_COLOR or when not a terminal)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)
