"""Turning a sampler preset into a diffusers scheduler: the only place diffusers is named, imported lazily."""

from __future__ import annotations

import importlib.util
from typing import Any

from animagine_prompt.errors import MissingDependencyError, PresetError

from ._models import SamplerPreset

__all__ = ["resolve_scheduler", "scheduler_from_config"]


def resolve_scheduler(sampler: SamplerPreset) -> tuple[type, dict[str, Any]]:
    """The diffusers scheduler class of ``sampler`` and the keyword arguments to create it with.

    Imports diffusers (and so torch) only when called.

    >>> from animagine_prompt.presets import bundled_presets
    >>> cls, kwargs = resolve_scheduler(bundled_presets().sampler("dpm++ 2m sde karras"))  # doctest: +SKIP
    >>> cls.__name__, kwargs  # doctest: +SKIP
    ('DPMSolverMultistepScheduler', {'use_karras_sigmas': True, 'algorithm_type': 'sde-dpmsolver++'})
    """
    try:
        import diffusers
    except ImportError as exc:
        raise MissingDependencyError(f"the {sampler.name!r} sampler") from exc
    cls = getattr(diffusers, sampler.scheduler, None)
    if not isinstance(cls, type) or not hasattr(cls, "from_config"):
        where = "" if sampler.origin == "bundled" else f" (defined in {sampler.origin})"
        raise PresetError(
            f"sampler {sampler.name!r}{where} names scheduler {sampler.scheduler!r}, which diffusers "
            f"{diffusers.__version__} does not have; name a diffusers scheduler class such as "
            "EulerDiscreteScheduler"
        )
    missing = [b for b in getattr(cls, "_backends", ()) if importlib.util.find_spec(b) is None]
    if missing:
        # diffusers exports a placeholder when a scheduler's own dependency (scipy for LMS) is missing.
        error = MissingDependencyError(f"the {sampler.name!r} sampler")
        # The message names the scheduler's own dependency, not this package's extra.
        error.msg = (
            f"the {sampler.name!r} sampler uses {sampler.scheduler}, which needs {', '.join(missing)}: "
            f"pip install {' '.join(missing)}"
        )
        error.args = (error.msg,)
        raise error
    return cls, dict(sampler.options)


def scheduler_from_config(sampler: SamplerPreset, config: Any) -> Any:
    """A scheduler for ``sampler`` built from a pipeline's scheduler ``config`` (``pipe.scheduler.config``).

    >>> from animagine_prompt.presets import bundled_presets
    >>> import diffusers  # doctest: +SKIP
    >>> base = diffusers.EulerDiscreteScheduler()  # doctest: +SKIP
    >>> euler_a = bundled_presets().sampler("Euler a")
    >>> type(scheduler_from_config(euler_a, base.config)).__name__  # doctest: +SKIP
    'EulerAncestralDiscreteScheduler'
    """
    cls, kwargs = resolve_scheduler(sampler)
    return cls.from_config(config, **kwargs)
