"""``# noqa`` comments silence findings on their own line, for every code or the codes they name."""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_prompt.cli import main
from animagine_prompt.lint import Linter

TWO_PROBLEMS = "1girl, gren hair, , solo"  # T003 at "gren hair", S101 at ", ,"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_without_a_directive_both_are_reported(linter: Linter) -> None:
    assert codes(linter.lint(TWO_PROBLEMS)) == ["T003", "S101"]
    assert codes(linter.lint(TWO_PROBLEMS + " # a plain comment")) == ["T003", "S101"]


@pytest.mark.parametrize("directive", ["# noqa", "#noqa", "# NOQA", "# noqa: because I said so", "# noqa:"])
def test_a_blanket_noqa_silences_the_line(linter: Linter, directive: str) -> None:
    assert linter.lint(f"{TWO_PROBLEMS} {directive}") == ()


@pytest.mark.parametrize("directive", ["# noqa: S101", "# noqa:s101", "# noqa: S101, K002", "# noqa: K002 S101"])
def test_named_codes_silence_only_those(linter: Linter, directive: str) -> None:
    assert codes(linter.lint(f"{TWO_PROBLEMS} {directive}")) == ["T003"]


def test_a_prefix_is_not_a_code(linter: Linter) -> None:
    assert codes(linter.lint(f"{TWO_PROBLEMS} # noqa: S1")) == ["T003", "S101"]


def test_only_the_directives_line_is_silenced(linter: Linter) -> None:
    text = "gren hair,, # noqa\ngren hair,, solo"
    findings = linter.lint(text)
    assert {"T003", "S101"} <= set(codes(findings))
    assert all(f.span[0] > text.index("\n") for f in findings)


def test_the_negative_prompt_has_its_own_directives(linter: Linter) -> None:
    findings = linter.lint("1girl,, solo", negative="lowres,, blurry # noqa: S101")
    assert [(f.code, f.field) for f in findings] == [("S101", "prompt")]


def test_fix_leaves_silenced_findings_alone(linter: Linter) -> None:
    result = linter.fix("a,, b # noqa: S101\nc,, d")
    assert result.prompt == "a,, b # noqa: S101\nc, d"
    assert result.remaining == ()


def test_a_prompt_file_keeps_its_silenced_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("1girl,, solo  # noqa: S101\n1girl,, solo\n", encoding="utf-8")
    assert main(["lint", str(prompts), "--fail-on", "warning"]) == 1
    assert "prompts.txt:2:" in capsys.readouterr().out
    assert main(["lint", str(prompts), "--fix"]) == 0
    assert prompts.read_text(encoding="utf-8") == "1girl,, solo  # noqa: S101\n1girl, solo\n"
    assert main(["lint", str(prompts), "--fail-on", "warning"]) == 0
