"""``animagine-prompt rules [CODE]``: the lint rules, as a table or one rule's full page."""

from __future__ import annotations

import argparse
import json
import os
import sys

HELP = "list the lint rules, or show one rule's documentation"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``rules``."""
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as S101")
    parser.add_argument("--format", dest="output_format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    """Print the rule table (or one rule's page); always 0 for a known code."""
    from animagine_prompt.lint._docs import rule_page
    from animagine_prompt.lint.rules import all_rules, load_rule

    rules = [load_rule(args.code)] if args.code else all_rules()
    if args.output_format == "json":
        data = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "fix": r.fix_availability.value,
                "status": r.status,
                "summary": r.summary(),
                "options": {k: o.default for k, o in r.options.items()},
                "explanation": r.explanation(),
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    if args.code:
        sys.stdout.write(rule_page(rules[0]))
        return 0
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        for r in rules:
            sys.stdout.write(f"{r.code}  {r.name:<30} {r.severity.value:<8} {r.summary()}\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("Code", "Name", "Severity", "Fix", "Summary", header_style="bold")
    for r in rules:
        table.add_row(r.code, r.name, r.severity.value, r.fix_availability.value, r.summary())
    Console().print(table)
    return 0
