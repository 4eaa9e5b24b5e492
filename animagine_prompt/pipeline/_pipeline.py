"""``AnimaginePipeline``: prompts in A1111 syntax, the card's settings and presets, generated with diffusers."""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from animagine_prompt.errors import UsageError
from animagine_prompt.limits import check_setting, parse_wxh
from animagine_prompt.pipeline._conditions import build_table
from animagine_prompt.pipeline._lcm import (
    LCM_LORA,
    LCM_SCHEDULER,
    LcmSettingsWarning,
    lcm_loras,
    lcm_warnings,
    plan_lcm,
)
from animagine_prompt.pipeline._lora import LoraSet, lora_requests
from animagine_prompt.pipeline._result import Generation, Timings
from animagine_prompt.pipeline._sampling import PassRunner, StepInfo
from animagine_prompt.pipeline._schedule import step_texts
from animagine_prompt.pipeline._schedulers import scheduler_from_config

__all__ = ["AnimaginePipeline"]

_UPSCALE_MODES = ("nearest-exact", "nearest", "bilinear", "bicubic", "area")


def _requested_size(size: Any) -> tuple[int, int] | None:
    """Explicit pixel sizes the caller gave (a pair or ``"WxH"``), checked; None for names and ratios."""
    if isinstance(size, str):
        pair = parse_wxh(size)
        if pair is None:
            return None
        width, height = pair
    else:
        try:
            width, height = size
        except (TypeError, ValueError):
            raise UsageError(
                f"size must be (width, height), 'WxH', a resolution name or a ratio, not {size!r}"
            ) from None
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (width, height)):
            raise UsageError(f"size must be whole numbers of pixels, not {size!r}")
    if width % 8 or height % 8:
        # SDXL's VAE works in 8x8 pixel cells; say so rather than quietly changing the size
        raise UsageError(
            f"size {width}x{height} is not a multiple of 8 pixels per side: use "
            f"{width // 8 * 8 or 8}x{height // 8 * 8 or 8} or {-(-width // 8) * 8}x{-(-height // 8) * 8}"
        )
    return width, height


