"""Image metadata: PNG text chunks, the A1111 ``parameters`` text and the Animagine app's ``metadata`` JSON.

>>> from animagine_prompt.metadata import GenerationRecord, record_from_texts
>>> text = GenerationRecord("1girl", "lowres", width=1024, height=1024, steps=50, guidance=12,
...                         seed=7, sampler="Euler a").parameters_text()
>>> print(text)
1girl
Negative prompt: lowres
Steps: 50, Sampler: Euler a, CFG scale: 12, Seed: 7, Size: 1024x1024
>>> record_from_texts({"parameters": text}).seed
7

The one place in the package that reads or writes PNG text and infotexts; no torch, no pillow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt._lazy import lazy_exports

# public name -> private module defining it
_EXPORTS: dict[str, str] = {
    "GenerationRecord": "._record",
    "PNG_SIGNATURE": "._png",
    "Parameters": "._parameters",
    "TextChunk": "._png",
    "app_metadata_text": "._app",
    "format_value": "._parameters",
    "generation_png": "._writer",
    "model_name": "._writer",
    "parse_parameters": "._parameters",
    "png_text_chunks": "._png",
    "read_generation": "._record",
    "read_png_text": "._png",
    "read_png_text_file": "._png",
    "record_from_texts": "._record",
    "set_png_text": "._png",
    "verify_png": "._png",
}

if not TYPE_CHECKING:  # type checkers read the imports below instead
    __all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from ._app import app_metadata_text
    from ._parameters import Parameters, format_value, parse_parameters
    from ._png import (
        PNG_SIGNATURE,
        TextChunk,
        png_text_chunks,
        read_png_text,
        read_png_text_file,
        set_png_text,
        verify_png,
    )
    from ._record import GenerationRecord, read_generation, record_from_texts
    from ._writer import generation_png, model_name
