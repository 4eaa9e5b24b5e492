"""What ``AnimaginePipeline.generate`` returns: images, seeds, the built prompt, timings, per-step texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from animagine_prompt.pipeline._schedule import StepText

__all__ = ["Generation", "Timings"]


@dataclass(frozen=True)
class Timings:
    """Seconds spent in each part of a ``generate`` call.

    ``pipeline`` is the time inside the diffusers calls (sampling and VAE decoding, both passes),
    ``ours`` everything else this package did: building the prompt, LoRA bookkeeping, text
    encoding, and the per-step callbacks run from inside the diffusers loop.

    >>> Timings(total=2.0, pipeline=1.9, encode=0.05, lora=0.0, callbacks=0.01).ours
    0.11
    """

    total: float
    pipeline: float
    encode: float
    lora: float
    callbacks: float

    @property
    def ours(self) -> float:
        """Time in this package's code, outside the diffusers calls (callbacks included)."""
        return round(self.total - self.pipeline + self.callbacks, 9)


@dataclass(frozen=True, eq=False)
class Generation:
    """The result of one ``generate`` call.

    ``images`` are PIL images (``num_images`` of them), ``seeds`` the seed of each (image ``i`` is
    reproduced alone with ``seeds[i]``), ``prompt`` the ``BuiltPrompt`` (final texts, size, sampler,
    steps, guidance, hires settings), ``steps`` the texts each first-pass sampling step was
    conditioned on and ``hires_steps`` those of the second pass (empty without one). ``loras``
    lists ``(name, text_encoder_weight, unet_weight)`` in effect; ``notes`` what the encoder
    reported (length matching, refused rescaling). ``lcm`` is whether LCM mode sampled;
    ``expansion`` the prompt expansion (``None`` without one) and ``original_prompt`` the prompt
    that would have been built without it.
    """

    images: tuple[Any, ...]
    seeds: tuple[int, ...]
    prompt: Any
    timings: Timings
    steps: tuple[StepText, ...] = ()
    hires_steps: tuple[StepText, ...] = ()
    loras: tuple[tuple[str, float, float], ...] = ()
    notes: tuple[str, ...] = ()
    interrupted: bool = False
    lcm: bool = False
    original_prompt: str | None = None
    expansion: Any = None

    @property
    def image(self) -> Any:
        """The first image."""
        return self.images[0]

    @property
    def seed(self) -> int:
        """The first image's seed."""
        return self.seeds[0]

    def metadata(self, index: int = 0, **extra: Any) -> dict[str, Any]:
        """The Animagine app's metadata dict for image ``index`` (its own seed), plus ``extra`` keys.

        >>> from animagine_prompt.presets import PromptBuilder, bundled_presets
        >>> built = PromptBuilder(presets=bundled_presets()).tags("1girl").seed(5).build()
        >>> g = Generation((None, None), (5, 6), built, Timings(1.0, 0.9, 0.0, 0.0, 0.0))
        >>> g.metadata(1)["seed"], g.metadata(0, Model="animagine-xl-2.0")["Model"]
        (6, 'animagine-xl-2.0')
        >>> g.metadata()["enable_lcm"], g.metadata()["refine_prompt"]
        (False, False)
        """
        data = self.prompt.to_metadata(**extra)
        data["seed"] = self.seeds[index]
        if self.loras:
            data["use_lora"] = [{"name": n, "te": te, "unet": unet} for n, te, unet in self.loras]
        # the app's own switches; the prompt before expansion lets the image be made without it
        data["enable_lcm"] = self.lcm
        data["refine_prompt"] = self.expansion is not None
        if self.original_prompt is not None:
            data["original_prompt"] = self.original_prompt
        return data

    def save(self, path: Any, index: int = 0) -> None:
        """Save image ``index`` as PNG with the metadata in its ``metadata`` text chunk (as the app does)."""
        import json

        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("metadata", json.dumps(self.metadata(index), ensure_ascii=False))
        self.images[index].save(path, pnginfo=info)
