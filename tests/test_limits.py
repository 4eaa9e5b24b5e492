"""The one check of generation settings, and the small checks it is built on."""

from __future__ import annotations

import math

import pytest

from animagine_prompt._checks import CheckError, Number, Whole, shown
from animagine_prompt.errors import InputError, UsageError
from animagine_prompt.limits import LIMITS, MAX_SEED, MAX_STEPS, check_setting, check_size


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("steps", 10**12),
        ("steps", 0),
        ("steps", 2.0),
        ("steps", True),
        ("steps", "20"),
        ("seed", -1),
        ("seed", MAX_SEED + 1),
        ("seed", 1.5),
        ("guidance", math.nan),
        ("guidance", math.inf),
        ("guidance", -1),
        ("guidance", 10**400),  # too large for a float
        ("strength", 1.01),
        ("upscale", 1),
        ("count", 0),
        ("width", 63),
        ("clip_skip", -1),
    ],
)
def test_out_of_range_values_are_refused(name: str, value: object) -> None:
    with pytest.raises(UsageError, match=rf"^{name}: expected "):
        check_setting(name, value)  # type: ignore[call-overload]


def test_whole_settings_stay_ints_and_numbers_become_floats() -> None:
    assert check_setting("steps", MAX_STEPS) == MAX_STEPS
    assert isinstance(check_setting("guidance", 7), float)
    assert check_setting("seed", MAX_SEED) == MAX_SEED
    assert check_setting("upscale", 4) == 4.0


def test_a_file_names_itself_in_the_error() -> None:
    with pytest.raises(InputError) as info:
        check_setting("steps", 10**12, label="num_inference_steps", path="a.png", line=3)
    assert info.value.path == "a.png" and info.value.line == 3
    assert str(info.value).startswith("a.png:3: num_inference_steps: expected a whole number from 1 to 1000")


@pytest.mark.parametrize(("width", "height"), [(-64, 0), (0, 1024), (1024, 8200), (1024.0, 1024), (None, 64)])
def test_bad_sizes(width: object, height: object) -> None:
    with pytest.raises(UsageError, match="each side must be a whole number of pixels from 64 to 8192"):
        check_size(width, height)


def test_every_limit_describes_itself() -> None:
    for name, check in LIMITS.items():
        assert check.expected.startswith(("a whole number", "a number")), name


def test_huge_integers_are_described_not_printed() -> None:
    # str() of an int of more than 4300 digits raises ValueError in Python >= 3.11
    with pytest.raises(UsageError, match="a number of about 5000 digits"):
        check_setting("steps", 10**5000)
    assert shown([[[[[1]]]]]) == "[[[...]]]"


def test_number_bounds() -> None:
    assert Number(1, 4, above=True)(1.5) == 1.5
    with pytest.raises(CheckError, match="above 1 and at most 4"):
        Number(1, 4, above=True)(1.0)
    assert Whole()(-(10**30)) == -(10**30)
