"""``--format json``: a list of findings with stable keys, for editors and scripts.

Keys: ``code``, ``name``, ``severity``, ``message``, ``path`` (``null`` for an argument, ``-`` for
stdin), ``prompt_index``, ``field`` (``prompt`` or ``negative_prompt``), ``start``/``end`` (offsets
in the prompt), ``line``/``column``/``end_line``/``end_column`` (1-based, in the file when there is
one), and ``fix`` (``null`` or ``title``, ``applicability``, ``safe``, ``replacement`` for
``fix_start``..``fix_end``, and the individual ``edits``).
"""

from __future__ import annotations

import json
from typing import Any

from animagine_prompt.lint._fix import Applicability
from animagine_prompt.lint._report import Entry, Report

__all__ = ["entry_dict", "render"]


def entry_dict(entry: Entry) -> dict[str, Any]:
    """One finding as a JSON-ready dict.

    >>> from animagine_prompt.lint._rule import Finding
    >>> finding = Finding("S101", "remove it", (5, 7), name="empty-item")
    >>> d = entry_dict(Entry(finding, "p.txt", 0, "1girl, , solo"))
    >>> d["code"], d["severity"], d["start"], d["line"], d["column"], d["fix"]
    ('S101', 'warning', 5, 1, 6, None)
    """
    finding = entry.finding
    line, column = entry.start_position
    end_line, end_column = entry.end_position
    fix = None
    if finding.fix is not None:
        start, end = finding.fix.span
        fix = {
            "title": finding.fix.title,
            "applicability": finding.fix.applicability.value,
            "safe": finding.fix.applicability is Applicability.SAFE,
            "fix_start": start,
            "fix_end": end,
            "replacement": finding.fix.replacement(entry.text),
            "edits": [{"start": e.start, "end": e.end, "content": e.content} for e in finding.fix.edits],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": entry.path,
        "prompt_index": entry.prompt_index,
        "field": finding.field,
        "start": finding.span[0],
        "end": finding.span[1],
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "fix": fix,
    }


def render(report: Report) -> str:
    """The report as a JSON array, one object per finding.

    >>> render(Report(()))
    '[]'
    """
    if not report.entries:
        return "[]"
    return json.dumps([entry_dict(e) for e in report.entries], indent=2, ensure_ascii=False)
