"""Weighted long-prompt SDXL conditioning: both text encoders, one batched pass per encoder.

This package imports torch and transformers; ``import animagine_prompt`` does not load it until
``PromptEncoder`` or ``Conditioning`` is first used. See ``docs/embeddings.md`` for what goes
where and each emphasis formula.

>>> from animagine_prompt.encode import EMPHASIS_MODES
>>> EMPHASIS_MODES
('original', 'no_norm', 'lerp_empty', 'ignore')
"""

from __future__ import annotations

from animagine_prompt.encode._cache import ChunkCache
from animagine_prompt.encode._conditioning import Conditioning
from animagine_prompt.encode._emphasis import EMPHASIS_MODES, apply_emphasis
from animagine_prompt.encode._encoder import PromptEncoder, shared_cache
from animagine_prompt.encode._lengths import LENGTH_MODES

__all__ = [
    "EMPHASIS_MODES",
    "LENGTH_MODES",
    "ChunkCache",
    "Conditioning",
    "PromptEncoder",
    "apply_emphasis",
    "shared_cache",
]
