"""``animagine-prompt convert --from novelai --to a1111 PROMPT``."""

from __future__ import annotations

import argparse
import sys

from animagine_prompt.cli._io import read_prompt_arg
from animagine_prompt.syntax.dialects import DIALECTS

HELP = f"rewrite a prompt from one dialect to another ({', '.join(DIALECTS)}), keeping its weights"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", help="the prompt text ('-' reads standard input)")
    parser.add_argument("--from", dest="src", default="a1111", choices=list(DIALECTS))
    parser.add_argument("--to", dest="dst", default="a1111", choices=list(DIALECTS))


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.syntax import convert

    result = convert(read_prompt_arg(args.prompt), args.src, args.dst)
    print(result.text)
    for note in result.notes:
        print(f"note: {note.message}", file=sys.stderr)
    return 0
