"""What a face shows about a prompt, computed once: syntax spans, tags with category, weight and
chunk, 75-token chunks, lint findings with their fixes, and the prompts presets build.

The terminal preview (``animagine-prompt preview``) draws these values and the web editor gets
them as JSON (``Analysis.to_dict()``, ``docs/analysis.md``); neither works anything out itself.
Nothing here imports rich or torch.

>>> from animagine_prompt.analysis import analyze
>>> a = analyze("1girl, (smile:1.2), gren hair")
>>> [(t.text, t.weight, t.category) for t in a.prompt.tags]
[('1girl', 1.0, 'general'), ('smile', 1.2, 'general'), ('gren hair', 1.0, 'unknown')]
>>> [f"{c.used}/{c.length}" for c in a.prompt.chunks], [f.code for f in a.findings]
(['7/75'], ['T003'])
"""

from __future__ import annotations

from animagine_prompt.analysis._analysis import SCHEMA_VERSION, Analysis, BuiltAnalysis, PromptAnalysis, PromptPair
from animagine_prompt.analysis._analyze import analyze
from animagine_prompt.analysis._chunks import ChunkView
from animagine_prompt.analysis._findings import FindingView
from animagine_prompt.analysis._json import Offsets, Units
from animagine_prompt.analysis._presets import PresetChoice
from animagine_prompt.analysis._spans import SPAN_KINDS, Mark, SpanKind, SyntaxSpan
from animagine_prompt.analysis._tags import CATEGORIES, NetworkView, TagView

__all__ = [
    "CATEGORIES",
    "SCHEMA_VERSION",
    "SPAN_KINDS",
    "Analysis",
    "BuiltAnalysis",
    "ChunkView",
    "FindingView",
    "Mark",
    "NetworkView",
    "Offsets",
    "PresetChoice",
    "PromptAnalysis",
    "PromptPair",
    "SpanKind",
    "SyntaxSpan",
    "TagView",
    "Units",
    "analyze",
]
