"""Generation with diffusers: A1111-syntax prompts, the Animagine card's settings, presets, LoRAs, hires.

This package imports torch and diffusers; ``import animagine_prompt`` loads it only when ``load`` or
``AnimaginePipeline`` is first used. See ``docs/generate.md`` for examples.

>>> from animagine_prompt.pipeline import COMPANION_LORAS, DEFAULT_MODEL
>>> DEFAULT_MODEL, sorted(COMPANION_LORAS)[0]
('Linaqruf/animagine-xl-2.0', 'anime-detailer-xl')
"""

from __future__ import annotations

from animagine_prompt.pipeline._devices import resolve_device, resolve_dtype
from animagine_prompt.pipeline._fast import FastOptions
from animagine_prompt.pipeline._lcm import LCM_GUIDANCE, LCM_LORA, LCM_SAMPLER, LCM_STEPS, LcmSettingsWarning
from animagine_prompt.pipeline._load import DEFAULT_MODEL, DEFAULT_VAE, load
from animagine_prompt.pipeline._lora import COMPANION_LORAS, LoraRequest, lora_requests
from animagine_prompt.pipeline._pipeline import AnimaginePipeline
from animagine_prompt.pipeline._result import Generation, Timings
from animagine_prompt.pipeline._sampling import StepInfo
from animagine_prompt.pipeline._schedule import StepText
from animagine_prompt.pipeline._schedulers import resolve_scheduler, scheduler_from_config

__all__ = [
    "COMPANION_LORAS",
    "DEFAULT_MODEL",
    "DEFAULT_VAE",
    "LCM_GUIDANCE",
    "LCM_LORA",
    "LCM_SAMPLER",
    "LCM_STEPS",
    "AnimaginePipeline",
    "FastOptions",
    "Generation",
    "LcmSettingsWarning",
    "LoraRequest",
    "StepInfo",
    "StepText",
    "Timings",
    "load",
    "lora_requests",
    "resolve_device",
    "resolve_dtype",
    "resolve_scheduler",
    "scheduler_from_config",
]
