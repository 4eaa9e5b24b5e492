"""Sizes by name, by WxH, by aspect ratio (snapped to the nearest card size), and custom sizes."""

from __future__ import annotations

import pytest

from animagine_prompt.errors import PresetError
from animagine_prompt.presets import bundled_presets


@pytest.fixture(scope="module")
def lib():
    return bundled_presets()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("square", (1024, 1024)),
        ("Tall", (832, 1216)),
        ("832x1216", (832, 1216)),
        ("832 x 1216", (832, 1216)),
        ("832X1216", (832, 1216)),
        ("13:19", (832, 1216)),
        ("3:4", (896, 1152)),
        ("4:3", (1152, 896)),
        ("2:3", (832, 1216)),
        ("16:9", (1344, 768)),
        ("9:16", (768, 1344)),
        ("21:9", (1536, 640)),
        ("1:1", (1024, 1024)),
        ("1.5:1", (1216, 832)),
        ("100:1", (1536, 640)),
    ],
)
def test_size_specs(lib, spec: str, expected: tuple[int, int]) -> None:
    size = lib.size(spec)
    assert (size.width, size.height) == expected


def test_snapped_and_named_sizes_carry_the_preset_name(lib) -> None:
    assert lib.size("3:4").name == "portrait"
    assert lib.size("1216x832").name == "wide"
    assert lib.size("1000x700").name is None


def test_custom_sizes_floor_to_multiples_of_8(lib) -> None:
    size = lib.size("1023x769")
    assert (size.width, size.height) == (1016, 768)
    assert lib.size((1030, 1030)).label == "1024 x 1024"


@pytest.mark.parametrize("spec", ["0x1024", "63x1024", "1024x9000", "0:1", "1:0", "huge", "3:4:5", ""])
def test_bad_sizes(lib, spec: str) -> None:
    with pytest.raises(PresetError):
        lib.size(spec)


def test_hires_size_truncates_like_the_app(lib) -> None:
    assert lib.size("tall").scaled(1.5).label == "1248 x 1824"
    assert lib.size("wide").scaled(1.5).label == "1824 x 1248"
