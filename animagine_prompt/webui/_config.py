"""What a server is started with: folders, model, limits, and whether it generates."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "BODY_BYTES",
    "DEFAULT_MODEL",
    "MAX_IMAGES",
    "PNG_BYTES",
    "PROMPT_CHARS",
    "ServerConfig",
    "generate_unavailable",
]

#: The model ``serve`` loads unless told otherwise (``animagine_prompt.pipeline.DEFAULT_MODEL``, named
#: here so that showing it does not import torch).
DEFAULT_MODEL = "Linaqruf/animagine-xl-2.0"
#: Longest prompt or negative the API takes, in characters: three times the longest of the 231 real
#: prompts (3,247). Analysing a prompt and a negative this long takes about 0.25 s on a 2-core machine.
PROMPT_CHARS = 10_000
#: Largest JSON request body: two prompts at the limit, in up to 4 UTF-8 bytes per character, and room.
BODY_BYTES = 256 * 1024
#: Largest PNG ``/api/read-png`` takes: an upscaled 4096 x 4096 PNG fits.
PNG_BYTES = 64 * 1024 * 1024
#: Most images one generate request may ask for (they are made in one batch).
MAX_IMAGES = 8


def generate_unavailable() -> str | None:
    """Why this installation cannot generate (the ``generate`` extra is missing), or ``None``.

    Looks for the modules without importing them: torch takes seconds to import.

    >>> generate_unavailable() is None or "animagine-prompt[generate]" in generate_unavailable()
    True
    """
    missing = [name for name in ("torch", "diffusers", "PIL") if importlib.util.find_spec(name) is None]
    if missing:
        return f"{', '.join(missing)} not installed: pip install 'animagine-prompt[generate]' to generate"
    return None


@dataclass(frozen=True)
class ServerConfig:
    """Settings of one server. ``generate=False`` is prompt-only mode (analysis and completion).

    ``model``/``vae``/``device``/``dtype`` go to ``animagine_prompt.pipeline.load`` on the first
    generate request; ``pipeline_factory`` replaces that call (tests pass a tiny pipeline).
    ``lora_dir`` is the one folder LoRAs are read from, ``output`` the one folder images are
    written to and served from, ``tags`` extra tag files for analysis and completion.

    >>> ServerConfig(generate=False).output
    PosixPath('outputs')
    """

    model: str | None = None
    vae: str | None = None
    device: str = "auto"
    dtype: str = "auto"
    lora_dir: Path | None = None
    output: Path = Path("outputs")
    tags: tuple[str, ...] = ()
    #: Lint settings for the analysis (``None``: the defaults, no config file read).
    lint_settings: Any = None
    generate: bool = True
    #: Why generation is off when ``generate`` is False (``--no-generate``, a missing extra).
    generate_reason: str | None = None
    pipeline_factory: Callable[[], Any] | None = field(default=None, compare=False, repr=False)
    #: Host names requests may be addressed to (empty: any). A server on 127.0.0.1 accepts only
    #: its loopback names, so a web page whose domain was pointed at 127.0.0.1 (DNS rebinding) is
    #: refused instead of getting the API as its own origin.
    allowed_hosts: tuple[str, ...] = ()
    prompt_chars: int = PROMPT_CHARS
    body_bytes: int = BODY_BYTES
    png_bytes: int = PNG_BYTES

    @property
    def model_label(self) -> str | None:
        """The model as ``/api/info`` and the images' metadata name it (``None`` for a pipeline a
        caller built, unless ``model`` says what it is)."""
        if self.model or self.pipeline_factory is not None:
            return self.model
        return DEFAULT_MODEL
