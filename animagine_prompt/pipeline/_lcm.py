"""LCM mode: a few-step preview through the LCM-LoRA and ``LCMScheduler``.

Latent Consistency Models sample in 4 to 8 steps at a low guidance scale. For SDXL models that were
not distilled themselves, the LCM-LoRA adapter (``latent-consistency/lcm-lora-sdxl``) gives the
model that ability; it is loaded like any other LoRA (``<lora_dir>/lcm-lora-sdxl.safetensors``
first, then the name map), so a local copy works offline. Beyond about 16 steps or a guidance of 3
the images degrade (burnt colours, lost detail): such settings are allowed but warned about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from animagine_prompt.errors import UsageError
from animagine_prompt.pipeline._lora import LoraRequest

__all__ = [
    "LCM_GUIDANCE",
    "LCM_LORA",
    "LCM_SAMPLER",
    "LCM_SCHEDULER",
    "LCM_STEPS",
    "LcmPlan",
    "LcmSettingsWarning",
    "lcm_loras",
    "lcm_warnings",
    "plan_lcm",
]

#: The LoRA name LCM mode loads (a companion-map name, or a file of that name in the LoRA folder).
LCM_LORA = "lcm-lora-sdxl"
#: The bundled sampler preset of LCM mode, and the diffusers scheduler class that marks any preset as LCM.
LCM_SAMPLER = "LCM"
LCM_SCHEDULER = "LCMScheduler"
#: Defaults when the caller sets no steps or guidance (the LCM-LoRA's recommended range is 4-8 steps, 1-2 guidance).
LCM_STEPS = 8
LCM_GUIDANCE = 1.5
# past these the LCM-LoRA's output degrades
_MAX_STEPS = 16
_MAX_GUIDANCE = 3.0


class LcmSettingsWarning(UserWarning):
    """LCM mode runs with steps or guidance where its images degrade (the message says which)."""


@dataclass(frozen=True)
class LcmPlan:
    """The sampler, steps and guidance one call runs with, and whether that is LCM mode.

    ``steps`` and ``guidance`` stay ``None`` where the caller left them to the presets' defaults
    (outside LCM mode).

    >>> plan_lcm(True, sampler=None, steps=None, guidance=None, default_sampler="Euler a", is_lcm=lambda s: s == "LCM")
    LcmPlan(enabled=True, sampler='LCM', steps=8, guidance=1.5)
    """

    enabled: bool
    sampler: str | None
    steps: int | None
    guidance: float | None


def lcm_warnings(steps: int, guidance: float) -> list[str]:
    """What is wrong with ``steps`` and ``guidance`` for LCM sampling (empty when nothing is).

    >>> lcm_warnings(8, 1.5)
    []
    >>> lcm_warnings(25, 7.0)  # doctest: +NORMALIZE_WHITESPACE
    ['LCM mode with 25 steps: LCM images degrade past 16 steps; use 4 to 8',
     'LCM mode with guidance 7.0: LCM images burn out past guidance 3; use 1 to 2 (1 or less skips the negative)']
    """
    out = []
    if steps > _MAX_STEPS:
        out.append(f"LCM mode with {steps} steps: LCM images degrade past {_MAX_STEPS} steps; use 4 to 8")
    if guidance > _MAX_GUIDANCE:
        out.append(
            f"LCM mode with guidance {guidance}: LCM images burn out past guidance {_MAX_GUIDANCE:g}; "
            "use 1 to 2 (1 or less skips the negative)"
        )
    return out


def plan_lcm(
    lcm: bool,
    *,
    sampler: str | None,
    steps: int | None,
    guidance: float | None,
    default_sampler: str,
    is_lcm: Callable[[str], bool],
) -> LcmPlan:
    """Decide the sampler and LCM defaults of one call.

    LCM mode is on when ``lcm`` is true or the chosen sampler is an LCM one (``is_lcm(name)``,
    e.g. the bundled ``LCM`` preset); it then fills in :data:`LCM_STEPS` and :data:`LCM_GUIDANCE`
    where the caller set nothing. ``lcm=True`` with another sampler named is refused.

    >>> lcm_named = lambda s: s.lower() == "lcm"
    >>> plan_lcm(False, sampler="lcm", steps=4, guidance=None, default_sampler="Euler a", is_lcm=lcm_named)
    LcmPlan(enabled=True, sampler='lcm', steps=4, guidance=1.5)
    >>> plan_lcm(False, sampler=None, steps=None, guidance=None, default_sampler="Euler a", is_lcm=lcm_named)
    LcmPlan(enabled=False, sampler='Euler a', steps=None, guidance=None)
    >>> plan_lcm(True, sampler="Euler a", steps=None, guidance=None, default_sampler="Euler a", is_lcm=lcm_named)
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: LCM mode samples with the LCM sampler, not 'Euler a': leave the sampler unset
    """
    if lcm and sampler is not None and not is_lcm(sampler):
        raise UsageError(f"LCM mode samples with the LCM sampler, not {sampler!r}: leave the sampler unset")
    chosen = sampler or (LCM_SAMPLER if lcm else default_sampler)
    enabled = lcm or is_lcm(chosen)
    if not enabled:
        return LcmPlan(False, chosen, steps, guidance)
    return LcmPlan(
        True,
        chosen,
        LCM_STEPS if steps is None else steps,
        LCM_GUIDANCE if guidance is None else guidance,
    )


def lcm_loras(requests: Sequence[LoraRequest], name: str = LCM_LORA) -> list[LoraRequest]:
    """``requests`` with the LCM-LoRA at full weight added, unless the prompt names it already.

    >>> [r.name for r in lcm_loras([LoraRequest("detail", 0.5, 0.5)])]
    ['detail', 'lcm-lora-sdxl']
    >>> [r.unet_weight for r in lcm_loras([LoraRequest("lcm-lora-sdxl", 0.8, 0.8)])]
    [0.8]
    """
    if any(r.name == name for r in requests):
        return list(requests)
    return [*requests, LoraRequest(name, 1.0, 1.0)]
