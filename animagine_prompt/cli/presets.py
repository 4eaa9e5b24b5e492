"""``animagine-prompt presets list|show``: the bundled and user presets, as tables or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from animagine_prompt.cli._io import console

HELP = "list the quality, style, negative, resolution and sampler presets, or show one"

_KINDS = ("quality", "style", "negative", "resolution", "sampler")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    listing = verbs.add_parser("list", help="list presets", description="List presets, kind by kind.")
    listing.add_argument("--kind", choices=_KINDS, help="only this kind")
    show = verbs.add_parser("show", help="show one preset in full", description="Show one preset in full.")
    show.add_argument("name", help="preset name (any case; spaces, '-' and '_' alike)")
    show.add_argument("--kind", choices=_KINDS, help="only look in this kind (a name can exist in several)")
    for sub in (listing, show):
        sub.add_argument(
            "--presets",
            action="append",
            default=[],
            metavar="PATH",
            help="extra preset file or folder, read after the user and config presets (repeatable)",
        )
        sub.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.presets import load_presets

    library = load_presets(args.presets)
    if args.verb == "list":
        return _list(library, args)
    return _show(library, args)


def _summary(preset: Any) -> str:
    kind = preset.kind.value
    if kind in ("quality", "style"):
        return preset.prompt
    if kind == "negative":
        return preset.negative_prompt
    if kind == "resolution":
        aspect = f" ({preset.aspect})" if preset.aspect else ""
        return f"{preset.width} x {preset.height}{aspect}"
    options = ", ".join(f"{k}={v}" for k, v in preset.options.items())
    return f"{preset.scheduler}({options})"


def _as_json(preset: Any) -> dict[str, Any]:
    data = {"kind": preset.kind.value, "key": preset.key, **preset.model_dump(), "origin": preset.origin}
    return data


def _list(library: Any, args: argparse.Namespace) -> int:
    presets = library.all(args.kind)
    if args.json:
        print(json.dumps([_as_json(p) for p in presets], indent=2, ensure_ascii=False))
        return 0
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{args.kind} presets" if args.kind else "presets", title_justify="left")
    if not args.kind:
        table.add_column("kind")
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("template / value", overflow="fold")
    table.add_column("from")
    for preset in presets:
        row = [preset.key, preset.display_name, _summary(preset), preset.origin]
        # Text, not markup: templates hold brackets such as "[abstract]".
        table.add_row(*(Text(cell) for cell in ([preset.kind.value] if not args.kind else []) + row))
    console().print(table)
    return 0


def _show(library: Any, args: argparse.Namespace) -> int:
    from animagine_prompt.errors import PresetError

    kinds = [args.kind] if args.kind else list(_KINDS)
    found = [p for p in (library.find(kind, args.name) for kind in kinds) if p is not None]
    if not found:
        if args.kind:
            library.get(args.kind, args.name)  # raises with suggestions
        raise PresetError(
            f"no preset is called {args.name!r}; 'animagine-prompt presets list' lists them all"
        )
    if args.json:
        print(json.dumps([_as_json(p) for p in found], indent=2, ensure_ascii=False))
        return 0
    from rich.table import Table
    from rich.text import Text

    out = console()
    for preset in found:
        table = Table(
            title=f"{preset.kind.value} preset {preset.key}", title_justify="left", show_header=False
        )
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        for field, value in _as_json(preset).items():
            if field in ("kind", "key") or value in (None, "", (), [], {}):
                continue
            if isinstance(value, (list, tuple)):
                value = ", ".join(str(v) for v in value)
            elif isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            table.add_row(Text(field), Text(str(value)))
        out.print(table)
    return 0
