"""Token accounting for SDXL prompts: a bundled CLIP tokenizer and the 75-token chunk planner.

Nothing here imports torch or transformers; the tokenizer is built from data inside the package
the first time a caller needs tokens.

>>> from animagine_prompt.tokens import load_tokenizer
>>> load_tokenizer().encode("1girl, solo").ids
(272, 1611, 267, 5797)
"""

from __future__ import annotations

from animagine_prompt.tokens._tokenizer import ClipTokenizer, TokenizedText, load_tokenizer

__all__ = ["ClipTokenizer", "TokenizedText", "load_tokenizer"]
