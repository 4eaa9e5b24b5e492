"""``--format full`` (the default): each finding with its source line, a caret under the span and the fix.

The reporter yields ``(text, style)`` pieces; style names (``lint.code``, ``lint.error``, ...) are
resolved to colours by the terminal theme in the command line, so this module needs no rich.
"""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._report import Entry, Report

__all__ = ["Segment", "render", "segments", "summary_segments"]

#: A piece of output text and the name of its style ("" for none).
Segment = tuple[str, str]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def entry_segments(entry: Entry) -> Iterator[Segment]:
    """One finding: header, source line, carets, fix."""
    finding = entry.finding
    start, end = finding.span
    text = entry.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line, _ = entry.start_position
    field = " (negative prompt)" if finding.field == "negative_prompt" else ""
    yield f"{entry.where}{field}: ", "lint.path"
    yield finding.code, "lint.code"
    yield f" {finding.severity.value}", f"lint.{finding.severity.value}"
    yield f": {finding.message}", "lint.message"
    yield (f" [{finding.name}]" if finding.name else "") + "\n", "lint.dim"
    gutter = " " * len(str(line))
    yield f" {line} | ", "lint.gutter"
    yield f"{text[line_start:line_end]}\n", ""
    yield f" {gutter} | ", "lint.gutter"
    width = max(1, min(end, line_end) - start)
    yield " " * (start - line_start) + "^" * width + "\n", f"lint.{finding.severity.value}"
    if finding.fix is not None:
        fixed = finding.fix.apply(text)
        delta = len(fixed) - len(text)
        fixed_end = fixed.find("\n", finding.fix.span[1] + max(delta, 0))
        after = fixed[fixed.rfind("\n", 0, min(line_start, len(fixed))) + 1 : None if fixed_end < 0 else fixed_end]
        yield f" {gutter} = ", "lint.gutter"
        yield f"{finding.fix.applicability.value} fix: {finding.fix.title}", "lint.fix"
        yield f": {after}\n" if after.strip() else " (leaves the prompt empty)\n", ""
    yield "\n", ""


def summary_segments(report: Report) -> Iterator[Segment]:
    """The closing summary: counts per severity, fixable findings, fixes applied."""
    counts = report.counts()
    if report.fixed:
        yield f"Fixed {_plural(report.fixed, 'problem')}.\n", "lint.fix"
    for path in report.unwritable:
        yield (
            f"{path}: fixes not written back (a PNG is read-only here; fix the prompt where it came from)\n",
            "",
        )
    total = sum(counts.values())
    if not total:
        yield f"All checks passed ({_plural(report.prompts, 'prompt')}).\n", "lint.ok"
        return
    parts = [_plural(counts[s], s.value) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    parts = [p.replace("infos", "info") for p in parts]
    yield (
        f"Found {_plural(total, 'problem')} ({', '.join(parts)}) in {_plural(report.prompts, 'prompt')}.\n",
        "lint.summary",
    )
    safe, unsafe = report.fixable()
    more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
    yield f"[*] {safe} fixable with --fix{more}.\n", "lint.dim"


def segments(report: Report) -> Iterator[Segment]:
    """The whole report as ``(text, style)`` pieces.

    >>> from animagine_prompt.lint._fix import Edit, Fix
    >>> from animagine_prompt.lint._rule import Finding
    >>> fix = Fix("remove the empty item", (Edit(5, 7),))
    >>> finding = Finding("S101", "empty item", (5, 7), name="empty-item", fix=fix)
    >>> e = Entry(finding, "p.txt", 0, "1girl, , solo")
    >>> print(render(Report((e,), prompts=1)))
    p.txt:1:6: S101 warning: empty item [empty-item]
     1 | 1girl, , solo
       |      ^^
       = safe fix: remove the empty item: 1girl, solo
    <BLANKLINE>
    Found 1 problem (1 warning) in 1 prompt.
    [*] 1 fixable with --fix.
    """
    for entry in report.entries:
        yield from entry_segments(entry)
    yield from summary_segments(report)


def render(report: Report) -> str:
    """The report as plain text (no colour)."""
    return "".join(text for text, _ in segments(report)).rstrip("\n")
