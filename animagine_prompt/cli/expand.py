"""``animagine-prompt expand``: add tags to a prompt with a TIPO / DanTagGen model and show what changed."""

from __future__ import annotations

import argparse
import json
import random
import sys

from animagine_prompt.cli._io import read_prompt_arg
from animagine_prompt.errors import UsageError

HELP = "add tags to a prompt with a tag-generation model (TIPO, DanTagGen) and show the difference"

_LENGTHS = ("very_short", "short", "long", "very_long")
_ADDED_STYLE = "bold green"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", help="the prompt ('-' reads standard input)")
    parser.add_argument("--seed", type=int, help="seed of the expansion (default: random, and printed)")
    parser.add_argument("--negative", metavar="TEXT", help="negative prompt: its tags are never added")
    parser.add_argument("--length", choices=_LENGTHS, default="long", help="length target (default long)")
    parser.add_argument(
        "--aspect-ratio", metavar="W:H", default="1:1", help="the image's aspect ratio, as 3:4 or 0.75 (default 1:1)"
    )
    parser.add_argument("--model", metavar="NAME", help="hub id or local folder (default KBlueLeaf/TIPO-500M-ft)")
    parser.add_argument("--format", choices=("tipo", "dantaggen"), help="request format (default: from the name)")
    parser.add_argument("--device", default="auto", help="cuda, mps, cpu or auto (default)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _ratio(text: str) -> float:
    try:
        if ":" in text:
            width, height = (float(part) for part in text.split(":", 1))
            value = width / height
        else:
            value = float(text)
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"--aspect-ratio {text!r}: write it as 3:4 or 0.75") from None
    if not 0.1 <= value <= 10:
        raise UsageError(f"--aspect-ratio {text!r} is out of range: use a ratio between 1:10 and 10:1")
    return value


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.expand import DEFAULT_EXPAND_MODEL, LMExpander

    prompt = read_prompt_arg(args.prompt)
    if args.seed is not None and args.seed < 0:
        raise UsageError(f"the seed must not be negative, not {args.seed}")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    ratio = _ratio(args.aspect_ratio)
    expander = LMExpander(args.model or DEFAULT_EXPAND_MODEL, request_format=args.format, device=args.device)
    expansion = expander.expand(
        prompt, seed=seed, length=args.length, negative_prompt=args.negative, aspect_ratio=ratio
    )
    if args.json:
        json.dump(expansion.to_dict(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    show(expansion)
    return 0


def show(expansion) -> None:
    """Print the expansion as a diff: the old prompt, the new one with the added tags highlighted,
    then what was added and what was dropped (and why)."""
    from rich.text import Text

    from animagine_prompt.cli._io import console

    out = console()
    out.print(Text(f"seed {expansion.seed}  model {expansion.model}", style="dim"))
    out.print(Text("- ") + Text(expansion.original))
    new = Text("+ ") + Text(expansion.prompt)
    for start, end in expansion.added_spans:
        new.stylize(_ADDED_STYLE, start + 2, end + 2)
    out.print(new)
    if expansion.added:
        out.print(Text(f"added ({len(expansion.added)}): ") + Text(", ".join(expansion.added), style=_ADDED_STYLE))
    else:
        out.print("added: nothing")
    if expansion.dropped:
        out.print(Text(f"dropped ({len(expansion.dropped)}):", style="dim"))
        for dropped in expansion.dropped:
            out.print(Text(f"  {dropped.describe()}", style="dim"))
