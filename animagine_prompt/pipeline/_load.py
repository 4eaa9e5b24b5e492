"""``load(...)``: an ``AnimaginePipeline`` from a hub id, a local diffusers folder or one ``.safetensors`` file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from animagine_prompt.errors import ModelNotFoundError, UsageError
from animagine_prompt.pipeline._devices import dtype_kwargs, resolve_device, resolve_dtype
from animagine_prompt.pipeline._pipeline import AnimaginePipeline

__all__ = ["DEFAULT_MODEL", "DEFAULT_VAE", "load"]

#: The model this package is written for, and the VAE its card pairs it with (fixed for fp16).
DEFAULT_MODEL = "Linaqruf/animagine-xl-2.0"
DEFAULT_VAE = "madebyollin/sdxl-vae-fp16-fix"


def _offline() -> bool:
    # read at call time: huggingface_hub reads the variable once, when it is imported
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~", "\\")) or name.endswith((".safetensors", ".ckpt", ".bin", ".pt")) or (
        os.sep in name and name.count("/") != 1
    )


def _no_such(model: str) -> ModelNotFoundError:
    return ModelNotFoundError(f"model {model} does not exist: give a diffusers folder, a .safetensors file or a hub id")


def _missing(what: str, name: str, exc: BaseException | None = None) -> ModelNotFoundError:
    if _offline():
        how = (
            f"HF_HUB_OFFLINE is set and {name} is not in the local hub cache: download it once while online "
            f"(`hf download {name}`), or pass a local diffusers folder or .safetensors file"
        )
    else:
        how = (
            f"check the name, log in with `hf auth login` if the repository is gated, or download it "
            f"(`hf download {name}`) and pass the local folder"
        )
    detail = f" ({type(exc).__name__})" if exc is not None else ""
    return ModelNotFoundError(f"{what} {name!r} could not be loaded: {how}{detail}")


def _hub_errors() -> tuple[type[BaseException], ...]:
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError

    return (OSError, HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError)


def _load_vae(vae: str, dtype: torch.dtype) -> Any:
    from diffusers import AutoencoderKL

    path = Path(vae).expanduser()
    if path.is_file():
        if path.suffix != ".safetensors":
            raise UsageError(f"VAE {vae}: only .safetensors files are loaded (other formats can run code when read)")
        return AutoencoderKL.from_single_file(str(path), **dtype_kwargs(dtype))
    if path.is_dir():
        return AutoencoderKL.from_pretrained(str(path), **dtype_kwargs(dtype), use_safetensors=True)
    if _looks_like_path(vae):
        raise ModelNotFoundError(f"VAE {vae} does not exist: give a folder, a .safetensors file or a hub id")
    try:
        return AutoencoderKL.from_pretrained(
            vae, **dtype_kwargs(dtype), use_safetensors=True, local_files_only=_offline()
        )
    except _hub_errors() as exc:
        raise _missing("VAE", vae, exc) from exc


def _load_pipe(model: str, dtype: torch.dtype, components: dict[str, Any], **kwargs: Any) -> Any:
    from diffusers import StableDiffusionXLPipeline

    path = Path(model).expanduser()
    if path.is_file():
        if path.suffix != ".safetensors":
            raise UsageError(
                f"model {model}: only .safetensors checkpoints are loaded (a .ckpt can run code when unpickled); "
                "convert it or download the .safetensors version"
            )
        try:
            return StableDiffusionXLPipeline.from_single_file(
                str(path), **dtype_kwargs(dtype), local_files_only=_offline(), **components, **kwargs
            )
        except _hub_errors() as exc:
            # the single-file loader fetches the SDXL base configs from the hub unless cached
            raise ModelNotFoundError(
                f"model {model}: the SDXL configuration this checkpoint needs could not be found ({exc}); "
                "run once while online, or pass config= a local diffusers SDXL folder"
            ) from exc
    if path.is_dir():
        if not (path / "model_index.json").exists():
            raise ModelNotFoundError(
                f"model folder {model} has no model_index.json: give a diffusers folder (save_pretrained) "
                "or a single .safetensors checkpoint"
            )
        return StableDiffusionXLPipeline.from_pretrained(
            str(path), **dtype_kwargs(dtype), use_safetensors=True, **components, **kwargs
        )
    if _looks_like_path(model):
        raise _no_such(model)
    variant = "fp16" if dtype == torch.float16 else None
    try:
        return StableDiffusionXLPipeline.from_pretrained(
            model,
            **dtype_kwargs(dtype),
            variant=variant,
            use_safetensors=True,
            local_files_only=_offline(),
            **components,
            **kwargs,
        )
    except _hub_errors() as exc:
        raise _missing("model", model, exc) from exc


def load(
    model: str = DEFAULT_MODEL,
    vae: str | None = DEFAULT_VAE,
    device: str | torch.device = "auto",
    dtype: str | torch.dtype = "auto",
    scheduler: str | None = None,
    *,
    lora_dir: str | Path | None = None,
    loras: Mapping[str, str] | None = None,
    presets: Any = None,
    offload: str | None = None,
    vae_tiling: bool = False,
    vae_slicing: bool = False,
    channels_last: bool = False,
    compile: bool = False,
    fast: Any = False,
    **pipeline_kwargs: Any,
) -> AnimaginePipeline:
    """Load an SDXL model for generation.

    ``model`` is a hub id (the fp16 variant is fetched when the dtype is fp16; safetensors only),
    a local diffusers folder, or a single ``.safetensors`` checkpoint. ``vae`` replaces the
    model's VAE (None keeps it; the default is the fp16-safe SDXL VAE the card uses). ``device``
    ``"auto"`` picks cuda, then mps, then cpu; ``dtype`` ``"auto"`` is fp16 on a GPU, fp32 on cpu.
    ``HF_HUB_OFFLINE=1`` loads from the local hub cache only. ``scheduler`` names the default
    sampler (None: the presets' default). ``offload`` (``"model"`` or ``"sequential"``),
    ``vae_tiling``, ``vae_slicing``, ``channels_last`` and ``compile`` switch on the memory and
    speed options of the same names; ``fast`` (True or ``FastOptions(...)``) turns on what speeds
    sampling up on the device (``AnimaginePipeline.enable_fast``, ``docs/fast.md``).
    Other keyword arguments go to diffusers' ``from_pretrained``/``from_single_file``.

    >>> pipe = load()  # doctest: +SKIP
    >>> pipe.generate("1girl, green hair, sweater, looking at viewer", seed=1).image.size  # doctest: +SKIP
    (1024, 1024)
    >>> load("/no/such/folder", vae=None, device="cpu")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.ModelNotFoundError: model /no/such/folder does not exist: give a diffusers folder, \
a .safetensors file or a hub id
    """
    target = resolve_device(device)
    torch_dtype = resolve_dtype(dtype, target)
    components: dict[str, Any] = {}
    if vae is not None:
        path = Path(model).expanduser()
        if not path.exists() and _looks_like_path(model):
            raise _no_such(model)  # before spending time on the VAE
        components["vae"] = _load_vae(vae, torch_dtype)
    pipe = _load_pipe(model, torch_dtype, components, **pipeline_kwargs)
    if offload is None:
        pipe.to(target)
    wrapped = AnimaginePipeline(pipe, sampler=scheduler, presets=presets, lora_dir=lora_dir, loras=loras)
    if offload is not None:
        wrapped.enable_offload(offload)
    if vae_tiling:
        wrapped.enable_vae_tiling()
    if vae_slicing:
        wrapped.enable_vae_slicing()
    if channels_last:
        wrapped.channels_last()
    if compile:
        wrapped.compile_unet()
    if fast:
        wrapped.enable_fast(fast)
    return wrapped
