"""Sizes, step counts, image counts and LoRA names are refused before any work, with one clear line."""

from __future__ import annotations

import pytest

from animagine_prompt.errors import AnimaginePromptError, UsageError
from animagine_prompt.pipeline._lora import lora_requests, resolve_lora
from animagine_prompt.syntax import parse

SMALL = {"size": (64, 64), "steps": 2}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"steps": 10**12, "size": (64, 64)}, "steps: expected a whole number from 1 to 1000"),
        ({"num_images": 10**12, **SMALL}, "num_images: expected a whole number from 1 to 100000"),
        ({"guidance": float("nan"), **SMALL}, "guidance: expected a number from 0 to 100"),
        ({"seed": 2**64, **SMALL}, "seed: expected a whole number from 0 to"),
        ({"size": "-64x0", "steps": 2}, "each side must be a whole number of pixels from 64 to 8192"),
        ({"size": (0, 64), "steps": 2}, "each side must be a whole number of pixels from 64 to 8192"),
        ({"size": "9" * 5000 + "x64", "steps": 2}, "each side must be a whole number of pixels"),
    ],
)
def test_out_of_range_settings_are_refused_before_generating(shared_pipe, kwargs, fragment) -> None:
    with pytest.raises(AnimaginePromptError, match=fragment):
        shared_pipe.generate("1girl", **kwargs)


@pytest.mark.parametrize("name", ["a\x00b", "tab\there", "x" * 256, "ü" * 128])
def test_lora_names_no_file_can_have_are_refused(name: str, tmp_path) -> None:
    with pytest.raises(UsageError, match="LoRA name"):
        lora_requests(parse(f"1girl <lora:{name}:0.5>"))
    with pytest.raises(UsageError, match="LoRA name"):
        resolve_lora(name, tmp_path, {})


def test_a_prompt_with_a_bad_lora_name_fails_before_generating(shared_pipe) -> None:
    with pytest.raises(UsageError, match="control character"):
        shared_pipe.generate("1girl <lora:a\x00b:0.5>", **SMALL)
