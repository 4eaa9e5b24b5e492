"""``animagine-prompt parse PROMPT``: how the prompt is read (fragments, tags, recoveries)."""

from __future__ import annotations

import argparse
import json

from animagine_prompt.cli._io import console, read_prompt_arg

HELP = "show how a prompt is read: weighted fragments, tags, extra networks and parser recoveries"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from animagine_prompt.syntax.dialects import DIALECTS

    parser.add_argument("prompt", help="the prompt text ('-' reads standard input)")
    parser.add_argument("--dialect", default="a1111", choices=list(DIALECTS))
    parser.add_argument("--no-comments", action="store_true", help="read '#' as text, not as a comment")
    parser.add_argument("--step", type=int, help="resolve schedules for this sampling step (needs --steps)")
    parser.add_argument("--steps", type=int, help="number of sampling steps")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.errors import UsageError
    from animagine_prompt.syntax import parse

    if args.step is not None and args.steps is None:
        raise UsageError("--step needs --steps (the number of sampling steps)")
    prompt = parse(read_prompt_arg(args.prompt), args.dialect, comments=not args.no_comments)
    fragments = prompt.fragments(args.step, args.steps)
    data = {
        "fragments": [{"text": f.text, "weight": f.weight, "kind": f.kind} for f in fragments],
        "tags": [{"text": t.text, "weight": t.weight, "start": t.span[0], "end": t.span[1]} for t in prompt.tags()],
        "extra_networks": [
            {"kind": n.kind, "name": n.name, "args": list(n.args), "start": n.span[0], "end": n.span[1]}
            for n in prompt.extra_networks()
        ],
        "schedules": [_schedule_data(node) for node in _schedules(prompt.tree.children)],
        "diagnostics": [
            {"code": d.code, "severity": d.severity.value, "message": d.message, "start": d.span[0], "end": d.span[1]}
            for d in prompt.diagnostics
        ],
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    from rich.table import Table
    from rich.text import Text

    out = console()
    schedules = data["schedules"]
    table = Table(title="fragments", show_edge=False)
    table.add_column("weight", justify="right")
    table.add_column("text")
    for f in fragments:
        label = f.kind.upper() if f.kind != "text" else f"{f.weight:.4g}"
        table.add_row(label, Text(repr(f.text)))
    out.print(table)
    if data["tags"]:
        tags = Table(title="tags", show_edge=False)
        tags.add_column("weight", justify="right")
        tags.add_column("tag")
        for tag in data["tags"]:
            tags.add_row(f"{tag['weight']:.4g}", Text(tag["text"]))
        out.print(tags)
    for item in schedules:
        out.print(Text(_describe(item)))
    if schedules and args.step is None:
        out.print(
            Text("(fragments show schedules at their last text, alternations at their first: --step N --steps M)")
        )
    for net in prompt.extra_networks():
        out.print(Text(f"extra network: {net.raw}"))
    for d in prompt.diagnostics:
        out.print(Text(f"{d.code} {d.severity.value}: {d.message}"))
        out.print(Text(d.context(prompt.text)))
    return 0


def _schedules(nodes) -> list:
    """Every schedule and alternation of the tree, outermost first, in source order."""
    from animagine_prompt.syntax.nodes import Alternate, Group, Schedule

    found = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, (Schedule, Alternate)):
            found.append(node)
        if isinstance(node, Group):
            stack.extend(reversed(node.children))
        elif isinstance(node, Schedule):
            stack.extend(reversed((*(node.before or ()), *node.after)))
        elif isinstance(node, Alternate):
            stack.extend(reversed([n for option in node.options for n in option]))
    return found


def _schedule_data(node) -> dict[str, object]:
    from animagine_prompt.syntax.nodes import Schedule, render

    span = node.span or (None, None)
    if isinstance(node, Schedule):
        before = None if node.before is None else render(node.before)
        return {
            "kind": "schedule",
            "before": before,
            "after": render(node.after),
            "when": node.when_text,
            "start": span[0],
            "end": span[1],
        }
    return {"kind": "alternation", "options": [render(o) for o in node.options], "start": span[0], "end": span[1]}


def _describe(item: dict) -> str:
    """One line per schedule: both sides and when the change happens."""
    if item["kind"] == "alternation":
        return "alternation: " + " | ".join(repr(o) for o in item["options"]) + ", one per step in turn"
    when = str(item["when"])
    at = f"{float(when):.0%} of the steps" if "." in when else f"step {when}"
    before = "(nothing)" if item["before"] is None else repr(item["before"])
    return f"schedule: {before} until {at}, then {item['after']!r}"
