"""Findings about a prompt: the value type shared by the parser, the token planner and the linter.

A diagnostic is data, never an exception: parsing always succeeds and records what it
recovered from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Diagnostic", "Severity", "Span"]

#: Half-open character range ``(start, end)`` into the prompt text.
Span = tuple[int, int]


class Severity(str, Enum):
    """How serious a finding is; ordered ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Position in the order info < warning < error.

        >>> Severity.WARNING.rank > Severity.INFO.rank
        True
        """
        return ("info", "warning", "error").index(self.value)


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a rule code, a message that says what to change, and where.

    >>> d = Diagnostic("S001", "unclosed '(': add ')'", (4, 5))
    >>> d.code, d.span, d.severity.value
    ('S001', (4, 5), 'warning')
    """

    code: str
    message: str
    span: Span
    severity: Severity = Severity.WARNING

    def context(self, text: str) -> str:
        """The line of ``text`` holding the span, with a caret line under it.

        >>> print(Diagnostic("S001", "m", (2, 3)).context("a (b"))
        a (b
          ^
        """
        start, end = self.span
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end < 0:
            line_end = len(text)
        line = text[line_start:line_end]
        width = max(1, min(end, line_end) - start)
        return f"{line}\n{' ' * (start - line_start)}{'^' * width}"
