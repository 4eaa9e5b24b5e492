"""animagine-prompt: write, lint, preview and render prompts for Animagine XL and other anime SDXL models.

>>> import animagine_prompt
>>> animagine_prompt.parse("1girl, (green hair:1.2)").render()
'1girl, (green hair:1.2)'
>>> from animagine_prompt.lint import lint
>>> [f.code for f in lint("1girl, , green hair")]
['S101']
>>> animagine_prompt.plan("1girl, green hair").token_count
5

Names are loaded on first use, so importing the package stays cheap; the generation names
(``PromptEncoder``, ``load``, ...) need the ``generate`` extra (torch, diffusers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt._lazy import lazy_exports
from animagine_prompt._version import __version__

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "AnimaginePromptError": "animagine_prompt.errors",
    "BuiltPrompt": "animagine_prompt.presets",
    "ChunkPlan": "animagine_prompt.tokens",
    "Diagnostic": "animagine_prompt.diagnostics",
    "Fragment": "animagine_prompt.syntax",
    "InputError": "animagine_prompt.errors",
    "MissingDependencyError": "animagine_prompt.errors",
    "Prompt": "animagine_prompt.syntax",
    "PromptBuilder": "animagine_prompt.presets",
    "Severity": "animagine_prompt.diagnostics",
    "UsageError": "animagine_prompt.errors",
    "convert": "animagine_prompt.syntax",
    "load_database": "animagine_prompt.tags",
    "load_presets": "animagine_prompt.presets",
    "parse": "animagine_prompt.syntax",
    "plan": "animagine_prompt.tokens",
}

# names whose module imports torch: reported as a missing extra when torch is absent
_TORCH_EXPORTS: dict[str, str] = {
    "Conditioning": "animagine_prompt.encode",
    "PromptEncoder": "animagine_prompt.encode",
    "AnimaginePipeline": "animagine_prompt.pipeline",
    "load": "animagine_prompt.pipeline",
}

if not TYPE_CHECKING:  # type checkers read the imports below instead
    __all__ = sorted([*_EXPORTS, *_TORCH_EXPORTS])


__getattr__, __dir__ = lazy_exports(globals(), {**_EXPORTS, **_TORCH_EXPORTS}, frozenset(_TORCH_EXPORTS))


if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.diagnostics import Diagnostic, Severity
    from animagine_prompt.encode import Conditioning, PromptEncoder
    from animagine_prompt.errors import AnimaginePromptError, InputError, MissingDependencyError, UsageError
    from animagine_prompt.pipeline import AnimaginePipeline, load
    from animagine_prompt.presets import BuiltPrompt, PromptBuilder, load_presets
    from animagine_prompt.syntax import Fragment, Prompt, convert, parse
    from animagine_prompt.tags import load_database
    from animagine_prompt.tokens import ChunkPlan, plan
