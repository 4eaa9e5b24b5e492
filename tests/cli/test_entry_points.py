"""Every way text reaches the command line ends in output or one clear error line, never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.cli import TRACEBACK_VARIABLE, main

NOT_UTF8 = "1girl, \udcff"  # how Python hands over the argument bytes b"1girl, \xff"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(TRACEBACK_VARIABLE, raising=False)


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


@pytest.mark.parametrize("command", ["lint", "parse", "tokens", "convert", "build", "preview"])
def test_argument_that_is_not_utf8_is_one_error(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, NOT_UTF8]) == 2
    assert "not UTF-8 text (byte 0xff at character 8)" in _one_error_line(capsys)


def test_lone_surrogate_argument_is_one_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "1girl, \ud800"]) == 2
    assert "lone surrogate U+D800" in _one_error_line(capsys)


def test_a_file_name_that_is_not_utf8_is_still_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"p\xff.txt")
    try:
        Path(name).write_text("1girl, smile\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system wants UTF-8 file names")
    assert main(["lint", name]) == 0


@pytest.mark.parametrize("command", ["lint", "parse"])
def test_stdin_that_is_not_utf8_is_one_error(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"1girl, \xff smile"), encoding="utf-8", errors="surrogateescape")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main([command, "-"]) == 2
    assert "-: not UTF-8 text (byte 0xff at offset 7)" in _one_error_line(capsys)


def test_stdin_keeps_its_text_and_drops_a_bom(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO("\ufeff(gr\u00fcn:1.2)".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["convert", "--to", "novelai", "-"]) == 0
    assert capsys.readouterr().out.strip().startswith("{")


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_argument_is_an_empty_prompt_not_the_current_folder(
    blank: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a file in the current folder with findings: linting the folder would report it
    (tmp_path / "bad.txt").write_text("1girl, (oops\n", encoding="utf-8")
    assert main(["lint", blank]) == 0
    out = capsys.readouterr().out
    assert "bad.txt" not in out and "1 prompt" in out


def test_a_named_folder_is_still_linted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.txt").write_text("1girl, (oops\n", encoding="utf-8")
    assert main(["lint", "--fail-on", "warning", "."]) == 1
    assert "bad.txt" in capsys.readouterr().out


def test_unexpected_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import animagine_prompt.cli.convert as command

    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(command, "run", broken)
    assert main(["convert", "a"]) == 2
    err = _one_error_line(capsys)
    assert "internal error in 'convert' (ZeroDivisionError: division by zero)" in err
    assert "report" in err and TRACEBACK_VARIABLE in err


def test_unexpected_error_shows_the_traceback_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    import animagine_prompt.cli.convert as command

    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(command, "run", broken)
    monkeypatch.setenv(TRACEBACK_VARIABLE, "1")
    with pytest.raises(ZeroDivisionError):
        main(["convert", "a"])


def test_system_errors_are_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import animagine_prompt.cli.convert as command

    def full(args: object) -> int:
        raise OSError(28, "No space left on device", "out.txt")

    monkeypatch.setattr(command, "run", full)
    assert main(["convert", "a"]) == 2
    assert _one_error_line(capsys) == "error: No space left on device: out.txt\n"


def test_the_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "animagine_prompt", "lint", os.fsdecode(b"1girl, \xff")],
        capture_output=True,
        env={**os.environ, "PYTHONUTF8": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        cwd=tmp_path,
    )
    assert out.returncode == 2
    assert b"Traceback" not in out.stderr and out.stderr.startswith(b"error: ")


def test_plan_reads_a_lone_surrogate_as_one_unknown_character() -> None:
    from animagine_prompt import plan

    assert plan("1girl, \ud800 smile").token_count == plan("1girl, \ufffd smile").token_count
    assert plan("\ud800").token_count == plan("\ufffd").token_count
