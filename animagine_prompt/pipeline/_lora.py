"""``<lora:name:w>`` in a prompt: which adapter file a name means, and keeping the pipeline's adapters in step.

Names are resolved before any GPU work: a name is looked up in the LoRA folder (``name.safetensors``
or a ``name/`` diffusers LoRA folder, subfolders allowed), then in the name map (the Animagine XL 2.0
card's companion LoRAs, plus the caller's own entries). A name that is found nowhere, or whose
path leaves the LoRA folder, is refused with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from animagine_prompt._checks import shown
from animagine_prompt.errors import ModelNotFoundError, UsageError

__all__ = ["COMPANION_LORAS", "LoraRequest", "LoraSet", "lora_requests", "resolve_lora"]

#: The LoRAs the Animagine XL 2.0 card presents with the model, and the SDXL LCM-LoRA that LCM mode
#: loads: prompt name -> hub repository.
COMPANION_LORAS: Mapping[str, str] = {
    "style-enhancer-xl": "Linaqruf/style-enhancer-xl-lora",
    "anime-detailer-xl": "Linaqruf/anime-detailer-xl-lora",
    "sketch-style-xl": "Linaqruf/sketch-style-xl-lora",
    "pastel-style-xl": "Linaqruf/pastel-style-xl-lora",
    "anime-nouveau-xl": "Linaqruf/anime-nouveau-xl-lora",
    "lcm-lora-sdxl": "latent-consistency/lcm-lora-sdxl",
}

_SUFFIXES = (".safetensors",)
#: Longest LoRA name, in UTF-8 bytes: what one file name may hold on common file systems.
_MAX_NAME = 255


def _check_name(name: str) -> None:
    """Refuse a name no file can have, before it reaches the file system (which raises on NUL)."""
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise UsageError(f"LoRA name {shown(name)} has a control character (such as NUL): write the file's name")
    if len(name.encode("utf-8", "surrogatepass")) > _MAX_NAME:
        raise UsageError(f"LoRA name {shown(name)} is longer than {_MAX_NAME} bytes: write the file's name")


@dataclass(frozen=True)
class LoraRequest:
    """One ``<lora:...>`` tag: the name, its text-encoder and UNet weights, and where it was written.

    >>> LoraRequest("add detail", 0.8, 0.8, (0, 20)).adapter_name.startswith("add_detail_")
    True
    """

    name: str
    text_encoder_weight: float
    unet_weight: float
    span: tuple[int, int] | None = None

    @property
    def adapter_name(self) -> str:
        """A name peft accepts (no dots or spaces), unique per LoRA name."""
        digest = hashlib.sha1(self.name.encode("utf-8")).hexdigest()[:8]
        return f"{re.sub(r'[^0-9A-Za-z_]', '_', self.name)[:40]}_{digest}"

    @property
    def active(self) -> bool:
        """False when both weights are 0: the adapter would change nothing, so it is not loaded."""
        return self.text_encoder_weight != 0.0 or self.unet_weight != 0.0


def _number(text: str, raw: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"{raw}: the weight {text!r} is not a number; write it as <lora:name:0.8>") from None


def lora_requests(prompt: Any) -> list[LoraRequest]:
    """The LoRA tags of a parsed prompt, with A1111's weight rules.

    ``<lora:name>`` is weight 1; ``<lora:name:te>`` sets both weights; ``<lora:name:te:unet>``
    or the ``te=``/``unet=`` options set them apart. ``<lyco:...>`` is read as a LoRA, as A1111
    does since LyCORIS support moved into its LoRA loader; other extra networks are ignored.

    >>> from animagine_prompt.syntax import parse
    >>> [(r.name, r.text_encoder_weight, r.unet_weight) for r in lora_requests(parse("a <lora:x:0.5:0.25>, <lora:y>"))]
    [('x', 0.5, 0.25), ('y', 1.0, 1.0)]
    """
    out: list[LoraRequest] = []
    seen: dict[str, str] = {}
    for net in prompt.extra_networks():
        if net.kind not in ("lora", "lyco"):
            continue
        name = net.name.strip()
        if not name:
            raise UsageError(f"{shown(net.raw)}: the LoRA has no name; write <lora:name:0.8>")
        _check_name(name)
        positional = net.positional
        te = _number(positional[0], net.raw) if positional else 1.0
        te = _number(net.options["te"], net.raw) if "te" in net.options else te
        unet = _number(positional[1], net.raw) if len(positional) > 1 else te
        unet = _number(net.options["unet"], net.raw) if "unet" in net.options else unet
        if name in seen:
            raise UsageError(f"LoRA {name!r} is named twice ({seen[name]} and {net.raw}): keep one tag")
        seen[name] = net.raw
        out.append(LoraRequest(name, te, unet, net.span))
    return out


@dataclass(frozen=True)
class LoraSource:
    """Where a LoRA's weights are: a local file or folder, or a hub repository."""

    name: str
    location: str
    local: bool

    def load_kwargs(self) -> dict[str, Any]:
        """Arguments for ``load_lora_weights`` (the path or repo goes first, positionally)."""
        if not self.local:
            return {"local_files_only": _offline()}
        path = Path(self.location)
        if path.is_file():
            return {"weight_name": path.name}
        return {}

    @property
    def path_or_repo(self) -> str:
        """The first argument of ``load_lora_weights``."""
        path = Path(self.location)
        return str(path.parent) if self.local and path.is_file() else self.location


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def resolve_lora(name: str, lora_dir: str | Path | None, names: Mapping[str, str]) -> LoraSource:
    """Find the weights ``<lora:name>`` stands for: in ``lora_dir`` first, then in ``names``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "flat.safetensors").write_bytes(b"")
    >>> resolve_lora("flat", d, {}).local, resolve_lora("pastel-style-xl", None, COMPANION_LORAS).location
    (True, 'Linaqruf/pastel-style-xl-lora')
    >>> resolve_lora("../flat", d, {})
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: LoRA '../flat' points outside the LoRA folder ...: name a file inside it
    """
    _check_name(name)
    if lora_dir is not None:
        root = Path(lora_dir).expanduser().resolve()
        candidate = (root / name).resolve()
        if Path(name).is_absolute() or not candidate.is_relative_to(root):
            raise UsageError(f"LoRA {name!r} points outside the LoRA folder {root}: name a file inside it")
        for path in (candidate.with_name(candidate.name + _SUFFIXES[0]), candidate):
            # resolve again: a symlink inside the folder may still lead out of it
            if path.exists() and not path.resolve().is_relative_to(root):
                raise UsageError(f"LoRA {name!r} points outside the LoRA folder {root}: name a file inside it")
            if path.is_file() and path.suffix in _SUFFIXES:
                return LoraSource(name, str(path), True)
            if path.is_dir() and any(p.suffix in _SUFFIXES for p in path.iterdir()):
                return LoraSource(name, str(path), True)
    if name in names:
        location = names[name]
        path = Path(location).expanduser()
        if path.exists():
            return LoraSource(name, str(path.resolve()), True)
        if location.startswith((".", "/", "~")) or location.endswith(_SUFFIXES):
            raise ModelNotFoundError(f"LoRA {name!r} is mapped to {location}, which does not exist")
        return LoraSource(name, location, False)
    where = (
        f"put {name}.safetensors in {lora_dir}"
        if lora_dir is not None
        else "pass lora_dir= (a folder of .safetensors files)"
    )
    known = ", ".join(sorted(names)) or "none"
    raise ModelNotFoundError(
        f"unknown LoRA {name!r}: {where}, or map the name to a file or hub repository with loras={{{name!r}: ...}} "
        f"(names known: {known})"
    )


