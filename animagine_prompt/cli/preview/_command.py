"""``animagine-prompt preview PROMPT``: how the model reads a prompt, drawn in the terminal."""

from __future__ import annotations

import argparse
from typing import Any

from animagine_prompt.cli._io import read_prompt_arg

__all__ = ["HELP", "add_arguments", "draw", "run"]

HELP = (
    "show how the model reads a prompt: tags by category, effective weights, 75-token chunks, "
    "extra networks, schedules and diagnostics, after quality/style presets"
)

#: Narrower than this, the chunk bars and excerpts have no room left.
MIN_WIDTH = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The preview's options (the command line's ``add_arguments`` convention).

    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> args = parser.parse_args(["1girl", "-q", "heavy", "--width", "80"])
    >>> args.quality, args.width, args.table
    ('heavy', 80, False)
    """
    from animagine_prompt.syntax.dialects import DIALECTS

    parser.add_argument("prompt", help="the prompt text ('-' reads standard input)")
    parser.add_argument("-n", "--negative", metavar="TEXT", help="a negative prompt to preview alongside")
    parser.add_argument("-q", "--quality", metavar="NAME", help="quality preset to apply first (heavy, standard, ...)")
    parser.add_argument("-s", "--style", metavar="NAME", help="style preset to apply first (anime, photographic, ...)")
    parser.add_argument("--negative-preset", metavar="NAME", help="negative preset, put before --negative")
    parser.add_argument(
        "--presets", action="append", default=[], metavar="PATH", help="extra preset file or folder (repeatable)"
    )
    parser.add_argument(
        "--tags", action="append", metavar="PATH", help="tag file (CSV or word list) merged over the bundled tags"
    )
    parser.add_argument("--width", type=int, metavar="N", help="draw N columns wide (default: the terminal's)")
    parser.add_argument("--table", action="store_true", help="list the tags in a table instead of flowing them")
    parser.add_argument("--no-legend", action="store_true", help="leave out the legend")
    parser.add_argument(
        "--theme", metavar="FILE", help="INI file whose [styles] section overrides the named styles (docs/preview.md)"
    )
    parser.add_argument("--dialect", choices=list(DIALECTS), help="prompt syntax (default a1111)")
    parser.add_argument("--config", metavar="FILE", help="config file to use instead of the closest one")


def run(args: argparse.Namespace) -> int:
    """Draw the preview; 0 unless the arguments or files are wrong (then an error, exit 2).

    Diagnostics are shown, not judged: ``animagine-prompt lint`` is the command that fails on them.
    Colour follows rich: off with ``NO_COLOR`` or when the output is not a terminal.
    """
    from rich.console import Console

    from animagine_prompt.errors import UsageError

    if args.width is not None and args.width < MIN_WIDTH:
        raise UsageError(f"--width must be at least {MIN_WIDTH} columns, not {args.width}")
    draw(args, Console(width=args.width, highlight=False, soft_wrap=False))
    return 0


def draw(args: argparse.Namespace, console: Any, *, isolated: bool = False) -> None:
    """Print the preview the parsed ``args`` ask for on ``console``, with the preview's theme.

    ``isolated`` ignores the config file and the user's preset folder, so the output depends
    on the arguments alone (the documentation's sample is made this way).

    >>> from io import StringIO
    >>> from rich.console import Console
    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> console = Console(file=StringIO(), width=40, color_system=None)
    >>> draw(parser.parse_args(["1girl", "--no-legend"]), console, isolated=True)
    >>> print(console.file.getvalue(), end="")
    prompt: 2/75 tokens in 1 chunk, 1 tag
    chunk 1 ▊░░░░░░░░░░░░░░░░░░░░░░░░░░ 2/75
      1girl
    """
    from animagine_prompt.analysis import PresetChoice, analyze
    from animagine_prompt.cli.preview._preview_view import PreviewView
    from animagine_prompt.cli.preview._theme import preview_theme, read_theme_file
    from animagine_prompt.lint import Linter, LintSettings, load_settings

    theme = preview_theme(read_theme_file(args.theme) if args.theme else None)
    settings = LintSettings() if isolated else load_settings(args.config)
    linter = Linter(
        settings.merged(dialect=args.dialect),
        tag_paths=tuple(args.tags or ()),
        preset_paths=tuple(args.presets),
        user_presets=not isolated,
    )
    presets = PresetChoice(quality=args.quality, style=args.style, negative=args.negative_preset)
    analysis = analyze(read_prompt_arg(args.prompt), args.negative, presets=presets, linter=linter)
    console.push_theme(theme)
    try:
        console.print(PreviewView(analysis, table=args.table, legend=not args.no_legend))
    finally:
        console.pop_theme()
