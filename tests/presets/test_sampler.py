"""Sampler presets resolve to real diffusers schedulers, lazily; the package imports no torch stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

from animagine_prompt.errors import MissingDependencyError, PresetError
from animagine_prompt.presets import (
    PromptBuilder,
    SamplerPreset,
    bundled_presets,
    resolve_scheduler,
    scheduler_from_config,
)


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_import_pulls_in_no_torch_stack() -> None:
    code = (
        "import sys, animagine_prompt.presets as p\n"
        "lib = p.load_presets(user=False)\n"
        "b = p.PromptBuilder(presets=lib).tags('1girl').quality('heavy').style('anime').sampler('DDIM').build()\n"
        "b.to_json(); b.to_metadata()\n"
        "bad = [m for m in ('torch', 'diffusers', 'transformers', 'rich') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_bare_import_is_cheap() -> None:
    code = "import sys, animagine_prompt.presets\nprint('pydantic' in sys.modules, 'yaml' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("sampler", bundled_presets().all("sampler"), ids=lambda s: s.name)
def test_every_bundled_sampler_builds_its_scheduler(sampler: SamplerPreset) -> None:
    diffusers = pytest.importorskip("diffusers")
    if sampler.scheduler == "LMSDiscreteScheduler" and not _has("scipy"):
        with pytest.raises(MissingDependencyError, match="needs scipy: pip install scipy"):
            resolve_scheduler(sampler)
        return
    cls, kwargs = resolve_scheduler(sampler)
    assert cls.__name__ == sampler.scheduler and kwargs == sampler.options
    base = diffusers.EulerDiscreteScheduler(beta_schedule="scaled_linear")
    scheduler = scheduler_from_config(sampler, base.config)
    assert type(scheduler) is cls
    for key, value in kwargs.items():
        assert scheduler.config[key] == value, key
    # What the model was trained with carries over from the pipeline's config.
    assert scheduler.config["beta_schedule"] == "scaled_linear"


def test_built_prompt_makes_its_scheduler() -> None:
    diffusers = pytest.importorskip("diffusers")
    built = PromptBuilder(presets=bundled_presets()).tags("x").sampler("DPM++ 2M SDE Karras").build()
    scheduler = built.make_scheduler(diffusers.EulerDiscreteScheduler().config)
    assert type(scheduler).__name__ == "DPMSolverMultistepScheduler"
    assert scheduler.config["algorithm_type"] == "sde-dpmsolver++" and scheduler.config["use_karras_sigmas"]


def test_unknown_scheduler_class_names_the_file() -> None:
    pytest.importorskip("diffusers")
    sampler = SamplerPreset(name="Mine", scheduler="NoSuchScheduler")
    sampler._origin = "/home/me/presets/s.yaml"
    with pytest.raises(PresetError, match=r"'Mine' \(defined in /home/me/presets/s.yaml\) names scheduler"):
        resolve_scheduler(sampler)
