"""One sampling pass of a diffusers SDXL pipeline with per-step conditioning.

Plain prompts go through the pipeline's own classifier-free guidance: the first step's tensors are
passed as ``prompt_embeds`` and friends, and ``callback_on_step_end`` swaps in the next step's
tensors where a schedule changes them. ``AND`` prompts use composable diffusion as A1111 does it:
the pipeline runs without its own guidance, a UNet pre-hook widens each call to the batch
``[negative, part 1, ..., part n]`` and a post-hook returns
``uncond + sum(w_i * scale * (part_i - uncond))``. The hooks live only for the call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch

from animagine_prompt.pipeline._conditions import ComposedCondition, ConditionTable

__all__ = ["PassRunner", "StepInfo"]


@dataclass(frozen=True, eq=False)
class StepInfo:
    """What a ``callback`` sees after each sampling step.

    ``stage`` is ``"base"`` or ``"hires"``, or ``"warm-up"`` in fast mode when a new shape compiles
    first (``step`` 0 of 1 as it starts, 1 of 1 when done); ``step`` counts finished steps from 1 to ``steps``;
    ``latents`` are the current latents (do not modify them). Return ``False`` to stop early.

    >>> StepInfo("base", 1, 20, 999.0, None).fraction
    0.05
    """

    stage: str
    step: int
    steps: int
    timestep: float
    latents: Any

    @property
    def fraction(self) -> float:
        """Share of this stage's steps done."""
        return self.step / self.steps


class PassRunner:
    """Runs ``pipe`` once with a :class:`ConditionTable`; ``run(**kwargs)`` returns the pipeline output."""

    def __init__(
        self,
        pipe: Any,
        table: ConditionTable,
        *,
        guidance: float,
        stage: str,
        callback: Callable[[StepInfo], Any] | None = None,
    ) -> None:
        self.pipe = pipe
        self.table = table
        self.guidance = guidance
        self.stage = stage
        self.user_callback = callback
        self.order = int(getattr(pipe.scheduler, "order", 1) or 1)
        self.current = table.per_step[0]
        self.used: list[int] = []  # entry index per sampling step, as sampled
        self.callback_seconds = 0.0
        self.pipeline_seconds = 0.0

    # -- plain path -------------------------------------------------------------------------------

    def _plain_kwargs(self, entry: Any) -> dict[str, Any]:
        return {**entry.pipeline_kwargs(), "guidance_scale": self.guidance}

    def _plain_swap(self, entry: Any) -> dict[str, torch.Tensor]:
        if self.pipe.do_classifier_free_guidance:
            return {
                "prompt_embeds": torch.cat([entry.negative_prompt_embeds, entry.prompt_embeds]),
                "add_text_embeds": torch.cat([entry.negative_pooled_prompt_embeds, entry.pooled_prompt_embeds]),
            }
        return {"prompt_embeds": entry.prompt_embeds, "add_text_embeds": entry.pooled_prompt_embeds}

    # -- composable path --------------------------------------------------------------------------

    def _composed_kwargs(self, entry: ComposedCondition) -> dict[str, Any]:
        b = entry.images
        # the pipeline needs some embeddings of the right shape; the pre-hook replaces them per call
        return {
            "prompt_embeds": entry.hidden[b : 2 * b],
            "pooled_prompt_embeds": entry.pooled[b : 2 * b],
            "guidance_scale": 1.0,
        }

    def _pre_hook(
        self, module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        entry = self.table.entries[self.current]
        assert isinstance(entry, ComposedCondition)
        copies = len(entry.weights) + 1
        positional = list(args)
        sample = positional[0] if positional else kwargs["sample"]
        sample = sample.repeat(copies, *([1] * (sample.ndim - 1)))
        if positional:
            positional[0] = sample
        else:
            kwargs["sample"] = sample
        timestep = positional[1] if len(positional) > 1 else kwargs.get("timestep")
        if isinstance(timestep, torch.Tensor) and timestep.ndim > 0 and timestep.shape[0] > 1:
            timestep = timestep.repeat(copies)
            if len(positional) > 1:
                positional[1] = timestep
            else:
                kwargs["timestep"] = timestep
        reference = kwargs["encoder_hidden_states"]
        kwargs["encoder_hidden_states"] = entry.hidden.to(device=reference.device, dtype=reference.dtype)
        added = dict(kwargs.get("added_cond_kwargs") or {})
        time_ids = added["time_ids"]
        added["text_embeds"] = entry.pooled.to(device=time_ids.device, dtype=added["text_embeds"].dtype)
        added["time_ids"] = time_ids.repeat(copies, 1)
        kwargs["added_cond_kwargs"] = added
        return tuple(positional), kwargs

    def _post_hook(self, module: Any, args: tuple, kwargs: dict, output: Any) -> Any:
        entry = self.table.entries[self.current]
        assert isinstance(entry, ComposedCondition)
        noise = output[0] if isinstance(output, tuple) else output.sample
        b = entry.images
        uncond = noise[:b]
        combined = uncond.clone()
        for index, weight in enumerate(entry.weights):
            part = noise[(index + 1) * b : (index + 2) * b]
            # A1111's combine_denoised, term for term
            combined += (part - uncond) * (weight * self.guidance)
        if isinstance(output, tuple):
            return (combined, *output[1:])
        output.sample = combined
        return output

    @contextmanager
    def _hooks(self):
        if not self.table.composable:
            yield
            return
        unet = self.pipe.unet
        handles = [
            unet.register_forward_pre_hook(self._pre_hook, with_kwargs=True),
            unet.register_forward_hook(self._post_hook, with_kwargs=True),
        ]
        try:
            yield
        finally:
            for handle in handles:
                handle.remove()

    # -- both -------------------------------------------------------------------------------------

    def _on_step_end(self, pipe: Any, i: int, t: Any, tensors: dict) -> dict:
        started = time.perf_counter()
        out: dict[str, Any] = {}
        last = getattr(pipe, "num_timesteps", None)
        # second-order schedulers call the UNet twice per step; the final step may have one call
        finished = (i + 1) % self.order == 0 or (last is not None and i == last - 1)
        if finished:
            self.used.append(self.current)
        if finished and self.user_callback is not None:
            info = StepInfo(self.stage, len(self.used), len(self.table.per_step), float(t), tensors.get("latents"))
            if self.user_callback(info) is False:
                pipe._interrupt = True
        following = self.table.per_step[min((i + 1) // self.order, len(self.table.per_step) - 1)]
        if following != self.current:
            self.current = following
            if not self.table.composable:
                out.update(self._plain_swap(self.table.entries[following]))
        self.callback_seconds += time.perf_counter() - started
        return out

    def run(self, **kwargs: Any) -> Any:
        """Call the pipeline with the first step's conditioning and ``kwargs`` (sizes, steps, generator ...)."""
        first = self.table.entries[self.current]
        if isinstance(first, ComposedCondition):
            kwargs.update(self._composed_kwargs(first))
        else:
            kwargs.update(self._plain_kwargs(first))
        with self._hooks():
            started = time.perf_counter()
            try:
                return self.pipe(
                    **kwargs,
                    callback_on_step_end=self._on_step_end,
                    callback_on_step_end_tensor_inputs=["latents"],
                )
            finally:
                self.pipeline_seconds = time.perf_counter() - started