class LoraSet:
    """The adapters loaded into one pipeline: loads what a prompt names, drops what it no longer names.

    Adapters stay loaded between calls while prompts keep naming them, so a seed sweep with the same
    LoRA reads its file once. :meth:`apply` returns True when the pipeline's weights changed (the
    caller then drops cached text-encoder outputs).
    """

    def __init__(self, pipe: Any, lora_dir: str | Path | None = None, names: Mapping[str, str] | None = None) -> None:
        self.pipe = pipe
        self.lora_dir = None if lora_dir is None else Path(lora_dir)
        self.names = {**COMPANION_LORAS, **(names or {})}
        self.loaded: dict[str, LoraSource] = {}  # adapter name -> source
        self._state: tuple = ()
        self._trainable: dict[str, list[tuple[Any, bool]]] = {}

    def __repr__(self) -> str:
        return f"LoraSet(loaded={sorted(s.name for s in self.loaded.values())}, lora_dir={self.lora_dir})"

    def resolve(self, requests: Sequence[LoraRequest]) -> list[tuple[LoraRequest, LoraSource]]:
        """Every request with its source; raises for any unknown or out-of-folder name (no loading)."""
        return [(r, resolve_lora(r.name, self.lora_dir, self.names)) for r in requests]

    def apply(self, resolved: Sequence[tuple[LoraRequest, LoraSource]]) -> bool:
        """Load, weight and unload adapters so that exactly the active requests are in effect."""
        wanted = [(r, s) for r, s in resolved if r.active]
        state = tuple((r.adapter_name, s.location, r.text_encoder_weight, r.unet_weight) for r, s in wanted)
        if state == self._state:
            return False
        keep = {r.adapter_name for r, _ in wanted}
        stale = [a for a in self.loaded if a not in keep]
        if stale and not keep:
            self.pipe.unload_lora_weights()  # restores the original modules, not just empty adapters
            self._restore_trainable()
            self.loaded.clear()
        elif stale:
            self.pipe.delete_adapters(stale)
            for adapter in stale:
                del self.loaded[adapter]
        if wanted and not self.loaded:
            self._remember_trainable()
        for request, source in wanted:
            adapter = request.adapter_name
            if adapter in self.loaded and self.loaded[adapter].location == source.location:
                continue
            if adapter in self.loaded:
                self.pipe.delete_adapters([adapter])
            try:
                self.pipe.load_lora_weights(source.path_or_repo, adapter_name=adapter, **source.load_kwargs())
            except (OSError, ValueError) as exc:
                raise ModelNotFoundError(_load_failure(source, exc)) from exc
            self.loaded[adapter] = source
        if wanted:
            parts = self.pipe.get_list_adapters()  # {"unet": [...], "text_encoder": [...], ...}
            weights = []
            for request, _ in wanted:
                per_part = {}
                for part, adapters in parts.items():
                    if request.adapter_name in adapters:
                        per_part[part] = request.unet_weight if part == "unet" else request.text_encoder_weight
                weights.append(per_part)
            self.pipe.set_adapters([r.adapter_name for r, _ in wanted], adapter_weights=weights)
        self._state = state
        return True

    # peft freezes the base weights when it injects an adapter and unloading leaves them frozen;
    # on the CPU some kernels then take another path and the pixels move by one level, so the
    # flags are put back as they were before the first adapter
    def _remember_trainable(self) -> None:
        self._trainable = {}
        for name in ("unet", "text_encoder", "text_encoder_2"):
            module = getattr(self.pipe, name, None)
            if module is not None and hasattr(module, "parameters"):
                self._trainable[name] = [(p, p.requires_grad) for p in module.parameters()]

    def _restore_trainable(self) -> None:
        for flags in self._trainable.values():
            for parameter, requires_grad in flags:
                parameter.requires_grad_(requires_grad)
        self._trainable = {}


def _load_failure(source: LoraSource, exc: Exception) -> str:
    if source.local:
        return f"LoRA {source.name!r} at {source.location} could not be loaded as a diffusers/kohya SDXL LoRA: {exc}"
    how = (
        "HF_HUB_OFFLINE is set and it is not in the local hub cache: download it while online with "
        f"`hf download {source.location}`"
        if _offline()
        else f"check the repository name, or download {source.location} and map the name to the file"
    )
    return f"LoRA {source.name!r} ({source.location}) could not be loaded: {how} ({type(exc).__name__})"
