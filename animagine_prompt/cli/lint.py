"""``animagine-prompt lint``: check prompts, files and folders; report, fix or show a diff."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from animagine_prompt.errors import UsageError

HELP = "check prompts for bracket, weight, tag and chunk problems; --fix repairs the safe ones"

#: Named styles of the human-readable reports (``lint.*`` names come from the reporters).
THEME = {
    "lint.path": "bold",
    "lint.code": "bold red",
    "lint.error": "red",
    "lint.warning": "yellow",
    "lint.info": "cyan",
    "lint.message": "",
    "lint.dim": "dim",
    "lint.gutter": "blue",
    "lint.fix": "green",
    "lint.ok": "green",
    "lint.summary": "bold",
}


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``lint``."""
    from animagine_prompt.lint.reporters import OutputFormat
    from animagine_prompt.syntax.dialects import DIALECTS

    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="PROMPT|FILE|DIR|-",
        help="prompt text, .txt/.yaml/.json/.jsonl/.png files, folders (searched recursively), or - for stdin",
    )
    parser.add_argument("--negative", metavar="TEXT", help="a negative prompt to lint with the prompt arguments")
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=[f.value for f in OutputFormat],
        default=OutputFormat.FULL.value,
        help="output format (default: full)",
    )
    parser.add_argument("--fix", action="store_true", help="apply safe fixes (files are rewritten in place)")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change meaning")
    parser.add_argument("--diff", action="store_true", help="show the fixes as a diff; write nothing")
    parser.add_argument("--explain", metavar="CODE", help="print what a rule checks and why, then exit")
    parser.add_argument("--select", type=_codes, metavar="CODES", help="rules to run: codes, prefixes or ALL")
    parser.add_argument("--extend-select", type=_codes, metavar="CODES", help="rules to add to the selection")
    parser.add_argument("--ignore", type=_codes, metavar="CODES", help="rules to skip: codes or prefixes")
    parser.add_argument("--preview", action="store_true", default=None, help="also run rules still in preview")
    parser.add_argument(
        "--fail-on",
        choices=["info", "warning", "error"],
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    parser.add_argument(
        "--tags",
        action="append",
        metavar="PATH",
        help="extra tag file (CSV or word list); repeatable; replaces $ANIMAGINE_PROMPT_TAGS and the config's tags",
    )
    parser.add_argument(
        "--presets",
        action="append",
        metavar="PATH",
        help="preset file or folder, read over the bundled, user and config presets; repeatable",
    )
    parser.add_argument("--lora-dir", metavar="DIR", help="folder of LoRA files; unknown <lora:name> is reported")
    parser.add_argument("--dialect", choices=list(DIALECTS), help="prompt syntax (default a1111)")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file to use instead of the closest one: animagine-prompt.toml form, any name, or pyproject.toml",
    )


def run(args: argparse.Namespace) -> int:
    """Lint the inputs; 0 when nothing reaches the fail level, 1 when something does."""
    from animagine_prompt.lint._engine import Linter
    from animagine_prompt.lint._settings import load_settings
    from animagine_prompt.lint.reporters import OutputFormat

    if args.explain:
        return _explain(args.explain)
    settings = load_settings(args.config).merged(
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        preview=args.preview,
        fail_on=args.fail_on,
        lora_dir=args.lora_dir,
        dialect=args.dialect,
    )
    fmt = OutputFormat(args.output_format)
    linter = Linter(settings, tag_paths=tuple(args.tags or ()), preset_paths=tuple(args.presets or ()))
    fixing = args.fix or args.unsafe_fixes or args.diff
    from animagine_prompt.lint._inputs import read_sources

    sources = read_sources(args.inputs, negative=args.negative)
    report, outputs, diffs = _process(linter, sources, fixing, unsafe=args.unsafe_fixes)
    if args.diff:
        sys.stdout.write("".join(diffs))
        return 1 if diffs else 0
    if fixing:
        _write_fixes(outputs, [item for item in args.inputs if item.strip() and os.path.isdir(item)])
    # Fixed prompt text goes to stdout for stdin and arguments; the report then goes to stderr.
    stream = sys.stderr if fixing and any(p is None for p, _ in outputs) else sys.stdout
    _emit(fmt, report, stream)
    worst = report.worst()
    return 1 if worst is not None and worst.rank >= settings.fail_on.rank else 0


