"""``animagine-prompt preview`` end to end (animagine_prompt/cli/preview/_command.py)."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.cli import main


def preview(capsys, *args):
    code = main(["preview", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_prompt_and_negative(capsys):
    code, out, err = preview(capsys, "1girl, (smile:1.2), gren hair", "--negative", "lowres,,", "--width", "80")
    assert code == 0 and err == ""
    assert out.startswith("prompt: 7/75 tokens in 1 chunk, 3 tags\n")
    assert "  1girl, smile ×1.2, gren hair[1]\n" in out
    assert "negative: 3/75 tokens in 1 chunk, 1 tag\n" in out
    assert "[2] S101 warning (negative): empty item between separators" in out
    assert "final prompts" not in out  # no presets: the prompts are shown as written


def test_presets_build_the_final_prompts(capsys):
    code, out, _ = preview(capsys, "1girl, green hair", "-q", "standard", "-s", "anime", "--width", "80")
    assert code == 0
    final = out[out.index("final prompts (quality Standard, style Anime)") :]
    assert "prompt:\n  anime artwork masterpiece, best quality, 1girl, green hair . anime style" in final
    assert "negative:\n  photo, deformed" in final
    # The flow describes the built prompt, quality tags included.
    assert "masterpiece" in out[: out.index("final prompts")]


def test_table_view(capsys):
    code, out, _ = preview(capsys, "hu tao \\(genshin impact\\), [smile]", "--table", "--width", "80", "--no-legend")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert ["1", "hu", "tao", "(genshin", "impact)", "character", "███░░░", "1", "1"] in rows
    assert "tags:" not in out


def test_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("1girl, solo\n"))
    code, out, _ = preview(capsys, "-", "--width", "60")
    assert code == 0 and "  1girl, solo\n" in out


def test_theme_file(capsys, tmp_path):
    theme = tmp_path / "theme.ini"
    theme.write_text("[styles]\nanimagine.tag.general = bold blue\n", encoding="utf-8")
    assert preview(capsys, "1girl", "--theme", str(theme))[0] == 0
    theme.write_text("[styles]\nanimagine.tag.generl = blue\n", encoding="utf-8")
    code, _, err = preview(capsys, "1girl", "--theme", str(theme))
    assert code == 2 and "did you mean 'animagine.tag.general'" in err
    theme.write_text("[styles]\nanimagine.tag.general = blue on on\n", encoding="utf-8")
    code, _, err = preview(capsys, "1girl", "--theme", str(theme))
    assert code == 2 and "is not a rich style" in err
    theme.write_text("animagine.tag.general = blue\n", encoding="utf-8")
    code, _, err = preview(capsys, "1girl", "--theme", str(theme))
    assert code == 2 and "[styles]" in err
    code, _, err = preview(capsys, "1girl", "--theme", str(tmp_path / "missing.ini"))
    assert code == 2 and "cannot read the theme file" in err


def test_user_errors_exit_2(capsys):
    code, _, err = preview(capsys, "1girl", "--width", "10")
    assert code == 2 and err == "error: --width must be at least 20 columns, not 10\n"
    code, _, err = preview(capsys, "1girl", "--quality", "no-such-preset")
    assert code == 2 and err.startswith("error: ")


def test_tag_file_changes_categories(capsys, tmp_path):
    tags = tmp_path / "tags.csv"
    tags.write_text("zzyzx_chan,4,100,\n", encoding="utf-8")
    code, out, _ = preview(capsys, "zzyzx chan", "--tags", str(tags), "--table", "--width", "80")
    assert code == 0
    assert ["1", "zzyzx", "chan", "character", "███░░░", "1", "1"] in [line.split() for line in out.splitlines()]


def test_preview_package_import_does_not_load_rich():
    # The command table imports every command module for --help: the preview's must stay light.
    code = "import animagine_prompt.cli.preview, sys; print('rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_installed_console_script_without_colour():
    exe = shutil.which("animagine-prompt") or str(Path(sys.executable).parent / "animagine-prompt")
    if not Path(exe).exists():
        pytest.skip("the console script is not installed")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    done = subprocess.run(
        [exe, "preview", "1girl, ((smile)) BREAK night sky"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout
    assert "  1girl, smile ×1.21\n" in done.stdout and "chunk 2" in done.stdout
