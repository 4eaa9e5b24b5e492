"""The result of a lint run, as reporters see it: findings placed in their files and prompts."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._inputs import Location
from animagine_prompt.lint._rule import Finding
from animagine_prompt.lint._scalars import line_starts

__all__ = ["Entry", "Report"]


@dataclass(frozen=True)
class Entry:
    """One finding with its place: file (``None`` for an argument), prompt number, prompt text.

    >>> e = Entry(Finding("S101", "m", (7, 9)), None, 0, "1girl,\\n , solo")
    >>> e.start_position, e.end_position
    ((2, 1), (2, 3))
    """

    finding: Finding
    path: str | None
    prompt_index: int
    text: str
    location: Location | None = None

    def _position(self, offset: int) -> tuple[int, int]:
        if self.location is not None:
            return self.location.position(self.text, offset)
        starts = line_starts(self.text)
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    @property
    def start_position(self) -> tuple[int, int]:
        """1-based (line, column) of the finding's start, in the file when there is one."""
        return self._position(self.finding.span[0])

    @property
    def end_position(self) -> tuple[int, int]:
        """1-based (line, column) just past the finding's end."""
        return self._position(self.finding.span[1])

    @property
    def where(self) -> str:
        """``path:line:col`` (``prompt N`` stands in for the path of an argument).

        >>> Entry(Finding("S101", "m", (3, 4)), None, 1, "a, , b").where
        'prompt 2:1:4'
        """
        line, column = self.start_position
        place = self.path if self.path is not None else f"prompt {self.prompt_index + 1}"
        return f"{place}:{line}:{column}"


@dataclass(frozen=True)
class Report:
    """Every finding of a run, plus how many prompts were linted and how many fixes applied.

    >>> r = Report((Entry(Finding("S101", "m", (0, 1)), None, 0, "x"),), prompts=1)
    >>> r.counts()[Severity.WARNING], r.worst() is Severity.WARNING
    (1, True)
    """

    entries: tuple[Entry, ...]
    prompts: int = 0
    fixed: int = 0
    #: Paths not rewritten although fixes applied (PNG files).
    unwritable: tuple[str, ...] = ()

    def counts(self) -> Counter[Severity]:
        """Number of findings per severity."""
        return Counter(e.finding.severity for e in self.entries)

    def worst(self) -> Severity | None:
        """The highest severity found, or ``None`` for a clean run."""
        return max((e.finding.severity for e in self.entries), key=lambda s: s.rank, default=None)

    def fixable(self) -> tuple[int, int]:
        """How many findings ``--fix`` would fix, and how many more ``--unsafe-fixes`` would."""
        safe = sum(1 for e in self.entries if e.finding.fix and e.finding.fix.is_applicable(False))
        unsafe = sum(1 for e in self.entries if e.finding.fix and e.finding.fix.is_applicable(True))
        return safe, unsafe - safe
