"""Images in the output folder: names the server gives them, the only names it serves, and the
settings a dropped PNG carries."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

__all__ = ["image_path", "save_image", "settings_from_png"]

# What save_image writes; anything else (a path, `..`, another extension) is no image of ours.
_NAME = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{8}-[0-9]{1,3}-[0-9]{1,20}\.png")


def save_image(folder: Path, png: bytes, seed: int, index: int) -> str:
    """Write ``png`` into ``folder`` (created if missing) atomically; returns its new file name.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> name = save_image(folder, b"\\x89PNG", 7, 0)
    >>> image_path(folder, name) == folder.resolve() / name
    True
    """
    from animagine_prompt._files import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}-{index}-{seed}.png"
    write_atomic(folder / name, png)
    return name


def image_path(folder: Path, name: str) -> Path | None:
    """The image ``name`` in ``folder``, when ``name`` is one :func:`save_image` could have given and
    the file is a regular file right inside ``folder`` (a link leading out does not count).

    >>> image_path(Path("."), "../secret.png") is None, image_path(Path("."), "x.txt") is None
    (True, True)
    """
    if not _NAME.fullmatch(name):
        return None
    root = folder.resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        return None
    return path


def settings_from_png(data: bytes) -> dict[str, Any]:
    """The prompt, negative and generate settings stored in a PNG (A1111 ``parameters``, the
    Animagine app's ``metadata``, or this package's own), in the shape ``/api/generate`` takes.

    The stored prompts are final (presets already applied), so the presets come back as ``none``.
    """
    from animagine_prompt.metadata import read_png_text, record_from_texts

    record = record_from_texts(read_png_text(data, path="the dropped PNG"), path="the dropped PNG")
    size = f"{record.width}x{record.height}" if record.width and record.height else None
    settings = {
        "prompt": record.prompt,
        "negative": record.negative_prompt,
        "presets": {"quality": "none", "style": "none", "negative": None, "quality_tags": True},
        "size": size,
        "sampler": record.sampler,
        "steps": record.steps,
        "guidance": record.guidance,
        "seed": record.seed,
        "num_images": 1,
        "hires": record.hires,
        "loras": [],
    }
    return {"prompt": record.prompt, "negative": record.negative_prompt, "settings": settings}
