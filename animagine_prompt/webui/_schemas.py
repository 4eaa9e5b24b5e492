"""Request bodies, validated by pydantic before an endpoint runs (FastAPI documents them at ``/docs``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AnalyzeBody", "GenerateBody", "LoraChoice", "PresetsBody"]


class _Body(BaseModel):
    # a misspelt key ("negativ") is an error, not a setting silently ignored
    model_config = ConfigDict(extra="forbid")


class PresetsBody(_Body):
    """The preset selects: names from ``/api/info`` (``null``: not chosen)."""

    quality: str | None = Field(default=None, max_length=200)
    style: str | None = Field(default=None, max_length=200)
    negative: str | None = Field(default=None, max_length=200)
    quality_tags: bool = True


class AnalyzeBody(_Body):
    """``POST /api/analyze``: the two editors' texts and the presets they are built with."""

    prompt: str
    negative: str | None = None
    presets: PresetsBody = Field(default_factory=PresetsBody)


class LoraChoice(_Body):
    """A LoRA from the ``/api/info`` list and its weight; it is added to the prompt as ``<lora:name:weight>``."""

    name: str = Field(min_length=1, max_length=255)
    weight: float = Field(default=1.0, ge=-10.0, le=10.0, allow_inf_nan=False)


class GenerateBody(_Body):
    """``POST /api/generate``: what ``AnimaginePipeline.generate`` takes, as the page sends it."""

    prompt: str
    negative: str = ""
    presets: PresetsBody = Field(default_factory=PresetsBody)
    size: str | None = Field(default=None, max_length=50)
    sampler: str | None = Field(default=None, max_length=100)
    steps: int | None = None
    guidance: float | None = Field(default=None, allow_inf_nan=False)
    seed: int | None = None
    num_images: int = 1
    hires: bool = False
    loras: list[LoraChoice] = Field(default_factory=list, max_length=20)
