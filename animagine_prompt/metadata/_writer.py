"""The one PNG writer for generated images: the image with the A1111 ``parameters`` text and the
Animagine app's ``metadata`` JSON, so A1111's PNG Info, Civitai and the app all read it back.

Every image the package makes goes through :func:`generation_png`: ``Generation.png``/``save``
(the Python API), ``animagine-prompt generate`` and the web app. No imaging library here: the
image comes as PNG bytes or as any object with a Pillow-style ``save(file, format="PNG")``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from ._app import app_metadata_text
from ._png import set_png_text
from ._record import GenerationRecord

__all__ = ["generation_png", "model_name"]


class EncodesPNG(Protocol):
    """An image that writes itself as PNG, as ``PIL.Image.Image`` does."""

    def save(self, fp: BinaryIO, format: str) -> None: ...  # noqa: A002 - Pillow's name


def generation_png(
    image: bytes | EncodesPNG, record: GenerationRecord, app_metadata: Mapping[str, Any] | None = None
) -> bytes:
    """``image`` as PNG bytes carrying ``record`` as the ``parameters`` text and, when given, the app's
    settings dict as the ``metadata`` chunk (both right after the header, replacing older ones).

    >>> from animagine_prompt.metadata import read_png_text
    >>> from animagine_prompt.metadata._png import _minimal_png
    >>> record = GenerationRecord("1girl", "lowres", width=832, height=1216, steps=28, seed=1)
    >>> texts = read_png_text(generation_png(_minimal_png({}), record, {"prompt": "1girl", "seed": 1}))
    >>> print(texts["parameters"])
    1girl
    Negative prompt: lowres
    Steps: 28, Seed: 1, Size: 832x1216
    >>> texts["metadata"]
    '{"prompt": "1girl", "seed": 1}'
    """
    if isinstance(image, bytes):
        png = image
    else:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        png = buffer.getvalue()
    texts = {"parameters": record.parameters_text()}
    if app_metadata is not None:
        texts["metadata"] = app_metadata_text(app_metadata)
    return set_png_text(png, texts)


def model_name(model: str | None) -> str | None:
    """The model name written in the metadata: a hub id's or folder's last part, a checkpoint file's stem.

    >>> model_name("Linaqruf/animagine-xl-2.0"), model_name("/models/animagineXL_v20.safetensors")
    ('animagine-xl-2.0', 'animagineXL_v20')
    """
    if not model:
        return None
    path = Path(model.rstrip("/\\"))
    return path.stem if path.suffix in (".safetensors", ".ckpt") else path.name
