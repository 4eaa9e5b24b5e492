"""``generate`` and ``inspect`` end to end on a tiny random SDXL pipeline: batches, kills, resume,
metadata round trips and two processes under ``accelerate launch``."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("diffusers")
pytest.importorskip("PIL")
if importlib.util.find_spec("animagine_prompt.pipeline") is None:  # pragma: no cover
    pytest.skip("animagine_prompt.pipeline is not available", allow_module_level=True)

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from animagine_prompt.batch import Manifest  # noqa: E402
from animagine_prompt.cli import main  # noqa: E402
from animagine_prompt.metadata import read_generation, read_png_text_file, verify_png  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def model(tiny_sdxl_dir) -> str:
    return str(tiny_sdxl_dir)


def common(model: str, out: Path) -> list[str]:
    return ["--model", model, "--vae", "none", "--size", "64x64", "--steps", "2", "--out", str(out), "--no-progress"]


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(np.int16)


def env() -> dict[str, str]:
    # one thread per process, as torchrun gives each process under accelerate launch
    return {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}


def test_batch_survives_sigkill_and_resumes_without_duplicates(model, tmp_path, capsys, monkeypatch):
    batch = tmp_path / "prompts.txt"
    batch.write_text("1girl, green hair, smile\n1boy, (sweater:1.2), night\n", encoding="utf-8")
    out = tmp_path / "out"
    command = [str(BIN / "animagine-prompt"), "generate", "--batch", str(batch), "--seeds", "1-3", *common(model, out)]

    proc = subprocess.Popen(command, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = Manifest(out / "manifest.jsonl")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "manifest.jsonl").exists() and len(manifest.done()) >= 2:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_at_kill = len(manifest.done())
    assert 2 <= done_at_kill < 6, "the kill did not land in the middle of the batch"

    # the resume in this process: the same command, without a second interpreter and torch import
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    capsys.readouterr()
    assert main(command[1:]) == 0
    assert f"6 images in {out}" in capsys.readouterr().err
    images = sorted(out.glob("*.png"))
    assert len(images) == 6
    assert not list(out.glob(".*.partial"))
    records = manifest.records()
    done = [r for r in records if r["event"] == "done"]
    assert len({r["key"] for r in done}) == 6
    # each image was made once: only the ones lost to the kill (if any) were made again
    assert len(done) <= 6 + 1
    assert len([r for r in records if r["event"] == "planned"]) == 6
    seeds = []
    for path in images:
        verify_png(path.read_bytes())
        record = read_generation(path)
        seeds.append((record.prompt, record.seed))
        assert (record.width, record.height, record.steps) == (64, 64, 2)
    assert sorted(seeds) == sorted(
        (p, s) for p in ("1girl, green hair, smile", "1boy, (sweater:1.2), night") for s in (1, 2, 3)
    )


def test_metadata_round_trip_through_inspect_and_from_image(model, tmp_path, capsys):
    first = tmp_path / "first"
    prompt = ["generate", "1girl, (green hair:1.2)", "--negative", "lowres", "--seed", "77"]
    assert main([*prompt, *common(model, first)]) == 0
    (image,) = first.glob("*.png")
    texts = read_png_text_file(image)
    assert texts["parameters"] == (
        "1girl, (green hair:1.2)\nNegative prompt: lowres\n"
        "Steps: 2, Sampler: Euler a, CFG scale: 12, Seed: 77, Size: 64x64, Model: pipeline, "
        "Version: animagine-prompt 0.1.0"
    )
    app = json.loads(texts["metadata"])
    assert (app["prompt"], app["seed"], app["resolution"]) == ("1girl, (green hair:1.2)", 77, "64 x 64")
    capsys.readouterr()

    assert main(["inspect", "--json", str(image)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["prompt"], shown["negative_prompt"], shown["seed"], shown["steps"]) == (
        "1girl, (green hair:1.2)",
        "lowres",
        77,
        2,
    )
    assert main(["inspect", str(image)]) == 0
    assert "green hair:1.2" in capsys.readouterr().out

    again = tmp_path / "again"
    args = ["generate", "--from-image", str(image), "--model", model, "--vae", "none", "--out", str(again)]
    assert main([*args, "--no-progress"]) == 0
    (remade,) = again.glob("*.png")
    assert np.array_equal(pixels(remade), pixels(image))
    assert read_png_text_file(remade)["parameters"] == texts["parameters"]


def test_from_image_of_another_tool_with_hires(model, tmp_path):
    from animagine_prompt.metadata import set_png_text
    from animagine_prompt.metadata._png import _minimal_png

    foreign = tmp_path / "webui.png"
    foreign.write_bytes(
        set_png_text(
            _minimal_png({}),
            {
                "parameters": "1girl, smile\nNegative prompt: lowres\nSteps: 2, Sampler: Euler, CFG scale: 5, Seed: 9, "
                "Size: 64x64, Model: other, Denoising strength: 0.5, Hires upscale: 1.5, "
                "Hires upscaler: Latent (nearest-exact)"
            },
        )
    )
    out = tmp_path / "out"
    args = ["generate", "--from-image", str(foreign), "--model", model, "--vae", "none", "--out", str(out)]
    assert main([*args, "--no-progress"]) == 0
    (made,) = out.glob("*.png")
    record = read_generation(made)
    assert (record.seed, record.sampler, record.guidance, record.hires_upscale, record.hires_strength) == (
        9, "Euler", 5.0, 1.5, 0.5
    )  # fmt: skip
    assert Image.open(made).size == (96, 96)


@pytest.mark.skipif(shutil.which("accelerate", path=str(BIN)) is None, reason="accelerate is not installed")
def test_accelerate_two_processes_split_four_images_and_match_one_process(model, tmp_path, monkeypatch):
    split = tmp_path / "split"
    launch = [
        str(BIN / "accelerate"), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
        "--mixed_precision", "no", "--dynamo_backend", "no", "--main_process_port", "29517",
        "-m", "animagine_prompt", "generate", "1girl, smile", "--seeds", "1-4", *common(model, split),
    ]  # fmt: skip
    result = subprocess.run(launch, env=env(), capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    done = Manifest(split / "manifest.jsonl").done()
    assert sorted(r["process"] for r in done.values()) == [0, 0, 1, 1]

    single = tmp_path / "single"  # one process: this one, with the subprocesses' one thread (see conftest.py)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["generate", "1girl, smile", "--seeds", "1-4", *common(model, single)]) == 0
    names = sorted(p.name for p in single.glob("*.png"))
    assert names == sorted(p.name for p in split.glob("*.png")) and len(names) == 4
    for name in names:
        a, b = pixels(split / name), pixels(single / name)
        # CPU kernels round differently from run to run under a process group: allow one level
        # in a handful of pixels, nothing more
        assert np.abs(a - b).max() <= 1 and (a != b).mean() < 0.001, name


def test_library_bars_and_notices_stay_out_unless_verbose(model, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "animagine_prompt", "generate", "1girl", "--seed", "1", *common(model, out)]
    quiet = subprocess.run(command, env=env(), capture_output=True, text=True, timeout=240)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr.splitlines() == [f"1 images in {out} (1 made now, 0 already there)"]
    loud = subprocess.run([*command, "--verbose"], env=env(), capture_output=True, text=True, timeout=240)
    assert loud.returncode == 0, loud.stderr
    assert "Loading pipeline components" in loud.stderr
