"""Output formats: JSON keys stable, SARIF structure valid, GitHub annotation lines exact."""

from __future__ import annotations

import json

from animagine_prompt.lint import Linter, LintSettings, OutputFormat
from animagine_prompt.lint._inputs import Source
from animagine_prompt.lint._report import Entry, Report

TEXT = "1girl, , green_hair, smile,\nNegative prompt: lowres, (blurry:3)\n"
JSON_KEYS = {
    "code",
    "name",
    "severity",
    "message",
    "path",
    "prompt_index",
    "field",
    "start",
    "end",
    "line",
    "column",
    "end_line",
    "end_column",
    "fix",
}


def _report() -> Report:
    source = Source.parse_txt(TEXT, path="prompts/p.txt")
    linter = Linter(LintSettings(select=("S101", "S102", "S007", "T002")))
    entries = []
    for record in source.records:
        for f in linter.lint(record.prompt, record.negative):
            at = record.prompt_at if f.field == "prompt" else record.negative_at
            text = record.prompt if f.field == "prompt" else record.negative
            entries.append(Entry(f, source.path, record.index, text, at))
    return Report(tuple(entries), prompts=1)


def test_json_keys_and_values() -> None:
    data = json.loads(OutputFormat.JSON.render(_report()))
    assert [d["code"] for d in data] == ["S101", "T002", "S102", "S007"]
    assert all(set(d) == JSON_KEYS for d in data)
    first = data[0]
    assert (first["path"], first["prompt_index"], first["field"], first["start"], first["end"]) == (
        "prompts/p.txt",
        0,
        "prompt",
        5,
        8,
    )
    assert (first["line"], first["column"]) == (1, 6)
    assert first["fix"] == {
        "title": "remove the empty item",
        "applicability": "safe",
        "safe": True,
        "fix_start": 5,
        "fix_end": 7,
        "replacement": "",
        "edits": [{"start": 5, "end": 7, "content": ""}],
    }
    negative = data[3]
    assert (negative["field"], negative["line"], negative["column"], negative["fix"]) == (
        "negative_prompt",
        2,
        33,
        None,
    )


def test_github_annotation_lines_exact() -> None:
    lines = OutputFormat.GITHUB.render(_report()).splitlines()
    assert lines[0] == (
        "::warning file=prompts/p.txt,line=1,col=6,endLine=1,endColumn=9,title=S101 empty-item"
        "::S101 empty item between separators: remove the extra comma"
    )
    assert lines[2].startswith("::notice file=prompts/p.txt,line=1,col=27,")
    assert lines[3].startswith("::warning file=prompts/p.txt,line=2,col=33,endLine=2,endColumn=36,title=S007 ")


def test_github_escapes_and_pathless_entries() -> None:
    from animagine_prompt.lint._rule import Finding

    entry = Entry(Finding("S101", "50% off,\nnow", (0, 1), name="empty-item"), None, 0, "x")
    assert OutputFormat.GITHUB.render(Report((entry,))) == "::warning title=S101 empty-item::S101 50%25 off,%0Anow"


def test_sarif_structure() -> None:
    log = json.loads(OutputFormat.SARIF.render(_report()))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["S007", "S101", "S102", "T002"]
    for rule in rules:
        assert {"id", "name", "shortDescription", "fullDescription", "defaultConfiguration"} <= set(rule)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "prompts/p.txt"
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    fixed = [r for r in run["results"] if "fixes" in r]
    change = fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert change == {
        "deletedRegion": {"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 8},
        "insertedContent": {"text": ""},
    }


def test_full_and_concise_text() -> None:
    full = OutputFormat.FULL.render(_report())
    assert full.splitlines()[:4] == [
        "prompts/p.txt:1:6: S101 warning: empty item between separators: remove the extra comma [empty-item]",
        " 1 | 1girl, , green_hair, smile,",
        "   |      ^^^",
        "   = safe fix: remove the empty item: 1girl, green_hair, smile,",
    ]
    assert "prompts/p.txt:2:33 (negative prompt): S007 warning" in full
    assert full.endswith("Found 4 problems (3 warnings, 1 info) in 1 prompt.\n[*] 3 fixable with --fix.")
    concise = OutputFormat.CONCISE.render(_report()).splitlines()
    assert concise[0] == "prompts/p.txt:1:6: S101 [*] [warning] empty item between separators: remove the extra comma"


def test_empty_reports() -> None:
    empty = Report((), prompts=3)
    assert OutputFormat.JSON.render(empty) == "[]"
    assert OutputFormat.GITHUB.render(empty) == ""
    assert OutputFormat.FULL.render(empty) == "All checks passed (3 prompts)."
    assert json.loads(OutputFormat.SARIF.render(empty))["runs"][0]["results"] == []
