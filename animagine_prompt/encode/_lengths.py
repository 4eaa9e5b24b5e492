"""Making the prompt and negative sequences the same length, so that CFG can batch them.

Repeating a whole sequence ``k`` times leaves cross-attention unchanged: every key appears ``k``
times with the same score, so each softmax weight is split evenly among copies of one value.
Padding with empty-prompt chunks adds new keys and does change the result slightly, so it is
only used when the chunk counts do not divide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

__all__ = ["LENGTH_MODES", "LengthMatch", "match_lengths", "plan_lengths"]

#: ``auto``: repeat when one chunk count divides the other, else pad with empty chunks;
#: ``pad``: always pad the shorter with empty chunks (A1111's "pad prompt/negative prompt");
#: ``lcm``: repeat when one divides the other, else repeat both to their least common multiple.
LENGTH_MODES: tuple[str, ...] = ("auto", "pad", "lcm")


@dataclass(frozen=True)
class LengthMatch:
    """How to bring ``prompt`` and ``negative`` chunk stacks to one length.

    ``*_repeats`` multiply a stack, then ``*_pad`` empty chunks are appended. ``kind`` is
    ``"equal"``, ``"repeat"``, ``"pad"`` or ``"lcm"``.
    """

    kind: str
    prompt_repeats: int = 1
    negative_repeats: int = 1
    prompt_pad: int = 0
    negative_pad: int = 0

    @property
    def needs_empty(self) -> bool:
        """Whether empty-prompt chunks are appended.

        >>> plan_lengths(3, 2, "auto").needs_empty
        True
        """
        return self.prompt_pad > 0 or self.negative_pad > 0

    def describe(self, prompt_chunks: int) -> str | None:
        """A note for the user given the prompt's own chunk count, or None when nothing changed.

        >>> print(plan_lengths(3, 1, "auto").describe(3))
        negative prompt repeated 3 times to match the prompt's 3 chunks
        >>> print(plan_lengths(2, 3, "lcm").describe(2))
        prompt repeated 3 times and negative prompt repeated 2 times, to 6 chunks each
        """
        if self.kind == "equal":
            return None
        parts = []
        for name, repeats, pad in (
            ("prompt", self.prompt_repeats, self.prompt_pad),
            ("negative prompt", self.negative_repeats, self.negative_pad),
        ):
            if repeats > 1:
                parts.append(f"{name} repeated {repeats} times")
            if pad:
                parts.append(f"{name} padded with {pad} empty chunk{'s' * (pad > 1)}")
        total = prompt_chunks * self.prompt_repeats + self.prompt_pad
        if len(parts) == 1 and (self.negative_repeats > 1 or self.negative_pad):
            return f"{parts[0]} to match the prompt's {total} chunks"
        if len(parts) == 1:
            return f"{parts[0]} to match the negative prompt's {total} chunks"
        return f"{' and '.join(parts)}, to {total} chunks each"


def plan_lengths(prompt_chunks: int, negative_chunks: int, mode: str = "auto") -> LengthMatch:
    """Decide how to match ``prompt_chunks`` and ``negative_chunks`` under ``mode``.

    >>> plan_lengths(3, 1, "auto")
    LengthMatch(kind='repeat', prompt_repeats=1, negative_repeats=3, prompt_pad=0, negative_pad=0)
    >>> plan_lengths(2, 3, "auto")
    LengthMatch(kind='pad', prompt_repeats=1, negative_repeats=1, prompt_pad=1, negative_pad=0)
    >>> plan_lengths(2, 3, "lcm")
    LengthMatch(kind='lcm', prompt_repeats=3, negative_repeats=2, prompt_pad=0, negative_pad=0)
    """
    if mode not in LENGTH_MODES:
        raise ValueError(f"unknown length mode {mode!r}: use one of {', '.join(LENGTH_MODES)}")
    if prompt_chunks < 1 or negative_chunks < 1:
        raise ValueError("chunk counts start at 1")
    if prompt_chunks == negative_chunks:
        return LengthMatch("equal")
    if mode == "pad":
        longest = max(prompt_chunks, negative_chunks)
        return LengthMatch("pad", prompt_pad=longest - prompt_chunks, negative_pad=longest - negative_chunks)
    if prompt_chunks % negative_chunks == 0:
        return LengthMatch("repeat", negative_repeats=prompt_chunks // negative_chunks)
    if negative_chunks % prompt_chunks == 0:
        return LengthMatch("repeat", prompt_repeats=negative_chunks // prompt_chunks)
    if mode == "lcm":
        common = math.lcm(prompt_chunks, negative_chunks)
        return LengthMatch("lcm", prompt_repeats=common // prompt_chunks, negative_repeats=common // negative_chunks)
    longest = max(prompt_chunks, negative_chunks)
    return LengthMatch("pad", prompt_pad=longest - prompt_chunks, negative_pad=longest - negative_chunks)


def match_lengths(
    prompt: torch.Tensor, negative: torch.Tensor, match: LengthMatch, empty: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Apply ``match`` to stacks ``(chunks, tokens, hidden)``; ``empty`` is one ``(tokens, hidden)`` chunk.

    >>> p, n = torch.ones(2, 3, 4), torch.zeros(1, 3, 4)
    >>> [t.shape[0] for t in match_lengths(p, n, plan_lengths(2, 1))]
    [2, 2]
    """
    out = []
    for stack, repeats, pad in (
        (prompt, match.prompt_repeats, match.prompt_pad),
        (negative, match.negative_repeats, match.negative_pad),
    ):
        if repeats > 1:
            stack = stack.repeat(repeats, 1, 1)
        if pad:
            if empty is None:
                raise ValueError("padding needs the empty-prompt chunk")
            stack = torch.cat([stack, empty.to(stack.dtype).unsqueeze(0).expand(pad, -1, -1)], dim=0)
        out.append(stack)
    return out[0], out[1]
