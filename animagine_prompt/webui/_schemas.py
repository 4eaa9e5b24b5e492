"""Request bodies, validated by pydantic before an endpoint runs (FastAPI documents them at ``/docs``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AnalyzeBody",
    "CompleteResponse",
    "GenerateBody",
    "InfoResponse",
    "JobStarted",
    "LoraChoice",
    "PngSettings",
    "PresetsBody",
]


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
    negative: str | None = ""
    presets: PresetsBody = Field(default_factory=PresetsBody)
    size: str | None = Field(default=None, max_length=50)
    sampler: str | None = Field(default=None, max_length=100)
    steps: int | None = None
    guidance: float | None = Field(default=None, allow_inf_nan=False)
    seed: int | None = None
    num_images: int = 1
    hires: bool = False
    loras: list[LoraChoice] = Field(default_factory=list, max_length=20)


# -- responses (for the schema at /docs; the endpoints build them as plain JSON) ---------------------


class PresetNames(BaseModel):
    quality: list[str]
    style: list[str]
    negative: list[str]


class SizeInfo(BaseModel):
    name: str
    width: int
    height: int


class Defaults(BaseModel):
    quality: str
    style: str
    size: str
    sampler: str
    steps: int
    guidance: float
    hires: bool


class Limits(BaseModel):
    prompt_chars: int
    body_bytes: int
    png_bytes: int


class InfoResponse(BaseModel):
    """``GET /api/info``."""

    version: str
    generate: bool
    generate_reason: str | None
    model: str | None
    presets: PresetNames
    sizes: list[SizeInfo]
    samplers: list[str]
    defaults: Defaults
    loras: list[str]
    limits: Limits


class CompletionItem(BaseModel):
    label: str
    insert: str
    category: str
    category_id: int
    count: int
    alias: str | None


class CompleteResponse(BaseModel):
    """``GET /api/complete``: prefix matches by post count, then near matches."""

    items: list[CompletionItem]


class JobStarted(BaseModel):
    """``POST /api/generate`` (202): the job's id and the seed of its first image."""

    job: str
    seed: int


class Settings(BaseModel):
    prompt: str
    negative: str
    presets: dict[str, str | bool | None]
    size: str | None
    sampler: str | None
    steps: int | None
    guidance: float | None
    seed: int | None
    num_images: int
    hires: bool
    loras: list[dict[str, str | float]]


class PngSettings(BaseModel):
    """``POST /api/read-png``: what a dropped PNG was made with, in the shape generate takes."""

    prompt: str
    negative: str
    settings: Settings
