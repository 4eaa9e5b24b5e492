"""Every rule against its cases in ``cases/<CODE>.yml``: pass, fail and fix entries (one runner)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from animagine_prompt.lint import Linter, LintSettings
from animagine_prompt.lint.rules import CODES, load_rule

CASES = Path(__file__).parent / "cases"


def _cases() -> list:
    params = []
    for path in sorted(CASES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            params.append(pytest.param(data["rule"], case, id=f"{path.stem}-{i}"))
    return params


def _linter(code: str, case: dict, tmp_path: Path) -> Linter:
    lora_dir = None
    if "loras" in case:
        for name in case["loras"]:
            target = tmp_path / f"{name}.safetensors"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"")
        lora_dir = str(tmp_path)
    settings = LintSettings(select=(code,), rules={code: case.get("config", {})}, lora_dir=lora_dir)
    return Linter(settings)


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict, tmp_path: Path) -> None:
    linter = _linter(code, case, tmp_path)
    text = case.get("fail", case.get("pass"))
    negative = case.get("negative")
    found = [f for f in linter.lint(text, negative) if f.code == code]
    if "pass" in case:
        assert found == [], [f.message for f in found]
        return
    assert found, f"{code} should report {text!r}"
    field = case.get("field", "prompt")
    assert all(f.field == field for f in found)
    assert all(f.name == load_rule(code).name and f.message for f in found)
    if "count" in case:
        assert len(found) == case["count"]
    if "span" in case:
        assert found[0].span == tuple(case["span"])
    if "severity" in case:
        assert [f.severity.value for f in found] == [case["severity"]] * len(found)
    if "message" in case:
        # the message quotes the prompt exactly as it is typed
        assert case["message"] in found[0].message, found[0].message
    if case.get("no_fix"):
        assert [f.fix for f in found] == [None] * len(found)
    if "fix" in case:
        unsafe = bool(case.get("unsafe"))
        if unsafe:
            # An unsafe fix must not be applied by a plain --fix.
            safe_only = linter.fix(text, negative)
            assert (safe_only.prompt, safe_only.negative) == (text, negative)
        result = linter.fix(text, negative, unsafe=unsafe)
        fixed = result.prompt if field == "prompt" else result.negative
        assert fixed == case["fix"]
        # Idempotent: fixing the fixed text changes nothing.
        again = linter.fix(result.prompt, result.negative, unsafe=unsafe)
        assert (again.prompt, again.negative, again.applied) == (result.prompt, result.negative, 0)


def test_every_rule_has_cases_with_pass_and_fail() -> None:
    for code in CODES:
        path = CASES / f"{code}.yml"
        assert path.is_file(), f"missing {path.name}"
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any("pass" in c for c in cases) and any("fail" in c for c in cases), code


def test_rules_declare_matching_code_and_fix_cases() -> None:
    for code in CODES:
        rule = load_rule(code)
        assert rule.code == code and rule.name and rule.summary() and "## What it does" in rule.explanation()
        cases = yaml.safe_load((CASES / f"{code}.yml").read_text(encoding="utf-8"))["cases"]
        has_fix_case = any("fix" in c for c in cases)
        assert has_fix_case == (rule.fix_availability.value != "none"), code
