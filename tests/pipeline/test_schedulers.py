"""Every bundled sampler preset becomes the diffusers scheduler it names, over the model's own config."""

from __future__ import annotations

import importlib.util

import diffusers
import pytest

from animagine_prompt.errors import PresetError
from animagine_prompt.pipeline import resolve_scheduler, scheduler_from_config
from animagine_prompt.presets import SamplerPreset, bundled_presets


@pytest.mark.parametrize("sampler", bundled_presets().all("sampler"), ids=lambda s: s.name)
def test_every_bundled_sampler_builds_its_scheduler(sampler: SamplerPreset) -> None:
    if sampler.scheduler == "LMSDiscreteScheduler" and importlib.util.find_spec("scipy") is None:
        with pytest.raises(PresetError, match="needs scipy: pip install scipy"):
            resolve_scheduler(sampler)
        return
    cls, kwargs = resolve_scheduler(sampler)
    assert cls.__name__ == sampler.scheduler and kwargs == sampler.options
    base = diffusers.EulerDiscreteScheduler(beta_schedule="scaled_linear")
    scheduler = scheduler_from_config(sampler, base.config)
    assert type(scheduler) is cls
    for key, value in kwargs.items():
        assert scheduler.config[key] == value, key
    # what the model was trained with carries over from the pipeline's config
    assert scheduler.config["beta_schedule"] == "scaled_linear"


def test_unknown_scheduler_class_names_the_file() -> None:
    sampler = SamplerPreset(name="Mine", scheduler="NoSuchScheduler")
    sampler._origin = "/home/me/presets/s.yaml"
    with pytest.raises(PresetError, match=r"'Mine' \(defined in /home/me/presets/s.yaml\) names scheduler"):
        resolve_scheduler(sampler)
