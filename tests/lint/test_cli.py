"""``animagine-prompt lint`` and ``rules``: exit codes, fixes, diff, config, formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.cli import main


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Config discovery starts at the current folder: keep the repository's pyproject out of it.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANIMAGINE_PROMPT_TAGS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def test_clean_prompt_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "1girl, green hair, smile"]) == 0
    assert capsys.readouterr().out == "All checks passed (1 prompt).\n"


def test_exit_code_follows_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "1girl, , smile"]) == 0  # a warning, below the default fail level
    assert main(["lint", "1girl, , smile", "--fail-on", "warning"]) == 1
    assert main(["lint", "(a:1.2.3)"]) == 1  # S003 is an error
    assert main(["lint", "1girl, , smile", "--ignore", "S101", "--fail-on", "info"]) == 0
    out = capsys.readouterr().out
    assert "S101 warning" in out and "S003 error" in out


def test_usage_and_input_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "1girl", "--select", "Q9"]) == 2
    assert main(["lint", "missing.txt"]) == 2
    assert main(["lint"]) == 2
    err = capsys.readouterr().err
    assert "error: selector 'Q9' matches no rule code" in err
    assert "error: missing.txt: no such file" in err


def test_json_format_with_negative(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "1girl, smile", "--negative", "lowres, smile", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["code"], d["field"], d["path"], d["prompt_index"]) for d in data] == [
        ("T006", "negative_prompt", None, 0)
    ]


def test_fix_rewrites_files_and_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.txt"
    path.write_text("1girl, , green_hair,\nNegative prompt: lowres,, blurry\nkeep  (this:1.2)\n")
    assert main(["lint", str(path), "--fix", "--fail-on", "info"]) == 0
    assert path.read_text() == "1girl, green hair\nNegative prompt: lowres, blurry\nkeep  (this:1.2)\n"
    assert "Fixed 4 problems." in capsys.readouterr().out
    assert main(["lint", str(path), "--fix", "--fail-on", "info"]) == 0
    assert "Fixed" not in capsys.readouterr().out


def test_unsafe_fixes_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- 1girl, hu tao (genshin impact)\n")
    main(["lint", str(path), "--fix"])
    assert path.read_text() == "- 1girl, hu tao (genshin impact)\n"
    main(["lint", str(path), "--unsafe-fixes"])
    assert path.read_text() == "- 1girl, hu tao \\(genshin impact\\)\n"
    import yaml

    assert yaml.safe_load(path.read_text()) == ["1girl, hu tao \\(genshin impact\\)"]


def test_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    original = '[\n  "1girl, , smile"\n]\n'
    path.write_text(original)
    assert main(["lint", str(path), "--diff"]) == 1
    out = capsys.readouterr().out
    assert f"--- {path}\n+++ {path}\n" in out and '-  "1girl, , smile"\n+  "1girl, smile"\n' in out
    assert path.read_text() == original
    assert main(["lint", "1girl, smile", "--diff"]) == 0


def test_fix_on_arguments_prints_the_fixed_prompt(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "1girl,, smile", "--negative", "lowres,", "--fix"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "1girl, smile\nNegative prompt: lowres\n"
    assert "Fixed 2 problems." in captured.err


def test_config_discovery_closest_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.animagine-prompt.lint]\nfail-on = "warning"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "animagine-prompt.toml").write_text('[lint]\nignore = ["S101"]\n')
    assert main(["lint", "1girl, , smile"]) == 1  # pyproject: fail on warnings
    monkeypatch.chdir(inner)
    assert main(["lint", "1girl, , smile", "--fail-on", "warning"]) == 0  # S101 ignored, nothing merged
    (inner / "animagine-prompt.toml").write_text("[lint]\nrules.K002.max_chunks = 1\n")
    assert main(["lint", "a BREAK b", "--fail-on", "warning"]) == 1
    (inner / "animagine-prompt.toml").write_text("[lint]\nselct = []\n")
    assert main(["lint", "a"]) == 2
    assert "animagine-prompt.toml:2: [lint] selct: unknown key; the known keys are select," in capsys.readouterr().err


def test_lora_dir_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "loras").mkdir()
    (tmp_path / "loras" / "detail.safetensors").write_bytes(b"")
    assert main(["lint", "<lora:detial:0.5>", "--lora-dir", str(tmp_path / "loras"), "--format", "concise"]) == 0
    assert "S105" in capsys.readouterr().out


def test_explain_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--explain", "t001"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("# T001 unescaped-qualifier\n") and "## Fix safety" in page
    assert main(["rules", "T001"]) == 0
    assert capsys.readouterr().out == page
    assert main(["rules", "--format", "json"]) == 0
    from animagine_prompt.lint.rules import CODES

    assert len(json.loads(capsys.readouterr().out)) == len(CODES)
    assert main(["rules"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("K001  tag-split-across-chunks")
    assert main(["rules", "X1"]) == 2


def test_colour_only_when_forced_and_not_disabled(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(["lint", "1girl, , smile"])
    assert "\x1b[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["lint", "1girl, , smile"])
    assert "\x1b[" not in capsys.readouterr().out


def test_console_script_reads_stdin(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("animagine-prompt")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "animagine_prompt"]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    done = subprocess.run(
        [*command, "lint", "-", "--fix", "--format", "json"],
        input="1girl,, smile\nNegative prompt: lowres\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1girl, smile\nNegative prompt: lowres\n"
    assert json.loads(done.stderr) == []


def _tag_file(folder: Path, name: str, tag: str) -> Path:
    path = folder / name
    path.write_text(f"{tag},4,5000,\n", encoding="utf-8")
    return path


def _suggested(capsys: pytest.CaptureFixture[str]) -> set[str]:
    found = json.loads(capsys.readouterr().out)
    return {d["message"].split("did you mean ")[1].strip("'?") for d in found if d["code"] == "T003"}


TYPOS = "1girl, zorblax the grat, quintessa prme, velmora ash"


def test_tag_sources_cli_over_environment_over_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tags").mkdir()
    _tag_file(tmp_path / "tags", "config.csv", "zorblax_the_great")
    env = _tag_file(tmp_path, "env.csv", "quintessa_prime")
    cli = _tag_file(tmp_path, "cli.csv", "velmorra_ash")
    # Relative to the config file's folder, not the current one.
    (tmp_path / "animagine-prompt.toml").write_text('tags = ["tags/config.csv"]\n')
    monkeypatch.chdir(tmp_path / "tags")
    args = ["lint", TYPOS, "--select", "T003", "--format", "json"]
    assert main(args) == 0
    assert _suggested(capsys) == {"zorblax the great"}
    monkeypatch.setenv("ANIMAGINE_PROMPT_TAGS", str(env))
    assert main(args) == 0
    assert _suggested(capsys) == {"quintessa prime"}
    assert main([*args, "--tags", str(cli)]) == 0
    assert _suggested(capsys) == {"velmorra ash"}


def test_tags_in_the_lint_table_point_to_the_shared_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = '[tool.animagine-prompt]\n\n[tool.animagine-prompt.lint]\ntags = ["a.csv"]\n'
    (tmp_path / "pyproject.toml").write_text(toml)
    assert main(["lint", "1girl"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml:4: [tool.animagine-prompt.lint] tags: set it in [tool.animagine-prompt]" in err


def test_config_errors_from_the_shared_loader_name_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "animagine-prompt.toml").write_text('lora-dir = "x"\ndialect = "comfy"\n')
    assert main(["lint", "1girl"]) == 2
    assert "animagine-prompt.toml:2: dialect: unknown key" in capsys.readouterr().err
    (tmp_path / "animagine-prompt.toml").write_text('[lint]\nfail-on = "fatal"\n')
    assert main(["lint", "1girl"]) == 2
    assert "animagine-prompt.toml:2: [lint] fail-on: expected info, warning or error" in capsys.readouterr().err


def test_config_option_names_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text('[tool.animagine-prompt.lint]\nfail-on = "warning"\n')
    assert main(["lint", "1girl, , smile"]) == 0
    assert main(["lint", "1girl, , smile", "--config", str(other / "pyproject.toml")]) == 1
    # Any TOML file in the animagine-prompt.toml form, whatever its name: CI keeps a strict one.
    (other / "strict.toml").write_text('tags = ["extra.csv"]\n[lint]\nfail-on = "warning"\n')
    (other / "extra.csv").write_text("gren_hair,0,5,\n")
    assert main(["lint", "1girl, , smile", "--config", str(other / "strict.toml")]) == 1
    assert main(["lint", "gren hair", "--select", "T003", "--fail-on", "warning"]) == 1
    # the file's tag list is read from its folder: the "misspelling" is now a known tag
    assert main(["lint", "gren hair", "--select", "T003", "--config", str(other / "strict.toml")]) == 0
    capsys.readouterr()
    # A named pyproject.toml wins even where an animagine-prompt.toml sits beside it.
    (other / "animagine-prompt.toml").write_text('[lint]\nfail-on = "error"\n')
    assert main(["lint", "1girl, , smile", "--config", str(other / "pyproject.toml")]) == 1
    (other / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert main(["lint", "1girl", "--config", str(other / "pyproject.toml")]) == 2
    assert "pyproject.toml: no [tool.animagine-prompt] table" in capsys.readouterr().err
    assert main(["lint", "1girl", "--config", str(other / "missing.toml")]) == 2
    assert "no such configuration file" in capsys.readouterr().err


def _quality_preset(folder: Path, name: str = "mine.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "quality:\n"
        "  - name: my-aesthetic\n"
        "    prompt: 'masterpiece, glimmerwave aesthetic, {prompt}'\n"
        "    negative_prompt: 'murkfog quality, lowres'\n",
        encoding="utf-8",
    )
    return path


def _p001(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, str]]:
    found = json.loads(capsys.readouterr().out)
    return [(d["field"], d["severity"], d["message"]) for d in found if d["code"] == "P001"]


def test_presets_option_teaches_p001_the_presets_quality_tags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    preset = _quality_preset(tmp_path / "presets")
    args = ["lint", "1girl, murkfog quality", "--negative", "glimmerwave aesthetic, earrings", "--format", "json"]
    assert main(args) == 0
    assert _p001(capsys) == []  # the bundled presets know neither tag
    assert main([*args, "--presets", str(preset)]) == 0
    assert _p001(capsys) == [
        (
            "prompt",
            "info",
            "quality tag 'murkfog quality' is in the prompt; the 'my-aesthetic' quality preset puts "
            "it in the negative prompt",
        ),
        (
            "negative_prompt",
            "info",
            "quality tag 'glimmerwave aesthetic' is in the negative prompt; the "
            "'my-aesthetic' quality preset puts it in the prompt",
        ),
    ]
    assert main([*args, "--presets", str(preset), "--ignore", "P001"]) == 0
    assert _p001(capsys) == []


def test_presets_come_from_the_config_and_the_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    args = ["lint", "1girl", "--negative", "glimmerwave aesthetic", "--format", "json"]
    _quality_preset(tmp_path / "xdg" / "animagine-prompt" / "presets")
    assert main(args) == 0
    assert len(_p001(capsys)) == 1
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    assert main(args) == 0
    assert _p001(capsys) == []
    _quality_preset(tmp_path / "project")
    (tmp_path / "animagine-prompt.toml").write_text('presets = ["project"]\n')
    assert main(args) == 0
    assert len(_p001(capsys)) == 1
    (tmp_path / "animagine-prompt.toml").write_text('presets = ["project"]\n[lint.rules.P001]\npresets = false\n')
    assert main(args) == 0
    assert _p001(capsys) == []


def test_presets_load_only_when_a_rule_needs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("quality: [{name: x, prompt: 'no placeholder'}]\n")
    args = ["lint", "1girl, murkfog quality", "--presets", str(broken), "--format", "json"]
    assert main([*args, "--ignore", "P001"]) == 0  # the broken file is never read
    assert main(args) == 2
    assert "broken.yaml" in capsys.readouterr().err


def test_full_report_shows_a_window_of_a_long_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.txt"
    path.write_text(", ".join(["1girl,, smile"] * 3000) + "\n", encoding="utf-8")  # 45 KB, 3000 empty items
    main(["lint", "--select", "S101", str(path)])
    out = capsys.readouterr().out
    assert out.count("S101 warning") == 3000
    assert len(out) < 3000 * 500  # each finding shows about 100 characters of its line, not 45,000
    first = out.split("\n\n")[0].splitlines()
    assert first[1] == " 1 | 1girl,, smile, 1girl,, smile, 1girl,, smile, 1g…"
    assert first[2] == "   |      ^^"
    assert first[3] == "   = safe fix: remove the empty item: 1girl, smile, 1girl,, smile, 1girl,, smile, 1g…"
    middle = out.split("\n\n")[1500].splitlines()
    assert middle[1].startswith(" 1 | …") and middle[1].endswith("…")
    caret = middle[2].index("^")
    assert caret == len(" 1 | …") + 40 and middle[1][caret : caret + 2] == ",,"
