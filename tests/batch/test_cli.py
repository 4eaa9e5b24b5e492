"""``generate --dry-run``, argument errors and ``inspect``: the parts that need no model."""

from __future__ import annotations

import json

import pytest

from animagine_prompt.cli import main
from animagine_prompt.metadata import set_png_text
from animagine_prompt.metadata._png import _minimal_png


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["generate", "1girl", "--seeds", "1-3", "--styles", "anime,none", "--out", str(out), "--dry-run"])
    text = capsys.readouterr().out
    assert code == 0
    assert "6 images planned" in text
    assert text.count("1girl") == 6
    assert not out.exists()


def test_dry_run_of_a_batch_file(tmp_path, capsys):
    batch = tmp_path / "b.yaml"
    batch.write_text("- 1girl\n- prompt: 1boy\n  seeds: 5-6\n", encoding="utf-8")
    assert main(["generate", "--batch", str(batch), "-n", "2", "--seed", "10", "--dry-run"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:-1]]
    assert [(r[1], r[-1]) for r in rows] == [("10", "1girl"), ("11", "1girl"), ("5", "1boy"), ("6", "1boy")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give one of"),
        (["a", "--batch", "b.txt"], "give one of"),
        (["a", "--seed", "1", "--seeds", "1-2"], "not both"),
        (["a", "--style", "anime", "--styles", "a,b"], "not both"),
        (["a", "-n", "0"], "at least 1"),
        (["a", "--seeds", "3-1"], "runs backwards"),
        (["--batch", "/nonexistent/prompts.txt"], "no such batch file"),
        (["--from-image", "/nonexistent/a.png"], "no such file"),
    ],
)
def test_usage_errors_exit_2(args, message, capsys):
    assert main(["generate", *args, "--dry-run"]) == 2
    assert message in capsys.readouterr().err


PARAMETERS = (
    "1girl, [smile], (green hair:1.2)\nNegative prompt: lowres\n"
    "Steps: 28, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 832x1216, Model: animagine-xl-2.0, "
    "Denoising strength: 0.5, Hires upscale: 1.5, Hires upscaler: Latent (nearest-exact), Version: v1.7.0"
)


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(set_png_text(_minimal_png({}), {"parameters": PARAMETERS}))
    return path


def test_inspect_table(image, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["inspect", str(image)]) == 0
    out = capsys.readouterr().out
    assert "prompt: 1girl, [smile], (green hair:1.2)" in out  # markup-like brackets printed as they are
    assert "832 x 1216" in out and "x1.5, strength 0.5, nearest-exact" in out and "v1.7.0" in out


def test_inspect_json_raw_and_parameters(image, capsys):
    assert main(["inspect", "--json", str(image)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["seed"], data["hires_upscale"], data["source"]) == (5, 1.5, "parameters")
    assert main(["inspect", "--raw", str(image)]) == 0
    assert capsys.readouterr().out == f"[tEXt parameters]\n{PARAMETERS}\n"
    assert main(["inspect", "--parameters", str(image)]) == 0
    assert capsys.readouterr().out == PARAMETERS + "\n"


def test_inspect_errors_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.png"
    bad.write_bytes(_minimal_png({"parameters": "x"})[:-20])
    assert main(["inspect", str(bad)]) == 2
    assert "truncated PNG" in capsys.readouterr().err
    plain = tmp_path / "plain.png"
    plain.write_bytes(_minimal_png({"Software": "GIMP"}))
    assert main(["inspect", str(plain)]) == 2
    assert "no generation settings" in capsys.readouterr().err
    assert main(["inspect", str(tmp_path / "missing.png")]) == 2
