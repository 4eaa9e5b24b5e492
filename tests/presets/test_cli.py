"""``animagine-prompt build`` and ``animagine-prompt presets list|show``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "build", "masterpiece, 1girl", "-q", "standard", "--size", "3:4", "--seed", "7")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "prompt: masterpiece, best quality, 1girl"
    assert lines[1].startswith("negative: lowres, bad anatomy")
    assert lines[2] == "size: 896 x 1152  sampler: Euler a  steps: 50  guidance: 12  seed: 7"
    assert lines[3] == "presets: quality Standard, style (None)"
    assert lines[4].startswith("merged positive: 'masterpiece' from user merged into 'masterpiece' from quality")


def test_build_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "build",
        "1girl, 1girl",
        "--quality",
        "heavy",
        "--no-quality-tags",
        "--style",
        "sai-origami",
        "--negative",
        "text",
        "--negative-preset",
        "quality-only",
        "--sampler",
        "dpm++ 2m karras",
        "--steps",
        "28",
        "--guidance",
        "7",
        "--hires-strength",
        "0.4",
        "--keep-duplicates",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["prompt"].startswith("origami style 1girl, 1girl . paper art")
    assert data["negative_prompt"].endswith("normal quality, text")
    assert data["add_quality_tags"] is False and data["negative_preset"] == "quality-only"
    assert (data["sampler"], data["steps"], data["guidance"]) == ("DPM++ 2M Karras", 28, 7.0)
    assert data["hires"] == {"upscale_by": 1.5, "strength": 0.4, "method": "nearest-exact"}


def test_build_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("1girl, {braces}\n"))
    code, out, _ = run(capsys, "build", "-", "-s", "anime", "--metadata")
    assert code == 0
    assert json.loads(out)["prompt"].startswith("anime artwork 1girl, {braces} . ")


def test_build_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "build", "smile, 1girl, kafka", "-q", "standard", "--order", "--json")
    assert code == 0 and json.loads(out)["prompt"] == "1girl, kafka, smile, masterpiece, best quality"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build", "x", "-q", "haevy"], "unknown quality preset 'haevy'; did you mean 'heavy'?"),
        (["build", "x", "--size", "huge"], "unknown size 'huge'"),
        (["build", "x", "--steps", "0"], "steps: expected a whole number from 1 to 1000, got 0"),
        (["build", "x", "--steps", "1000000000000"], "steps: expected a whole number from 1 to 1000"),
        (["build", "x", "--presets", "/no/such/dir"], "no such preset file or folder"),
        (["presets", "show", "nothing-like-this"], "no preset is called 'nothing-like-this'"),
        (["presets", "show", "haevy", "--kind", "quality"], "did you mean 'heavy'"),
    ],
)
def test_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err


def test_bad_user_file_is_reported_with_its_line(capsys: pytest.CaptureFixture[str], user_dir: Path) -> None:
    (user_dir / "mine.yaml").write_text("style:\n  - name: x\n    promt: '{prompt}'\n", encoding="utf-8")
    code, _, err = run(capsys, "presets", "list")
    assert code == 2
    assert f"{user_dir / 'mine.yaml'}:3: style[0] 'x', field 'promt': unknown key 'promt'" in err


def test_presets_list(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "presets", "list")
    assert code == 0
    for word in ("quality", "heavy", "sai-origami", "tall", "832 x 1216 (13:19)", "Euler a", "bundled"):
        assert word in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_presets_list_kind_and_markup_safety(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = run(capsys, "presets", "list", "--kind", "negative")
    assert code == 0
    assert "[abstract]" in out  # brackets in templates are text, not rich markup
    assert "sai-origami" not in out


def test_presets_list_json_with_user_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps([{"name": "sai-origami", "prompt": "{prompt}, paper", "negative_prompt": ""}]))
    code, out, _ = run(capsys, "presets", "list", "--kind", "style", "--presets", str(path), "--json")
    assert code == 0
    styles = {s["key"]: s for s in json.loads(out)}
    assert styles["sai-origami"]["origin"] == str(path) and styles["sai-origami"]["prompt"] == "{prompt}, paper"
    assert styles["photographic"]["origin"] == "bundled"


def test_presets_show_every_kind_with_the_name(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = run(capsys, "presets", "show", "Standard")
    assert code == 0
    assert "quality preset standard" in out and "negative preset standard" in out
    assert "masterpiece, best quality, {prompt}" in out
    code, out, _ = run(capsys, "presets", "show", "dpm++ 2m sde karras", "--json")
    (sampler,) = json.loads(out)
    assert sampler["options"] == {"use_karras_sigmas": True, "algorithm_type": "sde-dpmsolver++"}


def test_console_script_presets_show() -> None:
    script = Path(sys.executable).with_name("animagine-prompt")
    if not script.exists():
        pytest.skip("the animagine-prompt console script is not installed in this environment")
    result = subprocess.run(
        [str(script), "presets", "show", "photographic", "--kind", "style", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (style,) = json.loads(result.stdout)
    assert style["prompt"].startswith("cinematic photo {prompt} . ")