def _write_fixes(outputs: list[tuple[str | None, str]], folders: list[str]) -> None:
    from animagine_prompt._files import check_writable, write_atomic

    files = [path for path, _ in outputs if path is not None]
    # every file is checked before the first is written: a refusal leaves all of them as they were
    for path in files:
        check_writable(path)
    if folders and files:
        where = ", ".join(folders)
        print(f"--fix: rewriting {len(files)} file{'s' if len(files) != 1 else ''} under {where}", file=sys.stderr)
    for path, text in outputs:
        if path is None:
            sys.stdout.write(text)
        else:
            write_atomic(path, text)


def _process(linter: Any, sources: list[Any], fixing: bool, unsafe: bool) -> tuple[Any, list, list[str]]:
    import difflib

    from animagine_prompt.lint._report import Entry, Report

    entries: list[Entry] = []
    outputs: list[tuple[str | None, str]] = []
    diffs: list[str] = []
    unwritable: list[str] = []
    prompts = fixed_count = 0
    for source in sources:
        fixed: dict[int, tuple[str, str | None]] = {}
        for record in source.records:
            prompts += 1
            if fixing:
                result = linter.fix(record.prompt, record.negative, unsafe=unsafe)
                findings = result.remaining
                if result.changed:
                    fixed[record.index] = (result.prompt, result.negative)
                    fixed_count += result.applied
                texts = {"prompt": result.prompt, "negative_prompt": result.negative}
            else:
                findings = linter.lint(record.prompt, record.negative)
                texts = {"prompt": record.prompt, "negative_prompt": record.negative}
            for finding in findings:
                # After a fix the offsets refer to the fixed text; lines and columns still hold,
                # since fixes never add or remove line breaks in a one-line prompt.
                at = record.prompt_at if finding.field == "prompt" else record.negative_at
                entries.append(Entry(finding, source.display_path, record.index, texts[finding.field] or "", at))
        if not fixing:
            continue
        before, after = _texts(source, fixed)
        label = source.display_path or "prompt"
        if before != after:
            lines_before, lines_after = before.splitlines(keepends=True), after.splitlines(keepends=True)
            diffs.extend(difflib.unified_diff(lines_before, lines_after, label, label))
        if source.kind in ("stdin", "argument"):
            # Echoed even when unchanged, so stdin piped through --fix comes back whole.
            outputs.append((None, after))
        elif fixed and source.writable:
            outputs.append((source.path, "\ufeff" + after if source.bom else after))
        elif fixed:
            unwritable.append(source.path or "")
    report = Report(tuple(entries), prompts=prompts, fixed=fixed_count, unwritable=tuple(unwritable))
    return report, outputs, diffs


def _texts(source: Any, fixed: dict[int, tuple[str, str | None]]) -> tuple[str, str]:
    if source.text is not None:
        return source.text, source.rewrite(fixed)

    # Arguments: one prompt per line, its negative on a "Negative prompt:" line, as in A1111.
    def show(prompt: str, negative: str | None) -> str:
        return prompt + "\n" + ("" if negative is None else f"Negative prompt: {negative}\n")

    before = "".join(show(r.prompt, r.negative) for r in source.records)
    after = "".join(show(*fixed.get(r.index, (r.prompt, r.negative))) for r in source.records)
    return before, after


def _emit(fmt: Any, report: Any, stream: Any) -> None:
    if not fmt.is_human_readable:
        text = fmt.render(report)
        if text:
            stream.write(text + "\n")
        return
    import importlib

    module = importlib.import_module(f"animagine_prompt.lint.reporters.{fmt.value}")
    colour = stream.isatty() or bool(os.environ.get("FORCE_COLOR"))
    if not colour or os.environ.get("NO_COLOR"):
        stream.write(module.render(report) + "\n")
        return
    from rich.console import Console
    from rich.text import Text
    from rich.theme import Theme

    console = Console(file=stream, theme=Theme(THEME), highlight=False, soft_wrap=True)
    text = Text()
    for piece, style in module.segments(report):
        text.append(piece, style=style or None)
    text.rstrip()
    console.print(text)


def _explain(code: str) -> int:
    from animagine_prompt.lint._docs import rule_page
    from animagine_prompt.lint.rules import load_rule

    try:
        rule = load_rule(code)
    except UsageError:
        raise
    sys.stdout.write(rule_page(rule))
    return 0
