"""The allowed range of every generation setting, checked in one place.

Sizes, step counts, guidance scales, strengths, seeds and image counts reach the package through
many doors: PNG metadata, batch files and the batch manifest, command-line flags, the prompt
builder, ``AnimaginePipeline.generate``. Each door checks them with :func:`check_setting` or
:func:`check_size`, so ``num_inference_steps: 10**12`` or a size of ``-64 x 0`` is refused with
the same message wherever it comes from, before any work starts.

>>> check_setting("steps", 28), check_setting("guidance", 7), check_size(832, 1216)
(28, 7.0, (832, 1216))
>>> check_setting("steps", 10**12, label="num_inference_steps", path="a.png")
Traceback (most recent call last):
...
animagine_prompt.errors.InputError: a.png: num_inference_steps: expected a whole number from 1 to 1000, \
got 1000000000000

Without a ``path`` the error is a :class:`~animagine_prompt.errors.UsageError` (an argument or
a flag); with one, an :class:`~animagine_prompt.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, overload

from animagine_prompt._checks import CheckError, Number, Whole, shown
from animagine_prompt.errors import InputError, UsageError

__all__ = [
    "LIMITS",
    "MAX_COUNT",
    "MAX_SEED",
    "MAX_SIDE",
    "MAX_STEPS",
    "MIN_SIDE",
    "NumberSetting",
    "WholeSetting",
    "check_setting",
    "check_size",
    "parse_wxh",
]

#: Pixels per side. SDXL works in 8x8 pixel cells and was trained around 1024x1024; below 64 the
#: latent is a few cells wide, above 8192 one image needs more memory than any card has.
MIN_SIDE = 64
MAX_SIDE = 8192
#: The SDXL schedulers have 1000 training timesteps and refuse more inference steps than that.
MAX_STEPS = 1000
#: Seeds are unsigned 64-bit, as ``torch.Generator.manual_seed`` takes them.
MAX_SEED = 2**64 - 1
#: Images per prompt or per call; also the most seeds one seed list may expand to.
MAX_COUNT = 100_000

WholeSetting = Literal["width", "height", "steps", "seed", "count", "clip_skip"]
NumberSetting = Literal["guidance", "strength", "upscale"]

#: Each setting's check. ``upscale`` and ``strength`` are the hires pass's (the app's
#: ``upscale_by`` and ``upscaler_strength``); ``clip_skip`` counts text encoder layers skipped past
#: the penultimate one, and the larger SDXL encoder has 32.
LIMITS: Mapping[str, Whole | Number] = MappingProxyType(
    {
        "width": Whole(MIN_SIDE, MAX_SIDE),
        "height": Whole(MIN_SIDE, MAX_SIDE),
        "steps": Whole(1, MAX_STEPS),
        "guidance": Number(0, 100),
        "strength": Number(0, 1),
        "upscale": Number(1, 4, above=True),
        "seed": Whole(0, MAX_SEED),
        "count": Whole(1, MAX_COUNT),
        "clip_skip": Whole(0, 30),
    }
)


@overload
def check_setting(
    name: WholeSetting, value: object, *, label: str | None = None, path: object = None, line: int | None = None
) -> int: ...


@overload
def check_setting(
    name: NumberSetting, value: object, *, label: str | None = None, path: object = None, line: int | None = None
) -> float: ...


@overload
def check_setting(
    name: str, value: object, *, label: str | None = None, path: object = None, line: int | None = None
) -> int | float: ...


def check_setting(
    name: str, value: object, *, label: str | None = None, path: object = None, line: int | None = None
) -> int | float:
    """``value`` checked against the range of the setting ``name`` (a key of :data:`LIMITS`);
    whole-number settings come back as ``int``, the others as ``float``.

    ``label`` is how the setting is called where the value came from (``num_inference_steps``,
    ``--steps``); ``path`` and ``line`` say which file it was read from.

    >>> check_setting("seed", -1, label="--seed")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: --seed: expected a whole number from 0 to 18446744073709551615, got -1
    """
    try:
        return LIMITS[name](value)
    except CheckError as exc:
        raise _error(f"{label or name}: {exc.problem}", path, line) from None


def check_size(
    width: object,
    height: object,
    *,
    label: str = "size",
    spec: str | None = None,
    path: object = None,
    line: int | None = None,
) -> tuple[int, int]:
    """``(width, height)`` checked: each side a whole number of :data:`MIN_SIDE` to :data:`MAX_SIDE` pixels.
    A message shows ``spec`` (the size as the user wrote it) when given, else the two numbers.

    >>> check_size(-64, 0, label="resolution", path="a.png")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: a.png: resolution -64 x 0: each side must be a whole number of pixels \
from 64 to 8192
    """
    try:
        return Whole(MIN_SIDE, MAX_SIDE)(width), Whole(MIN_SIDE, MAX_SIDE)(height)
    except CheckError:
        written = shown(spec) if spec is not None else f"{shown(width)} x {shown(height)}"
        raise _size_error(f"{label} {written}", path, line) from None


_WXH = re.compile(r"^\s*(-?\d+)\s*[xX×*]\s*(-?\d+)\s*$")


def parse_wxh(
    spec: str, *, label: str = "size", path: object = None, line: int | None = None
) -> tuple[int, int] | None:
    """The two numbers of a ``"WIDTHxHEIGHT"`` size (``x``, ``X``, ``×`` or ``*`` between them), not
    yet range-checked; ``None`` when ``spec`` is not written that way (a name, a ratio).

    >>> parse_wxh("832 x 1216"), parse_wxh("3:4")
    ((832, 1216), None)
    """
    match = _WXH.match(spec)
    if match is None:
        return None
    if max(len(match[1]), len(match[2])) > 9:  # far out of range, and int() refuses 4300 digits
        raise _size_error(f"{label} {shown(spec)}", path, line)
    return int(match[1]), int(match[2])


def _size_error(what: str, path: object, line: int | None) -> UsageError | InputError:
    return _error(f"{what}: each side must be a whole number of pixels from {MIN_SIDE} to {MAX_SIDE}", path, line)


def _error(message: str, path: object, line: int | None) -> UsageError | InputError:
    return UsageError(message) if path is None else InputError(message, path=path, line=line)
