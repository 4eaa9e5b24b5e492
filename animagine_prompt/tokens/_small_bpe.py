"""CLIP's byte-level BPE in plain Python, for the first few plain-ASCII texts of a process.

Building the ``tokenizers`` backend (a 49,408-entry vocabulary handed to Rust) costs more than
everything else ``animagine-prompt lint PROMPT`` does for a one-prompt run. Tokenizing a prompt
needs far less: the merge ranks, read straight off the bundled merge list, and a merge loop per
distinct word. This module does that for text it can read exactly as the backend does (printable
ASCII, tabs and newlines, no special-token text), with the backend's ids and character offsets;
``tests/tokens/test_small_bpe.py`` compares the two on every real prompt and on generated text.
The tokenizer uses it for calls with a few texts; large batches go to the backend, which spreads
them over every core.
"""

from __future__ import annotations

import gzip
import re
from functools import cache

from animagine_prompt.tokens._vocabulary import MERGES_FILE, byte_symbols

__all__ = ["SmallBpe", "readable"]

# CLIP's word pattern restricted to lowercased ASCII: the contractions, letter runs, single
# digits, runs of other non-space characters. Whitespace separates words and is dropped.
_WORD = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[a-z]+|[0-9]|[^ \t\n\ra-z0-9]+")
# text the pattern above reads exactly as the backend's Unicode pattern and normaliser do
_READABLE = re.compile(r"[\t\n\r\x20-\x7e]*")
# distinct words remembered; a long run over many prompts starts the memo again past this
_MAX_WORDS = 200_000


def readable(text: str, cut_bang: bool) -> bool:
    """Whether :class:`SmallBpe` tokenizes ``text`` exactly as the backend does.

    ``cut_bang``: the tokenizer makes ``!`` a special token of its own (``clip_g``), which this
    module does not model.

    >>> readable("1girl, (smile:1.2)", False), readable("café", False), readable("wow!", True)
    (True, False, False)
    """
    return (
        _READABLE.fullmatch(text) is not None and "<|" not in text and not (cut_bang and "!" in text)
    )


@cache
def _ranks() -> dict[str, int]:
    lines = gzip.decompress(MERGES_FILE.read_bytes()).decode("utf-8").splitlines()
    return dict(zip(lines, range(len(lines)), strict=True))


@cache
def _symbols() -> dict[str, tuple[str, int]]:
    # each ASCII character's byte-level symbol and its id (the 256 byte symbols come first)
    return {chr(byte): (symbol, index) for index, (byte, symbol) in enumerate(byte_symbols()) if byte < 128}


class SmallBpe:
    """Ids and offsets of readable text, as ``tokenizers``' CLIP backend gives them.

    >>> SmallBpe().encode("1girl, smile")
    ([272, 1611, 267, 3490], [(0, 1), (1, 5), (5, 6), (7, 12)])
    """

    def __init__(self) -> None:
        self._ranks = _ranks()
        self._symbols = _symbols()
        self._words: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        ids: list[int] = []
        offsets: list[tuple[int, int]] = []
        words = self._words
        add_id, add_offset = ids.append, offsets.append
        for match in _WORD.finditer(text.lower()):
            word = match.group()
            known = words.get(word)
            if known is None:
                if len(words) >= _MAX_WORDS:
                    words.clear()
                known = words[word] = self._word(word)
            start = match.start()
            word_ids, spans = known
            if len(word_ids) == 1:  # most words of a prompt are one token: no loop, no generator
                add_id(word_ids[0])
                add_offset((start, start + len(word)))
            else:
                ids += word_ids
                offsets += [(start + a, start + b) for a, b in spans]
        return ids, offsets

    def _word(self, word: str) -> tuple[list[int], list[tuple[int, int]]]:
        # (symbol, id, length in characters); the last symbol closes the word with </w>
        parts = [(*self._symbols[c], 1) for c in word]
        symbol, index, _ = parts[-1]
        parts[-1] = (symbol + "</w>", 256 + index, 1)
        ranks = self._ranks
        while len(parts) > 1:
            best = None
            for i in range(len(parts) - 1):
                rank = ranks.get(f"{parts[i][0]} {parts[i + 1][0]}")
                if rank is not None and (best is None or rank < best[0]):
                    best = (rank, i)
            if best is None:
                break
            rank, i = best
            # the vocabulary lists one token per merge, after the 512 byte symbols
            left, right = parts[i], parts[i + 1]
            parts[i : i + 2] = [(left[0] + right[0], 512 + rank, left[2] + right[2])]
        ids = []
        spans = []
        at = 0
        for _, token_id, length in parts:
            ids.append(token_id)
            spans.append((at, at + length))
            at += length
        return ids, spans
