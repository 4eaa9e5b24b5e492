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


def _bomb() -> str:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        name, previous = chr(ord("a") + i), chr(ord("a") + i - 1)
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(rows) + "\n"


HOSTILE_DATA = {
    "complex-key.yaml": ("? [a, b]\n: x\n", "keys must be plain values"),
    "self-anchor.yaml": ("- &a [*a]\n", "inside its own anchor"),
    "alias-bomb.yaml": (_bomb(), "aliases expand the data"),
    "long-int.yaml": ("- prompt: x\n  steps: " + "9" * 5000 + "\n", "at most 4300 digits"),
    "deep.yaml": ("[" * 100_000 + "\n", "nested more than"),
    "deep.json": ("[" * 100_000 + "\n", "nested more than"),
    "deep.jsonl": ("[" * 100_000 + "\n", "nested more than"),
    "bytes.txt": (b"1girl, \xff smile\n", "not UTF-8"),
    "bytes.yaml": (b"- 1girl, \xff smile\n", "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_DATA))
@pytest.mark.parametrize("command", ["lint", "batch"])
def test_hostile_data_files_are_one_error(
    name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, message = HOSTILE_DATA[name]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if command == "batch" and name.endswith(".json"):
        pytest.skip("batch files are .txt, .yaml or .jsonl")
    args = ["lint", str(path)] if command == "lint" else ["generate", "--batch", str(path), "--dry-run"]
    assert main(args) == 2
    assert message in _one_error_line(capsys)


def test_a_config_nested_50000_deep_is_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    assert main(["lint", "--config", str(path), "1girl"]) == 2
    assert "nested more than" in _one_error_line(capsys)


def _png(*chunks: tuple[bytes, bytes]) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(chunk(k, b) for k, b in chunks) + chunk(b"IEND", b"")


def _zbomb(n: int) -> bytes:
    import zlib

    one = (b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * (1 << 20), 9))
    return _png(*[one] * n)


HOSTILE_PNGS = {
    "many-ztxt.png": (_zbomb(20), "refusing it"),
    "truncated.png": (b"\x89PNG\r\n\x1a\n", "truncated PNG"),
    "empty.png": (b"", "not a PNG file"),
    "steps.png": (
        _png((b"tEXt", b"parameters\x001girl\nSteps: 1000000000000, Sampler: Euler a, Size: 64x64")),
        "Steps: expected a whole number from 1 to 1000",
    ),
    "size.png": (
        _png((b"tEXt", b"parameters\x001girl\nSteps: 20, Sampler: Euler a, Size: -64x0")),
        "each side must be a whole number of pixels",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PNGS))
@pytest.mark.parametrize("command", ["lint", "inspect", "generate"])
def test_hostile_pngs_are_one_error(
    name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, message = HOSTILE_PNGS[name]
    path = tmp_path / name
    path.write_bytes(content)
    args = {"lint": ["lint"], "inspect": ["inspect"], "generate": ["generate", "--dry-run", "--from-image"]}[command]
    assert main([*args, str(path)]) == 2
    assert message in _one_error_line(capsys)


def test_a_folder_named_like_a_png_is_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.png").mkdir()
    assert main(["generate", "--dry-run", "--from-image", str(tmp_path / "a.png")]) == 2
    _one_error_line(capsys)
    assert main(["inspect", str(tmp_path / "a.png")]) == 2
    _one_error_line(capsys)
