"""Quality, style, negative, resolution and sampler presets, and the prompt builder that merges them.

>>> from animagine_prompt.presets import PromptBuilder, bundled_presets
>>> built = (PromptBuilder(presets=bundled_presets()).tags("1girl, green hair")
...          .quality("heavy").style("anime").size("3:4").build())
>>> built.prompt.split(" . ")[0]
'anime artwork (masterpiece), (best quality), (ultra-detailed), 1girl, green hair, illustration, \
disheveled hair, detailed eyes, perfect composition, moist skin, intricate details, earrings'
>>> built.width, built.height, built.sampler
(896, 1152, 'Euler a')

Names are loaded on first use: importing this package costs almost nothing and never imports
pydantic until a name is used, and never torch or diffusers: sampler presets name their diffusers
scheduler as plain data, which ``animagine_prompt.pipeline`` turns into a scheduler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt._lazy import lazy_exports

# public name -> private module defining it
_EXPORTS: dict[str, str] = {
    "BUNDLED_DIR": "._paths",
    "BuiltPrompt": "._builder",
    "Hires": "._builder",
    "MergedTag": "._merge",
    "NegativePreset": "._models",
    "Preset": "._models",
    "PresetKind": "._models",
    "PresetLibrary": "._library",
    "PromptBuilder": "._builder",
    "QualityPreset": "._models",
    "ResolutionPreset": "._models",
    "SamplerPreset": "._models",
    "Size": "._resolution",
    "StylePreset": "._models",
    "bundled_presets": "._library",
    "load_presets": "._library",
    "read_preset_file": "._loader",
    "user_preset_dir": "._paths",
}

if not TYPE_CHECKING:  # type checkers read the imports below instead
    __all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from ._builder import BuiltPrompt, Hires, PromptBuilder
    from ._library import PresetLibrary, bundled_presets, load_presets
    from ._loader import read_preset_file
    from ._merge import MergedTag
    from ._models import (
        NegativePreset,
        Preset,
        PresetKind,
        QualityPreset,
        ResolutionPreset,
        SamplerPreset,
        StylePreset,
    )
    from ._paths import BUNDLED_DIR, user_preset_dir
    from ._resolution import Size
