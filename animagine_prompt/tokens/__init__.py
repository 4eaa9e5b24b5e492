"""Token accounting for SDXL prompts: a bundled CLIP tokenizer and the 75-token chunk planner.

Nothing here imports torch or transformers; the tokenizer is built from data inside the package
the first time a caller needs tokens.

>>> from animagine_prompt.tokens import load_tokenizer, plan
>>> load_tokenizer().encode("1girl, solo").ids
(272, 1611, 267, 5797)
>>> p = plan("1girl, solo BREAK smile")
>>> [c.used for c in p.chunks], f"{p.token_count}/{p.capacity}"
([4, 1], '5/150')
"""

from __future__ import annotations

from animagine_prompt.tokens._planner import Boundary, Chunk, ChunkPlan, plan, plan_many
from animagine_prompt.tokens._tokenizer import ClipTokenizer, TokenizedText, load_tokenizer

__all__ = ["Boundary", "Chunk", "ChunkPlan", "ClipTokenizer", "TokenizedText", "load_tokenizer", "plan", "plan_many"]
