"""``--format sarif``: a SARIF 2.1.0 log, for code-scanning dashboards."""

from __future__ import annotations

import json
from typing import Any

from animagine_prompt.lint._report import Entry, Report

__all__ = ["render", "sarif_log"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptor(code: str) -> dict[str, Any]:
    from animagine_prompt.lint.rules import load_rule

    rule = load_rule(code)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": rule.explanation()},
        "help": {"text": rule.explanation(), "markdown": rule.explanation()},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
        "properties": {"fix_availability": rule.fix_availability.value, "status": rule.status},
    }


def _region(entry: Entry, start: int, end: int) -> dict[str, int]:
    line, column = entry._position(start)
    end_line, end_column = entry._position(end)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _result(entry: Entry, rule_index: int) -> dict[str, Any]:
    finding = entry.finding
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity.value],
        "message": {"text": finding.message},
        "properties": {"prompt_index": entry.prompt_index, "field": finding.field},
    }
    if entry.path is None or entry.path == "-":
        return result
    artifact = {"uri": entry.path.replace("\\", "/")}
    result["locations"] = [
        {"physicalLocation": {"artifactLocation": artifact, "region": _region(entry, *finding.span)}}
    ]
    verbatim = entry.location is None or entry.location.verbatim
    if finding.fix is not None and verbatim:
        # A fix maps to file regions only where the prompt sits verbatim in the file.
        result["fixes"] = [
            {
                "description": {"text": f"{finding.fix.title} ({finding.fix.applicability.value})"},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": _region(entry, e.start, e.end),
                                "insertedContent": {"text": e.content},
                            }
                            for e in finding.fix.edits
                        ],
                    }
                ],
            }
        ]
    return result


def _version() -> str | None:
    # From the installed distribution: importing the top-level package from here would make
    # the lint layer depend on the root, which names every layer above it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("animagine-prompt")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return None


def sarif_log(report: Report) -> dict[str, Any]:
    """The report as a SARIF log object.

    >>> log = sarif_log(Report(()))
    >>> log["version"], log["runs"][0]["tool"]["driver"]["name"], log["runs"][0]["results"]
    ('2.1.0', 'animagine-prompt', [])
    """
    codes = sorted({e.finding.code for e in report.entries})
    index = {code: i for i, code in enumerate(codes)}
    driver: dict[str, Any] = {"name": "animagine-prompt"}
    version = _version()
    if version is not None:
        driver["version"] = version
    driver["informationUri"] = "https://pypi.org/project/animagine-prompt/"
    driver["rules"] = [_rule_descriptor(code) for code in codes]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": [_result(e, index[e.finding.code]) for e in report.entries],
            }
        ],
    }


def render(report: Report) -> str:
    """The SARIF log as indented JSON.

    >>> json.loads(render(Report(())))["version"]
    '2.1.0'
    """
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False)
