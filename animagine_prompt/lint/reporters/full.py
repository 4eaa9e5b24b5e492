"""``--format full`` (the default): each finding with its source line, a caret under the span and the fix.

The reporter yields ``(text, style)`` pieces; style names (``lint.code``, ``lint.error``, ...) are
resolved to colours by the terminal theme in the command line, so this module needs no rich.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._report import Entry, Report
from animagine_prompt.lint._scalars import line_bounds

__all__ = ["Segment", "render", "segments", "summary_segments"]

#: A piece of output text and the name of its style ("" for none).
Segment = tuple[str, str]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


#: Lines longer than this are shown as a window around the finding, not whole: a 40 KB prompt
#: line with a thousand findings would otherwise be printed a thousand times.
MAX_SHOWN = 120
#: Characters of context kept on each side of the finding in such a window.
CONTEXT = 40
_MORE = "…"


def _window(line_start: int, line_end: int, start: int, end: int) -> tuple[int, int]:
    """The part of the line ``[line_start, line_end)`` shown for a finding at ``[start, end)``."""
    if line_end - line_start <= MAX_SHOWN:
        return line_start, line_end
    end = min(max(end, start), start + MAX_SHOWN - 2 * CONTEXT)  # a long span is shown cut
    return max(line_start, start - CONTEXT), min(line_end, end + CONTEXT)


def _fixed(text: str, fix: Any, shown: tuple[int, int]) -> str:
    """The shown part of the text with the fix made (only that part is rebuilt)."""
    fix_start, fix_end = fix.span
    first, last = min(shown[0], fix_start), max(shown[1], fix_end)
    piece = text[fix_start:fix_end]
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        piece = piece[: edit.start - fix_start] + edit.content + piece[edit.end - fix_start :]
    return text[first:fix_start] + piece + text[fix_end:last]


def entry_segments(entry: Entry) -> Iterator[Segment]:
    """One finding: header, source line (a window of a long one), carets, fix."""
    finding = entry.finding
    start, end = finding.span
    text = entry.text
    line_start, line_end = line_bounds(text, start)
    shown_start, shown_end = _window(line_start, line_end, start, end)
    before = _MORE if shown_start > line_start else ""
    after = _MORE if shown_end < line_end else ""
    line, _ = entry.start_position
    field = " (negative prompt)" if finding.field == "negative_prompt" else ""
    yield f"{entry.where}{field}: ", "lint.path"
    yield finding.code, "lint.code"
    yield f" {finding.severity.value}", f"lint.{finding.severity.value}"
    yield f": {finding.message}", "lint.message"
    yield (f" [{finding.name}]" if finding.name else "") + "\n", "lint.dim"
    gutter = " " * len(str(line))
    yield f" {line} | ", "lint.gutter"
    yield f"{before}{text[shown_start:shown_end]}{after}\n", ""
    yield f" {gutter} | ", "lint.gutter"
    width = max(1, min(end, shown_end) - start)
    yield " " * (len(before) + start - shown_start) + "^" * width + "\n", f"lint.{finding.severity.value}"
    if finding.fix is not None:
        fixed = _fixed(text, finding.fix, (shown_start, shown_end)).split("\n")[0]
        if before or after:
            fixed = f"{before}{fixed}{after}"
        yield f" {gutter} = ", "lint.gutter"
        yield f"{finding.fix.applicability.value} fix: {finding.fix.title}", "lint.fix"
        yield f": {fixed}\n" if fixed.strip(" " + _MORE) else " (leaves the prompt empty)\n", ""
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
