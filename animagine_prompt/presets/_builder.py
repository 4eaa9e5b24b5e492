"""``PromptBuilder``: assemble a prompt from tags and presets; ``BuiltPrompt``: the immutable result.

>>> from animagine_prompt.presets import PromptBuilder, bundled_presets
>>> b = PromptBuilder(presets=bundled_presets())
>>> built = b.tags("1girl, solo").quality("standard").negative("bad hands").seed(7).build()
>>> built.prompt
'masterpiece, best quality, 1girl, solo'
>>> built.negative_prompt.endswith("username, blurry")   # "bad hands" was already in the preset
True
>>> [m.describe() for m in built.merged]
["negative: 'bad hands' from user merged into 'bad hands' from quality (weight 1)"]
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any

from animagine_prompt.errors import UsageError
from animagine_prompt.limits import check_setting
from animagine_prompt.syntax import Prompt, parse

from ._library import PresetLibrary, load_presets
from ._merge import MergedTag, Origin, Part, dedupe, glued, join_negatives, join_parts, template_joins
from ._models import QualityPreset, StylePreset
from ._order import animagine_order
from ._resolution import Size

__all__ = ["BuiltPrompt", "Hires", "PromptBuilder"]

_ESCAPED = re.compile(r"\\[()\[\]]")


@dataclass(frozen=True)
class Hires:
    """Second pass at a larger size (the app's "upscaler"): latent upscale by ``upscale_by`` with
    ``method``, then img2img at ``strength``.

    >>> Hires().size(832, 1216).label
    '1248 x 1824'
    """

    upscale_by: float = 1.5
    strength: float = 0.55
    method: str = "nearest-exact"

    def __post_init__(self) -> None:
        check_setting("upscale", self.upscale_by, label="hires upscale")
        check_setting("strength", self.strength, label="hires strength")

    def size(self, width: int, height: int) -> Size:
        """The final image size for a first pass of ``width`` x ``height`` (truncated as the app does)."""
        return Size(width, height).scaled(self.upscale_by)


@dataclass(frozen=True)
class BuiltPrompt:
    """Everything a generation needs, and what it was built from; immutable.

    ``merged`` lists the repeated tags that were merged. ``scheduler`` and ``scheduler_options``
    are the diffusers scheduler the sampler stands for (plain data; ``animagine_prompt.pipeline`` builds the scheduler).
    """

    prompt: str
    negative_prompt: str
    width: int
    height: int
    sampler: str
    scheduler: str
    scheduler_options: Mapping[str, Any]
    steps: int
    guidance: float
    seed: int | None
    hires: Hires | None
    quality: str
    quality_title: str
    style: str
    style_title: str
    negative_preset: str | None = None
    resolution: str | None = None
    add_quality_tags: bool = True
    user_prompt: str = ""
    user_negative: str = ""
    merged: tuple[MergedTag, ...] = ()

    @property
    def size(self) -> Size:
        """The first-pass size."""
        return Size(self.width, self.height, self.resolution)

    @cached_property
    def parsed_prompt(self) -> Prompt:
        """:attr:`prompt` parsed (A1111 dialect): the builder's own parse when it read the final
        text, else parsed once on first use. Generation and the analysis start from it.

        >>> from animagine_prompt.presets import PromptBuilder, bundled_presets
        >>> built = PromptBuilder(presets=bundled_presets()).tags("1girl, (smile:1.2)").quality("standard").build()
        >>> [t.text for t in built.parsed_prompt.tags()]
        ['masterpiece', 'best quality', '1girl', 'smile']
        """
        return parse(self.prompt)

    @cached_property
    def parsed_negative(self) -> Prompt:
        """:attr:`negative_prompt` parsed (A1111 dialect), as :attr:`parsed_prompt`.

        >>> from animagine_prompt.presets import PromptBuilder, bundled_presets
        >>> PromptBuilder(presets=bundled_presets()).tags("1girl").negative("lowres").build().parsed_negative.text
        'lowres'
        """
        return parse(self.negative_prompt)

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready data.

        >>> from animagine_prompt.presets import PromptBuilder, bundled_presets
        >>> PromptBuilder(presets=bundled_presets()).tags("1girl").build().to_dict()["scheduler"]
        'EulerAncestralDiscreteScheduler'
        """
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "scheduler_options":
                value = dict(value)
            elif f.name == "merged":
                value = [asdict(m) for m in value]
            elif isinstance(value, Hires):
                value = asdict(value)
            data[f.name] = value
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text.

        >>> from animagine_prompt.presets import PromptBuilder, bundled_presets
        >>> import json
        >>> json.loads(PromptBuilder(presets=bundled_presets()).tags("1girl").build().to_json())["width"]
        1024
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_metadata(self, **extra: Any) -> dict[str, Any]:
        """The Animagine app's metadata dict (saved as JSON in its PNGs' ``metadata`` text chunk).

        ``extra`` adds keys the generator knows (``datetime``, ``Model``, ...).

        >>> from animagine_prompt.presets import PromptBuilder, bundled_presets
        >>> meta = (PromptBuilder(presets=bundled_presets()).tags("1girl").quality("heavy")
        ...         .size("832x1216").hires().build().to_metadata())
        >>> meta["quality_tags"], meta["resolution"], meta["use_upscaler"]["new_resolution"]
        ('Heavy', '832 x 1216', '1248 x 1824')
        """
        upscaler = None
        if self.hires is not None:
            upscaler = {
                "upscale_method": self.hires.method,
                "upscaler_strength": self.hires.strength,
                "upscale_by": self.hires.upscale_by,
                "new_resolution": self.hires.size(self.width, self.height).label,
            }
        guidance = int(self.guidance) if float(self.guidance).is_integer() else self.guidance
        return {
            "prompt": self.prompt,
            "negative_prompt": self.negative_prompt,
            "resolution": self.size.label,
            "guidance_scale": guidance,
            "num_inference_steps": self.steps,
            "seed": self.seed,
            "sampler": self.sampler,
            "sdxl_style": self.style_title,
            "add_quality_tags": self.add_quality_tags,
            "quality_tags": self.quality_title,
            "use_upscaler": upscaler,
            **extra,
        }


@dataclass(frozen=True)
class _Piece:
    text: str
    role: str  # "tags", "character" or "series"


@dataclass(frozen=True)
class PromptBuilder:
    """Fluent, immutable prompt builder: every method returns a new builder.

    Unset choices come from the library's ``defaults`` (bundled: no quality tags, no style,
    1024x1024, Euler a, guidance 12, 50 steps: the Animagine XL 2.0 card's settings).

    >>> from animagine_prompt.presets import bundled_presets
    >>> base = PromptBuilder(presets=bundled_presets()).quality("heavy").style("photographic")
    >>> base.tags("1girl, {not a placeholder}").build().prompt[:45]
    'cinematic photo (masterpiece), (best quality)'
    >>> "{not a placeholder}" in base.tags("1girl, {not a placeholder}").build().prompt
    True
    """

    presets: PresetLibrary | None = None
    _pieces: tuple[_Piece, ...] = ()
    _quality: str | None = None
    _add_quality_tags: bool = True
    _style: str | None = None
    _negative: str = ""
    _negative_preset: str | None = None
    _size: str | tuple[int, int] | None = None
    _sampler: str | None = None
    _seed: int | None = None
    _steps: int | None = None
    _guidance: float | None = None
    _hires: bool = False
    # hires settings the caller gave; the rest come from the library's defaults at build time
    _hires_options: tuple[tuple[str, Any], ...] = ()
    _dedupe: bool = True
    _order: bool = False

    def tags(self, *texts: str) -> PromptBuilder:
        """Add prompt text (tags, weights, any prompt syntax); pieces are joined with ``", "``.

        A single piece is used exactly as given.

        >>> PromptBuilder().tags("1girl", "(green hair:1.2)")._user_prompt()
        '1girl, (green hair:1.2)'
        """
        return replace(self, _pieces=self._pieces + tuple(_Piece(t, "tags") for t in texts))

    def character(self, name: str, series: str | None = None) -> PromptBuilder:
        """Add a character (and its series) tag, brackets escaped as prompts need them.

        Danbooru spelling is accepted: ``hu_tao_(genshin_impact)`` becomes ``hu tao \\(genshin impact\\)``.

        >>> print(PromptBuilder().character("hu_tao_(genshin_impact)", "genshin impact")._user_prompt())
        hu tao \\(genshin impact\\), genshin impact
        """
        pieces = [_Piece(_prompt_form(name), "character")]
        if series:
            pieces.append(_Piece(_prompt_form(series), "series"))
        return replace(self, _pieces=self._pieces + tuple(pieces))

    def quality(self, name: str | None, *, tags: bool = True) -> PromptBuilder:
        """Use the quality preset ``name`` (``None``: the default one); ``tags=False`` keeps only
        its negative (the app's "add quality tags" switched off).

        >>> PromptBuilder().quality("heavy", tags=False)._add_quality_tags
        False
        """
        return replace(self, _quality=name, _add_quality_tags=tags)

    def style(self, name: str) -> PromptBuilder:
        """Use the style preset ``name``.

        >>> PromptBuilder().style("anime")._style
        'anime'
        """
        return replace(self, _style=name)

    def negative(self, text: str = "", *, preset: str | None = None) -> PromptBuilder:
        """Set the user's negative prompt and/or a negative preset (which goes before the text).

        >>> PromptBuilder().negative("bad hands", preset="standard")._negative_preset
        'standard'
        """
        return replace(self, _negative=text, _negative_preset=preset)

    def size(self, spec: str | int, height: int | None = None) -> PromptBuilder:
        """Set the size: a resolution name, ``"WxH"``, an aspect ratio ``"3:4"``, or ``size(w, h)``.

        >>> PromptBuilder().size(832, 1216)._size
        (832, 1216)
        """
        if isinstance(spec, int):
            if height is None:
                raise UsageError("size(width, height) needs both numbers, or one string such as '832x1216'")
            return replace(self, _size=(spec, height))
        return replace(self, _size=spec)

    def sampler(self, name: str) -> PromptBuilder:
        """Use the sampler ``name`` (``"Euler a"``, ``"DPM++ 2M Karras"``, ...).

        >>> PromptBuilder().sampler("DDIM")._sampler
        'DDIM'
        """
        return replace(self, _sampler=name)

    def seed(self, seed: int | None) -> PromptBuilder:
        """Set the seed (``None``: the generator picks one).

        >>> PromptBuilder().seed(1082676886)._seed
        1082676886
        """
        return replace(self, _seed=None if seed is None else check_setting("seed", seed))

    def steps(self, steps: int) -> PromptBuilder:
        """Set the number of inference steps.

        >>> PromptBuilder().steps(28)._steps
        28
        """
        return replace(self, _steps=check_setting("steps", steps))

    def guidance(self, scale: float) -> PromptBuilder:
        """Set the guidance (CFG) scale.

        >>> PromptBuilder().guidance(7)._guidance
        7.0
        """
        return replace(self, _guidance=check_setting("guidance", scale))

    def hires(
        self,
        enabled: bool = True,
        *,
        upscale_by: float | None = None,
        strength: float | None = None,
        method: str | None = None,
    ) -> PromptBuilder:
        """Switch the second, upscaled pass on (settings default to the library's: 1.5, 0.55, nearest-exact).

        >>> PromptBuilder().hires(strength=0.4)._hires_options
        (('strength', 0.4),)
        """
        if not enabled:
            return replace(self, _hires=False, _hires_options=())
        given: dict[str, Any] = {"upscale_by": upscale_by, "strength": strength, "method": method}
        options = tuple((k, v) for k, v in given.items() if v is not None)
        Hires(**dict(options))  # check the values now, where the caller gave them
        return replace(self, _hires=True, _hires_options=options)

    def dedupe(self, enabled: bool = True) -> PromptBuilder:
        """Whether repeated tags are merged (on by default).

        >>> PromptBuilder().tags("a, a").dedupe(False)._dedupe
        False
        """
        return replace(self, _dedupe=enabled)

    def order(self, enabled: bool = True) -> PromptBuilder:
        """Sort the prompt in the order later Animagine cards recommend: ``1girl``/``1boy``,
        character, series, everything else, then quality tags (off by default).

        >>> PromptBuilder().order()._order
        True
        """
        return replace(self, _order=enabled)

    def _user_prompt(self) -> str:
        texts = [p.text for p in self._pieces]
        if len(texts) == 1:
            return texts[0]
        return ", ".join(t for t in texts if t.strip())

    def build(self) -> BuiltPrompt:
        """Resolve the presets and merge everything into a :class:`BuiltPrompt`.

        >>> from animagine_prompt.presets import bundled_presets
        >>> built = PromptBuilder(presets=bundled_presets()).tags("1girl").style("anime").build()
        >>> built.prompt
        'anime artwork 1girl . anime style, key visual, vibrant, studio anime,  highly detailed'
        """
        lib = self.presets if self.presets is not None else load_presets()
        defaults = lib.defaults
        quality = lib.quality(self._quality or defaults.quality)
        style = lib.style(self._style or defaults.style)
        negative_name = self._negative_preset or defaults.negative
        negative_preset = lib.negative(negative_name) if negative_name else None
        size = lib.size(self._size if self._size is not None else defaults.resolution)
        sampler = lib.sampler(self._sampler or defaults.sampler)
        hires = None
        if self._hires:
            hires = Hires(**{**defaults.hires.model_dump(), **dict(self._hires_options)})

        user = self._user_prompt()
        prompt, merged, parsed = self._positive(user, quality, style)
        negative_parts = [
            Part(style.negative_prompt, "style"),
            Part(quality.negative_prompt, "quality"),
            Part(negative_preset.negative_prompt if negative_preset else "", "negative preset"),
            Part(self._negative, "user"),
        ]
        negative, origins = join_negatives(negative_parts)
        parsed_negative = None
        if self._dedupe:
            negative, more, parsed_negative = _dedupe_once(negative, origins, prompt="negative")
            merged += more

        built = BuiltPrompt(
            prompt=prompt,
            negative_prompt=negative,
            width=size.width,
            height=size.height,
            sampler=sampler.name,
            scheduler=sampler.scheduler,
            scheduler_options=MappingProxyType(dict(sampler.options)),
            steps=self._steps if self._steps is not None else defaults.steps,
            guidance=self._guidance if self._guidance is not None else defaults.guidance,
            seed=self._seed,
            hires=hires,
            quality=quality.key,
            quality_title=quality.display_name,
            style=style.key,
            style_title=style.display_name,
            negative_preset=negative_preset.key if negative_preset else None,
            resolution=size.name,
            add_quality_tags=self._add_quality_tags,
            user_prompt=user,
            user_negative=self._negative,
            merged=tuple(merged),
        )
        # The texts the merge parsed are the final ones unless it glued joints or removed repeats:
        # then generation and the analysis take that parse instead of parsing again.
        for name, value in (("parsed_prompt", parsed), ("parsed_negative", parsed_negative)):
            if value is not None:
                vars(built)[name] = value
        return built

    def _positive(
        self, user: str, quality: QualityPreset, style: StylePreset
    ) -> tuple[str, list[MergedTag], Prompt | None]:
        # An empty prompt gets no template at all, as in the app.
        if not user.strip():
            return user, [], None
        joins: list[int] = []
        if self._add_quality_tags:
            text, origins = join_parts(
                [Part(quality.prefix, "quality"), Part(user, "user"), Part(quality.suffix, "quality")]
            )
            joins = template_joins(text, len(quality.prefix), len(quality.prefix) + len(user))
        else:
            text, origins = join_parts([Part(user, "user")])
        if self._order:
            roles = {p.text.strip(): p.role for p in self._pieces if p.role != "tags"}
            text, origins = animagine_order(text, origins, roles)
            joins = []  # reordering puts commas between everything
        # The style template wraps the result, and one merge over the whole text removes the repeats
        # within and across both templates: the text is parsed once.
        shift = len(style.prefix)
        wrapped: list[Origin] = [(0, shift, "style")]
        wrapped += [(s + shift, e + shift, label) for s, e, label in origins]
        text = style.apply(text)
        wrapped.append((len(text) - len(style.suffix), len(text), "style"))
        if not self._dedupe:
            return text, [], None
        joins = [j + shift for j in joins] + template_joins(text, shift, len(text) - len(style.suffix))
        return _dedupe_once(text, wrapped, joins=joins)


def _dedupe_once(
    text: str, origins: list[Origin], *, prompt: str = "positive", joins: list[int] | None = None
) -> tuple[str, list[MergedTag], Prompt | None]:
    """``dedupe`` on one parse, handed out when it is the parse of the text returned."""
    virtual = glued(text, joins or ())
    parsed = parse(virtual)
    new, merged, _ = dedupe(text, origins, prompt=prompt, joins=joins or (), parsed=parsed)
    return new, merged, parsed if new == virtual else None


def _prompt_form(name: str) -> str:
    if _ESCAPED.search(name):
        return name  # already written for a prompt
    from animagine_prompt.tags import to_prompt_form

    return to_prompt_form(name.strip())
