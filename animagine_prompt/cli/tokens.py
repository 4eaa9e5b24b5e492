"""``animagine-prompt tokens PROMPT``: token counts, 75-token chunks and the tags their boundaries cut."""

from __future__ import annotations

import argparse
import json
from typing import Any

from animagine_prompt.cli._io import console, read_prompt_arg

HELP = "count a prompt's CLIP tokens: the 75-token chunks, the used/capacity counter, tags a boundary cuts"

_REASONS = {
    "full": "75 tokens",
    "comma": "comma back-tracking",
    "break": "BREAK",
    "and": "AND",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from animagine_prompt.syntax.dialects import DIALECTS

    parser.add_argument("prompt", help="the prompt text ('-' reads standard input)")
    parser.add_argument("--dialect", default="a1111", choices=list(DIALECTS))
    parser.add_argument(
        "--tokenizer",
        default="clip_l",
        choices=["clip_l", "clip_g"],
        help="SDXL's first (clip_l, default) or second (clip_g) tokenizer; they differ only on '!'",
    )
    parser.add_argument(
        "--comma-window",
        type=int,
        default=20,
        metavar="N",
        help="move text after a comma within the last N tokens of a full chunk to the next one "
        "(A1111's default 20; 0 turns it off)",
    )
    parser.add_argument("--step", type=int, help="resolve schedules for this sampling step (needs --steps)")
    parser.add_argument("--steps", type=int, help="number of sampling steps")
    parser.add_argument("--tokens", action="store_true", help="also list each chunk's tokens")
    parser.add_argument("--check", action="store_true", help="exit 1 when a chunk boundary cuts a tag in two")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.errors import UsageError
    from animagine_prompt.syntax import parse
    from animagine_prompt.tokens import load_tokenizer, plan

    if args.step is not None and args.steps is None:
        raise UsageError("--step needs --steps (the number of sampling steps)")
    if args.comma_window < 0:
        raise UsageError("--comma-window must be 0 (off) or more")
    prompt = parse(read_prompt_arg(args.prompt), args.dialect)
    tokenizer = load_tokenizer(args.tokenizer)
    result = plan(prompt, tokenizer, comma_window=args.comma_window, step=args.step, steps=args.steps)
    status = 1 if args.check and result.cut_tags else 0
    if args.json:
        print(json.dumps(_as_json(result, tokenizer, args), ensure_ascii=False, indent=2))
        return status
    _print(result, tokenizer, prompt.text, args)
    return status


def _tag(tag: Any) -> dict[str, Any]:
    return {"text": tag.text, "start": tag.span[0], "end": tag.span[1]}


def _as_json(result: Any, tokenizer: Any, args: argparse.Namespace) -> dict[str, Any]:
    chunks = []
    for i, chunk in enumerate(result.chunks):
        entry: dict[str, Any] = {
            "index": i,
            "used": chunk.used,
            "subprompt": chunk.subprompt,
            "ids": list(chunk.ids),
            "weights": list(chunk.weights),
            "spans": [list(s) if s is not None else None for s in chunk.spans],
        }
        if args.tokens:
            entry["tokens"] = [tokenizer.token_text(t) for t in chunk.ids]
        chunks.append(entry)
    return {
        "tokenizer": args.tokenizer,
        "chunk_length": result.chunk_length,
        "token_count": result.token_count,
        "capacity": result.capacity,
        "subprompt_weights": list(result.subprompt_weights),
        "chunks": chunks,
        "boundaries": [
            {
                "after_chunk": b.chunk,
                "reason": b.reason,
                "moved": b.moved,
                "offset": b.offset,
                "cut": _tag(b.cut) if b.cut is not None else None,
                "pushed": [_tag(t) for t in b.pushed],
            }
            for b in result.boundaries
        ],
    }


def _excerpt(text: str, width: int = 32) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _print(result: Any, tokenizer: Any, text: str, args: argparse.Namespace) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    several = len(result.subprompt_weights) > 1
    table = Table(show_edge=False)
    table.add_column("chunk", justify="right")
    if several:
        table.add_column("AND", justify="right")
    table.add_column("tokens", justify="right")
    table.add_column("ends at")
    table.add_column("starts with")
    ends = {b.chunk: b for b in result.boundaries}
    for i, chunk in enumerate(result.chunks):
        boundary = ends.get(i)
        first = next((s for s in chunk.spans if s is not None), None)
        start = _excerpt(text[first[0] :]) if first is not None else ""
        row = [str(i + 1)]
        if several:
            row.append(str(chunk.subprompt + 1))
        row += [f"{chunk.used}/{chunk.length}", _REASONS[boundary.reason] if boundary else "end", start]
        table.add_row(*(Text(cell) for cell in row))
    out.print(table)
    chunks = len(result.chunks)
    out.print(Text(f"{result.token_count}/{result.capacity} tokens in {chunks} chunk{'s' * (chunks != 1)}"))
    for b in result.boundaries:
        where = f"chunks {b.chunk + 1}|{b.chunk + 2}"
        if b.cut is not None:
            name, (start, end) = _excerpt(b.cut.text, 60), b.cut.span
            out.print(Text(f"{where}: cuts {name!r} (chars {start}-{end}) in two"))
        if b.pushed:
            names = ", ".join(repr(_excerpt(t.text, 60)) for t in b.pushed)
            moved = f"comma back-tracking moved {b.moved} tokens"
            out.print(Text(f"{where}: {moved}, pushing {names} to the next chunk"))
    if args.tokens:
        for i, chunk in enumerate(result.chunks):
            pieces = " ".join(tokenizer.token_text(t).strip() or "·" for t in chunk.ids)
            out.print(Text(f"{i + 1}: {pieces}"))
