"""LCM mode on the tiny pipeline with a random LoRA of the LCM-LoRA's shape: scheduler, timesteps,
defaults, the adapter's life, one UNet batch at guidance 1, warnings, metadata and --from-image."""

from pathlib import Path

import numpy as np
import pytest

from animagine_prompt.errors import ModelNotFoundError, UsageError

pytest.importorskip("peft")

SMALL = {"size": (64, 64), "seed": 4}
# the modules lcm-lora-sdxl adapts: attention, feed-forward, projections, resnet convolutions, time embedding
LCM_TARGETS = [
    "to_q",
    "to_k",
    "to_v",
    "to_out.0",
    "proj_in",
    "proj_out",
    "ff.net.0.proj",
    "ff.net.2",
    "conv1",
    "conv2",
    "conv_shortcut",
    "downsamplers.0.conv",
    "upsamplers.0.conv",
    "time_emb_proj",
]


@pytest.fixture(scope="module")
def lcm_lora_dir(tmp_path_factory, sdxl_factory, lora_saver, tiny_model_dir) -> Path:
    """A LoRA folder holding ``lcm-lora-sdxl.safetensors``: random weights on the LCM-LoRA's modules."""
    import torch
    from peft import LoraConfig

    parts = sdxl_factory.tiny_sdxl_models(tiny_model_dir)
    torch.manual_seed(1)
    parts["unet"].add_adapter(LoraConfig(r=4, lora_alpha=4, init_lora_weights=False, target_modules=LCM_TARGETS))
    folder = tmp_path_factory.mktemp("lcm-loras")
    lora_saver(folder, "lcm-lora-sdxl", parts, ("unet",))
    return folder


@pytest.fixture
def pipe(make_pipe, lcm_lora_dir):
    return make_pipe(lora_dir=lcm_lora_dir)


def _pixels(result) -> np.ndarray:
    return np.asarray(result.image)


def test_lcm_scheduler_timesteps_and_adapter_life(pipe):
    from diffusers import LCMScheduler

    loads: list[str] = []
    original = pipe.pipe.load_lora_weights

    def counting(*args, **kwargs):
        loads.append(args[0])
        return original(*args, **kwargs)

    pipe.pipe.load_lora_weights = counting
    baseline = pipe.generate("1girl, smile", steps=2, **SMALL)
    # LCM's scheduler with the adapter at weight 0 (the prompt names it, so it is not added): nothing loads
    unweighted = pipe.generate("1girl, smile <lora:lcm-lora-sdxl:0>", lcm=True, steps=2, **SMALL)
    assert unweighted.loras == () and loads == []

    timesteps: list[float] = []
    result = pipe.generate(
        "1girl, smile", lcm=True, steps=4, callback=lambda info: timesteps.append(info.timestep), **SMALL
    )
    built = result.prompt
    assert (built.sampler, built.scheduler, built.steps, built.guidance) == ("LCM", "LCMScheduler", 4, 1.5)
    assert isinstance(pipe.pipe.scheduler, LCMScheduler) and result.lcm
    expected = LCMScheduler.from_config(pipe._scheduler_config)
    expected.set_timesteps(4)
    assert timesteps == [float(t) for t in expected.timesteps]
    assert result.loras == (("lcm-lora-sdxl", 1.0, 1.0),) and len(loads) == 1
    assert any(pipe.pipe.get_list_adapters().values())

    lcm = pipe.generate("1girl, smile", lcm=True, steps=2, **SMALL)
    assert len(loads) == 1  # loaded once while calls stay in LCM mode
    assert not np.array_equal(_pixels(unweighted), _pixels(lcm))  # the LoRA is what changes the image

    after = pipe.generate("1girl, smile", steps=2, **SMALL)  # not LCM: the adapter is unloaded
    assert not after.lcm and after.loras == ()
    assert not any(pipe.pipe.get_list_adapters().values())
    assert np.array_equal(_pixels(after), _pixels(baseline))


