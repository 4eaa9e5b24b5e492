"""Lint findings as the analysis reports them: numbered, with their field and their fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from animagine_prompt.analysis._json import Offsets
from animagine_prompt.diagnostics import Span

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint import Finding, Fix

__all__ = ["FindingView", "finding_views"]


@dataclass(frozen=True)
class FindingView:
    """A lint finding, numbered across the prompt and its negative, with the fix it offers.

    ``severity`` is ``error``, ``warning`` or ``info``; ``field`` is ``prompt`` or
    ``negative_prompt``; ``fix`` is the lint fix (edits on this field's text and how safe they are).

    >>> FindingView(1, "T003", "warning", "unknown tag", (0, 4), "prompt").to_dict()["fix"] is None
    True
    """

    number: int
    code: str
    severity: str
    message: str
    span: Span
    field: str
    name: str = ""
    fix: Fix | None = None

    def to_dict(self, offsets: Offsets | None = None) -> dict[str, Any]:
        """The JSON form: the lint JSON report's keys for the finding and its fix's edits.

        >>> from animagine_prompt.lint import lint
        >>> (view,) = finding_views(lint("1girl,, smile"))
        >>> view.to_dict()["fix"]  # doctest: +NORMALIZE_WHITESPACE
        {'title': 'remove the empty item', 'applicability': 'safe', 'safe': True,
         'edits': [{'start': 5, 'end': 6, 'content': ''}]}
        """
        at = offsets or Offsets("")
        start, end = at.span(self.span)
        fix = None
        if self.fix is not None:
            edits = []
            for edit in self.fix.edits:
                edit_start, edit_end = at.span((edit.start, edit.end))
                edits.append({"start": edit_start, "end": edit_end, "content": edit.content})
            applicability = self.fix.applicability.value
            fix = {
                "title": self.fix.title,
                "applicability": applicability,
                "safe": applicability == "safe",
                "edits": edits,
            }
        return {
            "number": self.number,
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "field": self.field,
            "start": start,
            "end": end,
            "fix": fix,
        }


def finding_views(findings: Iterable[Finding], first: int = 1) -> tuple[FindingView, ...]:
    """The findings numbered from ``first`` in the order given (the linter's: prompt, then negative).

    >>> from animagine_prompt.lint import lint
    >>> [(v.number, v.code, v.field) for v in finding_views(lint("a,, b", "c,, d"))]
    [(1, 'S101', 'prompt'), (2, 'S101', 'negative_prompt')]
    """
    return tuple(
        FindingView(number, f.code, f.severity.value, f.message, f.span, f.field, f.name, f.fix)
        for number, f in enumerate(findings, first)
    )
