"""``--format github``: GitHub Actions workflow commands, one annotation line per finding."""

from __future__ import annotations

from animagine_prompt.lint._report import Entry, Report

__all__ = ["annotation", "render"]

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(entry: Entry) -> str:
    """The workflow command for one finding.

    >>> from animagine_prompt.lint._rule import Finding
    >>> finding = Finding("S101", "remove it", (5, 7), name="empty-item")
    >>> print(annotation(Entry(finding, "p.txt", 0, "a, b, , c")))
    ::warning file=p.txt,line=1,col=6,endLine=1,endColumn=8,title=S101 empty-item::S101 remove it
    """
    finding = entry.finding
    line, column = entry.start_position
    end_line, end_column = entry.end_position
    props = [f"line={line}", f"col={column}", f"endLine={end_line}", f"endColumn={end_column}"]
    if entry.path is not None and entry.path != "-":
        props.insert(0, f"file={_prop(entry.path)}")
    else:
        props = []
    props.append(f"title={_prop(f'{finding.code} {finding.name}'.strip())}")
    message = f"{finding.code} {finding.message}"
    return f"::{_LEVEL[finding.severity.value]} {','.join(props)}::{_data(message)}"


def render(report: Report) -> str:
    """One annotation line per finding.

    >>> render(Report(()))
    ''
    """
    return "\n".join(annotation(e) for e in report.entries)