def test_guidance_one_runs_one_unet_batch_per_step(make_pipe, lcm_lora_dir, unet_log):
    # the LoRA named through the name map (a file path) rather than the LoRA folder
    mapped = make_pipe(loras={"lcm-lora-sdxl": str(lcm_lora_dir / "lcm-lora-sdxl.safetensors")})
    with unet_log(mapped) as without_cfg:
        result = mapped.generate("1girl, smile", "lowres", lcm=True, steps=3, guidance=1.0, **SMALL)
    assert result.loras == (("lcm-lora-sdxl", 1.0, 1.0),)
    assert without_cfg.calls == 3 and without_cfg.batch == [1, 1, 1]
    with unet_log(mapped) as with_cfg:
        mapped.generate("1girl, smile", "lowres", lcm=True, steps=3, **SMALL)
    assert with_cfg.calls == 3 and with_cfg.batch == [2, 2, 2]


def test_lcm_defaults_the_preset_and_other_samplers_refused(shared_pipe):
    built = shared_pipe.build("1girl", lcm=True)
    assert (built.sampler, built.scheduler, built.steps, built.guidance) == ("LCM", "LCMScheduler", 8, 1.5)
    built = shared_pipe.build("1girl", sampler="lcm", steps=6)
    assert (built.sampler, built.steps, built.guidance) == ("LCM", 6, 1.5)
    plain = shared_pipe.build("1girl")
    assert (plain.sampler, plain.steps, plain.guidance) == ("Euler a", 50, 12.0)
    assert shared_pipe.build("1girl", lcm=True, guidance=1.0).guidance == 1.0
    with pytest.raises(UsageError, match="LCM mode samples with the LCM sampler, not 'Euler a'"):
        shared_pipe.build("1girl", lcm=True, sampler="Euler a")


def stop(info):
    return False


def test_settings_where_lcm_degrades_are_warned_about(pipe):
    from animagine_prompt.pipeline import LcmSettingsWarning

    with pytest.warns(LcmSettingsWarning) as caught:
        # the warning comes before sampling: stopping after the first step is enough
        result = pipe.generate("1girl", lcm=True, steps=17, guidance=3.5, size=(64, 64), seed=1, callback=stop)
    messages = [str(w.message) for w in caught if issubclass(w.category, LcmSettingsWarning)]
    assert any("17 steps" in m and "past 16 steps" in m for m in messages)
    assert any("guidance 3.5" in m for m in messages)
    assert set(messages) <= set(result.notes) and result.interrupted


def test_missing_lcm_lora_offline_names_the_download(fresh_pipe, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="hf download latent-consistency/lcm-lora-sdxl"):
        fresh_pipe.generate("1girl", lcm=True, **SMALL)


def test_metadata_round_trip_and_from_image_remakes_the_pixels(tiny_model_dir, lcm_lora_dir, tmp_path):
    import json

    from PIL import Image

    from animagine_prompt.cli import main
    from animagine_prompt.metadata import read_generation, read_png_text_file

    common = ["--model", str(tiny_model_dir), "--vae", "none", "--lora-dir", str(lcm_lora_dir), "--no-progress"]
    first = tmp_path / "first"
    made = ["generate", "1girl, smile", "--lcm", "--steps", "3", "--size", "64x64", "--seed", "3"]
    assert main([*made, "--out", str(first), *common]) == 0
    (png,) = sorted(first.glob("*.png"))
    record = read_generation(png)
    assert (record.lcm, record.sampler, record.steps, record.guidance) == (True, "LCM", 3, 1.5)
    app = json.loads(read_png_text_file(png)["metadata"])
    assert app["enable_lcm"] is True and app["refine_prompt"] is False
    assert app["use_lora"] == [{"name": "lcm-lora-sdxl", "te": 1.0, "unet": 1.0}]

    again = tmp_path / "again"
    assert main(["generate", "--from-image", str(png), "--out", str(again), *common]) == 0
    (remade,) = sorted(again.glob("*.png"))
    assert read_generation(remade).lcm
    assert np.array_equal(np.asarray(Image.open(png)), np.asarray(Image.open(remade)))
