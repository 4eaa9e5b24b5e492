"""The ``fast`` option: what speeds sampling up on the device at hand, with compiled shapes kept static.

On CUDA: SDPA attention, fused QKV projections, channels-last weights and ``torch.compile`` of the
UNet and the VAE decoder (``reduce-overhead``, i.e. with CUDA graphs, unless told otherwise). On
other devices compilation costs minutes and is left off: only the attention changes apply there.

Compiled code is kept per shape (``dynamic=False``): the bundled resolutions each compile once, at
a warm-up the first time they are used with a batch size, and switching between them reuses what
was compiled. Other sizes, shapes past ``max_shapes`` and runs with LoRAs loaded use the eager
UNet, so they never set off a recompilation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import torch

from animagine_prompt.errors import UsageError

__all__ = ["FastOptions", "FastPlan", "FastState", "fuse_qkv", "plan_fast"]

_DEFAULT_PROCESSORS = ("AttnProcessor", "AttnProcessor2_0")


@dataclass(frozen=True)
class FastOptions:
    """What ``fast=True`` turns on; ``None`` fields are decided per device (see :func:`plan_fast`).

    ``compile``: ``torch.compile`` the UNet and the VAE decoder. ``mode``: the compile mode (default
    ``"reduce-overhead"`` with ``cuda_graphs``, ``"default"`` without). ``backend``: the compile
    backend. ``channels_last``: channels-last UNet and VAE weights. ``fuse_qkv``: one projection for
    query, key and value. ``max_shapes``: how many (size, batch) shapes are compiled at most (default
    torch's recompile limit).

    >>> FastOptions(mode="max-autotune").mode
    'max-autotune'
    """

    compile: bool | None = None
    mode: str | None = None
    cuda_graphs: bool = True
    backend: str = "inductor"
    channels_last: bool | None = None
    fuse_qkv: bool = True
    max_shapes: int | None = None


@dataclass(frozen=True)
class FastPlan:
    """The options resolved for one device, and a line saying what is on and what was left off."""

    compile: bool
    mode: str | None
    backend: str
    channels_last: bool
    fuse_qkv: bool
    max_shapes: int
    notes: tuple[str, ...] = field(default=())


def _recompile_limit() -> int:
    config = torch._dynamo.config
    return int(getattr(config, "recompile_limit", getattr(config, "cache_size_limit", 8)))


def plan_fast(options: bool | FastOptions, device: torch.device) -> FastPlan:
    """Resolve ``options`` for ``device``.

    >>> plan = plan_fast(True, torch.device("cpu"))
    >>> plan.compile, plan.fuse_qkv, plan.channels_last
    (False, True, False)
    >>> print(plan.notes[0])
    fast on cpu: SDPA attention and fused QKV projections; torch.compile and channels-last are off on this device
    >>> plan_fast(FastOptions(cuda_graphs=False), torch.device("cuda")).mode
    'default'
    """
    if options is True:
        options = FastOptions()
    if not isinstance(options, FastOptions):
        raise UsageError(f"fast must be True, False or FastOptions(...), not {options!r}")
    cuda = device.type == "cuda"
    compile_ = cuda if options.compile is None else options.compile
    channels_last = cuda if options.channels_last is None else options.channels_last
    mode = options.mode or ("reduce-overhead" if options.cuda_graphs else "default")
    if options.max_shapes is not None and options.max_shapes < 1:
        raise UsageError(f"max_shapes must be at least 1, not {options.max_shapes}")
    on = ["SDPA attention"]
    if options.fuse_qkv:
        on.append("fused QKV projections")
    if channels_last:
        on.append("channels-last weights")
    if compile_:
        on.append(f"torch.compile of the UNet and VAE decoder ({options.backend}, mode {mode})")
    off = [name for name, used in (("torch.compile", compile_), ("channels-last", channels_last)) if not used]
    note = f"fast on {device.type}: {', '.join(on[:-1]) + ' and ' + on[-1] if len(on) > 1 else on[0]}"
    if off:
        note += f"; {' and '.join(off)} {'is' if len(off) == 1 else 'are'} off on this device"
    return FastPlan(
        compile=compile_,
        mode=mode if compile_ else None,
        backend=options.backend,
        channels_last=channels_last,
        fuse_qkv=options.fuse_qkv,
        max_shapes=options.max_shapes or _recompile_limit(),
        notes=(note,),
    )


def _use_sdpa(model: Any) -> None:
    processors = getattr(model, "attn_processors", None)
    if not processors:
        return
    # leave custom processors (IP-Adapter, xformers) alone: only the stock ones are replaced
    if all(type(p).__name__ in _DEFAULT_PROCESSORS for p in processors.values()):
        from diffusers.models.attention_processor import AttnProcessor2_0

        model.set_attn_processor(AttnProcessor2_0())


def fuse_qkv(model: Any) -> bool:
    """Fuse the attention projections of ``model`` without keeping a second copy of their weights.

    diffusers' ``fuse_qkv_projections`` adds the concatenated matrices beside the separate ones
    (about a quarter more UNet weights for SDXL); here the separate ``to_q``/``to_k``/``to_v``
    weights become views into the fused matrix, so memory stays as it was, the separate modules
    stay usable (``unfuse_qkv_projections``, LoRA layers) and an in-place change to either is seen
    by both. Returns False when the model has attention diffusers cannot fuse.

    >>> from diffusers import AutoencoderKL
    >>> vae = AutoencoderKL(block_out_channels=[8], norm_num_groups=4, latent_channels=2)
    >>> fuse_qkv(vae)
    True
    >>> attention = vae.decoder.mid_block.attentions[0]
    >>> attention.to_k.weight.data_ptr() > attention.to_q.weight.data_ptr() == attention.to_qkv.weight.data_ptr()
    True
    """
    from diffusers.models.attention_processor import Attention

    processors = getattr(model, "attn_processors", {})
    if any("Added" in type(p).__name__ for p in processors.values()):
        return False
    model.fuse_qkv_projections()
    for module in model.modules():
        if isinstance(module, Attention):
            _share(module)
    return True


def _share(attention: Any) -> None:
    """Make the separate projections views into the fused one (the copies are freed)."""
    fused = getattr(attention, "to_qkv", None)
    parts: Iterable[Any]
    if fused is not None:
        parts = (attention.to_q, attention.to_k, attention.to_v)
    else:
        fused = getattr(attention, "to_kv", None)
        if fused is None:
            return
        parts = (attention.to_k, attention.to_v)
    start = 0
    for part in parts:
        rows = part.weight.shape[0]
        part.weight = torch.nn.Parameter(fused.weight.data[start : start + rows], requires_grad=False)
        if part.bias is not None and fused.bias is not None:
            part.bias = torch.nn.Parameter(fused.bias.data[start : start + rows], requires_grad=False)
        start += rows


class FastState:
    """The ``fast`` set-up of one pipeline: the attention changes, the compiled callables and the shapes
    they have compiled."""

    def __init__(self, pipe: Any, plan: FastPlan, sizes: Iterable[tuple[int, int]]) -> None:
        self.pipe = pipe
        self.plan = plan
        self.sizes = frozenset(sizes)  # (width, height) that are compiled
        # (width, height, UNet batch, context tokens) -> seconds its warm-up took
        self.compiled_shapes: dict[tuple[int, int, int, int], float] = {}
        self.pending_notes: list[str] = list(plan.notes)
        self.fused = False
        unet, vae = pipe.unet, pipe.vae
        for model in (unet, vae):
            _use_sdpa(model)
        if plan.fuse_qkv:
            self.fused = fuse_qkv(unet)
            fuse_qkv(vae)
        if plan.channels_last:
            unet.to(memory_format=torch.channels_last)
            vae.to(memory_format=torch.channels_last)
        self.eager_unet = unet
        self.compiled_unet: Any = None
        self.compiled_decode: Any = None
        if plan.compile:
            if plan.backend == "inductor":
                import torch._inductor.config as inductor_config

                # SDXL's many 1x1 convolutions run faster as matrix products
                inductor_config.conv_1x1_as_mm = True
            options: dict[str, Any] = {"backend": plan.backend, "dynamic": False}
            if plan.backend == "inductor":
                options["mode"] = plan.mode
            self.compiled_unet = torch.compile(unet, **options)
            self.compiled_decode = torch.compile(vae.decode, **options)

    def compiles(self, key: tuple[int, int, int, int], *, loras: bool) -> bool:
        """Whether a run of shape ``key`` (width, height, UNet batch, context tokens) uses the
        compiled UNet: a bundled size, within ``max_shapes``, and no LoRA loaded."""
        if self.compiled_unet is None or loras or key[:2] not in self.sizes:
            return False
        return key in self.compiled_shapes or len(self.compiled_shapes) < self.plan.max_shapes

    def attention(self, *, loras: bool) -> None:
        """Fused projections when no LoRA is loaded; the separate ones (where the LoRA layers sit) otherwise."""
        unet = self.eager_unet
        if not self.fused:
            return
        if loras and getattr(unet, "original_attn_processors", None) is not None:
            unet.unfuse_qkv_projections()
            unet.original_attn_processors = None
            self._unfused_processors = True
        elif not loras and getattr(self, "_unfused_processors", False):
            from diffusers.models.attention_processor import FusedAttnProcessor2_0

            unet.original_attn_processors = unet.attn_processors
            unet.set_attn_processor(FusedAttnProcessor2_0())
            self._unfused_processors = False

    def swap_in(self, compiled: bool) -> None:
        """Put the compiled (or the eager) UNet and VAE decoder into the pipeline."""
        self.pipe.unet = self.compiled_unet if compiled else self.eager_unet
        vae = self.pipe.vae
        if compiled:
            vae.decode = self.compiled_decode
        else:
            vae.__dict__.pop("decode", None)

    def notes(self) -> list[str]:
        """Notes not reported yet (what ``fast`` turned on, once)."""
        notes, self.pending_notes = self.pending_notes, []
        return notes
