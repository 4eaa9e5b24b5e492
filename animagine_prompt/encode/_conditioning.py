"""The result of encoding a prompt: SDXL's four conditioning tensors and how they were made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.tokens import ChunkPlan

__all__ = ["Conditioning"]


@dataclass(frozen=True, eq=False)
class Conditioning:
    """SDXL conditioning for one prompt and its negative, ready for ``StableDiffusionXLPipeline``.

    ``prompt_embeds`` and ``negative_prompt_embeds`` are ``(images, 77 * chunks, 2048)`` (CLIP-L
    hidden states then bigG's), the pooled tensors ``(images, 1280)``; all four are in the
    pipeline's dtype and on its device, and both sequences have the same length.

    ``plan`` and ``negative_plan`` are the token plans (``negative_plan`` is None when the
    negative was zeroed); ``length_match`` says how the sequence lengths were made equal:
    ``"equal"``, ``"repeat"`` (the shorter repeated, exact for cross-attention), ``"pad"`` (empty
    chunks added), ``"lcm"`` (both repeated to a common length) or ``"zeros"`` (a zero negative of
    the prompt's length). ``notes`` lists what a user may want to know (a refused ``original``
    rescaling, dropped extra networks). ``forward_passes`` counts the encoder calls this result
    cost (0 when every chunk came from the cache).

    >>> c = Conditioning(torch.zeros(1, 77, 4), torch.zeros(1, 2), torch.zeros(1, 77, 4), torch.zeros(1, 2),
    ...                  plan=None, negative_plan=None)
    >>> sorted(c.pipeline_kwargs())
    ['negative_pooled_prompt_embeds', 'negative_prompt_embeds', 'pooled_prompt_embeds', 'prompt_embeds']
    >>> c.chunks
    1
    """

    prompt_embeds: torch.Tensor
    pooled_prompt_embeds: torch.Tensor
    negative_prompt_embeds: torch.Tensor
    negative_pooled_prompt_embeds: torch.Tensor
    plan: ChunkPlan | None
    negative_plan: ChunkPlan | None
    emphasis: str = "original"
    clip_skip: int | None = None
    length_match: str = "equal"
    notes: tuple[str, ...] = ()
    forward_passes: int = 0

    @property
    def chunks(self) -> int:
        """Number of 77-token blocks in ``prompt_embeds`` (after length matching).

        >>> Conditioning(torch.zeros(1, 154, 4), torch.zeros(1, 2), torch.zeros(1, 154, 4), torch.zeros(1, 2),
        ...              plan=None, negative_plan=None).chunks
        2
        """
        return self.prompt_embeds.shape[1] // 77

    @property
    def token_count(self) -> int:
        """Real tokens of the prompt (no BOS, EOS or padding), 0 without a plan.

        >>> Conditioning(torch.zeros(1, 77, 4), torch.zeros(1, 2), torch.zeros(1, 77, 4), torch.zeros(1, 2),
        ...              plan=None, negative_plan=None).token_count
        0
        """
        return 0 if self.plan is None else self.plan.token_count

    @property
    def negative_token_count(self) -> int:
        """Real tokens of the negative prompt, 0 when it was zeroed.

        >>> Conditioning(torch.zeros(1, 77, 4), torch.zeros(1, 2), torch.zeros(1, 77, 4), torch.zeros(1, 2),
        ...              plan=None, negative_plan=None).negative_token_count
        0
        """
        return 0 if self.negative_plan is None else self.negative_plan.token_count

    def pipeline_kwargs(self) -> dict[str, Any]:
        """The four tensors under the keyword names ``StableDiffusionXLPipeline.__call__`` takes.

        ``pipe(**conditioning.pipeline_kwargs(), num_inference_steps=28)`` generates with them
        (pass no ``prompt`` or ``negative_prompt`` then).

        >>> c = Conditioning(torch.ones(1, 77, 4), torch.ones(1, 2), torch.zeros(1, 77, 4), torch.zeros(1, 2),
        ...                  plan=None, negative_plan=None)
        >>> c.pipeline_kwargs()["prompt_embeds"] is c.prompt_embeds
        True
        """
        return {
            "prompt_embeds": self.prompt_embeds,
            "pooled_prompt_embeds": self.pooled_prompt_embeds,
            "negative_prompt_embeds": self.negative_prompt_embeds,
            "negative_pooled_prompt_embeds": self.negative_pooled_prompt_embeds,
        }
