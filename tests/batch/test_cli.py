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
        (["a", "--steps", str(10**12)], "--steps: expected a whole number from 1 to 1000, got 1000000000000"),
        (["a", "--size=-64x0"], "--size '-64x0': each side must be a whole number of pixels from 64 to 8192"),
        (["a", "--size", "9" * 5000 + "x64"], "each side must be a whole number of pixels"),
        (["a", "--size", "huge"], "unknown size 'huge'"),
        (["a", "--sampler", "Eulr a"], "unknown sampler preset 'Eulr a'"),
        (["a", "--style", "animee"], "animee"),
        (["a", "--guidance", "1e9"], "--guidance: expected a number from 0 to 100"),
        (["a", "--hires-strength", "2"], "--hires-strength"),
        (["a", "--seed", str(2**64 - 1), "-n", "2"], "the last seed (--seed plus -n)"),
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


def test_dry_run_checks_a_batch_item_as_a_real_run_would(tmp_path, capsys):
    batch = tmp_path / "b.yaml"
    batch.write_text("- 1girl\n- prompt: 1boy\n  sampler: Eulr a\n", encoding="utf-8")
    assert main(["generate", "--batch", str(batch), "--dry-run"]) == 2
    assert "unknown sampler preset 'Eulr a'" in capsys.readouterr().err


def test_settings_errors_come_before_torch_is_imported(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; from animagine_prompt.cli import main; "
        "code = main(['generate', '1girl', '--size=-64x0', '--out', 'out']); "
        "print(code, 'torch' in sys.modules)"
    )
    repo = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**__import__("os").environ, "PYTHONPATH": repo},
    )
    assert out.stdout.split() == ["2", "False"], out.stderr
    assert not (tmp_path / "out").exists()


def _failing_model(monkeypatch):
    import animagine_prompt.cli.generate as generate
    from animagine_prompt.errors import ModelNotFoundError

    def no_model(args, device):
        raise ModelNotFoundError("model 'x' not found")

    monkeypatch.setattr(generate, "_ImageMaker", no_model)


def test_nothing_is_written_before_the_model_loads(tmp_path, monkeypatch, capsys):
    _failing_model(monkeypatch)
    out = tmp_path / "out"
    assert main(["generate", "1girl", "--seed", "1", "--out", str(out)]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (out / "manifest.jsonl").exists()


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "the batch manifest is a folder"),
        ('{"event": "planned", "key": "k", "seed": "seven"}\n', "the record's seed"),
        ('{"event": "planned", "key": "k", "seed": 1.5}\n', "the record's seed"),
        ("[[[[" * 100_000 + "\n", "manifest"),
        ('{"key": "k", "seed": 1' + "0" * 5000 + "}\n", "manifest"),
    ],
)
def test_a_bad_manifest_is_refused_before_the_model_loads(tmp_path, monkeypatch, capsys, manifest, message):
    import animagine_prompt.cli.generate as generate

    def unexpected(args, device):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(generate, "_ImageMaker", unexpected)
    out = tmp_path / "out"
    out.mkdir()
    if manifest is None:
        (out / "manifest.jsonl").mkdir()
    else:
        (out / "manifest.jsonl").write_text(manifest, encoding="utf-8")
    assert main(["generate", "1girl", "--seed", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_a_local_model_keeps_its_own_vae(tmp_path):
    import argparse

    from animagine_prompt.cli.generate import _vae, add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    folder = tmp_path / "my-model"
    folder.mkdir()
    single = tmp_path / "model.safetensors"
    single.write_bytes(b"")
    assert _vae(parser.parse_args(["a", "--model", str(folder)])) == "none"
    assert _vae(parser.parse_args(["a", "--model", str(single)])) == "none"
    assert _vae(parser.parse_args(["a", "--model", str(folder), "--vae", "org/vae"])) == "org/vae"
    assert _vae(parser.parse_args(["a"])) == "madebyollin/sdxl-vae-fp16-fix"
    assert _vae(parser.parse_args(["a", "--model", "org/some-hub-model"])) == "madebyollin/sdxl-vae-fp16-fix"
