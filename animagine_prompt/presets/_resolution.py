"""Image sizes: by preset name, by ``WxH``, or by aspect ratio snapped to the nearest preset size."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from animagine_prompt.errors import AnimaginePromptError, PresetError
from animagine_prompt.limits import MAX_SIDE, MIN_SIDE, check_size, parse_wxh

from ._models import ResolutionPreset, preset_key

# Custom sizes are floored to a multiple of 8 and must stay within MIN_SIDE..MAX_SIDE pixels per side.
__all__ = ["MAX_SIDE", "MIN_SIDE", "Size", "parse_size"]

_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Size:
    """A width and height in pixels, with the preset name it came from (``None`` for a custom size).

    >>> Size(832, 1216, "tall").label
    '832 x 1216'
    """

    width: int
    height: int
    name: str | None = None

    @property
    def label(self) -> str:
        """The size as the Animagine app writes it: ``"W x H"``."""
        return f"{self.width} x {self.height}"

    def scaled(self, factor: float) -> Size:
        """The size an upscale by ``factor`` gives, truncated as the app's metadata does.

        >>> Size(832, 1216).scaled(1.5).label
        '1248 x 1824'
        """
        return Size(int(self.width * factor), int(self.height * factor))


def parse_size(spec: str | tuple[int, int], presets: Iterable[ResolutionPreset]) -> Size:
    """Turn a size spec into a :class:`Size`.

    ``spec`` is a preset name (``"tall"``), ``"WxH"`` (floored to multiples of 8), a ``(w, h)`` pair,
    or an aspect ratio ``"W:H"``, which picks the preset whose ratio is nearest (on a log scale, so
    ``2:1`` and ``1:2`` are equally far from square).

    >>> from animagine_prompt.presets import bundled_presets
    >>> sizes = bundled_presets().all("resolution")
    >>> parse_size("3:4", sizes), parse_size("1000x700", sizes)
    (Size(width=896, height=1152, name='portrait'), Size(width=1000, height=696, name=None))
    >>> parse_size("832 x 1216", sizes).name
    'tall'
    """
    presets = list(presets)
    if isinstance(spec, tuple):
        return _custom(spec[0], spec[1], presets, f"{spec[0]}x{spec[1]}")
    try:
        pair = parse_wxh(spec)
    except AnimaginePromptError as exc:
        raise PresetError(str(exc)) from None
    if pair is not None:
        return _custom(*pair, presets, spec)
    match = _RATIO.match(spec)
    if match:
        w, h = float(match[1]), float(match[2])
        if w <= 0 or h <= 0:
            raise PresetError(f"aspect ratio {spec!r} needs two positive numbers, such as 3:4")
        if not presets:
            raise PresetError("there are no resolution presets to snap an aspect ratio to")
        wanted = math.log(w / h)
        best = min(presets, key=lambda p: abs(math.log(p.ratio) - wanted))
        return Size(best.width, best.height, best.key)
    key = preset_key(spec)
    for preset in presets:
        if preset.key == key:
            return Size(preset.width, preset.height, preset.key)
    for preset in presets:
        if key in {preset_key(alias) for alias in preset.aliases} or (
            preset.aspect is not None and key == preset_key(preset.aspect)
        ):
            return Size(preset.width, preset.height, preset.key)
    names = ", ".join(p.key for p in presets)
    raise PresetError(
        f"unknown size {spec!r}: give a resolution name ({names}), WIDTHxHEIGHT such as 832x1216, "
        "or an aspect ratio such as 3:4"
    )


def _custom(width: int, height: int, presets: list[ResolutionPreset], spec: str) -> Size:
    # SDXL's VAE works on 8x8 pixel cells; the Animagine app floors custom sizes the same way.
    if isinstance(width, bool) or not isinstance(width, int) or isinstance(height, bool) or not isinstance(height, int):
        raise PresetError(f"size {spec!r}: each side must be a whole number of pixels from {MIN_SIDE} to {MAX_SIDE}")
    try:
        w, h = check_size(width // 8 * 8, height // 8 * 8, spec=spec)
    except AnimaginePromptError as exc:
        raise PresetError(str(exc)) from None
    for preset in presets:
        if (preset.width, preset.height) == (w, h):
            return Size(w, h, preset.key)
    return Size(w, h)
