"""``animagine-prompt convert --from novelai --to a1111 PROMPT``."""

from __future__ import annotations

import argparse
import sys

from animagine_prompt.cli._io import read_prompt_arg

HELP = "rewrite a prompt from one dialect to another (a1111, comfy, novelai), keeping its weights"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", help="the prompt text ('-' reads standard input)")
    parser.add_argument("--from", dest="src", default="a1111", choices=["a1111", "comfy", "novelai"])
    parser.add_argument("--to", dest="dst", default="a1111", choices=["a1111", "comfy", "novelai"])


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.syntax import convert

    result = convert(read_prompt_arg(args.prompt), args.src, args.dst)
    print(result.text)
    for note in result.notes:
        print(f"note: {note.message}", file=sys.stderr)
    return 0
