"""The preset kinds as pydantic models: what a preset file may contain, validated.

Every preset has a ``name`` (looked up loosely: case, spaces, ``_`` and ``-`` do not matter, and an
outer pair of parentheses is ignored, so ``"(None)"``, ``"none"`` and ``"NONE"`` are the same) and
an optional display ``title``, ``description``, ``source`` and ``aliases``.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

__all__ = [
    "PLACEHOLDER",
    "Defaults",
    "HiresDefaults",
    "NegativePreset",
    "Preset",
    "PresetFile",
    "PresetKind",
    "QualityPreset",
    "ResolutionPreset",
    "SamplerPreset",
    "StylePreset",
    "TemplatePreset",
    "preset_key",
]

#: The placeholder a template puts where the user's prompt goes (replaced literally, never formatted).
PLACEHOLDER = "{prompt}"

_SEPARATORS = re.compile(r"[\s_\-]+")


def preset_key(name: str) -> str:
    """The lookup key of a preset name: lower case, one ``-`` between words, outer parentheses dropped.

    >>> [preset_key(n) for n in ("(None)", "Digital Art", "sai-analog film", "Heavy v3.1")]
    ['none', 'digital-art', 'sai-analog-film', 'heavy-v3.1']
    """
    key = name.strip()
    if key.startswith("(") and key.endswith(")"):
        key = key[1:-1]
    return _SEPARATORS.sub("-", key.strip().lower()).strip("-")


class PresetKind(str, Enum):
    """The kinds of preset, named as the top-level keys of a preset file."""

    QUALITY = "quality"
    STYLE = "style"
    NEGATIVE = "negative"
    RESOLUTION = "resolution"
    SAMPLER = "sampler"


class _Model(BaseModel):
    # Unknown keys are errors: a typo such as "negativ_prompt" must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Preset(_Model):
    """Fields every preset kind shares.

    >>> p = QualityPreset(name="My Tags", prompt="{prompt}, masterpiece")
    >>> p.key, p.display_name, p.origin
    ('my-tags', 'My Tags', 'bundled')
    """

    kind: ClassVar[PresetKind]

    name: Annotated[str, Field(min_length=1)]
    title: str | None = None
    description: str = ""
    source: str = ""
    aliases: tuple[str, ...] = ()

    # Where the preset was read from ("bundled" or a file path); set by the loader, not by files.
    _origin: str = PrivateAttr(default="bundled")

    @field_validator("name")
    @classmethod
    def _name_has_words(cls, value: str) -> str:
        if not preset_key(value):
            raise ValueError("a preset name needs at least one letter or digit")
        return value

    @property
    def key(self) -> str:
        """The normalised name this preset is found under."""
        return preset_key(self.name)

    @property
    def display_name(self) -> str:
        """The title if there is one, else the name (what the Animagine apps show)."""
        return self.title or self.name

    @property
    def origin(self) -> str:
        """``"bundled"`` or the path of the file that defined this preset."""
        return self._origin


class TemplatePreset(Preset):
    """A preset that wraps the prompt: ``prompt`` holds ``{prompt}`` exactly once.

    >>> StylePreset(name="x", prompt="a {prompt} . b").apply("1girl, {braces} kept")
    'a 1girl, {braces} kept . b'
    """

    prompt: str = PLACEHOLDER
    negative_prompt: str = ""

    @field_validator("prompt")
    @classmethod
    def _one_placeholder(cls, value: str) -> str:
        count = value.count(PLACEHOLDER)
        if count != 1:
            found = "does not contain" if count == 0 else f"contains {count} times"
            raise ValueError(
                f"the template {found} {PLACEHOLDER}; write {PLACEHOLDER} once, where the user's prompt goes"
            )
        return value

    @property
    def prefix(self) -> str:
        """The template text before ``{prompt}``.

        >>> StylePreset(name="x", prompt="a {prompt} . b").prefix
        'a '
        """
        return self.prompt.partition(PLACEHOLDER)[0]

    @property
    def suffix(self) -> str:
        """The template text after ``{prompt}``.

        >>> StylePreset(name="x", prompt="a {prompt} . b").suffix
        ' . b'
        """
        return self.prompt.partition(PLACEHOLDER)[2]

    def apply(self, text: str) -> str:
        """Put ``text`` where ``{prompt}`` is; blank text gets no template (as the Animagine apps do).

        The text is inserted literally, so braces in it are safe (the apps used ``str.format``).

        >>> QualityPreset(name="q", prompt="masterpiece, {prompt}").apply("{x}")
        'masterpiece, {x}'
        >>> QualityPreset(name="q", prompt="masterpiece, {prompt}").apply("  ")
        '  '
        """
        if not text.strip():
            return text
        return self.prefix + text + self.suffix


class QualityPreset(TemplatePreset):
    """Quality tags around the prompt plus a negative (the Animagine apps' "quality tags").

    >>> QualityPreset(name="q", prompt="{prompt}, masterpiece").apply("1girl")
    '1girl, masterpiece'
    """

    kind: ClassVar[PresetKind] = PresetKind.QUALITY


class StylePreset(TemplatePreset):
    """An SDXL style: ``<prefix> {prompt} . <suffix>`` plus a negative.

    >>> StylePreset(name="s", prompt="anime artwork {prompt} . vibrant").apply("1girl")
    'anime artwork 1girl . vibrant'
    """

    kind: ClassVar[PresetKind] = PresetKind.STYLE


class NegativePreset(Preset):
    """A named negative prompt; it fills the user's part of the negative.

    >>> NegativePreset(name="n", negative_prompt="lowres").negative_prompt
    'lowres'
    """

    kind: ClassVar[PresetKind] = PresetKind.NEGATIVE

    negative_prompt: str


class ResolutionPreset(Preset):
    """A named image size; both sides must be positive multiples of 8 (what the SDXL VAE needs).

    >>> ResolutionPreset(name="tall", width=832, height=1216).ratio
    0.6842105263157895
    """

    kind: ClassVar[PresetKind] = PresetKind.RESOLUTION

    width: Annotated[int, Field(gt=0, multiple_of=8)]
    height: Annotated[int, Field(gt=0, multiple_of=8)]
    aspect: str | None = None

    @property
    def ratio(self) -> float:
        """Width divided by height."""
        return self.width / self.height


OptionValue = bool | int | float | str


class SamplerPreset(Preset):
    """A sampler name mapped to a diffusers scheduler class name and its arguments (plain data).

    >>> s = SamplerPreset(name="DPM++ 2M Karras", scheduler="DPMSolverMultistepScheduler",
    ...                   options={"use_karras_sigmas": True})
    >>> s.key, s.scheduler, s.options
    ('dpm++-2m-karras', 'DPMSolverMultistepScheduler', {'use_karras_sigmas': True})
    """

    kind: ClassVar[PresetKind] = PresetKind.SAMPLER

    scheduler: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
    options: dict[str, OptionValue] = Field(default_factory=dict)


class HiresDefaults(_Model):
    """The upscaler ("hires fix") settings of the Animagine app: latent upscale, then img2img.

    >>> HiresDefaults().upscale_by, HiresDefaults().strength, HiresDefaults().method
    (1.5, 0.55, 'nearest-exact')
    """

    upscale_by: Annotated[float, Field(gt=1.0, le=4.0)] = 1.5
    strength: Annotated[float, Field(ge=0.0, le=1.0)] = 0.55
    method: Annotated[str, Field(min_length=1)] = "nearest-exact"


class Defaults(_Model):
    """What a build uses when the caller does not say: preset names and generation settings.

    A preset file may set any of these; later files override earlier ones key by key.

    >>> Defaults().guidance, Defaults().steps, Defaults().sampler
    (12.0, 50, 'Euler a')
    """

    quality: str = "none"
    style: str = "none"
    negative: str | None = None
    resolution: str = "square"
    sampler: str = "Euler a"
    guidance: Annotated[float, Field(ge=0.0)] = 12.0
    steps: Annotated[int, Field(ge=1)] = 50
    hires: HiresDefaults = HiresDefaults()


class DefaultsPatch(_Model):
    """``defaults:`` as written in a file: every key optional."""

    quality: str | None = None
    style: str | None = None
    negative: str | None = None
    resolution: str | None = None
    sampler: str | None = None
    guidance: Annotated[float, Field(ge=0.0)] | None = None
    steps: Annotated[int, Field(ge=1)] | None = None
    hires: HiresDefaults | None = None

    def over(self, base: Defaults) -> Defaults:
        """``base`` with the keys this patch sets replaced.

        >>> DefaultsPatch(steps=28).over(Defaults()).steps
        28
        """
        update = {key: getattr(self, key) for key in self.model_fields_set if getattr(self, key) is not None}
        return base.model_copy(update=update)


class PresetFile(_Model):
    """One preset file: lists of presets under their kind, and optional ``defaults``.

    >>> f = PresetFile.model_validate({"style": [{"name": "mine", "prompt": "{prompt}, chibi"}]})
    >>> [p.key for p in f.style]
    ['mine']
    """

    quality: list[QualityPreset] = Field(default_factory=list)
    style: list[StylePreset] = Field(default_factory=list)
    negative: list[NegativePreset] = Field(default_factory=list)
    resolution: list[ResolutionPreset] = Field(default_factory=list)
    sampler: list[SamplerPreset] = Field(default_factory=list)
    defaults: DefaultsPatch | None = None

    def presets(self) -> list[Preset]:
        """Every preset of the file, kind by kind in file order.

        >>> PresetFile(negative=[NegativePreset(name="n", negative_prompt="x")]).presets()[0].key
        'n'
        """
        return [*self.quality, *self.style, *self.negative, *self.resolution, *self.sampler]
