"""The conditioning tensors of every sampling step, each distinct text encoded once.

A plain step (one prompt part of weight 1) is the encoder's ``Conditioning`` as it stands: what
``StableDiffusionXLPipeline`` takes as ``prompt_embeds`` and friends. A composable step (``AND``)
stacks the negative and every part into one UNet batch, ``[negative, part 1, ..., part n]``,
each repeated per image, with the parts' weights for the guidance sum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from animagine_prompt.pipeline._schedule import StepText

if TYPE_CHECKING:
    from animagine_prompt.encode import PromptEncoder
    from animagine_prompt.syntax import Dialect, Prompt

__all__ = ["ComposedCondition", "ConditionTable", "build_table", "match_sequences"]


@dataclass(frozen=True, eq=False)
class ComposedCondition:
    """One composable step: ``hidden`` ``((n+1)*B, tokens, dim)`` and ``pooled`` ``((n+1)*B, dim)``,
    negative first, and the parts' ``weights``."""

    hidden: torch.Tensor
    pooled: torch.Tensor
    weights: tuple[float, ...]
    images: int


@dataclass(frozen=True, eq=False)
class ConditionTable:
    """Distinct conditions (``entries``) and, per sampling step, the index of the one it uses."""

    texts: tuple[StepText, ...]
    entries: tuple[object, ...]  # Conditioning (plain) or ComposedCondition
    per_step: tuple[int, ...]
    notes: tuple[str, ...] = ()

    @property
    def composable(self) -> bool:
        """Whether the steps go through the composable (``AND``) path."""
        return isinstance(self.entries[0], ComposedCondition)

    def entry(self, step: int) -> object:
        """The condition of 0-based sampling ``step`` (the last one past the end)."""
        return self.entries[self.per_step[min(step, len(self.per_step) - 1)]]


def match_sequences(sequences: Sequence[torch.Tensor], chunk: int = 77) -> list[torch.Tensor]:
    """Bring ``(B, tokens, dim)`` sequences to one length for a single UNet batch.

    Whole sequences are repeated up to the least common multiple of their chunk counts, which
    leaves cross-attention unchanged. When that would more than double the longest, the shorter
    ones are padded with their last vector instead, as A1111 stacks ``AND`` parts.

    >>> a, b = torch.ones(1, 77, 2), torch.zeros(1, 154, 2)
    >>> [tuple(t.shape) for t in match_sequences([a, b])]
    [(1, 154, 2), (1, 154, 2)]
    >>> [t.shape[1] // 77 for t in match_sequences([torch.ones(1, 154, 2), torch.ones(1, 231, 2)])]
    [6, 6]
    >>> [t.shape[1] // 77 for t in match_sequences([torch.ones(1, 231, 2), torch.ones(1, 308, 2)])]
    [4, 4]
    """
    counts = [t.shape[1] // chunk for t in sequences]
    longest = max(counts)
    common = math.lcm(*counts)
    if common <= 2 * longest:
        return [t.repeat(1, common // c, 1) if common != c else t for t, c in zip(sequences, counts, strict=True)]
    target = longest * chunk
    out = []
    for t in sequences:
        missing = target - t.shape[1]
        out.append(t if missing == 0 else torch.cat([t, t[:, -1:].expand(-1, missing, -1)], dim=1))
    return out


def build_table(
    encoder: PromptEncoder,
    texts: Sequence[StepText],
    *,
    dialect: str | Dialect,
    emphasis: str,
    clip_skip: int | None,
    images: int,
    parsed: dict[str, Prompt] | None = None,
) -> ConditionTable:
    """Encode every distinct :class:`StepText` of ``texts`` once; ``parsed`` maps texts to parsed prompts."""
    from animagine_prompt.syntax import parse

    cache = dict(parsed or {})

    def parsed_text(text: str) -> Prompt:
        if text not in cache:
            cache[text] = parse(text, dialect)
        return cache[text]

    options: dict[str, Any] = {"emphasis": emphasis, "clip_skip": clip_skip, "num_images_per_prompt": images}
    index: dict[StepText, int] = {}
    entries: list[object] = []
    notes: list[str] = []
    per_step: list[int] = []
    sides: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}

    def side(text: str) -> tuple[torch.Tensor, torch.Tensor]:
        # one prompt on its own: with no negative the encoder gives the prompt's tensors unmatched
        if text not in sides:
            c = encoder.encode(parsed_text(text), None, **options)
            notes.extend(c.notes)
            sides[text] = (c.prompt_embeds, c.pooled_prompt_embeds)
        return sides[text]

    for step_text in texts:
        found = index.get(step_text)
        if found is None:
            found = index[step_text] = len(entries)
            if not step_text.composable:
                negative = None if step_text.negative is None else parsed_text(step_text.negative)
                c = encoder.encode(parsed_text(step_text.prompts[0][0]), negative, **options)
                notes.extend(c.notes)
                entries.append(c)
            else:
                parts = [side(text) for text, _ in step_text.prompts]
                if step_text.negative is not None:
                    negative_side = side(step_text.negative)
                elif encoder.force_zeros_for_empty_prompt:
                    negative_side = (torch.zeros_like(parts[0][0]), torch.zeros_like(parts[0][1]))
                else:
                    negative_side = side("")
                hidden = match_sequences([negative_side[0], *(p[0] for p in parts)])
                pooled = [negative_side[1], *(p[1] for p in parts)]
                weights = tuple(w for _, w in step_text.prompts)
                entries.append(ComposedCondition(torch.cat(hidden), torch.cat(pooled), weights, images))
        per_step.append(found)
    return ConditionTable(tuple(index), tuple(entries), tuple(per_step), tuple(dict.fromkeys(notes)))
