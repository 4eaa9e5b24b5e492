"""``lint --fix`` changes files only as asked: links kept, read-only files refused, bytes around the fix kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from animagine_prompt.cli import main


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANIMAGINE_PROMPT_TAGS", raising=False)


def test_a_link_keeps_pointing_at_the_fixed_file(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("1girl,, smile\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    assert main(["lint", "--fix", "link.txt"]) == 0
    assert (tmp_path / "link.txt").is_symlink() and os.readlink(tmp_path / "link.txt") == "real.txt"
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "1girl, smile\n"


def test_a_file_reached_twice_in_a_folder_is_fixed_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "real.txt").write_text("1girl,, smile\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    (tmp_path / "clean.txt").write_text("1girl, smile\n", encoding="utf-8")
    assert main(["lint", "--fix", "."]) == 0
    captured = capsys.readouterr()
    assert "--fix: rewriting 1 file under ." in captured.err
    assert "Fixed 1 problem." in captured.out
    assert (tmp_path / "link.txt").is_symlink()


def test_a_read_only_file_is_refused_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("1girl,, smile\n", encoding="utf-8")
    locked = tmp_path / "b.txt"
    locked.write_text("sky,, sun\n", encoding="utf-8")
    locked.chmod(0o444)
    assert main(["lint", "--fix", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "b.txt: the file is read-only (mode 444)" in err and err.count("\n") == 1
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "1girl,, smile\n"
    assert locked.read_text(encoding="utf-8") == "sky,, sun\n"


def test_a_file_in_a_read_only_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "a.txt").write_text("1girl,, smile\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user may write into read-only folders")
        assert main(["lint", "--fix", str(folder / "a.txt")]) == 2
    finally:
        folder.chmod(0o755)
    assert "is read-only" in capsys.readouterr().err
    assert (folder / "a.txt").read_text(encoding="utf-8") == "1girl,, smile\n"


def test_a_file_of_another_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("1girl,, smile\n", encoding="utf-8")
    real_access = os.access
    # what the system answers for a file that belongs to someone else (the superuser gets yes)
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode))
    assert main(["lint", "--fix", "a.txt"]) == 2
    assert "you may not write this file" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "1girl,, smile\n"


def test_bom_line_endings_and_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff1girl,, smile\r\nsky\r\n".encode())
    path.chmod(0o640)
    assert main(["lint", "--fix", "a.txt"]) == 0
    assert path.read_bytes() == "\ufeff1girl, smile\r\nsky\r\n".encode()
    assert path.stat().st_mode & 0o777 == 0o640


def test_bom_kept_in_yaml_and_json(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes("\ufeff- 1girl,, smile\r\n".encode())
    (tmp_path / "a.json").write_bytes('\ufeff["1girl,, smile"]\r\n'.encode())
    assert main(["lint", "--fix", "a.yaml", "a.json"]) == 0
    assert (tmp_path / "a.yaml").read_bytes() == "\ufeff- 1girl, smile\r\n".encode()
    assert (tmp_path / "a.json").read_bytes() == '\ufeff["1girl, smile"]\r\n'.encode()
