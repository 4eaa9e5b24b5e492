"""Sampler presets to diffusers schedulers: the class named by the preset, built from a pipeline's config."""

from __future__ import annotations

from typing import Any

import diffusers

from animagine_prompt.errors import PresetError

__all__ = ["resolve_scheduler", "scheduler_from_config"]


def resolve_scheduler(sampler: Any) -> tuple[type[Any], dict[str, Any]]:
    """The diffusers scheduler class a ``SamplerPreset`` names, and the keyword arguments it adds.

    >>> from animagine_prompt.presets import bundled_presets
    >>> cls, kwargs = resolve_scheduler(bundled_presets().sampler("dpm++ 2m sde karras"))
    >>> cls.__name__, kwargs
    ('DPMSolverMultistepScheduler', {'use_karras_sigmas': True, 'algorithm_type': 'sde-dpmsolver++'})
    """
    cls = getattr(diffusers, sampler.scheduler, None)
    backends = getattr(cls, "_backends", None)
    if isinstance(cls, type) and backends:
        # diffusers' stand-in for a class whose own dependency (scipy for LMS) is missing
        needs = " ".join(b for b in backends if b not in ("torch",)) or " ".join(backends)
        raise PresetError(f"sampler {sampler.name!r} ({sampler.scheduler}) needs {needs}: pip install {needs}")
    # every diffusers scheduler derives from SchedulerMixin; anything else (a pipeline, a model) is a typo
    if not isinstance(cls, type) or not issubclass(cls, diffusers.SchedulerMixin):
        where = "" if sampler.origin == "bundled" else f" (defined in {sampler.origin})"
        raise PresetError(
            f"sampler {sampler.name!r}{where} names scheduler {sampler.scheduler!r}, which diffusers "
            f"{diffusers.__version__} does not have; name a diffusers scheduler class such as "
            "EulerAncestralDiscreteScheduler"
        )
    return cls, dict(sampler.options)


def scheduler_from_config(sampler: Any, config: Any) -> Any:
    """A new scheduler for ``sampler`` built from a pipeline's scheduler ``config``.

    The model's own settings (beta schedule, timestep spacing, prediction type) come from
    ``config``; the preset's options are applied over them.

    >>> from animagine_prompt.presets import bundled_presets
    >>> base = diffusers.EulerDiscreteScheduler(timestep_spacing="leading")
    >>> new = scheduler_from_config(bundled_presets().sampler("DPM++ 2M Karras"), base.config)
    >>> type(new).__name__, new.config.use_karras_sigmas, new.config.timestep_spacing
    ('DPMSolverMultistepScheduler', True, 'leading')
    """
    cls, kwargs = resolve_scheduler(sampler)
    return cls.from_config(config, **kwargs)
