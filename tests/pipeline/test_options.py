"""Memory and speed options, and sampler presets turned into schedulers."""

import pytest
import torch

from animagine_prompt.errors import PresetError, UsageError
from animagine_prompt.pipeline import resolve_scheduler
from animagine_prompt.presets import SamplerPreset, bundled_presets


def test_every_bundled_sampler_resolves():
    import diffusers

    resolved = 0
    for preset in bundled_presets().all("sampler"):
        try:
            cls, options = resolve_scheduler(preset)
        except PresetError as exc:  # LMS needs scipy, which diffusers imports only if present
            assert "pip install" in str(exc)
            continue
        assert issubclass(cls, diffusers.SchedulerMixin) and options == dict(preset.options)
        resolved += 1
    assert resolved >= 15


def test_unknown_scheduler_class_is_refused():
    with pytest.raises(PresetError, match="NotAScheduler"):
        resolve_scheduler(SamplerPreset(name="x", scheduler="NotAScheduler"))
    with pytest.raises(PresetError):
        resolve_scheduler(SamplerPreset(name="x", scheduler="StableDiffusionXLPipeline"))


def test_samplers_start_from_the_models_config(shared_pipe):
    karras = shared_pipe.generate("1girl", size=(64, 64), steps=2, seed=1, sampler="DPM++ 2M Karras")
    assert karras.prompt.scheduler == "DPMSolverMultistepScheduler"
    shared_pipe.generate("1girl", size=(64, 64), steps=2, seed=1, sampler="Euler")
    scheduler = shared_pipe.pipe.scheduler
    assert type(scheduler).__name__ == "EulerDiscreteScheduler"
    assert not scheduler.config.use_karras_sigmas  # not carried over from the previous sampler
    assert scheduler.config.timestep_spacing == shared_pipe._scheduler_config.timestep_spacing


def test_second_order_sampler_conditions_per_step(shared_pipe):
    seen = []
    result = shared_pipe.generate("a [cat:dog:1]", size=(64, 64), steps=3, seed=1, sampler="Heun",
                                  callback=lambda info: seen.append(info.step))
    assert seen == [1, 2, 3] and len(result.steps) == 3


def test_memory_options(fresh_pipe):
    fresh_pipe.enable_vae_tiling().enable_vae_slicing()
    assert fresh_pipe.pipe.vae.use_tiling and fresh_pipe.pipe.vae.use_slicing
    fresh_pipe.enable_vae_tiling(False).enable_vae_slicing(False)
    assert not fresh_pipe.pipe.vae.use_tiling and not fresh_pipe.pipe.vae.use_slicing
    fresh_pipe.channels_last()
    weight = fresh_pipe.pipe.unet.conv_in.weight
    assert weight.is_contiguous(memory_format=torch.channels_last)
    with pytest.raises(UsageError, match="offload"):
        fresh_pipe.enable_offload("everything")
    fresh_pipe.compile_unet()  # compiles lazily, on the first call
    assert type(fresh_pipe.pipe.unet).__name__ == "OptimizedModule"
