"""What ``AnimaginePipeline.generate`` returns: images, seeds, the built prompt, timings, per-step texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from animagine_prompt.pipeline._schedule import StepText

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.metadata import GenerationRecord

__all__ = ["Generation", "Timings"]


@dataclass(frozen=True)
class Timings:
    """Seconds spent in each part of a ``generate`` call.

    ``pipeline`` is the time inside the diffusers calls (sampling and VAE decoding, both passes),
    ``ours`` everything else this package did: building the prompt, LoRA bookkeeping, text
    encoding, and the per-step callbacks run from inside the diffusers loop. ``warm_up`` is the
    fast mode's one-off compilation run for a new shape (0 otherwise), counted in neither.

    >>> Timings(total=2.0, pipeline=1.9, encode=0.05, lora=0.0, callbacks=0.01).ours
    0.11
    """

    total: float
    pipeline: float
    encode: float
    lora: float
    callbacks: float
    warm_up: float = 0.0

    @property
    def ours(self) -> float:
        """Time in this package's code, outside the diffusers calls (callbacks included)."""
        return round(self.total - self.pipeline - self.warm_up + self.callbacks, 9)


@dataclass(frozen=True, eq=False)
class Generation:
    """The result of one ``generate`` call.

    ``images`` are PIL images (``num_images`` of them), ``seeds`` the seed of each (image ``i`` is
    reproduced alone with ``seeds[i]``), ``prompt`` the ``BuiltPrompt`` (final texts, size, sampler,
    steps, guidance, hires settings), ``steps`` the texts each first-pass sampling step was
    conditioned on and ``hires_steps`` those of the second pass (empty without one). ``loras``
    lists ``(name, text_encoder_weight, unet_weight)`` in effect; ``notes`` what the encoder
    reported (length matching, refused rescaling); ``emphasis`` and ``clip_skip`` the encoder
    settings the images were made with. ``lcm`` is whether LCM mode sampled; ``expansion`` the
    prompt expansion (``None`` without one) and ``original_prompt`` the prompt that would have
    been built without it.
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
    emphasis: str = "original"
    clip_skip: int | None = None
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
        data: dict[str, Any] = self.prompt.to_metadata(**extra)
        data["seed"] = self.seeds[index]
        if self.loras:
            data["use_lora"] = [{"name": n, "te": te, "unet": unet} for n, te, unet in self.loras]
        # the app's own switches; the prompt before expansion lets the image be made without it
        data["enable_lcm"] = self.lcm
        data["refine_prompt"] = self.expansion is not None
        if self.original_prompt is not None:
            data["original_prompt"] = self.original_prompt
        return data

    def record(self, index: int = 0, *, model: str | None = None) -> GenerationRecord:
        """The settings of image ``index`` as a ``GenerationRecord`` (what its ``parameters`` text says).

        ``model`` is the model as it was loaded (hub id, folder or file); its name is written.

        >>> from animagine_prompt.presets import PromptBuilder, bundled_presets
        >>> built = PromptBuilder(presets=bundled_presets()).tags("1girl").size("832x1216").seed(5).build()
        >>> g = Generation((None, None), (5, 6), built, Timings(1.0, 0.9, 0.0, 0.0, 0.0))
        >>> r = g.record(1, model="Linaqruf/animagine-xl-2.0")
        >>> r.seed, r.width, r.model, r.steps
        (6, 832, 'animagine-xl-2.0', 50)
        """
        from animagine_prompt._version import __version__
        from animagine_prompt.metadata import GenerationRecord, model_name

        built = self.prompt
        hires = built.hires
        return GenerationRecord(
            prompt=built.prompt,
            negative_prompt=built.negative_prompt,
            width=built.width,
            height=built.height,
            steps=built.steps,
            guidance=built.guidance,
            seed=self.seeds[index],
            sampler=built.sampler,
            model=model_name(model),
            hires_upscale=None if hires is None else hires.upscale_by,
            hires_strength=None if hires is None else hires.strength,
            hires_method=None if hires is None else hires.method,
            clip_skip=self.clip_skip,
            emphasis=self.emphasis,
            lcm=self.lcm,
            refine_prompt=self.expansion is not None,
            original_prompt=self.original_prompt,
            extra=(("Version", f"animagine-prompt {__version__}"),),
        )

    def png(self, index: int = 0, *, model: str | None = None) -> bytes:
        """Image ``index`` as PNG bytes with its A1111 ``parameters`` text and the app's ``metadata``
        JSON, as ``animagine-prompt generate`` writes them."""
        from animagine_prompt.metadata import generation_png, model_name

        name = model_name(model)
        extra: dict[str, Any] = {"Model": {"Model": name}} if name else {}
        app = self.metadata(index, **extra, datetime=str(datetime.now()))
        return generation_png(self.images[index], self.record(index, model=model), app)

    def save(self, path: str | Path, index: int = 0, *, model: str | None = None) -> Path:
        """Write image ``index`` to ``path`` as :meth:`png` makes it, atomically; returns the path."""
        from animagine_prompt._files import write_atomic

        return write_atomic(path, self.png(index, model=model))
