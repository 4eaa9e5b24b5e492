"""The presets a face lets people pick, and the prompts they build."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.presets import BuiltPrompt, PresetLibrary

__all__ = ["PresetChoice"]


@dataclass(frozen=True)
class PresetChoice:
    """Which quality, style and negative presets to build the prompts with (``None``: not chosen).

    ``quality_tags=False`` keeps only the quality preset's negative (the Animagine app's "add
    quality tags" switched off).

    >>> PresetChoice(quality="heavy", style="anime").describe("Heavy", "Anime", None)
    'quality Heavy, style Anime'
    >>> PresetChoice().chosen
    False
    """

    quality: str | None = None
    style: str | None = None
    negative: str | None = None
    quality_tags: bool = True

    @property
    def chosen(self) -> bool:
        """Whether any preset was chosen (otherwise the prompts are read as written)."""
        return bool(self.quality or self.style or self.negative)

    def describe(self, quality_title: str, style_title: str, negative: str | None) -> str:
        """``quality <title>, style <title>, negative <name>`` for the presets chosen."""
        used = []
        if self.quality:
            used.append(f"quality {quality_title}")
        if self.style:
            used.append(f"style {style_title}")
        if negative:
            used.append(f"negative {negative}")
        return ", ".join(used)

    def build(self, prompt: str, negative: str | None, library: PresetLibrary) -> tuple[BuiltPrompt, str | None]:
        """The prompts these presets build from ``prompt`` and ``negative``, and the negative to
        show: ``None`` when the presets gave none and none was written.

        >>> from animagine_prompt.presets import bundled_presets
        >>> built, negative = PresetChoice(quality="standard").build("1girl", None, bundled_presets())
        >>> built.prompt, negative.split(", ")[:2]
        ('masterpiece, best quality, 1girl', ['lowres', 'bad anatomy'])
        """
        from animagine_prompt.presets import PromptBuilder

        builder = PromptBuilder(presets=library).tags(prompt)
        if self.quality:
            builder = builder.quality(self.quality, tags=self.quality_tags)
        if self.style:
            builder = builder.style(self.style)
        if negative or self.negative:
            builder = builder.negative(negative or "", preset=self.negative)
        built = builder.build()
        shown = built.negative_prompt if built.negative_prompt or negative is not None else None
        return built, shown
