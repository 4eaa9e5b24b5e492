"""``animagine-prompt inspect IMAGE.png``: the generation settings stored in a PNG, whoever wrote it."""

from __future__ import annotations

import argparse
import json

HELP = "show the prompt and settings stored in a PNG (A1111/Forge parameters, Animagine app, NovelAI)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="PNG files")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the settings as JSON (one object per image)")
    out.add_argument("--raw", action="store_true", help="print the PNG's text chunks as stored")
    out.add_argument(
        "--parameters", action="store_true", help="print the settings as an A1111 parameters text (PNG Info's format)"
    )


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.metadata import png_text_chunks, read_generation

    if args.raw:
        for path in args.images:
            with open(_existing(path), "rb") as stream:
                chunks = png_text_chunks(stream, path=path)
            if len(args.images) > 1:
                print(f"== {path}")
            for chunk in chunks:
                print(f"[{chunk.kind} {chunk.keyword}]")
                print(chunk.text)
        return 0
    records = [(path, read_generation(_existing(path))) for path in args.images]
    if args.json:
        for path, record in records:
            print(json.dumps({"file": str(path), **record.to_dict()}, ensure_ascii=False, indent=2))
        return 0
    if args.parameters:
        print("\n\n".join(record.parameters_text() for _, record in records))
        return 0
    from animagine_prompt.cli._io import console

    out = console()
    for number, (path, record) in enumerate(records):
        if number:
            out.print()
        _show(out, str(path), record)
    return 0


_SOURCES = {
    "parameters": "A1111 parameters",
    "animagine": "Animagine app metadata",
    "novelai": "NovelAI comment",
}


def _show(out, path: str, record) -> None:
    from rich.markup import escape
    from rich.table import Table

    out.print(f"[bold]{escape(path)}[/bold] ({_SOURCES.get(record.source, record.source)})")
    out.print(f"[bold]prompt:[/bold] {escape(record.prompt)}")
    if record.negative_prompt:
        out.print(f"[bold]negative:[/bold] {escape(record.negative_prompt)}")
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("size", f"{record.width} x {record.height}" if record.width else None),
        ("steps", record.steps),
        ("sampler", record.sampler),
        ("guidance", _number(record.guidance)),
        ("seed", record.seed),
        ("model", record.model),
        ("model hash", record.model_hash),
        ("vae", record.vae),
        ("style", record.style),
        ("quality", record.quality),
        ("clip skip", record.clip_skip),
        ("emphasis", record.emphasis),
    ]
    if record.hires:
        method = f", {record.hires_method}" if record.hires_method else ""
        rows.append(("hires", f"x{_number(record.hires_upscale)}, strength {_number(record.hires_strength)}{method}"))
    rows += list(record.extra)
    for name, value in rows:
        if value is not None:
            table.add_row(escape(str(name)), escape(str(value)))
    out.print(table)


def _number(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def _existing(path: str) -> str:
    from pathlib import Path

    from animagine_prompt.errors import InputError

    if not Path(path).is_file():
        raise InputError("no such image file", path=path)
    return path
