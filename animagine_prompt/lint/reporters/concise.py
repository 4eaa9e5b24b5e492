"""``--format concise``: one line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._report import Report
from animagine_prompt.lint.reporters.full import Segment, summary_segments

__all__ = ["render", "segments"]


def segments(report: Report) -> Iterator[Segment]:
    """The report as ``(text, style)`` pieces; the style names are resolved by the terminal theme.

    >>> from animagine_prompt.lint._report import Entry
    >>> from animagine_prompt.lint._rule import Finding
    >>> r = Report((Entry(Finding("S101", "remove it", (3, 4)), "p.txt", 0, "a, , b"),), prompts=1)
    >>> print(render(r))
    p.txt:1:4: S101 [warning] remove it
    Found 1 problem (1 warning) in 1 prompt.
    [*] 0 fixable with --fix.
    """
    for entry in report.entries:
        finding = entry.finding
        marker = " [*]" if finding.fix and finding.fix.is_applicable(False) else ""
        yield f"{entry.where}: ", "lint.path"
        yield finding.code, "lint.code"
        yield f"{marker} [{finding.severity.value}]", f"lint.{finding.severity.value}"
        yield f" {finding.message}\n", ""
    yield from summary_segments(report)


def render(report: Report) -> str:
    """The report as plain text."""
    return "".join(text for text, _ in segments(report)).rstrip("\n")
