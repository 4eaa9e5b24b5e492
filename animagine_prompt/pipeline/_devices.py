"""``device="auto"`` and ``dtype="auto"``: where and in what precision the model runs."""

from __future__ import annotations

import torch

from animagine_prompt.errors import UsageError

__all__ = ["dtype_kwargs", "resolve_device", "resolve_dtype"]

_DTYPES = {
    "fp16": torch.float16,
    "float16": torch.float16,
    "half": torch.float16,
    "bf16": torch.bfloat16,
    "bfloat16": torch.bfloat16,
    "fp32": torch.float32,
    "float32": torch.float32,
    "float": torch.float32,
}


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``"auto"`` picks cuda, then mps, then cpu; anything else is passed to ``torch.device``.

    >>> resolve_device("cpu")
    device(type='cpu')
    >>> resolve_device("auto").type in {"cuda", "mps", "cpu"}
    True
    """
    if isinstance(device, torch.device):
        return device
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        return torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise UsageError(f"unknown device {device!r}: use auto, cuda, cuda:1, mps or cpu") from exc


def resolve_dtype(dtype: str | torch.dtype = "auto", device: torch.device | None = None) -> torch.dtype:
    """``"auto"`` is fp16 on cuda and mps (what the fp16 weights and VAE are made for), fp32 on cpu.

    >>> resolve_dtype("auto", torch.device("cuda")), resolve_dtype("auto", torch.device("cpu"))
    (torch.float16, torch.float32)
    >>> resolve_dtype("bf16")
    torch.bfloat16
    """
    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype == "auto":
        # CPU kernels in half precision are slow or missing; GPUs are where fp16 pays
        return torch.float16 if device is not None and device.type in ("cuda", "mps") else torch.float32
    try:
        return _DTYPES[str(dtype).lower()]
    except KeyError:
        names = ", ".join(["auto", *_DTYPES])
        raise UsageError(f"unknown dtype {dtype!r}: use one of {names}") from None


def _dtype_keyword() -> str:
    # diffusers renamed from_pretrained's ``torch_dtype`` to ``dtype`` and warns on the old name;
    # older releases know only the old one
    try:
        from diffusers.utils import deprecation_utils
    except ImportError:
        return "torch_dtype"
    return "dtype" if hasattr(deprecation_utils, "_resolve_dtype") else "torch_dtype"


_DTYPE_KEYWORD: list[str] = []


def dtype_kwargs(dtype: torch.dtype) -> dict[str, torch.dtype]:
    """The keyword argument this diffusers version's loaders take for the dtype.

    >>> list(dtype_kwargs(torch.float16).values())
    [torch.float16]
    """
    if not _DTYPE_KEYWORD:
        _DTYPE_KEYWORD.append(_dtype_keyword())
    return {_DTYPE_KEYWORD[0]: dtype}