class AnimaginePipeline:
    """A diffusers SDXL pipeline that reads prompts the way the web UIs do.

    Weights, ``BREAK`` and prompts past 75 tokens go through ``animagine_prompt.encode``;
    ``[from:to:when]`` and ``[a|b]`` switch the conditioning during sampling; ``AND`` parts are
    combined as composable diffusion; ``<lora:name:w>`` loads LoRAs; quality and style presets,
    sizes and samplers come from ``animagine_prompt.presets``. Create one with
    :func:`animagine_prompt.pipeline.load` or wrap a pipeline you have with :meth:`from_diffusers`.

    ``sampler`` is the default sampler name (None: the presets' default), ``lora_dir`` a folder of
    LoRA files and ``loras`` a map from prompt names to files or hub repositories (over the card's
    companion LoRAs).
    ``lcm_lora`` names the LoRA that LCM mode loads; ``expander`` expands prompts for
    ``generate(expand=True)`` (the default TIPO model, loaded on first use, when None).

    >>> AnimaginePipeline.from_diffusers  # doctest: +ELLIPSIS
    <bound method AnimaginePipeline.from_diffusers of <class '...AnimaginePipeline'>>
    """

    def __init__(
        self,
        pipe: Any,
        *,
        sampler: str | None = None,
        presets: Any = None,
        lora_dir: str | Path | None = None,
        loras: Mapping[str, str] | None = None,
        lcm_lora: str = LCM_LORA,
        expander: Any = None,
    ) -> None:
        from animagine_prompt.encode import ChunkCache, PromptEncoder
        from animagine_prompt.presets import load_presets

        if not hasattr(pipe, "text_encoder_2") or not hasattr(pipe, "unet"):
            raise UsageError(f"{type(pipe).__name__} is not an SDXL pipeline: pass a StableDiffusionXLPipeline")
        self.pipe = pipe
        self.presets = presets if presets is not None else load_presets()
        # None: the presets' default sampler (the card's Euler a unless a preset file says otherwise)
        self.sampler = self.presets.sampler(sampler or self.presets.defaults.sampler).name  # checks the name now
        # the model's own scheduler settings; every sampler is built from these, never from another sampler's
        self._scheduler_config = pipe.scheduler.config
        self._schedulers: dict[tuple, Any] = {}
        self._cache = ChunkCache()
        # one chunk per encoder call: the same batch shapes as diffusers' encode_prompt, hence the
        # same numbers to the last bit (batched rows can differ in the last place)
        self.encoder = PromptEncoder.from_pipeline(pipe, cache=self._cache, max_batch_chunks=1)
        self.loras = LoraSet(pipe, lora_dir, loras)
        self.lcm_lora = lcm_lora
        self.expander = expander
        self._img2img: Any = None
        self._fast: Any = None  # FastState once enable_fast() ran

    def __repr__(self) -> str:
        unet = self.pipe.unet
        return (
            f"AnimaginePipeline({type(self.pipe).__name__}, device={self.device}, dtype={unet.dtype}, "
            f"sampler={self.sampler!r})"
        )

    @classmethod
    def from_diffusers(cls, pipe: Any, **options: Any) -> AnimaginePipeline:
        """Wrap a ``StableDiffusionXLPipeline`` you already loaded (its device, dtype and offload stay as they are).

        ``options`` are ``sampler``, ``presets``, ``lora_dir``, ``loras``, ``lcm_lora`` and ``expander``.

        >>> AnimaginePipeline.from_diffusers(object())
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.UsageError: object is not an SDXL pipeline: pass a StableDiffusionXLPipeline
        """
        return cls(pipe, **options)

    @property
    def device(self) -> torch.device:
        """Where the UNet runs (the execution device under CPU offload)."""
        unet = self.pipe.unet
        if getattr(unet, "_hf_hook", None) is not None or getattr(unet, "_diffusers_hook", None) is not None:
            return self.pipe._execution_device  # offloaded: the hooks know where it runs
        # diffusers' _execution_device walks every module (milliseconds); without offload the
        # UNet's weights say it
        for parameter in unet.parameters():
            return parameter.device
        return self.pipe._execution_device

    # -- memory and speed -------------------------------------------------------------------------

    def enable_offload(self, mode: str = "model") -> AnimaginePipeline:
        """Keep weights in CPU memory and move them to the GPU when used.

        ``"model"`` moves whole models (small slowdown, about a third of the GPU memory);
        ``"sequential"`` moves layer by layer (lowest memory, much slower). Needs accelerate.

        Needs a GPU and the model, so the example is not run here:

        >>> from animagine_prompt.pipeline import load
        >>> pipe = load().enable_offload("model")  # doctest: +SKIP
        """
        if mode == "model":
            self.pipe.enable_model_cpu_offload()
        elif mode == "sequential":
            self.pipe.enable_sequential_cpu_offload()
        else:
            raise UsageError(f"unknown offload mode {mode!r}: use 'model' or 'sequential'")
        self._img2img = None
        return self

    def enable_vae_tiling(self, enabled: bool = True) -> AnimaginePipeline:
        """Decode the image in overlapping tiles, for large (hires) images on small GPUs.

        >>> pipe = load().enable_vae_tiling()  # doctest: +SKIP
        >>> pipe.generate("1girl, night sky", size="1536x640", hires=True)  # doctest: +SKIP
        """
        (self.pipe.vae.enable_tiling if enabled else self.pipe.vae.disable_tiling)()
        return self

    def enable_vae_slicing(self, enabled: bool = True) -> AnimaginePipeline:
        """Decode a batch one image at a time.

        >>> pipe = load().enable_vae_slicing()  # doctest: +SKIP
        >>> pipe.generate("1girl, smile", num_images=4)  # doctest: +SKIP
        """
        (self.pipe.vae.enable_slicing if enabled else self.pipe.vae.disable_slicing)()
        return self

    def channels_last(self) -> AnimaginePipeline:
        """Put the UNet and VAE weights in channels-last memory order (faster convolutions on recent GPUs).

        >>> pipe = load().channels_last()  # doctest: +SKIP
        """
        self.pipe.unet.to(memory_format=torch.channels_last)
        self.pipe.vae.to(memory_format=torch.channels_last)
        return self

    def enable_fast(self, options: Any = True) -> AnimaginePipeline:
        """Turn on what speeds sampling up on this device (``options``: True or ``FastOptions(...)``).

        On CUDA: SDPA attention, fused QKV projections, channels-last weights and ``torch.compile``
        of the UNet and VAE decoder; elsewhere only the attention changes (compiling costs minutes
        there). Each bundled resolution compiles once per batch size, in a ``"warm-up"`` stage the
        first time it is used (the callback sees it; ``result.timings.warm_up`` says how long it
        took); other sizes and runs with LoRAs use the eager UNet instead of recompiling. See
        ``docs/fast.md``.

        >>> pipe = load(fast=True)  # doctest: +SKIP
        >>> pipe.generate("1girl, smile", seed=1).notes[0]  # doctest: +SKIP
        'fast on cuda: SDPA attention, fused QKV projections, channels-last weights and torch.compile ...'
        """
        from animagine_prompt.pipeline._fast import FastState, plan_fast

        if options is False or options is None:
            return self
        if self._fast is not None:
            raise UsageError("fast mode is already on for this pipeline")
        plan = plan_fast(options, self.device)
        sizes = {(r.width, r.height) for r in self.presets.all("resolution")}
        self._fast = FastState(self.pipe, plan, sizes)
        self._img2img = None
        return self

    def compile_unet(self, **options: Any) -> AnimaginePipeline:
        """``torch.compile`` the UNet (``options`` go to it, e.g. ``mode="max-autotune"``); the first call compiles.

        >>> pipe = load().compile_unet(mode="max-autotune")  # doctest: +SKIP
        """
        self.pipe.unet = torch.compile(self.pipe.unet, **options)
        self._img2img = None
        return self

    # -- generation -------------------------------------------------------------------------------

    def _scheduler(self, built: Any) -> Any:
        from animagine_prompt.presets import SamplerPreset

        options = dict(built.scheduler_options)
        key = (built.scheduler, tuple(sorted(options.items())))
        scheduler = self._schedulers.get(key)
        if scheduler is None:
            preset = SamplerPreset(name=built.sampler, scheduler=built.scheduler, options=options)
            scheduler = self._schedulers[key] = scheduler_from_config(preset, self._scheduler_config)
        return scheduler

    def _is_lcm(self, sampler: str) -> bool:
        return bool(self.presets.sampler(sampler).scheduler == LCM_SCHEDULER)

    def _hires_pipe(self) -> Any:
        if self._img2img is None:
            from diffusers import StableDiffusionXLImg2ImgPipeline

            modules = {n: m for n, m in self.pipe.components.items() if isinstance(m, torch.nn.Module)}
            # torch types a module's attributes as Tensor | Module; diffusers' and transformers' models have a dtype
            dtypes: dict[str, Any] = {n: m.dtype for n, m in modules.items()}
            # from_pipe shares the components (no second copy of the weights) but casts them all
            # to one dtype; put back any that differed (an fp32 VAE beside an fp16 UNet)
            from diffusers.utils import logging as diffusers_logging

            from animagine_prompt.pipeline._devices import dtype_kwargs

            level = diffusers_logging.get_verbosity()
            diffusers_logging.set_verbosity_error()  # the cast warns about modules it then leaves alone
            try:
                self._img2img = StableDiffusionXLImg2ImgPipeline.from_pipe(
                    self.pipe, **dtype_kwargs(self.pipe.unet.dtype)
                )
            finally:
                diffusers_logging.set_verbosity(level)
            for name, module in modules.items():
                if module.dtype != dtypes[name]:
                    module.to(dtypes[name])
            self._img2img.set_progress_bar_config(**getattr(self.pipe, "_progress_bar_config", {}))
        return self._img2img

    def build(
        self,
        prompt: str,
        negative_prompt: str | None = None,
        *,
        quality: str | None = None,
        style: str | None = None,
        size: Any = None,
        steps: int | None = None,
        guidance: float | None = None,
        seed: int | None = None,
        sampler: str | None = None,
        hires: Any = None,
        lcm: bool = False,
    ) -> Any:
        """The ``BuiltPrompt`` that :meth:`generate` would use for these arguments (no GPU work).

        >>> built = load().build("1girl, green hair", quality="heavy", size="3:4")  # doctest: +SKIP
        >>> built.width, built.height, built.prompt.startswith("(masterpiece)")  # doctest: +SKIP
        (896, 1152, True)
        >>> built = load().build("1girl", lcm=True)  # doctest: +SKIP
        >>> built.sampler, built.steps, built.guidance  # doctest: +SKIP
        ('LCM', 8, 1.5)
        """
        from animagine_prompt.presets import Hires, PromptBuilder

        if not isinstance(prompt, str):
            raise UsageError(f"prompt must be a string, not {type(prompt).__name__}")
        builder = PromptBuilder(presets=self.presets).tags(prompt)
        if negative_prompt:
            builder = builder.negative(negative_prompt)
        if quality is not None:
            builder = builder.quality(quality)
        if style is not None:
            builder = builder.style(style)
        wanted = None
        if size is not None:
            wanted = _requested_size(size)
            builder = builder.size(*wanted) if wanted is not None else builder.size(size)
        # LCM mode (lcm=True or an LCM sampler) brings its own sampler and its steps/guidance defaults
        mode = plan_lcm(
            lcm, sampler=sampler, steps=steps, guidance=guidance, default_sampler=self.sampler, is_lcm=self._is_lcm
        )
        builder = builder.sampler(mode.sampler or self.sampler)
        if mode.steps is not None:
            builder = builder.steps(mode.steps)
        if mode.guidance is not None:
            builder = builder.guidance(mode.guidance)
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        builder = builder.seed(seed)
        if hires is True:
            builder = builder.hires()
        elif isinstance(hires, Hires):
            builder = builder.hires(upscale_by=hires.upscale_by, strength=hires.strength, method=hires.method)
        elif isinstance(hires, Mapping):
            builder = builder.hires(**hires)
        elif hires not in (None, False):
            raise UsageError(f"hires must be True, a Hires(...) or a dict of its settings, not {hires!r}")
        built = builder.build()
        if built.hires is not None:
            if built.hires.method not in _UPSCALE_MODES:
                raise UsageError(
                    f"unknown hires upscale method {built.hires.method!r}: use one of {', '.join(_UPSCALE_MODES)}"
                )
            if int(built.steps * built.hires.strength) < 1:
                raise UsageError(
                    f"hires strength {built.hires.strength} with {built.steps} steps runs no step: "
                    "raise the strength or the steps"
                )
        return built

    def generate(
        self,
        prompt: str,
        negative_prompt: str | None = None,
        *,
        quality: str | None = None,
        style: str | None = None,
        size: Any = None,
        steps: int | None = None,
        guidance: float | None = None,
        seed: int | None = None,
        num_images: int = 1,
        sampler: str | None = None,
        hires: Any = None,
        emphasis: str = "original",
        clip_skip: int | None = None,
        callback: Callable[[StepInfo], Any] | None = None,
        lcm: bool = False,
        expand: Any = False,
    ) -> Generation:
        """Generate ``num_images`` images for an A1111-syntax ``prompt``.

        Unset settings are the Animagine XL 2.0 card's: 1024x1024, guidance 12, 50 steps, Euler a
        (or the presets' ``defaults``). ``quality`` and ``style`` name presets; ``size`` is a
        resolution name, ``"WxH"``, ``(w, h)`` or an aspect ratio such as ``"3:4"``. ``seed`` None
        picks one; image ``i`` uses ``seed + i``. ``hires=True`` (or ``Hires(...)``, or a dict)
        adds the app's second pass: latents upscaled x1.5 (nearest-exact), then img2img at
        strength 0.55. A blank or missing negative prompt gives SDXL's zero negative.
        ``emphasis`` and ``clip_skip`` are the encoder's; ``callback(StepInfo)`` is called after
        every step and may return ``False`` to stop.

        ``lcm=True`` (or the ``LCM`` sampler) is LCM mode: the LCM-LoRA is loaded, ``LCMScheduler``
        samples, and unset steps and guidance are 8 and 1.5; guidance 1 or less skips the negative
        (one UNet batch per step). ``expand=True`` (or an ``Expander``) adds tags to ``prompt``
        before the presets apply (see ``docs/expand.md``); ``result.expansion`` says which.

        >>> result = load().generate("1girl, green hair, sweater", seed=1, hires=True)  # doctest: +SKIP
        >>> result.image.size, result.seed  # doctest: +SKIP
        ((1536, 1536), 1)
        >>> result = load().generate("1girl, green hair", lcm=True, expand=True, seed=3)  # doctest: +SKIP
        >>> result.prompt.steps, result.lcm, result.metadata()["refine_prompt"]  # doctest: +SKIP
        (8, True, True)
        """
        started = time.perf_counter()
        num_images = check_setting("count", num_images, label="num_images")
        settings: dict[str, Any] = {
            "quality": quality,
            "style": style,
            "size": size,
            "steps": steps,
            "guidance": guidance,
            "seed": seed,
            "sampler": sampler,
            "hires": hires,
            "lcm": lcm,
        }
        built = self.build(prompt, negative_prompt, **settings)
        expansion = original_prompt = None
        if expand is not False and expand is not None:
            expansion = self._expand(expand, prompt, built)
            original_prompt = built.prompt
            built = self.build(expansion.prompt, negative_prompt, **{**settings, "seed": built.seed})
        # the builder hands out its own parse of the final texts: no second parse here
        parsed = built.parsed_prompt
        negative = built.parsed_negative if built.negative_prompt.strip() else None
        requests = lora_requests(parsed)
        notes: list[str] = []
        in_lcm = built.scheduler == LCM_SCHEDULER
        if in_lcm:
            requests = lcm_loras(requests, self.lcm_lora)
            for message in lcm_warnings(built.steps, built.guidance):
                warnings.warn(message, LcmSettingsWarning, stacklevel=2)
                notes.append(message)
        resolved = self.loras.resolve(requests)  # unknown names fail here, before any GPU work
        if negative is not None and negative.extra_networks():
            notes.append("negative prompt: extra networks are ignored there; LoRAs are read from the prompt only")

        lora_started = time.perf_counter()
        if self.loras.apply(resolved):
            self._cache.clear()  # adapter weights changed the text encoders in ways the cache cannot see
        lora_seconds = time.perf_counter() - lora_started

        fast = self._fast
        if fast is not None:
            fast.attention(loras=bool(self.loras.loaded))
            notes.extend(fast.notes())

        scheduler = self._scheduler(built)
        self.pipe.scheduler = scheduler
        self.encoder.device = self.device
        seeds = tuple((built.seed + i) % 2**64 for i in range(num_images))
        generators = [torch.Generator("cpu").manual_seed(s) for s in seeds]
        generator = generators[0] if num_images == 1 else generators
        options = {"emphasis": emphasis, "clip_skip": clip_skip, "images": num_images, "dialect": parsed.dialect}
        known = {built.prompt: parsed}
        if negative is not None:
            known[built.negative_prompt] = negative

        encode_started = time.perf_counter()
        texts = step_texts(parsed, negative, steps=built.steps, run_steps=built.steps)
        table = build_table(self.encoder, texts, parsed=known, **options)
        encode_seconds = time.perf_counter() - encode_started

        output_type = "latent" if built.hires is not None else "pil"
        compiled, warm_up_seconds = self._fast_shape(built, table, output_type, callback)
        runner = PassRunner(self.pipe, table, guidance=built.guidance, stage="base", callback=callback)
        try:
            out = runner.run(
                height=built.height,
                width=built.width,
                num_inference_steps=built.steps,
                generator=generator,
                output_type=output_type,
            )
        finally:
            if compiled:
                self._fast.swap_in(False)
        runners = [runner]
        interrupted = bool(getattr(self.pipe, "_interrupt", False))
        hires_texts: tuple = ()
        if built.hires is not None and not interrupted:
            latents = out.images
            height, width = latents.shape[-2:]
            factor = built.hires.upscale_by
            upscaled = torch.nn.functional.interpolate(
                latents, size=(round(height * factor), round(width * factor)), mode=built.hires.method
            )
            img2img = self._hires_pipe()
            img2img.scheduler = scheduler
            run_steps = min(int(built.steps * built.hires.strength), built.steps)
            encode_started = time.perf_counter()
            hires_texts = tuple(
                step_texts(parsed, negative, steps=built.steps, run_steps=run_steps, hires_steps=built.steps)
            )
            hires_table = build_table(self.encoder, hires_texts, parsed=known, **options)
            encode_seconds += time.perf_counter() - encode_started
            hires_runner = PassRunner(img2img, hires_table, guidance=built.guidance, stage="hires", callback=callback)
            out = hires_runner.run(
                image=upscaled,
                strength=built.hires.strength,
                num_inference_steps=built.steps,
                generator=generator,
                output_type="pil",
            )
            runners.append(hires_runner)
            interrupted = bool(getattr(img2img, "_interrupt", False))
            notes.extend(n for n in hires_table.notes if n not in notes)
        elif built.hires is not None:
            # stopped during the first pass: decode what there is
            out = self._decode(out.images)

        total = time.perf_counter() - started
        timings = Timings(
            total=total,
            pipeline=sum(r.pipeline_seconds for r in runners),
            encode=encode_seconds,
            lora=lora_seconds,
            callbacks=sum(r.callback_seconds for r in runners),
            warm_up=warm_up_seconds,
        )
        notes = list(dict.fromkeys([*table.notes, *notes]))
        return Generation(
            images=tuple(out.images),
            seeds=seeds,
            prompt=built,
            timings=timings,
            steps=tuple(texts),
            hires_steps=hires_texts,
            loras=tuple((r.name, r.text_encoder_weight, r.unet_weight) for r, _ in resolved if r.active),
            notes=tuple(notes),
            interrupted=interrupted,
            emphasis=emphasis,
            clip_skip=clip_skip,
            lcm=in_lcm,
            original_prompt=original_prompt,
            expansion=expansion,
        )

    def _fast_shape(self, built: Any, table: Any, output_type: str, callback: Any) -> tuple[bool, float]:
        """In fast mode, put the compiled UNet in for this run where it applies, warming its shape up first.

        Returns whether the compiled UNet is in and the seconds the warm-up took (0 when none ran).
        """
        fast = self._fast
        if fast is None:
            return False, 0.0
        if table.composable:
            lengths = {entry.hidden.shape[1] for entry in table.entries}
            batch = table.entries[0].hidden.shape[0]
        else:
            lengths = {entry.prompt_embeds.shape[1] for entry in table.entries}
            batch = table.entries[0].prompt_embeds.shape[0] * (2 if built.guidance > 1 else 1)
        # one context length for the whole run: a schedule that changes the chunk count mid-run
        # would recompile between steps
        if len(lengths) != 1:
            return False, 0.0
        key = (built.width, built.height, batch, lengths.pop())
        if not fast.compiles(key, loras=bool(self.loras.loaded)):
            return False, 0.0
        fast.swap_in(True)
        if key in fast.compiled_shapes:
            return True, 0.0
        if callback is not None:
            callback(StepInfo("warm-up", 0, 1, 0.0, None))
        started = time.perf_counter()
        try:
            # one step at the run's shapes pays the compilation; its own generator leaves the seeds alone
            shown = None if callback is None else (lambda info: callback(replace(info, steps=1)) and None)
            PassRunner(self.pipe, table, guidance=built.guidance, stage="warm-up", callback=shown).run(
                height=built.height,
                width=built.width,
                num_inference_steps=1,
                generator=torch.Generator("cpu").manual_seed(0),
                output_type=output_type,
            )
        except BaseException:
            fast.swap_in(False)
            raise
        seconds = fast.compiled_shapes[key] = time.perf_counter() - started
        return True, seconds

    def _expand(self, expand: Any, prompt: str, built: Any) -> Any:
        """Expand the caller's ``prompt`` (before presets) with the negative and size it will be built with."""
        if expand is True:
            if self.expander is None:
                from animagine_prompt.expand import LMExpander

                self.expander = LMExpander(device=str(self.device))
            expander = self.expander
        elif callable(getattr(expand, "expand", None)):
            expander = expand
        else:
            raise UsageError(f"expand must be True, False or an Expander, not {expand!r}")
        return expander.expand(
            prompt, seed=built.seed, negative_prompt=built.negative_prompt, aspect_ratio=built.width / built.height
        )

    def _decode(self, latents: torch.Tensor) -> Any:
        from types import SimpleNamespace

        vae = self.pipe.vae
        with torch.no_grad():
            decoded = vae.decode(latents.to(vae.dtype) / vae.config.scaling_factor, return_dict=False)[0]
        return SimpleNamespace(images=self.pipe.image_processor.postprocess(decoded, output_type="pil"))
