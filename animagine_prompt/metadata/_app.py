"""The Animagine app's ``metadata`` chunk: ``json.dumps`` of its settings dict.

The dict itself comes from :meth:`animagine_prompt.presets.BuiltPrompt.to_metadata`; this module
only turns it into chunk text and checks that it holds what a reader needs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["app_metadata_text"]


def app_metadata_text(metadata: Mapping[str, Any]) -> str:
    """The ``metadata`` chunk text for the app's settings dict (one line of JSON, as the app writes it).

    >>> app_metadata_text({"prompt": "1girl", "seed": 7, "use_upscaler": None})
    '{"prompt": "1girl", "seed": 7, "use_upscaler": null}'
    >>> app_metadata_text({"seed": 7})
    Traceback (most recent call last):
    ...
    ValueError: the app's metadata needs a "prompt" text
    """
    if not isinstance(metadata.get("prompt"), str):
        raise ValueError('the app\'s metadata needs a "prompt" text')
    # ensure_ascii keeps the chunk Latin-1, so it goes in a tEXt chunk as the app's does
    return json.dumps(dict(metadata))
